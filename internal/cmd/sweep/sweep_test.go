package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSweepSubset is the part of the corpus sweep CI runs: net/http and
// encoding/json from the standard library (with their internal packages
// in scope) and golang.org/x/mod as a main module must give no panic, no
// analysis error and no diagnostic. The demo, which has findings, checks
// that the sweep would notice them.
func TestSweepSubset(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep: skipped with -short")
	}
	work := t.TempDir()
	bin := filepath.Join(work, "restatelint")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/restatelint/restatelint/cmd/restatelint").CombinedOutput(); err != nil {
		t.Fatalf("building restatelint: %v\n%s", err, out)
	}

	demo, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze(bin, target{Module: "example.com/demo", Patterns: []string{"./..."}}, demo)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Diagnostics) == 0 || r.ok() {
		t.Fatalf("the sweep finds nothing in the demo: %s", verdict(r))
	}

	for _, tc := range []struct {
		t     target
		flags []string
	}{
		{target{Module: "std", Patterns: []string{"net/http", "encoding/json"}}, []string{"-reach.scope=net/http,encoding/json"}},
		{target{Module: "golang.org/x/mod", Version: "v0.42.0"}, nil},
	} {
		t.Run(strings.ReplaceAll(tc.t.String(), "/", "_"), func(t *testing.T) {
			r, err := sweep(bin, tc.t, work, tc.flags...)
			if err != nil {
				t.Fatal(err)
			}
			if r.Packages == 0 {
				t.Fatalf("%s matched no packages", tc.t)
			}
			t.Logf("%s: %d packages, %d lines, %v wall, %v CPU", tc.t, r.Packages, r.Lines, r.Wall, r.CPU)
			if !r.ok() {
				var b strings.Builder
				printProblems(&b, r)
				t.Errorf("%s: %s\n%s", tc.t, verdict(r), b.String())
			}
		})
	}
}
