package reach

import (
	"go/types"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// recorder reports whether fn, a function or method of another package,
// can only keep what it is given (flow.Env.Recorder): a metrics
// collector of a library or of the project's other packages
// (rea.MetricsCollector.RecordInvocation(name, op, d, err)). It is inert
// (no SDK, no sink, no context, reaches nothing), returns nothing, is not
// of the standard library (its tables describe it), and its receiver
// holds no handler context. Nothing it does can give the value back to
// the handler or put it in the journal; what it keeps is in-memory
// state, memstate's concern. Flow checks the call's arguments.
func (w *walker) recorder(fn *types.Func) bool {
	sig := fn.Signature()
	if sig.Results().Len() > 0 || w.isStd(fn) {
		return false
	}
	if recv := sig.Recv(); recv != nil {
		if _, ok := recv.Type().Underlying().(*types.Interface); ok || sdk.HoldsHandlerContext(recv.Type()) {
			return false // an interface's method runs code nobody sees here
		}
	}
	_, ok := w.inert(fn)
	return ok
}
