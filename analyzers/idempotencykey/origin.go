package idempotencykey

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
	"github.com/restatelint/restatelint/analyzers/reach"
)

// varyingRules are the rules whose sinks give a different value on every
// execution.
var varyingRules = []string{"walltime", "randomness"}

// source is where a key gets a value that differs per execution.
type source struct {
	what string    // "uuid.NewString", "newKey → uuid.NewString"
	pos  token.Pos // the expression in the key's own function that brings it in
}

// origin is what a key expression is built from.
type origin struct {
	consts   int  // constant leaves
	other    bool // leaves that are not constants (parameters, fields, calls...)
	sources  []source
	counter  *types.Var // a package-level counter the key uses
	constVal string     // the key's value when the key expression itself is a constant
}

// constant reports whether every leaf of the key is a constant.
func (o *origin) constant() bool {
	return o.consts > 0 && !o.other && o.counter == nil && len(o.sources) == 0
}

// tracer follows a key expression back through local variables and the
// returns of this package's functions.
type tracer struct {
	ck       *checker
	o        *origin
	seenVars map[*types.Var]bool
	seenFns  map[*types.Func]bool
	inRun    bool // the key is used inside a run zone
}

// maxDepth bounds the descent into functions the key comes from.
const maxDepth = 4

func (ck *checker) originOf(c inspector.Cursor, key ast.Expr) *origin {
	o := &origin{}
	if tv, ok := ck.pass.TypesInfo.Types[key]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		o.constVal = constant.StringVal(tv.Value)
	}
	f := ck.zones.Enclosing(c)
	t := &tracer{ck: ck, o: o, seenVars: map[*types.Var]bool{}, seenFns: map[*types.Func]bool{}, inRun: f != nil && f.Kind == zones.Run}
	t.expr(outermost(c), key, token.NoPos, 0)
	return o
}

// posOf is where a source found at n is recorded: n itself in the key's
// own function (depth 0), else the call there that led to it (anchor).
func posOf(n ast.Node, anchor token.Pos, depth int) token.Pos {
	if depth == 0 {
		return n.Pos()
	}
	return anchor
}

// expr traces e, found in the function at root.
func (t *tracer) expr(root inspector.Cursor, e ast.Expr, anchor token.Pos, depth int) {
	info := t.ck.pass.TypesInfo
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		t.o.consts++
		return
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		t.ident(root, e, anchor, depth)
	case *ast.BinaryExpr:
		t.expr(root, e.X, anchor, depth)
		t.expr(root, e.Y, anchor, depth)
	case *ast.UnaryExpr:
		t.expr(root, e.X, anchor, depth)
	case *ast.StarExpr:
		t.expr(root, e.X, anchor, depth)
	case *ast.SliceExpr:
		t.expr(root, e.X, anchor, depth)
	case *ast.IndexExpr:
		t.expr(root, e.X, anchor, depth)
		t.expr(root, e.Index, anchor, depth)
	case *ast.CompositeLit:
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			t.expr(root, elt, anchor, depth)
		}
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[e]; ok {
			if isAttemptHeaders(sel) {
				t.o.sources = append(t.o.sources, source{what: "ctx.Request().AttemptHeaders", pos: posOf(e, anchor, depth)})
				return
			}
			t.o.other = true // a field or method value: the request, a struct...
			t.expr(root, e.X, anchor, depth)
			return
		}
		t.ident(root, e.Sel, anchor, depth) // pkg.Var
	case *ast.CallExpr:
		t.call(root, e, anchor, depth)
	default:
		t.o.other = true
	}
}

// ident traces a variable: a package-level counter, or a local variable
// through the values assigned to it.
func (t *tracer) ident(root inspector.Cursor, id *ast.Ident, anchor token.Pos, depth int) {
	v, ok := t.ck.pass.TypesInfo.Uses[id].(*types.Var)
	switch {
	case !ok:
		t.o.other = true
		return
	case v.Pkg() != nil && v.Parent() == v.Pkg().Scope():
		if t.ck.isCounter(v) {
			t.o.counter = v
		}
		t.o.other = true
		return
	case t.seenVars[v]:
		return
	case v.IsField() || isParam(root, v):
		t.o.other = true
		return
	}
	t.seenVars[v] = true
	writes := t.ck.assignments(root, v)
	if len(writes) == 0 {
		t.o.other = true
	}
	for _, w := range writes {
		if !t.inRun {
			if f := t.ck.zones.Enclosing(w.at); f != nil && f.Kind == zones.Run {
				continue // written inside a Run closure: runcapture's finding
			}
		}
		if w.rhs == nil {
			t.o.other = true // x++, &x, a range variable, an element of a multi-value call
			continue
		}
		t.expr(root, w.rhs, anchor, depth)
	}
}

