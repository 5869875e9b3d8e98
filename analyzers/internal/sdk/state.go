package sdk

import (
	"go/ast"
	"go/types"
)

// StateCall is a call of restate.Get, Set or Clear: the state operations
// that name one key.
type StateCall struct {
	Func  string   // "Get", "Set" or "Clear"
	Ctx   ast.Expr // the context argument
	Key   ast.Expr // the key argument
	Value ast.Expr // Set's value; nil otherwise
}

// State reports whether call is restate.Get, Set or Clear (any SDK
// version: all three are generic package functions since v0.12).
func State(info *types.Info, call *ast.CallExpr) (StateCall, bool) {
	fn := Callee(info, call)
	if !IsFunc(fn, "Get", "Set", "Clear") || len(call.Args) < 2 {
		return StateCall{}, false
	}
	sc := StateCall{Func: fn.Name(), Ctx: call.Args[0], Key: call.Args[1]}
	if sc.Func == "Set" {
		if len(call.Args) < 3 {
			return StateCall{}, false
		}
		sc.Value = call.Args[2]
	}
	return sc, true
}

// IsRequest reports whether t is the SDK's Request (or a pointer to it):
// what ctx.Request() returns.
func IsRequest(t types.Type) bool {
	if t == nil {
		return false
	}
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Name() == "Request" && n.Obj().Pkg() != nil && InSDK(n.Obj().Pkg().Path())
}

// RequestField returns the field name when e selects a field of the SDK's
// Request (ctx.Request().IdempotencyKey, req.Headers, ...).
func RequestField(info *types.Info, e ast.Expr) (string, bool) {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || !IsRequest(info.TypeOf(sel.X)) {
		return "", false
	}
	if s, ok := info.Selections[sel]; !ok || s.Kind() != types.FieldVal {
		return "", false
	}
	return sel.Sel.Name, true
}

// IsRandGenerator reports whether call is restate.Rand or
// restate.RandSource: calls that hand out a generator drawing from the
// invocation's deterministic random source (restate.UUID hands out a
// value).
func IsRandGenerator(info *types.Info, call *ast.CallExpr) bool {
	return IsFunc(Callee(info, call), "Rand", "RandSource")
}
