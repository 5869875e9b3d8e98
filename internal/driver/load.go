package driver

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// loaded is the result of one load: the packages to analyze from source
// and, among them, those whose diagnostics are reported.
type loaded struct {
	all      []*packages.Package // analyzed from source
	reported map[*packages.Package]bool
}

// load loads patterns from source and their dependencies from export data
// (the same mode a fact-free analyzer gets from the stock driver, which is
// what the type-check floor measures). Dependencies for which sourceDeps
// is true (restatelint: packages of the main or workspace modules and of
// the configured scope) must be analyzed from source for their facts; if
// the patterns did not name them all, the load is repeated with them added
// as roots, which are analyzed but not reported on.
func load(dir string, patterns []string, sourceDeps func(*packages.Package) bool, tests bool) (*loaded, error) {
	cfg := &packages.Config{Mode: packages.LoadSyntax | packages.NeedModule, Tests: tests, Dir: dir}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	named := make(map[string]bool)
	for _, p := range pkgs {
		named[p.ID] = true
	}
	if extra := missingSourceDeps(pkgs, sourceDeps); len(extra) > 0 {
		if pkgs, err = packages.Load(cfg, append(append([]string(nil), patterns...), extra...)...); err != nil {
			return nil, err
		}
	}
	res := &loaded{all: pkgs, reported: make(map[*packages.Package]bool)}
	for _, p := range pkgs {
		if named[p.ID] {
			res.reported[p] = true
		}
	}
	return res, nil
}

// missingSourceDeps returns the import paths of dependencies that must be
// analyzed from source but were loaded from export data.
func missingSourceDeps(roots []*packages.Package, sourceDeps func(*packages.Package) bool) []string {
	if sourceDeps == nil {
		return nil
	}
	var extra []string
	seen := make(map[string]bool)
	packages.Visit(roots, nil, func(p *packages.Package) {
		if p.Syntax == nil && p.PkgPath != "" && !seen[p.PkgPath] && sourceDeps(p) {
			seen[p.PkgPath] = true
			extra = append(extra, p.PkgPath)
		}
	})
	slices.Sort(extra)
	return extra
}

// printErrors prints package errors of the reported packages and returns
// how many there were.
func (l *loaded) printErrors() int {
	var reported []*packages.Package
	for _, p := range l.all {
		if l.reported[p] {
			reported = append(reported, p)
		}
	}
	return packages.PrintErrors(reported)
}

// analyze runs the analyzers over every source package and returns a graph
// whose roots are the reported packages' actions.
func analyze(analyzers []*analysis.Analyzer, l *loaded) (*checker.Graph, error) {
	graph, err := checker.Analyze(analyzers, l.all, nil)
	if err != nil {
		return nil, err
	}
	var roots []*checker.Action
	for _, act := range graph.Roots {
		if l.reported[act.Package] {
			roots = append(roots, act)
		}
	}
	return &checker.Graph{Roots: roots}, nil
}
