package reach

import (
	"cmp"
	"go/types"
	"slices"
	"strings"

	"github.com/restatelint/restatelint/analyzers/internal/sinks"
)

// Step is one function of a call chain.
type Step struct {
	Path string // package path
	Pkg  string // package name
	Name string // "chargeCard", "Repo.Save"
}

// Effect is the best-known way a function reaches a sink of one rule.
type Effect struct {
	Rule   string // analyzer name, or OpRule
	Sink   string // "time.Now", "restate.Set"
	Family string // the sink row's family (sinks.Sink.Family), "" if none
	Chain  []Step // functions from the summarized function's callee down to the one calling Sink
	// Recv: the sink writes memory reached from the summarized method's
	// receiver (memstate), shared only when a caller's receiver value is;
	// each call site decides (reach's onReceiver).
	Recv bool

	// ResultOnly: the value the sink returns (a clock reading) only reaches
	// the summarized function's results, through every step of the chain,
	// and so does every other reading of the rule in it: what the caller
	// does with the call's result decides (walltime's return-only quiet).
	ResultOnly bool
	// OutArgs, OutRecv: with ResultOnly, the value also leaves the
	// summarized function through memory its arguments (or its receiver)
	// point to (stamp(&order), span.EndTime = time.Now()): the caller
	// follows that memory after the call too (flow.AfterCall).
	OutArgs, OutRecv bool

	// Via: found in a literal given to an interface method whose
	// implementations were not visible; dropped by the first package that
	// sees them all run it inside a run zone (via.go). Nil: unconditional.
	Via *Via

	from *Site // where, in the summarized function, the chain continues (this package only)
}

// OpRule is the pseudo-rule of Restate operations (state, calls, sends,
// Run, sleeps, random draws): maporder asks whether a loop body reaches
// one; it is never reported by itself.
const OpRule = "restate"

// Summary is what a function does at any depth, one effect per rule. It is
// exported as a fact for every function with effects, so that handlers in
// other packages see what their callees do.
type Summary struct {
	Effects  []Effect  // sorted by Rule
	Dispatch *Dispatch // for a dual-mode function: what it reaches given a handler context
}

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

func (s *Summary) String() string {
	var parts []string
	for _, e := range s.Effects {
		parts = append(parts, e.Rule+": "+render(e, ""))
	}
	return "reach(" + strings.Join(parts, "; ") + ")"
}

// exported is s as a fact: without the in-package sites the effects
// point to, which mean nothing to another package (and would keep its
// syntax alive).
func (s *Summary) exported() *Summary {
	out := &Summary{Effects: slices.Clone(s.Effects), Dispatch: s.Dispatch.exported()}
	for i := range out.Effects {
		out.Effects[i].from = nil
	}
	return out
}

// Get returns the effect for rule, if any.
func (s *Summary) Get(rule string) (Effect, bool) {
	if s == nil {
		return Effect{}, false
	}
	for _, e := range s.Effects {
		if e.Rule == rule {
			return e, true
		}
	}
	return Effect{}, false
}

// better reports whether a is preferred to b: one that is not ResultOnly
// (so a function's effect is ResultOnly only if all its readings are),
// then one that holds whatever receiver the method is called on, then the
// more significant sink
// (sinks.Rank: a database or HTTP call over a path or environment lookup
// met on the way), then a shorter chain, then a stable textual order, so
// results never depend on traversal order.
func better(a, b Effect) bool {
	if a.ResultOnly != b.ResultOnly {
		return !a.ResultOnly // a reading that escapes is the one to report
	}
	if a.Recv != b.Recv {
		return !a.Recv // holds whatever the receiver: it applies at every call
	}
	if ra, rb := sinks.Rank(a.Family), sinks.Rank(b.Family); ra != rb {
		return ra < rb
	}
	if len(a.Chain) != len(b.Chain) {
		return len(a.Chain) < len(b.Chain)
	}
	return render(a, "") < render(b, "")
}

// merge adds e to effects, keeping the better effect per rule and the rule
// order. It reports whether effects changed.
//
// A rule has at most two effects: the best unconditional one, and the best
// conditional one (Via) if it is better than that: a later package may
// drop the conditional one and must still see the other.
func merge(effects *[]Effect, e Effect) bool {
	uncond, cond := -1, -1
	for i, old := range *effects {
		if old.Rule == e.Rule {
			if old.Via == nil {
				uncond = i
			} else {
				cond = i
			}
		}
	}
	if uncond >= 0 && e.Via == nil {
		// Two readings that only reach the results: the call site must
		// follow every way either leaves by.
		if old := &(*effects)[uncond]; old.ResultOnly && e.ResultOnly && (old.OutArgs != e.OutArgs || old.OutRecv != e.OutRecv) {
			e.OutArgs = e.OutArgs || old.OutArgs
			e.OutRecv = e.OutRecv || old.OutRecv
			if !better(e, *old) {
				old.OutArgs, old.OutRecv = e.OutArgs, e.OutRecv
				return true
			}
		}
	}
	if uncond >= 0 && !better(e, (*effects)[uncond]) {
		return false
	}
	mine := uncond
	if e.Via != nil {
		mine = cond
		if cond >= 0 && !better(e, (*effects)[cond]) {
			return false
		}
	}
	if mine >= 0 {
		(*effects)[mine] = e
	} else {
		*effects = append(*effects, e)
	}
	if e.Via == nil && cond >= 0 && !better((*effects)[cond], e) {
		*effects = slices.Delete(*effects, cond, cond+1) // no better than e: it adds nothing
	}
	slices.SortStableFunc(*effects, func(a, b Effect) int {
		if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		switch {
		case better(a, b):
			return -1
		case better(b, a):
			return 1
		}
		return 0
	})
	return true
}

// lift returns e as seen from a caller of callee.
func lift(e Effect, callee Step) Effect {
	chain := make([]Step, 0, len(e.Chain)+1)
	chain = append(chain, callee)
	chain = append(chain, e.Chain...)
	return Effect{Rule: e.Rule, Sink: e.Sink, Family: e.Family, Chain: chain, ResultOnly: e.ResultOnly, OutArgs: e.OutArgs, OutRecv: e.OutRecv, Recv: e.Recv, Via: e.Via}
}

// render prints an effect's chain and sink, "chargeCard → stripe.Charge",
// naming functions of package path here without qualifier.
func render(e Effect, here string) string {
	var sb strings.Builder
	for _, s := range e.Chain {
		if s.Path != here && s.Pkg != "" {
			sb.WriteString(s.Pkg)
			sb.WriteByte('.')
		}
		sb.WriteString(s.Name)
		sb.WriteString(" → ")
	}
	sb.WriteString(e.Sink)
	return sb.String()
}

// StepOf names fn for chains.
func StepOf(fn *types.Func) Step {
	name := fn.Name()
	if r := fn.Signature().Recv(); r != nil {
		t := r.Type()
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			name = n.Obj().Name() + "." + name
		}
	}
	s := Step{Name: name}
	if fn.Pkg() != nil {
		s.Path, s.Pkg = fn.Pkg().Path(), fn.Pkg().Name()
	}
	return s
}
