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
	sig := fn.Signature()
	if sig.Recv() != nil {
		return false
	}
	seen, ok := w.inert(fn)
	if !ok {
		return false
	}
	results := false
	for i := range sig.Results().Len() {
		if !isError(sig.Results().At(i).Type()) {
			results = true
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

// inert reports whether fn, a function of another package, can act on
// nothing beyond its arguments as far as anyone can tell: it is not part
// of the SDK, no sink row names it, it takes no context, and, when its
// package was analyzed from source (seen), its summary reaches nothing.
// passThrough and recorder add what each needs of its signature.
func (w *walker) inert(fn *types.Func) (seen, ok bool) {
	pkg := fn.Pkg()
	if pkg == nil || pkg == w.pass.Pkg || sdk.InSDK(pkg.Path()) || sinks.LookupIn(w.settings, fn) != nil {
		return false, false
	}
	sig := fn.Signature()
	for i := range sig.Params().Len() {
		t := sig.Params().At(i).Type()
		if sinks.IsContext(t) || sdk.IsHandlerContext(t) || sdk.IsRunContext(t) {
			return false, false
		}
	}
	seen = !w.isStd(fn) && w.seen(pkg)
	if seen {
		if sum := w.importedSummary(fn); sum != nil && len(sum.Effects) > 0 {
			return seen, false
		}
	}
	return seen, true
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
