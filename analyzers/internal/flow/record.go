package flow

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// A recorder is a method that keeps what it is given in its own
// receiver: a project's metrics collector appending a duration to one of
// its maps, a tracer appending a span to its list. Inside a helper
// followed from the caller (helper.go), a value stored into memory
// reached from the helper's receiver is recorded there, like a value
// given to a Prometheus histogram: it changes no journal entry. What the
// receiver keeps is in-memory state, which memstate judges; reading it
// back (a getter's result) is not the value flow follows. The receiver of
// a type that holds a handler context is not a recorder: its methods are
// handler code.

// pushRecorder makes fn's receiver, if fn is a method whose receiver
// holds no handler context, a recorder while fn's body is followed; the
// returned func undoes it.
func (t *tracer) pushRecorder(fn *types.Func) func() {
	recv := fn.Signature().Recv()
	if recv == nil || sdk.HoldsHandlerContext(recv.Type()) {
		return func() {}
	}
	t.recorders = append(t.recorders, recv)
	return func() { t.recorders = t.recorders[:len(t.recorders)-1] }
}

// records reports whether an assignment to lhs stores into memory of a
// recorder: lhs is a field, element or pointee reached from a receiver
// pushed by pushRecorder (mc.Durations[key] = append(...), tc.spans =
// append(tc.spans, span)).
func (t *tracer) records(lhs ast.Expr) bool {
	if len(t.recorders) == 0 {
		return false
	}
	e := lhs
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.SelectorExpr:
			if _, ok := fieldSteps(t.info, x); !ok {
				return false
			}
			e = x.X
		case *ast.Ident:
			v, _ := t.info.Uses[x].(*types.Var)
			for _, r := range t.recorders {
				if v != nil && v == r {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
}

// hook reports whether call invokes a callback kept in a struct field
// (hooks.OnInvocationEnd(name, out, err, duration)) that returns nothing
// and is given no handler context: whatever it does with its arguments,
// it cannot put them in this invocation's journal, and it gives nothing
// back to the handler. A callback held in a local or parameter may be a
// closure over the handler context, and is not one.
func (t *tracer) hook(call *ast.CallExpr) bool {
	v, ok := typeutil.Callee(t.info, call).(*types.Var)
	if !ok || !v.IsField() {
		return false
	}
	sig, ok := v.Type().Underlying().(*types.Signature)
	if !ok || sig.Results().Len() > 0 {
		return false
	}
	for _, arg := range call.Args {
		if sdk.HoldsHandlerContext(t.info.TypeOf(arg)) {
			return false
		}
	}
	return true
}
