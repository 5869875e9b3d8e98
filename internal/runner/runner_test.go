package runner

import (
	"errors"
	"go/ast"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"weak"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/packages"
)

// module is a module whose packages import each other (top -> mid ->
// base), so that a fact-producing analyzer runs on imports too, and with a
// package that does not type-check.
var module = map[string]string{
	"go.mod":         "module example.com/run\n\ngo 1.22\n",
	"base/base.go":   "package base\n\nfunc Base() int { return 1 }\n\nfunc hidden() {}\n",
	"mid/mid.go":     "package mid\n\nimport \"example.com/run/base\"\n\nfunc Mid() int { return base.Base() + 1 }\n",
	"top/top.go":     "package top\n\nimport \"example.com/run/mid\"\n\nfunc Top() int { return mid.Mid() }\n",
	"top/helpers.go": "package top\n\nfunc helper() {}\n",
	"broken/bad.go":  "package broken\n\nfunc Bad() int { return \"not an int\" }\n",
}

// load loads the module and returns its packages in dependency order
// (base, mid, top, broken's place unspecified).
func load(t *testing.T) []*packages.Package {
	t.Helper()
	dir := t.TempDir()
	for name, content := range module {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pkgs, err := packages.Load(&packages.Config{
		Mode: packages.LoadSyntax | packages.NeedModule,
		Dir:  dir,
		Env:  append(os.Environ(), "GOFLAGS=", "GOPROXY=off", "GOWORK=off"),
	}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 4 {
		t.Fatalf("loaded %d packages, want 4", len(pkgs))
	}
	var ordered []*packages.Package
	for p := range packages.Postorder(pkgs) {
		ordered = append(ordered, p)
	}
	return ordered
}

func byName(pkgs []*packages.Package, name string) *packages.Package {
	for _, p := range pkgs {
		if p.Name == name {
			return p
		}
	}
	panic("no package " + name)
}

type pkgFact struct{ Path string }

func (*pkgFact) AFact() {}

type funcFact struct{}

func (*funcFact) AFact() {}

// factsAnalyzer exports a package fact and a fact on every function, and
// checks that it finds the package fact of every import.
func factsAnalyzer(t *testing.T) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      "facts",
		Doc:       "exports facts, which it finds on every import",
		Requires:  []*analysis.Analyzer{inspect.Analyzer},
		FactTypes: []analysis.Fact{(*pkgFact)(nil), (*funcFact)(nil)},
		Run: func(pass *analysis.Pass) (any, error) {
			for _, imp := range pass.Pkg.Imports() {
				var f pkgFact
				if !pass.ImportPackageFact(imp, &f) || f.Path != imp.Path() {
					t.Errorf("%s: no fact for import %s", pass.Pkg.Path(), imp.Path())
				}
			}
			pass.ExportPackageFact(&pkgFact{pass.Pkg.Path()})
			for _, name := range pass.Pkg.Scope().Names() {
				pass.ExportObjectFact(pass.Pkg.Scope().Lookup(name), new(funcFact))
			}
			return nil, nil
		},
	}
}

// runAll runs plan on every package in order (the roots full) and returns
// the outcomes by package name.
func runAll(plan *Plan, pkgs []*packages.Package, full func(*packages.Package) bool) (map[string][]Outcome, *Store) {
	store := NewStore()
	out := make(map[string][]Outcome)
	var mu sync.Mutex
	InOrder(pkgs, func(p *packages.Package) []*packages.Package {
		var deps []*packages.Package
		for _, imp := range p.Imports {
			deps = append(deps, imp)
		}
		return deps
	}, func(p *packages.Package, ready func()) {
		o := plan.Run(Package{Package: p, Full: full(p), ReadFile: os.ReadFile, FactsDone: ready}, store)
		mu.Lock()
		out[p.Name] = o
		mu.Unlock()
	})
	return out, store
}