// call traces a call: a sink of a varying rule, a function that reaches
// one, this package's function (through its returns), a conversion or a
// pure formatting function (through its arguments).
func (t *tracer) call(root inspector.Cursor, call *ast.CallExpr, anchor token.Pos, depth int) {
	info := t.ck.pass.TypesInfo
	here := posOf(call, anchor, depth)
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		for _, a := range call.Args {
			t.expr(root, a, anchor, depth)
		}
		return
	}
	obj := typeutil.Callee(info, call)
	if s := sinks.Lookup(obj); s != nil && isVarying(s.Rule) {
		sel, _ := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if s.Holds(info, sel, call) {
			t.o.sources = append(t.o.sources, source{what: sinks.Display(obj), pos: here})
			return
		}
	}
	fn, _ := obj.(*types.Func)
	switch {
	case fn == nil:
		t.o.other = true
	case pure(fn):
	default:
		fn = fn.Origin()
		if decl := t.ck.zones.Declared(fn); decl != nil && decl.Body != nil && depth < maxDepth {
			if !t.seenFns[fn] {
				t.seenFns[fn] = true
				t.returns(decl, here, depth+1)
			}
			break
		}
		t.o.other = true
		if sum := t.ck.reach.Reaches(fn); sum != nil {
			for _, rule := range varyingRules {
				if e, ok := sum.Get(rule); ok {
					e.Chain = append([]reach.Step{reach.StepOf(fn)}, e.Chain...)
					t.o.sources = append(t.o.sources, source{what: t.ck.reach.Render(e), pos: here})
					return
				}
			}
		}
	}
	// The receiver and the arguments flow into the result: uuid.New().String(),
	// fmt.Sprintf("%d", seq), strconv.Itoa(n).
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if _, isMethod := info.Selections[sel]; isMethod {
			t.expr(root, sel.X, anchor, depth)
		}
	}
	for _, a := range call.Args {
		t.expr(root, a, anchor, depth)
	}
}

// returns traces the first result of a function of this package.
func (t *tracer) returns(decl *zones.Func, anchor token.Pos, depth int) {
	found := false
	for c := range decl.Cursor.Preorder((*ast.ReturnStmt)(nil)) {
		ret := c.Node().(*ast.ReturnStmt)
		if t.ck.zones.Enclosing(c) != decl || len(ret.Results) == 0 {
			continue
		}
		found = true
		t.expr(decl.Cursor, ret.Results[0], anchor, depth)
	}
	if !found {
		t.o.other = true
	}
}

func isVarying(rule string) bool { return slices.Contains(varyingRules, rule) }

// pure reports whether fn's result is only a function of its arguments
// (formatting and conversions): a key built with it is constant when its
// arguments are.
func pure(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "strconv", "strings":
		return true
	case "fmt":
		return fn.Name() == "Sprintf" || fn.Name() == "Sprint" || fn.Name() == "Sprintln"
	}
	return false
}

// isAttemptHeaders reports whether sel selects Request.AttemptHeaders of
// the SDK, which differ on every attempt.
func isAttemptHeaders(sel *types.Selection) bool {
	f := sel.Obj()
	return sel.Kind() == types.FieldVal && f.Name() == "AttemptHeaders" && f.Pkg() != nil && sdk.InSDK(f.Pkg().Path())
}

// outermost returns the outermost function declaration or literal
// enclosing c (local variables may be captured by nested literals), or
// the root for package-level code.
func outermost(c inspector.Cursor) inspector.Cursor {
	root := c
	for f := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		root = f
	}
	return root
}

// isParam reports whether v is a parameter, result or receiver of a
// function in root.
func isParam(root inspector.Cursor, v *types.Var) bool {
	for c := range root.Preorder((*ast.FuncType)(nil), (*ast.FieldList)(nil)) {
		n := c.Node()
		if _, ok := n.(*ast.FieldList); ok {
			if k, _ := c.ParentEdge(); k != edge.FuncDecl_Recv {
				continue
			}
		}
		if n.Pos() <= v.Pos() && v.Pos() < n.End() {
			return true
		}
	}
	return false
}

// write is one place where a local variable gets a value.
type write struct {
	at  inspector.Cursor // the identifier written
	rhs ast.Expr         // the value; nil when unknown
}

// assignments returns the writes to the local variable v in root, in
// source order: the right-hand side of each definition and assignment;
// nil for a write whose value is unknown (x++, x op= y, &x taken, a range
// variable, an element of a multi-value call).
func (ck *checker) assignments(root inspector.Cursor, v *types.Var) []write {
	info := ck.pass.TypesInfo
	var out []write
	for c := range root.Preorder((*ast.Ident)(nil)) {
		id := c.Node().(*ast.Ident)
		if info.ObjectOf(id) != v {
			continue
		}
		k, idx := c.ParentEdge()
		switch k {
		case edge.AssignStmt_Lhs:
			a := c.Parent().Node().(*ast.AssignStmt)
			var rhs ast.Expr
			if (a.Tok == token.ASSIGN || a.Tok == token.DEFINE) && len(a.Lhs) == len(a.Rhs) {
				rhs = a.Rhs[idx]
			}
			out = append(out, write{c, rhs})
		case edge.ValueSpec_Names:
			vs := c.Parent().Node().(*ast.ValueSpec)
			switch {
			case len(vs.Values) == 0: // var x T: the zero value, overwritten later
			case len(vs.Names) == len(vs.Values):
				out = append(out, write{c, vs.Values[idx]})
			default:
				out = append(out, write{c, nil})
			}
		case edge.RangeStmt_Key, edge.RangeStmt_Value, edge.IncDecStmt_X:
			out = append(out, write{c, nil})
		case edge.UnaryExpr_X:
			if c.Parent().Node().(*ast.UnaryExpr).Op == token.AND {
				out = append(out, write{c, nil})
			}
		}
	}
	return out
}
