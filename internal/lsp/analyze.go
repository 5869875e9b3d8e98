package lsp

import (
	"fmt"
	"go/types"
	"net/url"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/deadlock"
)

// The analysis runner: it runs the analyzers on one package, the way
// checker.Analyze runs one (analyzer, package) action, but takes the facts
// of the package's dependencies from a store that outlives the run. That
// is what makes an edit cheap: the edited package is re-type-checked and
// re-analyzed against its dependencies' cached types and facts, and nothing
// else runs.

// plan is the order in which analyzers run on a package.
type plan struct {
	source  []*analysis.Analyzer // the enabled analyzers and their prerequisites, prerequisites first
	deps    []*analysis.Analyzer // for packages loaded from export data: the fact-producing analyzers and their prerequisites
	enabled map[*analysis.Analyzer]bool
}

// newPlan orders the analyzers as checker.Analyze would run them: every
// enabled analyzer with its prerequisites on source packages; on a
// dependency only the analyzers that produce facts (and what they require).
func newPlan(enabled []*analysis.Analyzer) *plan {
	p := &plan{enabled: make(map[*analysis.Analyzer]bool)}
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, r := range a.Requires {
			visit(r)
		}
		p.source = append(p.source, a)
	}
	for _, a := range enabled {
		p.enabled[a] = true
		visit(a)
	}
	need := make(map[*analysis.Analyzer]bool)
	var require func(a *analysis.Analyzer)
	require = func(a *analysis.Analyzer) {
		if need[a] {
			return
		}
		need[a] = true
		for _, r := range a.Requires {
			require(r)
		}
	}
	for _, a := range p.source {
		if len(a.FactTypes) > 0 {
			require(a)
		}
	}
	for _, a := range p.source {
		if need[a] {
			p.deps = append(p.deps, a)
		}
	}
	return p
}

type objectFactKey struct {
	obj types.Object
	typ reflect.Type
}

// pkgFacts are the facts one analysis of one package exported.
type pkgFacts struct {
	objects  map[objectFactKey]analysis.Fact
	packages map[reflect.Type]analysis.Fact
}

// factStore holds every analyzed package's facts, keyed by its
// *types.Package: a re-checked package has new types, so its old facts
// (about objects no longer reachable) are dropped with the old key.
type factStore struct {
	mu    sync.Mutex
	byPkg map[*types.Package]*pkgFacts
}

func newFactStore() *factStore {
	return &factStore{byPkg: make(map[*types.Package]*pkgFacts)}
}

func (s *factStore) get(pkg *types.Package) *pkgFacts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byPkg[pkg]
}

func (s *factStore) set(pkg *types.Package, f *pkgFacts) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byPkg[pkg] = f
}

// services returns the deadlock.Services facts of every package, in
// package path order.
func (s *factStore) services() []*deadlock.Services {
	s.mu.Lock()
	defer s.mu.Unlock()
	var pkgs []*types.Package
	for pkg, f := range s.byPkg {
		if f.packages[reflect.TypeFor[*deadlock.Services]()] != nil {
			pkgs = append(pkgs, pkg)
		}
	}
	slices.SortFunc(pkgs, func(a, b *types.Package) int { return strings.Compare(a.Path(), b.Path()) })
	out := make([]*deadlock.Services, len(pkgs))
	for i, pkg := range pkgs {
		out[i] = s.byPkg[pkg].packages[reflect.TypeFor[*deadlock.Services]()].(*deadlock.Services)
	}
	return out
}

func (s *factStore) drop(pkg *types.Package) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byPkg, pkg)
}

// diag is a diagnostic of an enabled analyzer.
type diag struct {
	analyzer *analysis.Analyzer
	d        analysis.Diagnostic
}

