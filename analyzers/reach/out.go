package reach

import (
	"github.com/restatelint/restatelint/analyzers/internal/flow"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// A reading that only reaches a function's results (ResultOnly) may also
// leave through memory the function's arguments or receiver point to
// (Effect.OutArgs, OutRecv): a helper stamping o.UpdatedAt, a tracer's
// EndSpan setting span.EndTime. A caller then follows, after the call,
// the memory it passed in as it follows the call's result (settle);
// where that memory is one of its own parameters', the effect stays
// ResultOnly with the caller's own Out bits, up to the handler, which
// decides with what it does with them (walltime's return-only rule).

type callUsesKey struct {
	site       *Site
	args, recv bool
}

// callUses returns the uses of the value of the call at site: its result,
// and the memory its arguments (args) or receiver (recv) point to after
// the call.
func (w *walker) callUses(site *Site, args, recv bool) *flow.Uses {
	k := callUsesKey{site, args, recv}
	if u, ok := w.callMemo[k]; ok {
		return u
	}
	u := flow.OfIn(w.pass.TypesInfo, site.Expr, w.flowEnv())
	if args || recv {
		u.Add(flow.AfterCall(w.pass.TypesInfo, site.Expr, w.flowEnv(), args, recv))
	}
	if w.callMemo == nil {
		w.callMemo = make(map[callUsesKey]*flow.Uses)
	}
	w.callMemo[k] = &u
	return &u
}

// settle returns e, an effect of the call at site lifted into own, as own
// sees it: ResultOnly only if the call's value only reaches own's results
// or the memory of own's parameters, and with own's Out bits.
func (w *walker) settle(own *zones.Func, site *Site, e Effect) Effect {
	if !e.ResultOnly {
		return e
	}
	if own == nil || site.Func != own || site.Call == nil {
		e.ResultOnly, e.OutArgs, e.OutRecv = false, false, false
		return e
	}
	u := w.callUses(site, e.OutArgs, e.OutRecv)
	if site.Uses == nil {
		site.Uses = u
	}
	e.ResultOnly = w.onlyResults(own, u)
	e.OutArgs, e.OutRecv = e.ResultOnly && outArgs(u), e.ResultOnly && outRecv(u)
	return e
}

func outArgs(u *flow.Uses) bool {
	for _, o := range u.Out {
		if !o.Recv {
			return true
		}
	}
	return false
}

func outRecv(u *flow.Uses) bool {
	for _, o := range u.Out {
		if o.Recv {
			return true
		}
	}
	return false
}
