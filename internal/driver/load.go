package driver

import (
	"fmt"
	"go/ast"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/analyzers/reach"
	"github.com/restatelint/restatelint/analyzers/wholeprogram"
	"github.com/restatelint/restatelint/internal/configfile"
	"github.com/restatelint/restatelint/internal/runner"
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
//
// A pattern that matches no package is an error, as a typo'd package
// path is (the go command only warns about the former).
func load(cfg *packages.Config, patterns []string, sourceDeps func(*packages.Package) bool, configure func([]*packages.Package) error) (*loaded, error) {
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	if unmatched := unmatchedPatterns(cfg.Dir, patterns, pkgs); len(unmatched) > 0 {
		for i, p := range unmatched {
			unmatched[i] = strconv.Quote(p)
		}
		return nil, fmt.Errorf("pattern %s matched no packages", strings.Join(unmatched, ", "))
	}
	named := make(map[string]bool)
	for _, p := range pkgs {
		named[p.ID] = true
	}
	if configure != nil {
		if err := configure(pkgs); err != nil {
			return nil, err
		}
	}
	if extra := MissingSourceDeps(pkgs, sourceDeps); len(extra) > 0 {
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

// useConfigFiles reads the restatelint.toml files that apply to the named
// packages, failing on a bad one before any analysis, and makes them the
// run's files: their reach.scope decides which dependencies are analyzed
// from source (configfile.Run).
func useConfigFiles(roots []*packages.Package, check func(*configfile.File) error) error {
	if check == nil {
		return nil
	}
	files, err := ConfigFiles(roots, check)
	if err != nil {
		return err
	}
	configfile.SetRun(files)
	return nil
}

// ConfigFiles returns the distinct restatelint.toml files that apply to
// the packages of the user's own modules among roots, each parsed and
// checked (an unknown key or a bad value is an error naming the file and
// line). The language server uses it too.
func ConfigFiles(roots []*packages.Package, check func(*configfile.File) error) ([]*configfile.File, error) {
	var files []*configfile.File
	seen := make(map[string]bool)
	for _, p := range roots {
		if !OwnModule(p) || len(p.GoFiles) == 0 {
			continue
		}
		dir := filepath.Dir(p.GoFiles[0])
		if seen[dir] {
			continue
		}
		seen[dir] = true
		f, err := configfile.Load(dir)
		if err != nil {
			return nil, err
		}
		if f == nil || slices.Contains(files, f) {
			continue
		}
		if err := check(f); err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// OwnModule reports whether p belongs to the user's own code: a main or
// go.work module, or a module replaced by a local directory (replace
// acme.local/notify => ./libs/notify). Such packages are analyzed from
// source like the named ones (config.InScope decides the same from the
// files under every driver).
func OwnModule(p *packages.Package) bool {
	m := p.Module
	return m != nil && !reach.IsSDKModule(m.Path) && (m.Main || m.Replace != nil && m.Replace.Version == "")
}

// MissingSourceDeps returns the import paths of dependencies that must be
// analyzed from source but were loaded from export data. The language
// server uses it too, so the editor and the command line analyze the same
// packages.
func MissingSourceDeps(roots []*packages.Package, sourceDeps func(*packages.Package) bool) []string {
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

// printErrors prints package errors of the reported packages and their
// dependencies, each once, and returns how many there were. An error
// without a position (a package path no module provides, a directory
// without Go files) is printed as the go command prints it, without
// packages.PrintErrors' "-: ".
func (l *loaded) printErrors() int {
	var reported []*packages.Package
	for _, p := range l.all {
		if l.reported[p] {
			reported = append(reported, p)
		}
	}
	n := 0
	badModules := make(map[*packages.Module]bool)
	for p := range packages.Postorder(reported) {
		for _, err := range p.Errors {
			if err.Pos == "" || err.Pos == "-" {
				log.Print(err.Msg)
			} else {
				fmt.Fprintln(os.Stderr, err)
			}
			n++
		}
		if m := p.Module; m != nil && m.Error != nil && !badModules[m] {
			badModules[m] = true
			log.Print(m.Error.Err)
			n++
		}
	}
	return n
}

// analyze runs the analyzers over every source package, a package at a
// time (internal/runner), and returns a graph whose roots are the
// reported packages' actions, for the outputs: every analysis that ran
// is an action, with its diagnostics and error; results are not kept
// (each package's live only while its analyses run).
func analyze(analyzers []*analysis.Analyzer, l *loaded) (*checker.Graph, error) {
	if err := analysis.Validate(analyzers); err != nil {
		return nil, err
	}
	pruneExportDataImports(l.all)
	full := make(map[*packages.Package]bool)
	for _, p := range withoutShadowedVariants(l.all) {
		full[p] = true
	}
	// Every package the roots import is analyzed for its facts (the
	// imports left after pruning are all from source).
	var pkgs []*packages.Package
	packages.Visit(l.all, nil, func(p *packages.Package) { pkgs = append(pkgs, p) })
	plan := runner.NewPlan(analyzers)
	store := runner.NewStore()
	outcomes := make(map[*packages.Package][]runner.Outcome, len(pkgs))
	var mu sync.Mutex
	runner.InOrder(pkgs, importsOf, func(p *packages.Package, ready func()) {
		out := plan.Run(runner.Package{Package: p, Full: full[p], ReadFile: os.ReadFile, FactsDone: ready}, store)
		keepOnlyComments(p)
		mu.Lock()
		outcomes[p] = out
		mu.Unlock()
	})
	graph := actionGraph(pkgs, outcomes, full, plan)
	wholeprogram.Add(graph, store.Services())
	var roots []*checker.Action
	for _, act := range graph.Roots {
		if l.reported[act.Package] {
			roots = append(roots, act)
		}
	}
	return &checker.Graph{Roots: roots}, nil
}

// keepOnlyComments lets the collector have a package's syntax trees and
// type information once its analyses have run: no other package's
// analysis sees them (importers see types and facts), and after the
// analysis the outputs need of the syntax only each file's extent and
// comments (wholeprogram's suppression directives), which are kept. The
// types stay: importers' types point into them.
func keepOnlyComments(p *packages.Package) {
	for i, f := range p.Syntax {
		p.Syntax[i] = &ast.File{Package: f.Package, Name: f.Name, FileStart: f.FileStart, FileEnd: f.FileEnd, Comments: f.Comments}
	}
	p.TypesInfo = nil
}

// importsOf returns p's imports in import path order.
func importsOf(p *packages.Package) []*packages.Package {
	paths := make([]string, 0, len(p.Imports))
	for path := range p.Imports {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	out := make([]*packages.Package, len(paths))
	for i, path := range paths {
		out[i] = p.Imports[path]
	}
	return out
}

// actionGraph presents the outcomes as the checker's action graph, which
// the outputs read: an action per analysis that ran, depending on its
// prerequisites on the same package and, for fact producers, on the same
// analysis of the imports; the roots are the enabled analyzers' actions
// on the packages analyzed in full.
func actionGraph(pkgs []*packages.Package, outcomes map[*packages.Package][]runner.Outcome, full map[*packages.Package]bool, plan *runner.Plan) *checker.Graph {
	type key struct {
		a *analysis.Analyzer
		p *packages.Package
	}
	actions := make(map[key]*checker.Action)
	for _, p := range pkgs {
		for _, o := range outcomes[p] {
			actions[key{o.Analyzer, p}] = &checker.Action{
				Analyzer:    o.Analyzer,
				Package:     p,
				IsRoot:      full[p] && plan.Enabled(o.Analyzer),
				Diagnostics: o.Diagnostics,
				Err:         o.Err,
			}
		}
	}
	graph := new(checker.Graph)
	for _, p := range pkgs {
		imports := importsOf(p)
		for _, o := range outcomes[p] {
			act := actions[key{o.Analyzer, p}]
			for _, req := range o.Analyzer.Requires {
				if dep := actions[key{req, p}]; dep != nil {
					act.Deps = append(act.Deps, dep)
				}
			}
			if len(o.Analyzer.FactTypes) > 0 {
				for _, imp := range imports {
					if dep := actions[key{o.Analyzer, imp}]; dep != nil {
						act.Deps = append(act.Deps, dep)
					}
				}
			}
			if act.IsRoot {
				graph.Roots = append(graph.Roots, act)
			}
		}
	}
	return graph
}

// pruneExportDataImports removes, from the import graph checker.Analyze
// walks, the packages loaded from export data. The checker runs every
// fact-producing analyzer (and what it requires) on every package of that
// graph, but a package without syntax gives an analyzer nothing to walk:
// the hundreds of standard-library and third-party packages below a
// service would only cost an action each. Types are unaffected (they
// were resolved when the packages were loaded).
func pruneExportDataImports(pkgs []*packages.Package) {
	for _, p := range pkgs {
		kept := make(map[string]*packages.Package, len(p.Imports))
		for path, imp := range p.Imports {
			if len(imp.Syntax) > 0 {
				kept[path] = imp
			}
		}
		p.Imports = kept
	}
}

// withoutShadowedVariants drops a package from the roots when its
// in-package test variant ("p [p.test]") is loaded too: the variant has
// all of p's files, so analyzing both would do the work twice (and report
// each finding twice). p is still analyzed for its facts when other roots
// import it.
func withoutShadowedVariants(pkgs []*packages.Package) []*packages.Package {
	ids := make(map[string]bool, len(pkgs))
	for _, p := range pkgs {
		ids[p.ID] = true
	}
	out := make([]*packages.Package, 0, len(pkgs))
	for _, p := range pkgs {
		if !ids[p.ID+" ["+p.PkgPath+".test]"] {
			out = append(out, p)
		}
	}
	return out
}
