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
)

// TestCycleAcrossPackages: per package, nothing sees the cycle between
// cart and stock (neither imports the other); the whole-program step
// reports every unsuppressed call on it, at the lines marked "want: cycle".
func TestCycleAcrossPackages(t *testing.T) {
	dir := analyzertest.Module(t, "testdata/cycle.txtar")
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
	if got := lines(graph); len(got) != 0 {
		t.Fatalf("per-package analysis reports %v; want nothing (the packages do not import each other)", got)
	}
	wholeprogram.Run(graph)
	got := lines(graph)
	want := marked(t, pkgs)
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

// lines returns "file:line" of every diagnostic of the graph, sorted.
func lines(graph *checker.Graph) []string {
	var out []string
	for _, act := range graph.Roots {
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			out = append(out, fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line))
		}
	}
	slices.Sort(out)
	return out
}

// marked returns "file:line" of every line carrying "// want: cycle".
func marked(t *testing.T, pkgs []*packages.Package) []string {
	var out []string
	for _, p := range pkgs {
		for _, name := range p.CompiledGoFiles {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range strings.Split(string(data), "\n") {
				if strings.Contains(l, "// want: cycle") {
					out = append(out, fmt.Sprintf("%s:%d", filepath.Base(name), i+1))
				}
			}
		}
	}
	slices.Sort(out)
	return out
}