// analyzeNode runs the plan on n, records n's facts in the store and
// returns the diagnostics of the enabled analyzers and the analysis
// failures. readFile serves pass.ReadFile (the text that was parsed, for
// open documents).
func analyzeNode(n *node, pl *plan, store *factStore, readFile func(string) ([]byte, error)) ([]diag, []string) {
	analyzers := pl.deps
	if n.source {
		analyzers = pl.source
	}
	pkg := n.p
	facts := &pkgFacts{objects: make(map[objectFactKey]analysis.Fact), packages: make(map[reflect.Type]analysis.Fact)}
	if pkg.Types == nil {
		return nil, nil
	}
	module := &analysis.Module{}
	if m := pkg.Module; m != nil {
		module = &analysis.Module{Path: m.Path, Version: m.Version, GoVersion: m.GoVersion}
	}
	results := make(map[*analysis.Analyzer]any)
	failed := make(map[*analysis.Analyzer]error)
	var diags []diag
	var errs []string
	for _, a := range analyzers {
		var bad []string
		for _, r := range a.Requires {
			if failed[r] != nil {
				bad = append(bad, r.Name)
			}
		}
		if len(bad) > 0 {
			failed[a] = fmt.Errorf("failed prerequisites: %s", strings.Join(bad, ", "))
			continue
		}
		if pkg.IllTyped && !a.RunDespiteErrors {
			failed[a] = fmt.Errorf("analysis skipped due to errors in package")
			continue
		}
		inputs := make(map[*analysis.Analyzer]any, len(a.Requires))
		for _, r := range a.Requires {
			inputs[r] = results[r]
		}
		var reported []analysis.Diagnostic
		pass := &analysis.Pass{
			Analyzer:     a,
			Fset:         pkg.Fset,
			Files:        pkg.Syntax,
			OtherFiles:   pkg.OtherFiles,
			IgnoredFiles: pkg.IgnoredFiles,
			Pkg:          pkg.Types,
			TypesInfo:    pkg.TypesInfo,
			TypesSizes:   pkg.TypesSizes,
			TypeErrors:   pkg.TypeErrors,
			Module:       module,
			ResultOf:     inputs,
			Report:       func(d analysis.Diagnostic) { reported = append(reported, d) },
		}
		pass.ImportObjectFact = func(obj types.Object, ptr analysis.Fact) bool {
			if obj == nil {
				panic("nil object")
			}
			var f *pkgFacts
			if obj.Pkg() == pkg.Types {
				f = facts
			} else {
				f = store.get(obj.Pkg())
			}
			if f == nil {
				return false
			}
			if v, ok := f.objects[objectFactKey{obj, reflect.TypeOf(ptr)}]; ok {
				reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
				return true
			}
			return false
		}
		pass.ExportObjectFact = func(obj types.Object, fact analysis.Fact) {
			if obj.Pkg() != pkg.Types {
				panic(fmt.Sprintf("internal error: in analysis %s of package %s: Fact.Set(%s, %T): can't set facts on objects belonging another package", a, pkg.Types.Path(), obj, fact))
			}
			facts.objects[objectFactKey{obj, reflect.TypeOf(fact)}] = fact
		}
		pass.ImportPackageFact = func(p *types.Package, ptr analysis.Fact) bool {
			var f *pkgFacts
			if p == pkg.Types {
				f = facts
			} else {
				f = store.get(p)
			}
			if f == nil {
				return false
			}
			if v, ok := f.packages[reflect.TypeOf(ptr)]; ok {
				reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
				return true
			}
			return false
		}
		pass.ExportPackageFact = func(fact analysis.Fact) {
			facts.packages[reflect.TypeOf(fact)] = fact
		}
		pass.AllObjectFacts = func() []analysis.ObjectFact {
			var out []analysis.ObjectFact
			for _, f := range visibleFacts(n, facts, store) {
				for k, v := range f.objects {
					if slices.ContainsFunc(a.FactTypes, func(t analysis.Fact) bool { return reflect.TypeOf(t) == k.typ }) {
						out = append(out, analysis.ObjectFact{Object: k.obj, Fact: v})
					}
				}
			}
			return out
		}
		pass.AllPackageFacts = func() []analysis.PackageFact {
			var out []analysis.PackageFact
			for p, f := range visibleFactsByPkg(n, facts, store) {
				for t, v := range f.packages {
					if slices.ContainsFunc(a.FactTypes, func(ft analysis.Fact) bool { return reflect.TypeOf(ft) == t }) {
						out = append(out, analysis.PackageFact{Package: p, Fact: v})
					}
				}
			}
			return out
		}
		pass.ReadFile = func(name string) ([]byte, error) {
			if !readable(pass, name) {
				return nil, fmt.Errorf("Pass.ReadFile: %s is not among OtherFiles, IgnoredFiles, or names of Files", name)
			}
			return readFile(name)
		}

		result, err := runSafely(a, pass)
		if err == nil && reflect.TypeOf(result) != a.ResultType {
			err = fmt.Errorf("internal error: analyzer %s returned a result of type %v, but declared ResultType %v", a, reflect.TypeOf(result), a.ResultType)
		}
		if err != nil {
			failed[a] = err
			if pl.enabled[a] {
				errs = append(errs, fmt.Sprintf("%s: analysis %s failed: %v", pkg.ID, a.Name, err))
			}
			continue
		}
		results[a] = result
		if pl.enabled[a] && n.source {
			for _, d := range reported {
				u, err := resolveURL(a, d)
				if err != nil {
					errs = append(errs, err.Error())
				}
				d.URL = u
				diags = append(diags, diag{a, d})
			}
		}
	}
	store.set(pkg.Types, facts)
	return diags, errs
}

