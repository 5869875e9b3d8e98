package flow

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/inspector"
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
	root, _, ok := t.memory(lhs)
	return ok && slices.Contains(t.recorders, root)
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

// opaqueRecorder reports whether call, whose argument idx is the value,
// is a recorder flow cannot look into (Env.Recorder: another package's
// collector, a library's): it returns nothing, is given no handler
// context, and its other arguments are plain values or errors, so it
// can only keep the value in its own memory.
func (t *tracer) opaqueRecorder(call *ast.CallExpr, idx int) bool {
	if t.recorder == nil {
		return false
	}
	fn := typeutil.StaticCallee(t.info, call)
	if fn == nil || fn.Signature().Results().Len() > 0 || !t.recorder(fn.Origin()) {
		return false
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := t.info.Selections[sel]; ok && s.Kind() == types.MethodExpr {
			return false // T.Method(recv, args...)
		}
		if sdk.HoldsHandlerContext(t.info.TypeOf(sel.X)) {
			return false
		}
	}
	for i, arg := range call.Args {
		at := t.info.TypeOf(arg)
		if sdk.HoldsHandlerContext(at) {
			return false
		}
		if i != idx && mayPoint(at) && !isError(at) {
			return false // the callee could write the value there
		}
	}
	return true
}

// recordedBy records that the call at c keeps the value in its
// receiver's memory. Whose memory that is decides: a collector reached
// from the function's own receiver (the service's s.metrics), a
// package-level variable or a call's result keeps it apart from this
// invocation's data, like a Prometheus histogram; a local or parameter
// (o.Touch(now) on the order the handler then stores) holds the value
// from then on, and its reads are followed.
func (t *tracer) recordedBy(c inspector.Cursor, u *Uses, depth int) {
	u.Observed = true
	sel, ok := ast.Unparen(c.Node().(*ast.CallExpr).Fun).(*ast.SelectorExpr)
	if !ok {
		return // a function: its package's memory
	}
	if s, ok := t.info.Selections[sel]; !ok || s.Kind() != types.MethodVal {
		return // a package-qualified function
	}
	root, _, ok := t.memory(sel.X)
	if !ok {
		return
	}
	scope := outermost(c)
	if sig := enclosingSig(t.info, scope); sig != nil && sig.Recv() == root {
		return
	}
	stmt := enclosingStmt(c)
	if !stmt.Valid() {
		u.Other = append(u.Other, c)
		return
	}
	t.followVar(stmt, root, nil, u, depth)
}

// isError reports whether t is an error interface: error itself, or
// one embedding it (the SDK's restate.TerminalError).
func isError(t types.Type) bool {
	if t == nil || !types.IsInterface(t) {
		return false
	}
	return types.Implements(t, types.Universe.Lookup("error").Type().Underlying().(*types.Interface))
}
