// Package memstate reports state kept in process memory by Restate
// handlers and the code they reach.
//
// A Restate service runs as many processes as it is deployed to, and any
// of them may serve the next invocation, or the replay of this one after
// a crash. A value a handler keeps in a package-level variable, or in a
// field of its service's receiver (the one value restate.Reflect
// registers, shared by every invocation), is lost on a crash or a
// redeploy, differs between replicas, and a replay sees what other
// invocations left there, not what the first execution saw.
//
// Reported, in handler zones (at the write) and in code they reach at any
// depth (at the handler's call site, with the call chain):
//
//   - assignments, op= and ++/-- to a package-level variable, its fields,
//     map and slice elements;
//   - the same on a variable a handler literal captures from a function
//     that is no handler zone: a local or parameter of init, main or a
//     function registering handlers (invocationCounts[key] += 1 in a
//     literal given to restate.NewObjectHandler there) lives as long as
//     the process, shared by every invocation like a package-level
//     variable;
//   - the same through the service's receiver: s.hits++, s.cache[k] = v
//     (for a value receiver, only writes through a map, slice or pointer
//     reach the shared value); a method writing its own receiver's fields
//     counts where it is called on such memory (s.stack.Add(op)), not on
//     a local, a parameter or a call result (a compensation stack the
//     handler made with compensation.New());
//   - mutating methods of sync.Map and sync/atomic values held there
//     (Store, LoadOrStore, Delete, Add, Swap, CompareAndSwap, ...), and
//     sync/atomic's functions given a pointer to such memory
//     (atomic.AddInt64(&requests, 1)).
//
// Quiet on: run zones (the value is journaled where the closure returns
// it); writes in init, main, constructors and other code no handler
// reaches; lazy initialisation inside sync.Once.Do, sync.OnceFunc,
// OnceValue and OnceValues, guarded by "if x == nil", or a memo cache
// filled with sync.Map.LoadOrStore; test files (handler-shaped fakes); loggers, metrics
// and tracing instruments (log, log/slog, zap, zerolog, logrus, expvar,
// Prometheus, OpenTelemetry, and the types of the memstate.quiet option,
// e.g. a project's own telemetry.Stats), whose values do not flow back
// into handler logic, also when held in a field (s.stats.Requests++);
// the handler's locals, including its copy of state read with
// restate.Get, and a closure in the handler writing them (the variables
// of a handler zone are one invocation's); types whose fields keep a handler context (a value made by
// one invocation, never registered); reads.
//
// No automatic fix: keep the value in Restate state (restate.Get and
// restate.Set on a Virtual Object), or derive it from the request.
//
// Suppress one finding with //restatelint:ignore memstate <reason>.
package memstate

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/reach"
)

const name = "memstate"

// Analyzer reports state kept in process memory by handlers.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report state kept in process memory by Restate handlers

A package-level variable, a field of the service's receiver, or a local of
init or of a registering function captured by a handler literal is lost on
a crash, differs between replicas, and a replay sees what other invocations
left there. Keep the value in Restate state (restate.Get/Set) or derive it
from the request.`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/memstate.md",
	Requires:         []*analysis.Analyzer{reach.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

func init() {
	Analyzer.Flags.Var(&config.MemstateQuiet, "quiet",
		"comma-separated types whose values hold no state a handler reads, like the built-in loggers, metrics and tracing instruments: "+
			"writes to package-level variables and service fields of these types (or through them) are not reported; "+
			"import/path.Type or import/path.* (e.g. example.com/platform/telemetry.Stats)")
}

// inTestFile reports whether the site is in a _test.go file: handler-shaped
// test doubles (fakes that record calls in their fields) are not services.
func inTestFile(pass *analysis.Pass, site *reach.Site) bool {
	tf := pass.Fset.File(site.Pos())
	return tf != nil && strings.HasSuffix(tf.Name(), "_test.go")
}

// why is what every message says goes wrong.
const why = "in-memory state is lost on a crash or a redeploy, differs between replicas, and a replay sees what other invocations left there; keep it in Restate state (restate.Get/restate.Set) or derive it from the request"

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	res := pass.ResultOf[reach.Analyzer].(*reach.Result)
	for _, site := range res.Sites {
		e, ok := site.Effect(name)
		if !ok || inTestFile(pass, site) {
			continue
		}
		var msg string
		switch {
		case site.Sink == nil:
			msg = fmt.Sprintf("calls %s: %s", res.Render(e), why)
		case site.Sink.Construct != 0:
			msg = fmt.Sprintf("%s in a handler: %s", e.Sink, why)
		default:
			msg = fmt.Sprintf("%s on memory every invocation shares, in a handler: %s", e.Sink, why)
		}
		suppress.Report(pass, analysis.Diagnostic{Pos: site.Pos(), End: site.Expr.Node().End(), Message: msg, Related: res.Related(site, e)})
	}
	return nil, nil
}
