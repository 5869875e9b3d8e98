package deadlock

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// clientFuncs build a client of another handler, named by string
// arguments: restate.Service(ctx, service, handler),
// restate.Object(ctx, service, key, handler),
// restate.Workflow(ctx, service, workflowID, handler).
var clientFuncs = map[string]Kind{"Service": Service, "Object": Object, "Workflow": Workflow}

// target is the handler a client expression names.
type target struct {
	service, handler string
	kind             Kind
	sameKey          bool
}

// callFinder finds the awaited request-response calls in function bodies.
type callFinder struct {
	info    *types.Info
	targets map[*types.Func]*target // functions returning a client (generated clients)
	// imported returns another package's function's ClientOf fact.
	imported func(*types.Func) *target
	// assigned maps a local variable to the expressions assigned to it.
	assigned map[*types.Var][]ast.Expr
}

// directCalls returns the awaited calls in f's body, not in nested
// function literals (they are zones.Funcs of their own).
func (cf *callFinder) directCalls(f *zones.Func, fset positioner) []Call {
	var out []Call
	f.Cursor.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.CallExpr)(nil)}, func(c inspector.Cursor) bool {
		if lit, ok := c.Node().(*ast.FuncLit); ok {
			return lit == f.Node
		}
		call := c.Node().(*ast.CallExpr)
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return true
		}
		m := sdk.Callee(cf.info, call)
		if m == nil || m.Pkg() == nil || !sdk.InSDK(m.Pkg().Path()) {
			return true
		}
		var client ast.Expr
		switch m.Name() {
		case "Request":
			client = sel.X
		case "Response":
			// fut.Response() or client.RequestFuture(in).Response()
			client = cf.futureClient(sel.X)
		}
		if client == nil {
			return true
		}
		if t := cf.target(client, 0); t != nil {
			out = append(out, Call{Service: t.service, Handler: t.handler, Kind: t.kind, SameKey: t.sameKey, Pos: fset.position(call)})
		}
		return true
	})
	return out
}

// futureClient returns the client whose RequestFuture produced the
// future expression e, or nil.
func (cf *callFinder) futureClient(e ast.Expr) ast.Expr {
	for range 4 {
		switch x := ast.Unparen(e).(type) {
		case *ast.CallExpr:
			sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
			m := sdk.Callee(cf.info, x)
			if !ok || m == nil || m.Name() != "RequestFuture" || m.Pkg() == nil || !sdk.InSDK(m.Pkg().Path()) {
				return nil
			}
			return sel.X
		case *ast.Ident:
			v, ok := cf.info.Uses[x].(*types.Var)
			if !ok || len(cf.assigned[v]) != 1 {
				return nil
			}
			e = cf.assigned[v][0]
		default:
			return nil
		}
	}
	return nil
}

// target resolves a client expression: an SDK client call with constant
// names, restate.WithRequestType of one, a local variable assigned one
// once, or a generated client (NewCounterClient(ctx, key).Add()).
func (cf *callFinder) target(e ast.Expr, depth int) *target {
	if depth > 4 {
		return nil
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := cf.info.Uses[x].(*types.Var)
		if !ok || len(cf.assigned[v]) != 1 {
			return nil
		}
		return cf.target(cf.assigned[v][0], depth+1)
	case *ast.CallExpr:
		fn := sdk.Callee(cf.info, x)
		if fn == nil {
			return nil
		}
		if sdk.IsFunc(fn, "WithRequestType") && len(x.Args) == 1 {
			return cf.target(x.Args[0], depth+1)
		}
		if kind, ok := clientFuncs[fn.Name()]; ok && sdk.IsFunc(fn, fn.Name()) {
			return cf.clientCall(x, kind)
		}
		t := cf.targets[fn]
		if t == nil && cf.imported != nil && fn.Pkg() != nil {
			t = cf.imported(fn)
		}
		if t != nil {
			// A generated client's method: the key is the constructor's.
			out := *t
			out.sameKey = cf.constructorSameKey(x)
			return &out
		}
	}
	return nil
}

// clientCall reads restate.Service/Object/Workflow's constant names.
func (cf *callFinder) clientCall(call *ast.CallExpr, kind Kind) *target {
	svc, handler := 1, 2
	if kind != Service {
		handler = 3
	}
	if len(call.Args) <= handler {
		return nil
	}
	t := &target{kind: kind}
	var ok bool
	if t.service, ok = cf.constString(call.Args[svc]); !ok {
		return nil
	}
	if t.handler, ok = cf.constString(call.Args[handler]); !ok {
		return nil
	}
	if kind != Service {
		t.sameKey = cf.isOwnKey(call.Args[2], 0)
	}
	return t
}

// constructorSameKey reports whether the receiver chain of a generated
// client's method call starts at a constructor given the own key:
// NewCounterClient(ctx, restate.Key(ctx)).Add().
func (cf *callFinder) constructorSameKey(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	recv := ast.Unparen(sel.X)
	if id, ok := recv.(*ast.Ident); ok {
		if v, ok := cf.info.Uses[id].(*types.Var); ok && len(cf.assigned[v]) == 1 {
			recv = ast.Unparen(cf.assigned[v][0])
		}
	}
	ctor, ok := recv.(*ast.CallExpr)
	if !ok {
		return false
	}
	for _, a := range ctor.Args {
		if cf.isOwnKey(a, 0) {
			return true
		}
	}
	return false
}

// isOwnKey reports whether e is restate.Key(ctx), or a local variable
// assigned only that.
func (cf *callFinder) isOwnKey(e ast.Expr, depth int) bool {
	if depth > 4 {
		return false
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		return sdk.IsFunc(sdk.Callee(cf.info, x), "Key")
	case *ast.Ident:
		v, ok := cf.info.Uses[x].(*types.Var)
		if !ok || len(cf.assigned[v]) != 1 {
			return false
		}
		return cf.isOwnKey(cf.assigned[v][0], depth+1)
	}
	return false
}

func (cf *callFinder) constString(e ast.Expr) (string, bool) {
	tv, ok := cf.info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// assignments maps every local variable of the package to the
// expressions assigned to it (v := e, v = e, var v = e); a variable
// assigned from a multi-value call or in a range gets a nil entry, so it
// never counts as assigned exactly once.
func assignments(in *inspector.Inspector, info *types.Info) map[*types.Var][]ast.Expr {
	out := make(map[*types.Var][]ast.Expr)
	note := func(id *ast.Ident, e ast.Expr) {
		if id == nil {
			return
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		if v, ok := obj.(*types.Var); ok && !v.IsField() && v.Parent() != nil && v.Parent() != v.Pkg().Scope() {
			out[v] = append(out[v], e)
		}
	}
	for c := range in.Root().Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.RangeStmt)(nil)) {
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				id, _ := ast.Unparen(l).(*ast.Ident)
				var rhs ast.Expr
				if len(n.Lhs) == len(n.Rhs) {
					rhs = n.Rhs[i]
				}
				if n.Tok != token.DEFINE && n.Tok != token.ASSIGN {
					rhs = nil // x += ...
				}
				note(id, rhs)
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				var rhs ast.Expr
				if len(n.Names) == len(n.Values) {
					rhs = n.Values[i]
				}
				note(id, rhs)
			}
		case *ast.RangeStmt:
			k, _ := n.Key.(*ast.Ident)
			v, _ := n.Value.(*ast.Ident)
			note(k, nil)
			note(v, nil)
		}
	}
	for v, es := range out {
		for _, e := range es {
			if e == nil {
				out[v] = []ast.Expr{nil, nil} // never "assigned once"
				break
			}
		}
	}
	return out
}
