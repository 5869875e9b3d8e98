package runcontext

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// checker finds the offending uses in the run zones of one package.
type checker struct {
	pass   *analysis.Pass
	z      *zones.Zones
	outers map[*zones.Func]*outer
	fx     *fixer
}

func newChecker(pass *analysis.Pass, z *zones.Zones) *checker {
	return &checker{pass: pass, z: z, outers: make(map[*zones.Func]*outer), fx: newFixer(pass, z)}
}

// check returns the findings of the run zone f (a literal) and of the
// literals nested in it.
func (c *checker) check(f *zones.Func) []finding {
	lit := f.Node.(*ast.FuncLit)
	o := c.outerOf(f)
	var fs []finding
	for cur := range f.Cursor.Preorder((*ast.CallExpr)(nil), (*ast.Ident)(nil)) {
		if g := c.z.Enclosing(cur); g == nil || g.Kind != zones.Run {
			continue // a handler registered inside the closure: not ours
		}
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			if op, ok := c.operation(o, n); ok {
				fs = append(fs, finding{kind: opKind, node: n,
					msg: fmt.Sprintf("%s inside a restate.Run closure: Restate operations are not allowed there (the closure runs on another goroutine and is skipped on replay, so the journal diverges); perform it in the handler before or after restate.Run", op)})
			}
		case *ast.Ident:
			if f, ok := c.use(o, lit, cur, n); ok {
				fs = append(fs, f)
			}
		}
	}
	return fs
}

// operation reports whether call is a Restate operation to report: not a
// draw from an outer generator (reported as such), not a method of an
// error value.
func (c *checker) operation(o *outer, call *ast.CallExpr) (string, bool) {
	info := c.pass.TypesInfo
	op, ok := sdk.Operation(info, call)
	if !ok {
		return "", false
	}
	if sel, isSel := ast.Unparen(call.Fun).(*ast.SelectorExpr); isSel {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			if types.Implements(s.Recv(), errorIface) || c.genSource(o, sel.X) || !journaled(s.Obj()) {
				return "", false
			}
			return types.ExprString(call.Fun), true
		}
	}
	return op, true
}

// journaled reports whether a method belongs to the SDK's futures,
// clients and promises (declared in the root package or an internal one),
// not to a helper package such as encoding.
func journaled(m types.Object) bool {
	if m.Pkg() == nil {
		return false
	}
	p := m.Pkg().Path()
	return p == sdk.Path || strings.HasPrefix(p, sdk.Path+"/internal/")
}

var errorIface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// use returns the finding for the identifier id at cur inside the run
// zone lit, if it refers to an outer handler context or generator.
func (c *checker) use(o *outer, lit *ast.FuncLit, cur inspector.Cursor, id *ast.Ident) (finding, bool) {
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || (lit.Pos() <= v.Pos() && v.Pos() < lit.End()) {
		return finding{}, false
	}
	if k, _ := cur.ParentEdge(); k == edge.AssignStmt_Lhs {
		return finding{}, false // c = runCtx: a write, not a use of the outer value
	}
	exprCur := cur
	if k, _ := cur.ParentEdge(); k == edge.SelectorExpr_Sel {
		exprCur = cur.Parent()
	} else if v.IsField() {
		return finding{}, false // a field name in a composite literal
	}
	expr := exprCur.Node().(ast.Expr)
	text := types.ExprString(expr)

	if o.gens[v] {
		return finding{kind: randKind, node: expr,
			msg: fmt.Sprintf("%s, a generator from restate.Rand or restate.RandSource, is used inside a restate.Run closure: draws there advance the invocation's deterministic random sequence on the first execution only (the closure is skipped on replay), so later draws in the handler differ; draw the values before restate.Run or use math/rand inside the closure", text)}, true
	}
	plain, holder := o.holders[v]
	isCtx := holder || sdk.IsHandlerContext(v.Type())
	if !isCtx {
		return finding{}, false
	}
	if !holder {
		plain = true
	}
	f := finding{kind: ctxKind, node: expr, v: v}
	asCtx := c.fx.asContext(exprCur)
	switch {
	case !plain:
		f.msg = fmt.Sprintf("%s is derived from the handler context and used inside a restate.Run closure, which runs on another goroutine where the handler context is not safe to use; derive it from the closure's RunContext parameter instead", text)
	case asCtx && methodOf(exprCur) != "":
		// ctx.Log(), ctx.Request(): the method exists on the RunContext too.
		f.msg = fmt.Sprintf("handler context %s's %s method is called inside a restate.Run closure, which runs on another goroutine where the handler context is not safe to use; call it on the closure's RunContext parameter instead", text, methodOf(exprCur))
	case asCtx:
		f.msg = fmt.Sprintf("handler context %s used as a context.Context inside a restate.Run closure, which runs on another goroutine where the handler context is not safe to use; use the closure's RunContext parameter instead", text)
	default:
		f.msg = fmt.Sprintf("handler context %s used inside a restate.Run closure, which runs on another goroutine and is skipped on replay; compute what you need from it before restate.Run and use only the closure's RunContext inside", text)
	}
	if plain && asCtx {
		f.edits = c.fx.fix(exprCur, expr)
	}
	return f, true
}

// methodOf returns the name of the RunContext method, other than those of
// context.Context, selected on the expression at cur (Log in ctx.Log()),
// or "": ctx.Err() does use the context as a context.Context.
func methodOf(cur inspector.Cursor) string {
	if k, _ := cur.ParentEdge(); k != edge.SelectorExpr_X {
		return ""
	}
	switch name := cur.Parent().Node().(*ast.SelectorExpr).Sel.Name; name {
	case "Deadline", "Done", "Err", "Value":
		return ""
	default:
		return name
	}
}
