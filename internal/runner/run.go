package runner

import (
	"fmt"
	"go/types"
	"net/url"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// An Outcome is what one analysis of one package came to.
type Outcome struct {
	Analyzer    *analysis.Analyzer
	Diagnostics []analysis.Diagnostic // of enabled analyzers on packages analyzed in full
	Err         error
	// Skipped: the analysis did not run (a prerequisite failed, or the
	// package has type errors and the analyzer does not run despite them).
	Skipped bool
}

// A Package is one package to analyze.
type Package struct {
	*packages.Package
	// Full: run every analyzer of the plan (the package is analyzed from
	// source for its own diagnostics), else only the fact producers (it
	// is analyzed because others import it).
	Full bool
	// ReadFile serves pass.ReadFile (the language server gives the
	// editor's unsaved text).
	ReadFile func(name string) ([]byte, error)
	// FactsDone, if set, is called once the package's facts are in the
	// store, before the analyses that produce none: its importers may
	// start then.
	FactsDone func()
}

// Run runs the plan on pkg, puts pkg's facts into the store and returns
// an outcome for every analysis the plan runs on it (prerequisites too),
// in the order they ran.
func (pl *Plan) Run(pkg Package, store *Store) []Outcome {
	facts := newFacts()
	first, rest := pl.order(pkg.Full)
	if pkg.Types == nil { // nothing to analyze
		if pkg.FactsDone != nil {
			pkg.FactsDone()
		}
		return nil
	}
	r := &run{
		plan:    pl,
		pkg:     pkg,
		store:   store,
		facts:   facts,
		results: make(map[*analysis.Analyzer]any),
		failed:  make(map[*analysis.Analyzer]error),
		module:  &analysis.Module{},
	}
	if m := pkg.Module; m != nil {
		r.module = &analysis.Module{Path: m.Path, Version: m.Version, GoVersion: m.GoVersion}
	}
	out := make([]Outcome, 0, len(first)+len(rest))
	for _, a := range first {
		out = append(out, r.analyze(a))
	}
	for a := range r.failed {
		facts.failed[a] = true
	}
	store.set(pkg.Types, facts)
	if pkg.FactsDone != nil {
		pkg.FactsDone()
	}
	for _, a := range rest {
		out = append(out, r.analyze(a))
	}
	return out
}

// run is one Run in progress: the results of the package's analyses that
// have run, which live until it returns.
type run struct {
	plan    *Plan
	pkg     Package
	store   *Store
	facts   *Facts
	results map[*analysis.Analyzer]any
	failed  map[*analysis.Analyzer]error
	module  *analysis.Module
	seen    map[*types.Package]*Facts // visible facts, once asked for
}

// analyze runs one analyzer on the package, as checker.Analyze runs an
// action.
func (r *run) analyze(a *analysis.Analyzer) Outcome {
	pkg := r.pkg
	var bad []string
	for _, req := range a.Requires {
		if r.failed[req] != nil {
			bad = append(bad, fmt.Sprintf("%s@%s", req.Name, pkg.PkgPath))
		}
	}
	if len(a.FactTypes) > 0 {
		bad = append(bad, r.store.failedOnImports(pkg.Types, a)...)
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return r.skip(a, fmt.Errorf("failed prerequisites: %s", strings.Join(bad, ", ")))
	}
	if pkg.IllTyped && !a.RunDespiteErrors {
		return r.skip(a, fmt.Errorf("analysis skipped due to errors in package"))
	}
	inputs := make(map[*analysis.Analyzer]any, len(a.Requires))
	for _, req := range a.Requires {
		inputs[req] = r.results[req]
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
		Module:       r.module,
		ResultOf:     inputs,
		Report: func(d analysis.Diagnostic) {
			if err := validateFixes(pkg.Fset, d.SuggestedFixes); err != nil {
				panic(fmt.Sprintf("analyzer %q suggests a malformed fix: %v", a.Name, err)) // the analysis's error (runSafely)
			}
			reported = append(reported, d)
		},
	}
	pass.ImportObjectFact = r.importObjectFact
	pass.ExportObjectFact = func(obj types.Object, fact analysis.Fact) {
		if obj.Pkg() != pkg.Types {
			panic(fmt.Sprintf("internal error: in analysis %s of package %s: Fact.Set(%s, %T): can't set facts on objects belonging another package", a, pkg.PkgPath, obj, fact))
		}
		t := reflect.TypeOf(fact)
		if r.facts.objects[t] == nil {
			r.facts.objects[t] = make(map[types.Object]analysis.Fact)
		}
		r.facts.objects[t][obj] = fact
	}
	pass.ImportPackageFact = r.importPackageFact
	pass.ExportPackageFact = func(fact analysis.Fact) {
		r.facts.packages[reflect.TypeOf(fact)] = fact
	}
	pass.AllObjectFacts = func() []analysis.ObjectFact { return r.allObjectFacts(a) }
	pass.AllPackageFacts = func() []analysis.PackageFact { return r.allPackageFacts(a) }
	readFile := pkg.ReadFile
	pass.ReadFile = func(name string) ([]byte, error) {
		if !readable(pass, name) {
			return nil, fmt.Errorf("Pass.ReadFile: %s is not among OtherFiles, IgnoredFiles, or names of Files", name)
		}
		return readFile(name)
	}

	result, err := runSafely(a, pass)
	if err == nil && reflect.TypeOf(result) != a.ResultType {
		err = fmt.Errorf("internal error: on package %s, analyzer %s returned a result of type %v, but declared ResultType %v", pkg.PkgPath, a, reflect.TypeOf(result), a.ResultType)
	}
	for i := range reported {
		if err != nil {
			break
		}
		reported[i].URL, err = resolveURL(a, reported[i])
	}
	pass.ExportObjectFact, pass.ExportPackageFact = nil, nil // an analyzer keeping the pass must not export later
	if err != nil {
		return r.fail(a, err)
	}
	r.results[a] = result
	out := Outcome{Analyzer: a}
	if r.plan.enabled[a] && pkg.Full {
		out.Diagnostics = reported
	}
	return out
}

func (r *run) fail(a *analysis.Analyzer, err error) Outcome {
	r.failed[a] = err
	return Outcome{Analyzer: a, Err: err}
}

func (r *run) skip(a *analysis.Analyzer, err error) Outcome {
	o := r.fail(a, err)
	o.Skipped = true
	return o
}

func (r *run) importObjectFact(obj types.Object, ptr analysis.Fact) bool {
	if obj == nil {
		panic("nil object")
	}
	f := r.facts
	if obj.Pkg() != r.pkg.Types {
		if !importable(obj) {
			return false
		}
		if f = r.store.get(obj.Pkg()); f == nil {
			return false
		}
	}
	if v, ok := f.objects[reflect.TypeOf(ptr)][obj]; ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
		return true
	}
	return false
}

