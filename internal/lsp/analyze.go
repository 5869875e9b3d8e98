package lsp

import (
	"fmt"
	"os"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/internal/runner"
)

// diag is a diagnostic of an enabled analyzer.
type diag struct {
	analyzer *analysis.Analyzer
	d        analysis.Diagnostic
}

// analyzeNode runs the plan on n (internal/runner: the facts of n's
// dependencies come from a store that outlives the run, which is what
// makes an edit cheap: the edited package is re-type-checked and
// re-analyzed against its dependencies' cached types and facts, and
// nothing else runs), records n's facts in the store and returns the
// diagnostics of the enabled analyzers and their failures. readFile
// serves pass.ReadFile (the text that was parsed, for open documents);
// ready, if set, is called once n's facts are in the store.
func analyzeNode(n *node, pl *runner.Plan, store *runner.Store, readFile func(string) ([]byte, error), ready func()) ([]diag, []string) {
	var diags []diag
	var errs []string
	for _, o := range pl.Run(runner.Package{Package: n.p, Full: n.source, ReadFile: readFile, FactsDone: ready}, store) {
		if o.Err != nil && !o.Skipped && pl.Enabled(o.Analyzer) {
			errs = append(errs, fmt.Sprintf("%s: analysis %s failed: %v", n.p.ID, o.Analyzer.Name, o.Err))
		}
		for _, d := range o.Diagnostics {
			diags = append(diags, diag{o.Analyzer, d})
		}
	}
	return diags, errs
}

// analyzeAll analyzes every node, dependencies before dependents, on
// GOMAXPROCS workers (the first load, and a reload).
func analyzeAll(nodes []*node, work func(n *node, ready func())) {
	runner.InOrder(nodes, sortedImports, work)
}

// sortedImports returns n's dependencies in import path order.
func sortedImports(n *node) []*node {
	paths := make([]string, 0, len(n.imports))
	for p := range n.imports {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	out := make([]*node, len(paths))
	for i, p := range paths {
		out[i] = n.imports[p]
	}
	return out
}

// readDisk reads a file that no open document overrides.
var readDisk = os.ReadFile
