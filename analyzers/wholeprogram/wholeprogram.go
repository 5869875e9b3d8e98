// Package wholeprogram runs, after every package has been analyzed, the
// analyses that need all packages at once, and adds their diagnostics to
// the actions of the packages they concern, so that every output (text,
// JSON, SARIF, -fix) shows them like any other diagnostic.
//
// Today that is deadlock's cycles between services in packages that never
// import each other (services call each other by name): a per-package
// driver (go vet, golangci-lint, nogo) cannot see them.
package wholeprogram

import (
	"go/token"
	"go/types"
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/restatelint/restatelint/analyzers/deadlock"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
)

// Run adds the whole-program diagnostics to graph's root actions. It
// reads the handlers every package defines (deadlock.Services facts) and
// reports each call on a cycle in the root action of deadlock.Analyzer for
// the package holding the call, unless that action reported the position
// already or a //restatelint:ignore directive covers it.
func Run(graph *checker.Graph) {
	// Results of analyzers that are not roots are dropped by the
	// checker; facts are kept.
	var handlers []deadlock.Handler
	seen := make(map[*types.Package]bool)
	for act := range graph.All() {
		if act.Analyzer != deadlock.HandlersAnalyzer || act.Err != nil {
			continue
		}
		for _, pf := range act.AllPackageFacts() {
			if s, ok := pf.Fact.(*deadlock.Services); ok && !seen[pf.Package] {
				seen[pf.Package] = true
				handlers = append(handlers, s.Handlers...)
			}
		}
	}
	if len(handlers) == 0 {
		return
	}
	findings := deadlock.Find(handlers)
	for _, act := range graph.Roots {
		if act.Analyzer != deadlock.Analyzer || act.Err != nil || act.Package == nil {
			continue
		}
		addFindings(act, findings)
	}
}

// addFindings reports the findings that lie in act's package.
func addFindings(act *checker.Action, findings []deadlock.Finding) {
	fset := act.Package.Fset
	files := make(map[string]*token.File)
	for _, f := range act.Package.Syntax {
		if tf := fset.File(f.Pos()); tf != nil {
			files[tf.Name()] = tf
		}
	}
	reported := make(map[token.Position]bool)
	for _, d := range act.Diagnostics {
		reported[fset.Position(d.Pos)] = true
	}
	var index *suppress.Index // built on the first finding in this package
	for _, f := range findings {
		tf := files[f.Pos.Filename]
		if tf == nil || f.Pos.Offset > tf.Size() {
			continue
		}
		pos := tf.Pos(f.Pos.Offset)
		if reported[fset.Position(pos)] {
			continue
		}
		if index == nil {
			index = suppress.NewIndex(fset, act.Package.Syntax, os.ReadFile)
		}
		if index.Suppressed(fset, deadlock.Analyzer.Name, pos) {
			continue
		}
		act.Diagnostics = append(act.Diagnostics, analysis.Diagnostic{Pos: pos, Category: deadlock.Analyzer.Name, Message: f.Message})
	}
}
