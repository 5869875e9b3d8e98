package wholeprogram_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/analyzers/deadlock"
	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/wholeprogram"
	"github.com/restatelint/restatelint/internal/testkit"
)

// cycleArchive is the module of two services in packages that never
// import each other; the standalone command's and the language server's
// tests use it too.
const cycleArchive = "../../testdata/wholeprogram/cycle.txtar"

// TestCycleAcrossPackages: per package, nothing sees the cycle between
// cart and stock (neither imports the other); the whole-program step
// reports every unsuppressed call on it, at the lines marked "want: cycle".
func TestCycleAcrossPackages(t *testing.T) {
	dir := analyzertest.Module(t, cycleArchive)
	pkgs, err := packages.Load(&packages.Config{
		Mode: packages.LoadSyntax | packages.NeedModule,
		Dir:  dir,
		Env:  append(os.Environ(), "GOPROXY=off"),
	}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("fixture does not load")
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{deadlock.Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(graph, dir); len(got) != 0 {
		t.Fatalf("per-package analysis reports %v; want nothing (the packages do not import each other)", got)
	}
	wholeprogram.Run(graph)
	got := lines(graph, dir)
	want := testkit.Marked(t, dir, "// want: cycle")
	if len(want) == 0 {
		t.Fatal("the fixture marks no line")
	}
	if !slices.Equal(got, want) {
		t.Errorf("whole-program findings at %v, want %v", got, want)
	}
	for act := range graph.All() {
		for _, d := range act.Diagnostics {
			if !strings.Contains(d.Message, "(Cart.Checkout → Stock.Reserve → Cart.Confirm)") && !strings.Contains(d.Message, "(Cart.Release → Stock.Return → Cart.Confirm)") {
				t.Errorf("message does not name the cycle: %s", d.Message)
			}
		}
	}
}

// lines returns "file:line" of every diagnostic of the graph (relative
// to dir), sorted.
func lines(graph *checker.Graph, dir string) []string {
	var out []string
	for _, act := range graph.Roots {
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			rel, _ := filepath.Rel(dir, p.Filename)
			out = append(out, fmt.Sprintf("%s:%d", filepath.ToSlash(rel), p.Line))
		}
	}
	slices.Sort(out)
	return out
}
