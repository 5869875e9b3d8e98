// Package runcapture reports writes inside a restate.Run closure to
// variables declared outside it, when the handler reads the written value
// after the Run.
//
// restate.Run records the closure's result in the journal. When Restate
// replays the handler (after a crash, a retry or a suspension), Run hands
// back the recorded result and does not call the closure again: a write
// the closure made to a variable outside it does not happen, and the
// handler goes on with the variable's old value (an empty link, a slice
// without its timestamps, a map missing its entries). Only the closure's
// results survive replay.
//
// Reported, at the writing line inside a run zone (the function given to
// restate.Run, RunAsync or RunVoid, and literals nested in it), for a
// variable declared outside the closure, local or package-level: an
// assignment (=, op=), ++ and --, append into it, writes through its
// index, field or pointer (also through a variable of the closure that
// points into it, such as a range variable over a slice of pointers),
// delete/clear/copy on it, &v handed to a call (json.Unmarshal(b, &v)),
// and pointer-method calls on an addressable value (sb.WriteString(s),
// buf.Write(p) on a strings.Builder or bytes.Buffer of the handler).
//
// Reported only when the handler can read the written value after the Run
// call: the variable, or a variable sharing its memory, is used on some
// path after the call (in a loop, the next iteration counts; so do
// deferred functions, other closures and a bare return of a named result).
// A package-level variable, or a variable captured from outside the
// handler, always counts: other invocations read it.
//
// Quiet on: variables declared inside the closure; the closure's results;
// method calls through pointers and interfaces the handler holds
// (s.client.Do(req)); sync types (a mutex locked inside the closure);
// writes after the closure; captured variables never read after the Run,
// e.g. a state struct updated inside the closure and then replaced by the
// closure's result.
//
// No automatic fix: return the value from the closure,
//
//	link, err := restate.Run(ctx, func(ctx restate.RunContext) (string, error) {
//		return provider.ReceiptURL(ctx, chargeID)
//	})
//
// Suppress one finding with //restatelint:ignore runcapture <reason>.
package runcapture

import (
	"fmt"
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

const name = "runcapture"

// Analyzer reports writes in restate.Run closures to variables read after
// the Run.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report writes inside restate.Run closures to outer variables read after the Run

On replay restate.Run returns the journaled result without calling the
closure, so its writes to variables outside it never happen. Return the
value from the closure instead.`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/runcapture.md",
	Requires:         []*analysis.Analyzer{zones.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	z := pass.ResultOf[zones.Analyzer].(*zones.Zones)
	r := newReader(pass, z)
	for _, f := range z.Funcs {
		if !isRunRoot(f) {
			continue
		}
		reported := make(map[ast.Node]bool) // one diagnostic per statement
		for _, w := range findWrites(pass, z, f) {
			if reported[w.stmt] {
				continue
			}
			var msg string
			switch {
			case w.shared || r.sharedVar(f, w.v):
				msg = fmt.Sprintf("%s is written inside a restate.Run closure: on replay the closure is skipped and the write never happens, and every invocation shares the variable; return the value from the closure instead", w.desc())
			case r.readAfter(f, w):
				msg = fmt.Sprintf("%s is written inside a restate.Run closure and read by the handler after the Run: on replay the closure is skipped and the write never happens; return the value from the closure instead", w.desc())
			default:
				continue
			}
			reported[w.stmt] = true
			suppress.Report(pass, analysis.Diagnostic{Pos: w.node.Pos(), End: w.node.End(), Message: msg})
		}
	}
	return nil, nil
}

// isRunRoot reports whether f is a run zone literal not nested in another
// one: nested ones are checked with their outermost run zone.
func isRunRoot(f *zones.Func) bool {
	if f.Kind != zones.Run || f.Body == nil {
		return false
	}
	_, lit := f.Node.(*ast.FuncLit)
	return lit && (f.Parent == nil || f.Parent.Kind != zones.Run)
}