// TestFactsAndDiagnostics: facts flow to importers (also transitively,
// for AllObjectFacts, but never a function only its package can name);
// the rule's diagnostics are kept on packages analyzed in full; on a
// package analyzed for its facts only the fact producers run; a package
// with type errors skips what does not run despite them.
func TestFactsAndDiagnostics(t *testing.T) {
	pkgs := load(t)
	facts := factsAnalyzer(t)
	var sawAll []string
	var mu sync.Mutex
	rule := &analysis.Analyzer{
		Name:     "rule",
		Doc:      "reports every function",
		Requires: []*analysis.Analyzer{inspect.Analyzer, facts},
		Run: func(pass *analysis.Pass) (any, error) {
			in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
			for n := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
				pass.Reportf(n.Node().Pos(), "func %s", n.Node().(*ast.FuncDecl).Name.Name)
			}
			return nil, nil
		},
	}
	// facts sees the object facts of what top imports, transitively.
	facts.Run = wrapRun(facts.Run, func(pass *analysis.Pass) {
		if pass.Pkg.Name() != "top" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, f := range pass.AllObjectFacts() {
			sawAll = append(sawAll, f.Object.Pkg().Name()+"."+f.Object.Name())
		}
	})
	plan := NewPlan([]*analysis.Analyzer{rule})
	outcomes, store := runAll(plan, pkgs, func(p *packages.Package) bool { return p.Name != "mid" })

	diags := func(name string) (out []string) {
		for _, o := range outcomes[name] {
			for _, d := range o.Diagnostics {
				out = append(out, o.Analyzer.Name+": "+d.Message)
			}
		}
		slices.Sort(out)
		return out
	}
	if got, want := diags("top"), []string{"rule: func Top", "rule: func helper"}; !slices.Equal(got, want) {
		t.Errorf("top: %q, want %q", got, want)
	}
	if got := diags("mid"); len(got) != 0 {
		t.Errorf("mid, analyzed for its facts only, reports %q", got)
	}
	for _, o := range outcomes["mid"] {
		if o.Analyzer == rule {
			t.Errorf("the rule ran on mid, which is analyzed for its facts only")
		}
	}
	for _, o := range outcomes["broken"] {
		if o.Analyzer == inspect.Analyzer { // runs despite errors
			continue
		}
		if o.Err == nil || !o.Skipped || !strings.Contains(o.Err.Error(), "analysis skipped due to errors in package") && !strings.Contains(o.Err.Error(), "failed prerequisites") {
			t.Errorf("broken: %s: err %v, skipped %v; want it skipped", o.Analyzer.Name, o.Err, o.Skipped)
		}
	}
	slices.Sort(sawAll)
	if want := []string{"base.Base", "mid.Mid"}; !slices.Equal(sawAll, want) {
		t.Errorf("top's AllObjectFacts before it exports any: %q, want %q (base.hidden is not importable)", sawAll, want)
	}
	base := byName(pkgs, "base")
	var f funcFact
	r := &run{pkg: Package{Package: byName(pkgs, "top")}, store: store, facts: newFacts()}
	if !r.importObjectFact(base.Types.Scope().Lookup("Base"), &f) {
		t.Errorf("top does not find base.Base's fact")
	}
	if r.importObjectFact(base.Types.Scope().Lookup("hidden"), &f) {
		t.Errorf("top finds the fact of base.hidden, which only base can name")
	}
}

func wrapRun(run func(*analysis.Pass) (any, error), before func(*analysis.Pass)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (any, error) {
		before(pass)
		return run(pass)
	}
}

// TestFailuresPropagate: a fact producer failing on a package fails on
// its importers ("failed prerequisites", the checker's wording), and so
// does what requires it; a panic is the analysis's error.
func TestFailuresPropagate(t *testing.T) {
	pkgs := load(t)
	facts := &analysis.Analyzer{
		Name:      "facts",
		Doc:       "fails on base, panics on nothing else",
		FactTypes: []analysis.Fact{(*pkgFact)(nil)},
		Run: func(pass *analysis.Pass) (any, error) {
			if pass.Pkg.Name() == "base" {
				return nil, errors.New("no base")
			}
			return nil, nil
		},
	}
	rule := &analysis.Analyzer{
		Name:     "rule",
		Doc:      "panics",
		Requires: []*analysis.Analyzer{facts},
		Run:      func(pass *analysis.Pass) (any, error) { panic("boom") },
	}
	rule.RunDespiteErrors = true
	facts.RunDespiteErrors = true
	outcomes, _ := runAll(NewPlan([]*analysis.Analyzer{rule}), pkgs, func(*packages.Package) bool { return true })
	errOf := func(pkg string, a *analysis.Analyzer) Outcome {
		for _, o := range outcomes[pkg] {
			if o.Analyzer == a {
				return o
			}
		}
		t.Fatalf("%s: %s did not run", pkg, a.Name)
		return Outcome{}
	}
	if o := errOf("base", facts); o.Err == nil || o.Err.Error() != "no base" || o.Skipped {
		t.Errorf("facts on base: %v (skipped %v)", o.Err, o.Skipped)
	}
	if o := errOf("mid", facts); o.Err == nil || o.Err.Error() != "failed prerequisites: facts@example.com/run/base" || !o.Skipped {
		t.Errorf("facts on mid: %v (skipped %v)", o.Err, o.Skipped)
	}
	if o := errOf("top", rule); o.Err == nil || !strings.HasPrefix(o.Err.Error(), "failed prerequisites: facts@example.com/run/top") {
		t.Errorf("rule on top: %v", o.Err)
	}
	if o := errOf("broken", rule); o.Err == nil || !strings.HasPrefix(o.Err.Error(), "panic: boom") || o.Skipped {
		t.Errorf("rule on broken: %v (skipped %v)", o.Err, o.Skipped)
	}
}

