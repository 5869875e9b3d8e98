package reach

import (
	"go/types"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/sinks"
)

// recorder reports whether fn, a function or method of another package,
// can only keep what it is given (flow.Env.Recorder): a metrics
// collector of a library or of the project's other packages
// (rea.MetricsCollector.RecordInvocation(name, op, d, err)). It returns
// nothing, takes no context, is no sink of any rule nor part of the
// SDK, its receiver holds no handler context, and, when its package was
// analyzed from source, it reaches nothing. Nothing it does can give the
// value back to the handler or put it in the journal; what it keeps is
// in-memory state, memstate's concern. Flow checks the call's arguments.
func (w *walker) recorder(fn *types.Func) bool {
	pkg := fn.Pkg()
	sig := fn.Signature()
	if pkg == nil || pkg == w.pass.Pkg || sdk.InSDK(pkg.Path()) || sig.Results().Len() > 0 {
		return false
	}
	if recv := sig.Recv(); recv != nil {
		if _, ok := recv.Type().Underlying().(*types.Interface); ok || sdk.HoldsHandlerContext(recv.Type()) {
			return false // an interface's method runs code nobody sees here
		}
	}
	if sinks.LookupIn(w.settings, fn) != nil {
		return false
	}
	for i := range sig.Params().Len() {
		t := sig.Params().At(i).Type()
		if sinks.IsContext(t) || sdk.IsHandlerContext(t) || sdk.IsRunContext(t) {
			return false
		}
	}
	if !w.isStd(fn) && w.seen(pkg) {
		if sum := w.importedSummary(fn); sum != nil && len(sum.Effects) > 0 {
			return false
		}
	}
	return !w.isStd(fn)
}
