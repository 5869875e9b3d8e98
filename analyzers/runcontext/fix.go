package runcontext

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/fixes"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// fixer replaces uses of the handler context with the closure's
// RunContext parameter.
type fixer struct {
	pass   *analysis.Pass
	z      *zones.Zones
	params map[*zones.Func]*param // per run closure
}

// param is the closure's RunContext parameter as a fix refers to it.
type param struct {
	name  string
	obj   *types.Var          // nil when the fix names it
	edits []analysis.TextEdit // naming a blank or unnamed parameter
	typ   types.Type
	ok    bool
}

func newFixer(pass *analysis.Pass, z *zones.Zones) *fixer {
	return &fixer{pass: pass, z: z, params: make(map[*zones.Func]*param)}
}

// closure returns the innermost run closure around cur that receives a
// RunContext, and that parameter's field.
func (fx *fixer) closure(cur inspector.Cursor) (*zones.Func, *ast.Field) {
	for g := fx.z.Enclosing(cur); g != nil && g.Kind == zones.Run; g = g.Parent {
		if _, ok := g.Node.(*ast.FuncLit); !ok || g.Type.Params == nil || len(g.Type.Params.List) != 1 {
			continue
		}
		field := g.Type.Params.List[0]
		if len(field.Names) <= 1 && sdk.IsRunContext(fx.pass.TypesInfo.TypeOf(field.Type)) {
			return g, field
		}
	}
	return nil, nil
}

// asContext reports whether the expression at cur is used where the
// closure's RunContext would do as well: as an argument to a parameter of
// an interface type (with methods) that RunContext implements, as the
// receiver of a RunContext method, or assigned to such an interface.
func (fx *fixer) asContext(cur inspector.Cursor) bool {
	g, field := fx.closure(cur)
	if g == nil {
		return false
	}
	info := fx.pass.TypesInfo
	runCtx := info.TypeOf(field.Type)
	fits := func(t types.Type) bool {
		if t == nil {
			return false
		}
		if _, isParam := types.Unalias(t).(*types.TypeParam); isParam {
			return false
		}
		iface, ok := t.Underlying().(*types.Interface)
		return ok && iface.NumMethods() > 0 && !sdk.IsHandlerContext(t) && types.Implements(runCtx, iface)
	}
	k, idx := cur.ParentEdge()
	switch p := cur.Parent().Node().(type) {
	case *ast.CallExpr:
		if k != edge.CallExpr_Args {
			return false
		}
		if tv, ok := info.Types[p.Fun]; ok && tv.IsType() {
			return fits(tv.Type)
		}
		sig, ok := types.Unalias(info.TypeOf(p.Fun)).(*types.Signature)
		if !ok {
			return false
		}
		if fn := sdk.Callee(info, p); fn != nil {
			if t, ok := paramType(fn.Signature(), idx, p); !ok || isTypeParam(t) {
				return false // a type parameter would be inferred differently
			}
		}
		t, ok := paramType(sig, idx, p)
		return ok && fits(t)
	case *ast.SelectorExpr:
		if k != edge.SelectorExpr_X {
			return false
		}
		if s, ok := info.Selections[p]; !ok || s.Kind() != types.MethodVal {
			return false
		}
		obj, _, _ := types.LookupFieldOrMethod(runCtx, false, fx.pass.Pkg, p.Sel.Name)
		_, isFunc := obj.(*types.Func)
		return isFunc
	case *ast.AssignStmt:
		if k != edge.AssignStmt_Rhs || len(p.Lhs) != len(p.Rhs) || p.Tok != token.ASSIGN {
			return false
		}
		return fits(info.TypeOf(p.Lhs[idx]))
	case *ast.ValueSpec:
		if k != edge.ValueSpec_Values || p.Type == nil {
			return false
		}
		return fits(info.TypeOf(p.Type))
	}
	return false
}

// paramType returns the type of the parameter argument idx of call binds.
func paramType(sig *types.Signature, idx int, call *ast.CallExpr) (types.Type, bool) {
	n := sig.Params().Len()
	switch {
	case sig.Variadic() && idx >= n-1:
		if call.Ellipsis.IsValid() {
			return nil, false
		}
		s, ok := sig.Params().At(n - 1).Type().Underlying().(*types.Slice)
		if !ok {
			return nil, false
		}
		return s.Elem(), true
	case idx < n:
		return sig.Params().At(idx).Type(), true
	}
	return nil, false
}

func isTypeParam(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.TypeParam)
	return ok
}

// fix returns the edits replacing expr (at cur) with the closure's
// RunContext parameter, naming the parameter if needed; nil if the
// parameter's name would not resolve to it at expr.
func (fx *fixer) fix(cur inspector.Cursor, expr ast.Expr) []analysis.TextEdit {
	g, field := fx.closure(cur)
	if g == nil {
		return nil
	}
	p := fx.param(g, field)
	if !p.ok {
		return nil
	}
	scope := fx.pass.Pkg.Scope().Innermost(expr.Pos())
	if scope == nil {
		return nil
	}
	if _, obj := scope.LookupParent(p.name, expr.Pos()); obj != types.Object(p.obj) && (p.obj != nil || obj != nil) {
		return nil // shadowed
	}
	edits := append([]analysis.TextEdit(nil), p.edits...)
	return append(edits, analysis.TextEdit{Pos: expr.Pos(), End: expr.End(), NewText: []byte(p.name)})
}

// param returns how fixes in the run closure g refer to its RunContext.
func (fx *fixer) param(g *zones.Func, field *ast.Field) *param {
	if p, ok := fx.params[g]; ok {
		return p
	}
	p := &param{}
	fx.params[g] = p
	if len(field.Names) == 1 && field.Names[0].Name != "_" {
		v, ok := fx.pass.TypesInfo.Defs[field.Names[0]].(*types.Var)
		p.name, p.obj, p.ok = field.Names[0].Name, v, ok
		return p
	}
	file := fixes.FileOf(fx.pass, field.Pos())
	if file == nil {
		return p
	}
	p.name = "runCtx"
	for i := 2; mentions(g.Node, p.name) || file.Taken(p.name, g.Body.Pos()); i++ {
		p.name = "runCtx" + strconv.Itoa(i)
	}
	if len(field.Names) == 1 { // func(_ restate.RunContext)
		p.edits = []analysis.TextEdit{{Pos: field.Names[0].Pos(), End: field.Names[0].End(), NewText: []byte(p.name)}}
	} else { // func(restate.RunContext)
		p.edits = []analysis.TextEdit{{Pos: field.Type.Pos(), End: field.Type.Pos(), NewText: []byte(p.name + " ")}}
	}
	p.ok = true
	return p
}

// mentions reports whether an identifier spelled name occurs in n.
func mentions(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}
