package main_test

// Issue 16: the command line a Go user types first (version, help, -tags,
// patterns that match nothing), through the built binary.

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/analyzers/all"
)

// TestVersion: restatelint version and -version print the module version
// and VCS revision the go command recorded in the binary (go version -m
// reads the same build information), the Go version and the supported SDK
// versions; go vet's -V=full query still gets unitchecker's answer.
func TestVersion(t *testing.T) {
	info, err := runIn(".", "go", "version", "-m", binary)
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, info)
	}
	modVersion, revision := "", ""
	for _, line := range strings.Split(info, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 3 && f[0] == "mod":
			modVersion = f[2]
		case len(f) >= 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision="):
			revision = strings.TrimPrefix(f[1], "vcs.revision=")[:12]
		}
	}
	if modVersion == "" {
		t.Fatalf("no mod line in go version -m:\n%s", info)
	}
	for _, args := range [][]string{{"version"}, {"-version"}, {"-version", "./..."}} {
		out, err := runIn(".", binary, args...)
		if err != nil {
			t.Errorf("restatelint %v: %v\n%s", args, err, out)
			continue
		}
		first, _, _ := strings.Cut(out, "\n")
		if !strings.HasPrefix(first, "restatelint "+modVersion) {
			t.Errorf("restatelint %v: first line %q, want restatelint %s", args, first, modVersion)
		}
		if revision != "" && !strings.Contains(first, revision) {
			t.Errorf("restatelint %v: first line %q lacks the VCS revision %s", args, first, revision)
		}
		for _, want := range []string{runtime.Version(), all.SDKVersions, "v1.2.0", "v0.24.0"} {
			if !strings.Contains(out, want) {
				t.Errorf("restatelint %v: output lacks %q:\n%s", args, want, out)
			}
		}
	}
	if out, err := runIn(".", binary, "version", "./..."); exitCode(err) != 1 || !strings.Contains(out, "no arguments") {
		t.Errorf("restatelint version ./...: exit %d\n%s", exitCode(err), out)
	}
	if out, err := runIn(".", binary, "-V=full"); err != nil || !strings.Contains(out, " version ") || !strings.Contains(out, "buildID=") {
		t.Errorf("restatelint -V=full (go vet's query): %v\n%s", err, out)
	}
}

// TestHelp: help lists every analyzer with its one-line doc; help NAME
// prints the analyzer's doc, options and documentation URL; an unknown
// name is an error.
func TestHelp(t *testing.T) {
	out, err := runIn(".", binary, "help")
	if err != nil {
		t.Fatalf("restatelint help: %v\n%s", err, out)
	}
	for _, a := range all.Analyzers() {
		title, _, _ := strings.Cut(a.Doc, "\n")
		if !strings.Contains(out, a.Name+" ") || !strings.Contains(out, title) {
			t.Errorf("restatelint help does not list %s with %q:\n%s", a.Name, title, out)
		}
	}
	for _, a := range all.Analyzers() {
		out, err := runIn(".", binary, "help", a.Name)
		if err != nil {
			t.Errorf("restatelint help %s: %v\n%s", a.Name, err, out)
			continue
		}
		_, body, _ := strings.Cut(a.Doc, "\n\n")
		for _, want := range []string{a.Name + ": ", a.URL, strings.TrimSpace(body)} {
			if !strings.Contains(out, want) {
				t.Errorf("restatelint help %s lacks %q:\n%s", a.Name, want, out)
			}
		}
	}
	if out, _ := runIn(".", binary, "help", "reach"); !strings.Contains(out, "-reach.scope") {
		t.Errorf("restatelint help reach does not show the scope option:\n%s", out)
	}
	if out, err := runIn(".", binary, "help", "walltime", "nosuch"); exitCode(err) != 1 || !strings.Contains(out, `no analyzer named "nosuch"`) {
		t.Errorf("restatelint help nosuch: exit %d\n%s", exitCode(err), out)
	}
	if out, err := runIn(".", binary, "-help"); err != nil || !strings.Contains(out, "-tags") || !strings.Contains(out, "GOFLAGS") {
		t.Errorf("restatelint -help: %v\n%s", err, out)
	}
}

