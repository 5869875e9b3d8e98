package driver

import (
	"fmt"
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

// load loads patterns and extra from source in one go/packages call, and
// their dependencies from export data (the same mode a fact-free analyzer
// gets from the stock driver, which is what the type-check floor measures).
// Packages matched only by extra are analyzed for their facts but not
// reported on.
func load(dir string, patterns, extra []string, tests bool) (*loaded, error) {
	mode := packages.LoadSyntax | packages.NeedModule
	cfg := &packages.Config{Mode: mode, Tests: tests, Dir: dir}
	pkgs, err := packages.Load(cfg, append(append([]string(nil), patterns...), extra...)...)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	res := &loaded{all: pkgs, reported: make(map[*packages.Package]bool)}
	if len(extra) == 0 {
		for _, p := range pkgs {
			res.reported[p] = true
		}
		return res, nil
	}
	// A second, cheap query (names only) tells which roots the user named.
	named, err := packages.Load(&packages.Config{Mode: packages.NeedName, Tests: tests, Dir: dir}, patterns...)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]bool)
	for _, p := range named {
		ids[p.ID] = true
	}
	for _, p := range pkgs {
		if ids[p.ID] {
			res.reported[p] = true
		}
	}
	return res, nil
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
