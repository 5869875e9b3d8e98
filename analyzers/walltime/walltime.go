// Package walltime reports reads of the wall clock and wall-clock timers in
// Restate handlers.
//
// A handler runs again from the top whenever Restate replays its journal
// (after a crash, a retry or a suspension). time.Now returns a different
// value on every execution, so a state write, call payload, idempotency
// key or branch derived from it diverges from what the journal recorded.
// time.Sleep and the time package's timers are not journaled either: a
// sleep restarts on every replay and a timer is lost with the process.
//
// Reported, in handler zones and in code they reach at any depth (the
// latter at the handler's call site, with the call chain): time.Now,
// time.Since, time.Until, time.Sleep, time.After, time.Tick,
// time.NewTimer, time.NewTicker, time.AfterFunc; also a reference to one
// (clock := time.Now). And injected clocks: a call of a func() time.Time
// value (a struct field, parameter or variable: deps.Now(), s.now()) or
// of a Now() time.Time method through an interface (a project's Clock,
// clockwork, benbjohnson/clock), bound to time.Now where the handler
// cannot see it.
//
// Quiet on: restate.Run closures and code reached only from them;
// time.Duration math, time.Unix, time.Date, time.Parse and methods of a
// time.Time; user packages or methods that happen to be named time or Now
// (a concrete Now method is followed like any function; a local bound to
// a literal or a declared function is not an injected clock); a clock
// value whose every use is logging (ctx.Log(), log, log/slog, fmt.Print*,
// common logging libraries), metrics or tracing (Prometheus,
// OpenTelemetry and others, helpers of the same package that only do
// that with it or keep it in their receiver, such as a home-grown metrics
// collector's Record method, callbacks in struct fields that return
// nothing and get no handler context, other packages' functions and
// methods that return nothing and can only keep the value, called on a
// collector the service holds, and package-level variables bound to a
// logging function: var Debug = slog.Debug), or that is discarded; a
// recorder or setter called on a local hands the value to that local,
// which is followed; uses in the body of an `if x.f != nil` on an
// unexported field no code of the package sets do not count; and a clock value that a handler
// only returns, also through fields and elements of a struct it returns
// and through conditions that only choose what is returned, with no
// Restate operation on any path from the reading to the return (the
// output is written once); the same for the result of a call of reached
// code whose every reading only reaches its results (a token signed over
// time.Now claims, a validity check against the clock) or memory its
// arguments point to (stamp(&order), a tracer's EndSpan(span)), followed
// after the call like a result.
//
// Fixes, offered where a named handler context is in scope and the
// enclosing function returns an error:
//
//	now := time.Now()
//	→
//	now, err := restate.Run(ctx, func(ctx restate.RunContext) (time.Time, error) {
//		return time.Now(), nil
//	})
//	if err != nil {
//		return Order{}, err
//	}
//
//	time.Sleep(d)      → if err := restate.Sleep(ctx, d); err != nil { return ..., err }
//	<-time.After(d)    → if err := restate.After(ctx, d).Done(); err != nil { return ..., err }
//
// Suppress one finding with //restatelint:ignore walltime <reason>.
package walltime

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
	"github.com/restatelint/restatelint/analyzers/reach"
)

const name = "walltime"

// Analyzer reports wall-clock reads and timers in Restate handlers.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report wall-clock reads and timers in Restate handlers

time.Now, time.Since, time.Sleep and the time package's timers give a different
result, or none, when Restate replays a handler. Read the clock inside
restate.Run and wait with restate.Sleep / restate.After.`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/walltime.md",
	Requires:         []*analysis.Analyzer{reach.Analyzer, zones.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

// remedy says, per sink, what goes wrong and what to do instead.
var remedy = map[string]string{
	"time.Now":       "returns a different time when the handler is replayed; read the clock inside restate.Run so the value is journaled",
	"time.Since":     "measures a different duration when the handler is replayed; compute it inside restate.Run so the value is journaled",
	"time.Until":     "measures a different duration when the handler is replayed; compute it inside restate.Run so the value is journaled",
	"time.Sleep":     "is not journaled, so the wait starts over on every replay and holds the invocation; use restate.Sleep(ctx, d)",
	"time.After":     "is a timer that is not journaled and is lost on replay; use restate.After(ctx, d)",
	"time.Tick":      "is a ticker that is not journaled and is lost on replay; use restate.Sleep or restate.After",
	"time.NewTimer":  "is a timer that is not journaled and is lost on replay; use restate.After(ctx, d)",
	"time.NewTicker": "is a ticker that is not journaled and is lost on replay; use restate.Sleep or restate.After",
	"time.AfterFunc": "runs its function on a timer that is not journaled and is lost on replay; use restate.After(ctx, d) or a delayed send",
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	res := pass.ResultOf[reach.Analyzer].(*reach.Result)
	fx := newFixer(pass)
	for _, site := range res.Sites {
		e, ok := site.Effect(name)
		if !ok {
			continue
		}
		if site.Sink == nil {
			if e.ResultOnly && site.Uses != nil && (site.Uses.OnlyObserved() || returnOnly(pass, site)) {
				continue // the helper's reading only reaches its result, which the handler only returns
			}
			suppress.Report(pass, analysis.Diagnostic{
				Pos: site.Expr.Node().Pos(), End: site.Expr.Node().End(),
				Message: fmt.Sprintf("calls %s, which %s outside restate.Run, so the handler diverges when replayed; move it into restate.Run or pass in a journaled value",
					res.Render(e), what(e.Sink)),
				Related: res.Related(site, e),
			})
			continue
		}
		if site.Uses != nil && returnOnly(pass, site) {
			continue
		}
		d := analysis.Diagnostic{
			Pos: site.Expr.Node().Pos(), End: site.Expr.Node().End(),
			Message: message(site, e),
		}
		if fix, ok := fx.fix(site); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		suppress.Report(pass, d)
	}
	return nil, nil
}

// message is the diagnostic of a direct sink.
func message(site *reach.Site, e reach.Effect) string {
	if site.Sink.Family == sinks.FamInjectedClock {
		return fmt.Sprintf("%s reads an injected clock in a handler: in production it is the wall clock, which returns a different time when the handler is replayed; read it inside restate.Run so the value is journaled", e.Sink)
	}
	return fmt.Sprintf("%s in a handler %s", e.Sink, remedy[e.Sink])
}

// what says what a sink does, for messages about reached code: an
// injected clock (deps.Now, clock.Clock.Now) reads the wall clock too.
func what(sink string) string {
	switch sink {
	case "time.Sleep":
		return "sleeps on the wall clock"
	case "time.After", "time.Tick", "time.NewTimer", "time.NewTicker", "time.AfterFunc":
		return "starts a wall-clock timer"
	}
	return "reads the wall clock"
}