func (r *run) importPackageFact(p *types.Package, ptr analysis.Fact) bool {
	if p == nil {
		panic("nil package")
	}
	f := r.facts
	if p != r.pkg.Types {
		if f = r.store.get(p); f == nil {
			return false
		}
	}
	if v, ok := f.packages[reflect.TypeOf(ptr)]; ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
		return true
	}
	return false
}

// visible returns the facts the package sees: its own and those of its
// transitive imports. Computed once per Run; the imports' facts are
// complete before the package starts.
func (r *run) visible() map[*types.Package]*Facts {
	if r.seen == nil {
		r.seen = r.store.visible(r.pkg.Types, r.facts)
	}
	return r.seen
}

func (r *run) allObjectFacts(a *analysis.Analyzer) []analysis.ObjectFact {
	var out []analysis.ObjectFact
	for p, f := range r.visible() {
		for _, t := range a.FactTypes {
			for obj, v := range f.objects[reflect.TypeOf(t)] {
				if p == r.pkg.Types || importable(obj) {
					out = append(out, analysis.ObjectFact{Object: obj, Fact: v})
				}
			}
		}
	}
	return out
}

func (r *run) allPackageFacts(a *analysis.Analyzer) []analysis.PackageFact {
	var out []analysis.PackageFact
	for p, f := range r.visible() {
		for t, v := range f.packages {
			if ofType(a, t) {
				out = append(out, analysis.PackageFact{Package: p, Fact: v})
			}
		}
	}
	return out
}

// ofType reports whether t is one of a's fact types: a pass sees only its
// own analyzer's facts.
func ofType(a *analysis.Analyzer, t reflect.Type) bool {
	return slices.ContainsFunc(a.FactTypes, func(f analysis.Fact) bool { return reflect.TypeOf(f) == t })
}

// runSafely runs a, turning a panic into an error: one analyzer's bug on
// one package (half-typed code in the editor) must not take every other
// diagnostic down.
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

// resolveURL is what the checker does to a diagnostic's URL: relative to
// the analyzer's URL, defaulting to "#category".
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
