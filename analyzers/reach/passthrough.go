package reach

import (
	"go/types"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/sinks"
)

// passThrough reports whether a call of fn, a function of another package,
// only computes its results from its arguments, so that a value passed in
// goes on in the results (flow.Env.PassThrough): a constructor or encoder
// of a library (jwt.NewNumericDate(now), jwt.NewWithClaims(m, claims),
// json.Marshal(v)). That is presumed of a package-level function (a
// method may keep its argument in its receiver) that takes no context
// (a database, HTTP or RPC client does), returns something besides an
// error (or is the project's own error wrapper, below), is not a sink of
// any rule nor part of the SDK, and, when its package was analyzed from
// source, reaches nothing.
func (w *walker) passThrough(fn *types.Func) bool {
	pkg := fn.Pkg()
	sig := fn.Signature()
	if pkg == nil || pkg == w.pass.Pkg || sig.Recv() != nil || sdk.InSDK(pkg.Path()) {
		return false
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
	results := false
	for i := range sig.Results().Len() {
		if !isError(sig.Results().At(i).Type()) {
			results = true
		}
	}
	seen := !w.isStd(fn) && w.seen(pkg)
	if seen {
		if sum := w.importedSummary(fn); sum != nil && len(sum.Effects) > 0 {
			return false
		}
	}
	if !results {
		// Only an error: the project's own wrapper of an error
		// (shopnexus' sharedmodel.WrapErr(msg, err)), analyzed and taking
		// nothing it could write the value into; a library's (a
		// validator, binary.Write into a buffer) may have kept it.
		return seen && plainParams(sig)
	}
	return true
}

// plainParams reports whether every parameter of sig is a basic value or
// an error: nothing a value could be written into.
func plainParams(sig *types.Signature) bool {
	for i := range sig.Params().Len() {
		t := sig.Params().At(i).Type()
		if _, basic := t.Underlying().(*types.Basic); !basic && !isError(t) {
			return false
		}
	}
	return true
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}
