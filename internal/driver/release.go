package driver

import (
	"go/types"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/packages"
)

// A releaser empties each package's inspector as soon as every analysis
// of the package has run, instead of when the run ends.
//
// checker.Analyze keeps every action's result until it returns (a root
// action's result, and every pass's ResultOf, after that), so each
// package's inspector, whose event table is about as large as the
// package's syntax trees, would be live until the output is written: on
// the benchmark code base the inspectors were three quarters of what
// restatelint holds beyond the type-check floor at the end of the
// analysis. Nothing reads a result once the last analysis of its package
// has run: results flow only between analyses of one package; facts,
// which flow between packages, the checker keeps apart.
//
// It learns when an analysis has run by running copies of the analyzers
// whose Run calls the original's. The copies are what checker.Analyze
// sees; their passes are handed to the originals with ResultOf keyed by
// the original analyzers, as the analyzers expect, and restore puts the
// originals back into the graph, so that everything after the analysis
// (output, the whole-program step) sees the analyzers it knows.
type releaser struct {
	original map[*analysis.Analyzer]*analysis.Analyzer // copy -> original
	packages map[*types.Package]*pkgState              // filled before the analysis
}

// pkgState is what the releaser knows about one package.
type pkgState struct {
	mu      sync.Mutex
	pending int   // actions on the package yet to run
	results []any // results of the package's actions that ran
}

// newReleaser returns a releaser for running analyzers on pkgs, and the
// copies of analyzers to give checker.Analyze in their place.
func newReleaser(analyzers []*analysis.Analyzer, pkgs []*packages.Package) (*releaser, []*analysis.Analyzer) {
	r := &releaser{
		original: make(map[*analysis.Analyzer]*analysis.Analyzer),
		packages: make(map[*types.Package]*pkgState),
	}
	copies := make(map[*analysis.Analyzer]*analysis.Analyzer) // original -> copy
	var copyOf func(a *analysis.Analyzer) *analysis.Analyzer
	copyOf = func(a *analysis.Analyzer) *analysis.Analyzer {
		if c, ok := copies[a]; ok {
			return c
		}
		c := new(analysis.Analyzer)
		*c = *a
		c.Requires = make([]*analysis.Analyzer, len(a.Requires))
		for i, req := range a.Requires {
			c.Requires[i] = copyOf(req)
		}
		c.Run = r.run(a)
		copies[a] = c
		r.original[c] = a
		return c
	}
	out := make([]*analysis.Analyzer, len(analyzers))
	for i, a := range analyzers {
		out[i] = copyOf(a)
	}
	r.countActions(analyzers, pkgs)
	return r, out
}

// countActions counts the actions checker.Analyze will run on each
// package, building the action graph as it does: every analyzer on
// every package, what an analyzer requires on the same package, and a
// fact-producing analyzer on every import of a package it runs on.
// Should the checker ever run more actions on a package than counted,
// the count would reach zero too early; TestReleaserCountsActions
// compares the count with the checker's graph.
func (r *releaser) countActions(analyzers []*analysis.Analyzer, pkgs []*packages.Package) {
	type key struct {
		a   *analysis.Analyzer
		pkg *packages.Package
	}
	seen := make(map[key]bool)
	var visit func(a *analysis.Analyzer, pkg *packages.Package)
	visit = func(a *analysis.Analyzer, pkg *packages.Package) {
		k := key{a, pkg}
		if seen[k] {
			return
		}
		seen[k] = true
		for _, req := range a.Requires {
			visit(req, pkg)
		}
		if len(a.FactTypes) > 0 {
			for _, imp := range pkg.Imports {
				visit(a, imp)
			}
		}
		if pkg.Types == nil {
			return
		}
		st := r.packages[pkg.Types]
		if st == nil {
			st = new(pkgState)
			r.packages[pkg.Types] = st
		}
		st.pending++
	}
	for _, a := range analyzers {
		for _, pkg := range pkgs {
			visit(a, pkg)
		}
	}
}

// run returns the Run function of a's copy.
func (r *releaser) run(a *analysis.Analyzer) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (any, error) {
		inner := *pass
		inner.Analyzer = a
		inner.ResultOf = make(map[*analysis.Analyzer]any, len(pass.ResultOf))
		for c, res := range pass.ResultOf {
			inner.ResultOf[r.original[c]] = res
		}
		res, err := a.Run(&inner)
		if st := r.packages[pass.Pkg]; st != nil { // read-only during the analysis
			st.done(res)
		}
		return res, err
	}
}

// done records that an action on the package has run and produced res,
// and, if it was the last, releases the package's results. An action
// that never runs (a prerequisite failed, the package is ill-typed)
// keeps the count above zero: the package's results are kept, as
// without a releaser.
func (st *pkgState) done(res any) {
	st.mu.Lock()
	st.results = append(st.results, res)
	st.pending--
	var release []any
	if st.pending == 0 {
		release, st.results = st.results, nil
	}
	st.mu.Unlock()
	for _, res := range release {
		if in, ok := res.(*inspector.Inspector); ok && in != nil {
			// Other results (zones, reach's sites) hold cursors that
			// point to the inspector, so the inspector itself stays
			// reachable; emptying it frees its event table.
			*in = inspector.Inspector{}
		}
	}
}

// restore replaces the copies in graph with the original analyzers.
func (r *releaser) restore(graph *checker.Graph) {
	for act := range graph.All() {
		if a, ok := r.original[act.Analyzer]; ok {
			act.Analyzer = a
		}
	}
}