// TestBuildTags: files behind a build constraint are analyzed with -tags
// (and with GOFLAGS=-tags=..., the way to pass other build flags) and
// not without.
func TestBuildTags(t *testing.T) {
	dir := copyDemo(t)
	tagged := `//go:build integration

package shipping

import (
	"time"

	restate "github.com/restatedev/sdk-go"
)

type Probe struct{}

func (Probe) Check(ctx restate.ObjectContext) error {
	restate.Set(ctx, "at", time.Now().String())
	return nil
}
`
	if err := os.WriteFile(filepath.Join(dir, "shipping", "probe.go"), []byte(tagged), 0o644); err != nil {
		t.Fatal(err)
	}
	finding := "shipping/probe.go:14:"
	out, err := runIn(dir, binary, "./shipping")
	if exitCode(err) != 0 || strings.Contains(out, finding) {
		t.Errorf("without -tags: exit %d\n%s", exitCode(err), out)
	}
	out, err = runIn(dir, binary, "-tags=integration", "./shipping")
	if exitCode(err) != 3 || !strings.Contains(out, finding) {
		t.Errorf("-tags=integration: exit %d, want 3 with a finding at %s\n%s", exitCode(err), finding, out)
	}
	cmd := exec.Command(binary, "./shipping")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-tags=integration")
	b, err := cmd.CombinedOutput()
	if exitCode(err) != 3 || !strings.Contains(string(b), finding) {
		t.Errorf("GOFLAGS=-tags=integration: exit %d, want 3 with a finding at %s\n%s", exitCode(err), finding, b)
	}
}

// TestPatternsMatchingNothing: a pattern that matches no package, or a
// package path that does not exist, is an error (exit 1) that names it,
// also beside patterns that do match; patterns that match stay quiet
// about it.
func TestPatternsMatchingNothing(t *testing.T) {
	demo, err := filepath.Abs(filepath.Join("..", "..", "testdata", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	quiet := []string{"-walltime=false", "-randomness=false", "-sideeffect=false", "-idempotencykey=false", "-statecounter=false"}
	for _, tc := range []struct {
		patterns []string
		want     string
	}{
		{[]string{"./nosuch/..."}, `pattern "./nosuch/..." matched no packages`},
		{[]string{"example.com/demo/nosuch/..."}, `pattern "example.com/demo/nosuch/..." matched no packages`},
		{[]string{"./shipping", "example.com/demo/shipng/..."}, `pattern "example.com/demo/shipng/..." matched no packages`},
		{[]string{"./shipping/...", filepath.Join(demo, "nosuch") + "/..."}, "matched no packages"},
		{[]string{"example.com/demo/paymnt"}, "no required module provides package example.com/demo/paymnt"},
		{[]string{"./shipping", "./paymnt"}, "paymnt"},
		{[]string{"./cmd"}, "no Go files in"},
	} {
		out, err := runIn(demo, binary, append(quiet, tc.patterns...)...)
		if exitCode(err) != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("restatelint %v: exit %d, want 1 and %q:\n%s", tc.patterns, exitCode(err), tc.want, out)
		}
		if strings.Contains(out, "-: ") {
			t.Errorf("restatelint %v: error printed with go/packages' \"-: \" prefix:\n%s", tc.patterns, out)
		}
	}
	for _, patterns := range [][]string{
		{"./shipping/..."},
		{"example.com/demo/..."},
		{"example.com/demo/shipping/..."},
		{filepath.Join(demo, "shipping") + "/..."},
		{"../demo/shipping/..."},
		{"-C", "shipping", "./..."},
	} {
		out, err := runIn(demo, binary, append(quiet, patterns...)...)
		if code := exitCode(err); code != 0 && code != 3 || strings.Contains(out, "matched no packages") {
			t.Errorf("restatelint %v: exit %d\n%s", patterns, code, out)
		}
	}
}

// TestProfiles: -cpuprofile and -memprofile write profiles pprof reads,
// without changing the findings or the exit code; an unwritable path is
// an error.
func TestProfiles(t *testing.T) {
	dir := copyDemo(t)
	cpu, mem := filepath.Join(t.TempDir(), "cpu.prof"), filepath.Join(t.TempDir(), "mem.prof")
	out, err := runIn(dir, binary, "-cpuprofile="+cpu, "-memprofile="+mem, "./...")
	if exitCode(err) != 3 {
		t.Fatalf("exit %d, want 3 (findings)\n%s", exitCode(err), out)
	}
	for _, p := range []string{cpu, mem} {
		b, err := exec.Command("go", "tool", "pprof", "-top", binary, p).CombinedOutput()
		if err != nil || !strings.Contains(string(b), "flat") {
			t.Errorf("go tool pprof %s: %v\n%s", p, err, b)
		}
	}
	out, err = runIn(dir, binary, "-cpuprofile="+filepath.Join(dir, "no", "such", "dir", "cpu.prof"), "./...")
	if exitCode(err) != 1 || !strings.Contains(out, "-cpuprofile") {
		t.Errorf("unwritable -cpuprofile: exit %d, want 1 naming the flag\n%s", exitCode(err), out)
	}
}
