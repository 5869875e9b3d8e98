// Package wholeprogram runs, after every package has been analyzed, the
// analyses that need all packages at once, and adds their diagnostics to
// those of the packages they concern, so that every output (text, JSON,
// SARIF, -fix, the language server) shows them like any other diagnostic.
//
// Today that is deadlock's cycles between services in packages that never
// import each other (services call each other by name): a per-package
// driver (go vet, golangci-lint, nogo) cannot see them.
package wholeprogram

import (
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/restatelint/restatelint/analyzers/deadlock"
	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
)

// Run adds the whole-program diagnostics to the root actions of a graph
// checker.Analyze made, reading the handlers every package defines from
// its actions' deadlock.Services facts (the checker keeps facts of every
// action, results only of roots).
func Run(graph *checker.Graph) {
	var services []*deadlock.Services
	seen := make(map[*types.Package]bool)
	for act := range graph.All() {
		if act.Analyzer != deadlock.HandlersAnalyzer || act.Err != nil {
			continue
		}
		for _, pf := range act.AllPackageFacts() {
			if s, ok := pf.Fact.(*deadlock.Services); ok && !seen[pf.Package] {
				seen[pf.Package] = true
				services = append(services, s)
			}
		}
	}
	Add(graph, services)
}

// Add adds each call on a cycle among services' handlers to the root
// action of deadlock.Analyzer for the package holding the call.
func Add(graph *checker.Graph, services []*deadlock.Services) {
	findings := Deadlocks(services)
	if len(findings) == 0 {
		return
	}
	for _, act := range graph.Roots {
		if act.Analyzer != deadlock.Analyzer || act.Err != nil || act.Package == nil {
			continue
		}
		act.Diagnostics = append(act.Diagnostics,
			ForFiles(act.Package.Fset, act.Package.Syntax, act.Diagnostics, findings, os.ReadFile)...)
	}
}

// Deadlocks returns deadlock's findings over the services of every
// package.
func Deadlocks(services []*deadlock.Services) []deadlock.Finding {
	var handlers []deadlock.Handler
	for _, s := range services {
		handlers = append(handlers, s.Handlers...)
	}
	if len(handlers) == 0 {
		return nil
	}
	return deadlock.Find(handlers)
}

// reports reports whether the restatelint.toml that applies to filename's
// package leaves deadlock on (a bad file is reported by the package's own
// analysis).
func reports(filename string) bool {
	if !filepath.IsAbs(filename) {
		return true
	}
	s, err := config.ForDir(filepath.Dir(filename))
	return err != nil || s.Reports(deadlock.Analyzer.Name)
}

// ForFiles returns the findings that lie in files as deadlock
// diagnostics, except those at a position reported already and those a
// //restatelint:ignore directive or restatelint.toml turns off.
func ForFiles(fset *token.FileSet, files []*ast.File, reported []analysis.Diagnostic, findings []deadlock.Finding, readFile func(string) ([]byte, error)) []analysis.Diagnostic {
	byName := make(map[string]*token.File)
	for _, f := range files {
		if tf := fset.File(f.Pos()); tf != nil {
			byName[tf.Name()] = tf
		}
	}
	done := make(map[token.Position]bool)
	for _, d := range reported {
		done[fset.Position(d.Pos)] = true
	}
	var index *suppress.Index // built on the first finding in files
	var out []analysis.Diagnostic
	for _, f := range findings {
		tf := byName[f.Pos.Filename]
		if tf == nil || f.Pos.Offset > tf.Size() {
			continue
		}
		pos := tf.Pos(f.Pos.Offset)
		if done[fset.Position(pos)] {
			continue
		}
		if index == nil {
			if !reports(tf.Name()) {
				return nil // restatelint.toml turns deadlock off here
			}
			index = suppress.NewIndex(fset, files, readFile)
		}
		if index.Suppressed(fset, deadlock.Analyzer.Name, pos) {
			continue
		}
		done[fset.Position(pos)] = true
		out = append(out, analysis.Diagnostic{Pos: pos, Category: deadlock.Analyzer.Name, Message: f.Message})
	}
	return out
}