// TestResultsNotKept: once a package's analyses have run, nothing the
// runner keeps holds their results: each package's inspector (as large as
// its syntax trees) can be collected while the others run.
func TestResultsNotKept(t *testing.T) {
	pkgs := load(t)
	var mu sync.Mutex
	var seen []weak.Pointer[inspector.Inspector]
	rule := &analysis.Analyzer{
		Name:     "rule",
		Doc:      "records the inspector",
		Requires: []*analysis.Analyzer{inspect.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, weak.Make(pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)))
			return nil, nil
		},
	}
	outcomes, store := runAll(NewPlan([]*analysis.Analyzer{rule}), pkgs, func(*packages.Package) bool { return true })
	if len(seen) != 3 { // not broken: inspect does not run despite errors
		t.Fatalf("the rule ran %d times, want 3", len(seen))
	}
	runtime.GC()
	for _, w := range seen {
		if w.Value() != nil {
			t.Errorf("an inspector is still reachable after its package's analyses ran")
		}
	}
	runtime.KeepAlive(outcomes)
	runtime.KeepAlive(store)
	runtime.KeepAlive(pkgs)
}

// TestInOrder: a unit starts only once its dependencies are ready, and
// a dependency that calls ready lets its dependents start while it still
// works (what lets a package's importers start once its facts are out).
func TestInOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	deps := map[string][]string{"top": {"mid"}, "mid": {"base"}, "base": nil, "other": nil}
	units := []string{"top", "mid", "base", "other"}
	var mu sync.Mutex
	var started []string
	midStarted := make(chan struct{})
	InOrder(units, func(u string) []string { return deps[u] }, func(u string, ready func()) {
		mu.Lock()
		started = append(started, u)
		mu.Unlock()
		switch u {
		case "base":
			ready()
			select { // mid may start now, while base still works
			case <-midStarted:
			case <-time.After(10 * time.Second):
				t.Errorf("mid did not start after base was ready")
			}
		case "mid":
			close(midStarted)
		}
	})
	pos := func(u string) int { return slices.Index(started, u) }
	if len(started) != 4 || pos("base") > pos("mid") || pos("mid") > pos("top") {
		t.Errorf("started in order %v", started)
	}
}

// TestMalformedFix: a diagnostic whose fix has overlapping edits fails
// the analysis, as in the checker, instead of reaching -fix.
func TestMalformedFix(t *testing.T) {
	pkgs := load(t)
	rule := &analysis.Analyzer{
		Name: "rule",
		Doc:  "suggests a fix whose edits overlap",
		Run: func(pass *analysis.Pass) (any, error) {
			f := pass.Files[0]
			pass.Report(analysis.Diagnostic{Pos: f.Pos(), Message: "bad fix", SuggestedFixes: []analysis.SuggestedFix{{
				Message: "overlap",
				TextEdits: []analysis.TextEdit{
					{Pos: f.Pos(), End: f.Name.End(), NewText: []byte("a")},
					{Pos: f.Name.Pos(), End: f.Name.End(), NewText: []byte("b")},
				},
			}}})
			return nil, nil
		},
	}
	outcomes, _ := runAll(NewPlan([]*analysis.Analyzer{rule}), pkgs, func(*packages.Package) bool { return true })
	for _, o := range outcomes["base"] {
		if o.Err == nil || !strings.Contains(o.Err.Error(), "overlapping edits") || len(o.Diagnostics) > 0 {
			t.Errorf("base: %v, %d diagnostics; want the analysis failed on the overlapping edits", o.Err, len(o.Diagnostics))
		}
	}
}

// TestPlan: prerequisites come first; the fact producers and what they
// require run first on a package analyzed in full, alone on one analyzed
// for its facts; the rest keep their order.
func TestPlan(t *testing.T) {
	base := &analysis.Analyzer{Name: "base", Doc: "d", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	facts := &analysis.Analyzer{Name: "facts", Doc: "d", Requires: []*analysis.Analyzer{base}, FactTypes: []analysis.Fact{(*pkgFact)(nil)}}
	solo := &analysis.Analyzer{Name: "solo", Doc: "d"}
	rule := &analysis.Analyzer{Name: "rule", Doc: "d", Requires: []*analysis.Analyzer{solo, facts}}
	names := func(as []*analysis.Analyzer) (out []string) {
		for _, a := range as {
			out = append(out, a.Name)
		}
		return out
	}
	p := NewPlan([]*analysis.Analyzer{rule})
	if got, want := names(p.Source), []string{"solo", "base", "facts", "rule"}; !slices.Equal(got, want) {
		t.Errorf("Source %v, want %v", got, want)
	}
	first, rest := p.order(true)
	if got, want := append(names(first), names(rest)...), []string{"base", "facts", "solo", "rule"}; !slices.Equal(got, want) {
		t.Errorf("full order %v, want %v", got, want)
	}
	first, rest = p.order(false)
	if got := append(names(first), names(rest)...); !slices.Equal(got, []string{"base", "facts"}) {
		t.Errorf("facts-only order %v, want [base facts]", got)
	}
	if !p.Enabled(rule) || p.Enabled(facts) {
		t.Errorf("Enabled: rule %v, facts %v", p.Enabled(rule), p.Enabled(facts))
	}
}
