package driver

import (
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/packages"
)

// releaseModule is a module whose packages import each other (top ->
// mid -> base), so that a fact-producing analyzer runs on imports too,
// and with a package that does not type-check, whose analyses the
// checker skips.
var releaseModule = map[string]string{
	"go.mod":         "module example.com/rel\n\ngo 1.22\n",
	"base/base.go":   "package base\n\nfunc Base() int { return 1 }\n",
	"mid/mid.go":     "package mid\n\nimport \"example.com/rel/base\"\n\nfunc Mid() int { return base.Base() + 1 }\n",
	"top/top.go":     "package top\n\nimport \"example.com/rel/mid\"\n\nfunc Top() int { return mid.Mid() }\n",
	"broken/bad.go":  "package broken\n\nfunc Bad() int { return \"not an int\" }\n",
	"top/helpers.go": "package top\n\nfunc helper() {}\n",
}

type pkgFact struct{}

func (*pkgFact) AFact() {}

// releaseAnalyzers returns a fact-producing analyzer and a rule that
// requires it, both reading the inspector, and a record of the
// inspectors they saw with the number of nodes each held then.
func releaseAnalyzers(t *testing.T) (facts, rule *analysis.Analyzer, seen func() map[*inspector.Inspector]int) {
	var mu sync.Mutex
	nodes := make(map[*inspector.Inspector]int)
	record := func(pass *analysis.Pass) {
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector) // keyed by the original
		n := 0
		for range in.Root().Preorder() {
			n++
		}
		mu.Lock()
		nodes[in] = n
		mu.Unlock()
	}
	facts = &analysis.Analyzer{
		Name:      "facts",
		Doc:       "exports a package fact, which it finds on every import",
		Requires:  []*analysis.Analyzer{inspect.Analyzer},
		FactTypes: []analysis.Fact{(*pkgFact)(nil)},
		Run: func(pass *analysis.Pass) (any, error) {
			if pass.Analyzer.Name != "facts" {
				t.Errorf("pass.Analyzer is %v", pass.Analyzer)
			}
			record(pass)
			for _, imp := range pass.Pkg.Imports() {
				if !pass.ImportPackageFact(imp, new(pkgFact)) {
					t.Errorf("%s: no fact for import %s", pass.Pkg.Path(), imp.Path())
				}
			}
			pass.ExportPackageFact(new(pkgFact))
			return nil, nil
		},
	}
	rule = &analysis.Analyzer{
		Name:     "rule",
		Doc:      "reports every function",
		Requires: []*analysis.Analyzer{inspect.Analyzer, facts},
		Run: func(pass *analysis.Pass) (any, error) {
			record(pass)
			in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
			for n := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
				pass.Reportf(n.Node().Pos(), "func %s", n.Node().(*ast.FuncDecl).Name.Name)
			}
			return nil, nil
		},
	}
	return facts, rule, func() map[*inspector.Inspector]int {
		mu.Lock()
		defer mu.Unlock()
		return nodes
	}
}

func loadReleaseModule(t *testing.T) []*packages.Package {
	t.Helper()
	dir := t.TempDir()
	for name, content := range releaseModule {
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
	return pkgs
}

// TestReleaseInspectors: once the analysis is over, the inspector of
// every package whose analyses all ran is empty, while every analysis
// saw it full, with ResultOf keyed by the original analyzers; the graph
// holds the original analyzers again and the diagnostics are there.
func TestReleaseInspectors(t *testing.T) {
	pkgs := loadReleaseModule(t)
	facts, rule, seen := releaseAnalyzers(t)
	l := &loaded{all: pkgs, reported: make(map[*packages.Package]bool)}
	for _, p := range pkgs {
		l.reported[p] = true
	}
	graph, err := analyze([]*analysis.Analyzer{rule}, l)
	if err != nil {
		t.Fatal(err)
	}

	diagnostics := 0
	for act := range graph.All() {
		if act.Analyzer != rule && act.Analyzer != facts && act.Analyzer != inspect.Analyzer {
			t.Errorf("graph holds %v (%p), not an original analyzer", act.Analyzer, act.Analyzer)
		}
		diagnostics += len(act.Diagnostics)
	}
	if diagnostics != 4 { // Base, Mid, Top, helper
		t.Errorf("got %d diagnostics, want 4", diagnostics)
	}

	inspectors := seen()
	if len(inspectors) != 3 { // broken is skipped: it does not type-check
		t.Errorf("analyses saw %d inspectors, want 3 (base, mid, top)", len(inspectors))
	}
	for in, n := range inspectors {
		if n == 0 {
			t.Errorf("an analysis saw an empty inspector")
		}
		left := 0
		for range in.Root().Preorder() {
			left++
		}
		if left != 0 {
			t.Errorf("an inspector still holds %d nodes after the analysis (saw %d)", left, n)
		}
	}
}

// TestReleaserCountsActions: the releaser's count of the actions on each
// package is the number of actions checker.Analyze runs on it, and every
// count reaches zero on packages whose analyses all run. Were the count
// too low, an inspector would be emptied while an analysis of its
// package still needs it.
func TestReleaserCountsActions(t *testing.T) {
	pkgs := loadReleaseModule(t)
	_, rule, _ := releaseAnalyzers(t)
	pruneExportDataImports(pkgs)
	roots := pkgs[:0:0]
	for _, p := range pkgs {
		if p.PkgPath != "example.com/rel/mid" { // analyzed only as an import
			roots = append(roots, p)
		}
	}
	r, copies := newReleaser([]*analysis.Analyzer{rule}, roots)
	counted := make(map[*types.Package]int)
	for pkg, st := range r.packages {
		counted[pkg] = st.pending
	}
	graph, err := checker.Analyze(copies, roots, nil)
	if err != nil {
		t.Fatal(err)
	}
	actions := make(map[*types.Package]int)
	for act := range graph.All() {
		actions[act.Package.Types]++
	}
	if len(actions) != 4 || len(counted) != len(actions) {
		t.Errorf("actions on %d packages, counted %d, want 4", len(actions), len(counted))
	}
	for pkg, n := range actions {
		if counted[pkg] != n {
			t.Errorf("%s: counted %d actions, the checker ran %d", pkg.Path(), counted[pkg], n)
		}
		left := r.packages[pkg].pending
		if pkg.Name() == "broken" {
			if left == 0 {
				t.Errorf("broken: every action counted as run, but the rule cannot run on it")
			}
		} else if left != 0 {
			t.Errorf("%s: %d actions left after the analysis", pkg.Path(), left)
		}
	}
}