// runSafely runs a, turning a panic into an error: one analyzer's bug must
// not take the editor's diagnostics down.
func runSafely(a *analysis.Analyzer, pass *analysis.Pass) (result any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return a.Run(pass)
}

// readable is the access policy of analysis.Pass.ReadFile.
func readable(pass *analysis.Pass, name string) bool {
	if slices.Contains(pass.OtherFiles, name) || slices.Contains(pass.IgnoredFiles, name) {
		return true
	}
	for _, f := range pass.Files {
		if pass.Fset.File(f.FileStart).Name() == name {
			return true
		}
	}
	return false
}

// resolveURL is what checker does to a diagnostic's URL: relative to the
// analyzer's URL, defaulting to "#category".
func resolveURL(a *analysis.Analyzer, d analysis.Diagnostic) (string, error) {
	if d.URL == "" && d.Category == "" && a.URL == "" {
		return "", nil
	}
	raw := d.URL
	if d.URL == "" && d.Category != "" {
		raw = "#" + d.Category
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("invalid Diagnostic.URL %q: %s", raw, err)
	}
	base, err := url.Parse(a.URL)
	if err != nil {
		return "", fmt.Errorf("invalid Analyzer.URL %q: %s", a.URL, err)
	}
	return base.ResolveReference(u).String(), nil
}

// visibleFacts returns the facts of n (own, being built) and of its
// transitive dependencies.
func visibleFacts(n *node, own *pkgFacts, store *factStore) []*pkgFacts {
	var out []*pkgFacts
	for _, f := range visibleFactsByPkg(n, own, store) {
		out = append(out, f)
	}
	return out
}

func visibleFactsByPkg(n *node, own *pkgFacts, store *factStore) map[*types.Package]*pkgFacts {
	out := map[*types.Package]*pkgFacts{n.p.Types: own}
	seen := map[*node]bool{n: true}
	var visit func(m *node)
	visit = func(m *node) {
		for _, d := range m.imports {
			if seen[d] {
				continue
			}
			seen[d] = true
			if d.p.Types != nil {
				if f := store.get(d.p.Types); f != nil {
					out[d.p.Types] = f
				}
			}
			visit(d)
		}
	}
	visit(n)
	return out
}

// analyzeAll analyzes every node, dependencies before dependents, on
// GOMAXPROCS workers (the first load, and a reload).
func analyzeAll(nodes []*node, work func(n *node)) {
	done := make(map[*node]chan struct{}, len(nodes))
	for _, n := range nodes {
		done[n] = make(chan struct{})
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[n])
			for _, d := range n.imports {
				if ch, ok := done[d]; ok {
					<-ch
				}
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			work(n)
		}()
	}
	wg.Wait()
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
