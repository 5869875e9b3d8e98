package flow

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// helperResult is what a helper does with a value passed to it.
type helperResult int

const (
	helperUnknown  helperResult = iota // not a helper of the package, or it uses the value otherwise
	helperObserved                     // only logs, measures or traces it, or ignores it
	helperRecorded                     // keeps it in the callee's receiver (record.go), perhaps also observing it
	helperReturns                      // returns it (perhaps also observing it)
)

// helper follows the value passed as argument idx of call into the body
// of the callee, when that is a function or method declared in this
// package (a project's observeLatency(d), logf(format, args...)). Its
// uses there decide: only observed, returned (the call's result carries
// the value on), or anything else (the argument is an Other use of the
// caller's value; the helper's own lines are not recorded).
func (t *tracer) helper(call *ast.CallExpr, idx int, path []string, u *Uses, depth int) helperResult {
	if t.decls == nil || depth >= maxHelperDepth {
		return helperUnknown
	}
	fn := typeutil.StaticCallee(t.info, call)
	if fn == nil {
		return helperUnknown
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := t.info.Selections[sel]; ok && s.Kind() == types.MethodExpr {
			return helperUnknown // T.Method(recv, args...): arguments shifted by the receiver
		}
	}
	fn = fn.Origin()
	decl := t.decls(fn)
	if !decl.Valid() {
		return helperUnknown
	}
	params := fn.Signature().Params()
	var param *types.Var
	switch {
	case fn.Signature().Variadic() && idx >= params.Len()-1:
		param = params.At(params.Len() - 1)
		if !call.Ellipsis.IsValid() {
			path = prepend("[]", path) // one element of the variadic slice
		}
	case idx < params.Len():
		param = params.At(idx)
	default:
		return helperUnknown
	}
	if param.Name() == "" || param.Name() == "_" {
		return helperObserved // the helper never reads it
	}
	k := seenKey{param, pathKey(path)}
	if r, ok := t.helpers[k]; ok {
		if r.observed {
			u.Observed = true
		}
		return r.result // the first call's answer; helperObserved while a recursive helper is followed
	}
	if t.helpers == nil {
		t.helpers = make(map[seenKey]helperAnswer)
	}
	t.helpers[k] = helperAnswer{result: helperObserved}
	var in Uses
	recorded := t.recorded
	pop := t.pushRecorder(fn)
	t.followReads(decl, param, path, &in, depth+1)
	pop()
	a := helperAnswer{result: helperObserved, observed: in.Observed}
	switch {
	case len(in.Other) > 0:
		a = helperAnswer{result: helperUnknown}
	case len(in.Returns) > 0:
		a = helperAnswer{result: helperReturns}
	case t.recorded > recorded:
		a.result = helperRecorded
	}
	t.helpers[k] = a
	if a.observed {
		u.Observed = true
	}
	return a.result
}

// helperAnswer is what following a helper's parameter found, kept so that
// every call of the helper gets the same answer.
type helperAnswer struct {
	result   helperResult
	observed bool
}
