package all_test

import (
	"os"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
)

// TestBrokenCode runs every analyzer over code with syntax and type
// errors: editors run analyzers on half-typed code, so none may panic or
// fail (they all set RunDespiteErrors).
func TestBrokenCode(t *testing.T) {
	dir := analyzertest.Module(t, "testdata/broken.txtar")
	cfg := &packages.Config{
		Mode: packages.LoadSyntax | packages.NeedModule,
		Dir:  dir,
		Env:  append(os.Environ(), "GOPROXY=off"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Errors) == 0 {
		t.Fatalf("fixture should load as one package with errors, got %d packages", len(pkgs))
	}
	graph, err := checker.Analyze(all.Analyzers(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
		}
	}
}

// TestAnalyzersAreWellFormed: what nogo and the drivers rely on.
func TestAnalyzersAreWellFormed(t *testing.T) {
	seen := make(map[string]bool)
	for _, a := range all.Analyzers() {
		if seen[a.Name] {
			t.Errorf("duplicate analyzer name %s", a.Name)
		}
		seen[a.Name] = true
		if a.Doc == "" || a.URL == "" || !a.RunDespiteErrors {
			t.Errorf("%s: Doc, URL and RunDespiteErrors are required", a.Name)
		}
	}
}
