package main_test

// Issue 8's fix-safety and determinism checks, end to end through the
// binary: every fixture module gets every analyzer's fixes at once (the
// analyzer tests apply one analyzer's fixes at a time), and the output
// does not depend on how many threads run the analysis.

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/restatelint/restatelint/bench/gen/gen"
)

// extractFixture writes a fixture case laid over its SDK base module (as
// go run ./internal/cmd/fixture does: golden files left out) into a new
// directory and returns it.
func extractFixture(t *testing.T, archive string) string {
	t.Helper()
	root := filepath.Join("..", "..")
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	version := ""
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "sdk:"); ok {
			version = strings.TrimSpace(v)
		}
	}
	base, err := txtar.ParseFile(filepath.Join(root, "testdata", "sdk", version+".txtar"))
	if err != nil {
		t.Fatalf("%s: no base module for SDK %q: %v", archive, version, err)
	}
	dir := t.TempDir()
	for _, f := range append(base.Files, ar.Files...) {
		if strings.HasSuffix(f.Name, ".golden") {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	baseDownloads.Do(version, func() {
		if out, err := runIn(dir, "go", "mod", "download"); err != nil {
			t.Fatalf("go mod download for SDK %s: %v\n%s", version, err, out)
		}
	})
	return dir
}

// baseDownloads fills the module cache once per SDK base module.
var baseDownloads onceByKey

type onceByKey struct{ m sync.Map }

func (o *onceByKey) Do(key string, f func()) {
	once, _ := o.m.LoadOrStore(key, new(sync.Once))
	once.(*sync.Once).Do(f)
}

// goOffline runs a go command (or restatelint) in dir without the module
// proxy, as the fixture tests do.
func goOffline(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestFixEveryFixture: restatelint -fix with every analyzer on the demo
// and on every analyzer fixture module withholds no fix, gives code that
// builds and is gofmt-clean, and a second -fix -diff prints nothing. Fixtures that do
// not build before fixing (broken code on purpose) are skipped.
func TestFixEveryFixture(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every fixture module twice")
	}
	root := filepath.Join("..", "..")
	cases, _ := filepath.Glob(filepath.Join(root, "analyzers", "*", "testdata", "*.txtar"))
	more, _ := filepath.Glob(filepath.Join(root, "analyzers", "internal", "*", "testdata", "*.txtar"))
	cases = append(cases, more...)
	if len(cases) < 10 {
		t.Fatalf("only %d fixture cases found", len(cases))
	}
	var mu sync.Mutex
	fixed, skipped := 0, 0
	t.Run("group", func(t *testing.T) {
		t.Run("demo", func(t *testing.T) {
			t.Parallel()
			if fixAndCheck(t, copyDemo(t)) {
				mu.Lock()
				fixed++
				mu.Unlock()
			}
		})
		for _, archive := range cases {
			rel, _ := filepath.Rel(root, archive)
			t.Run(filepath.ToSlash(rel), func(t *testing.T) {
				t.Parallel()
				dir := extractFixture(t, archive)
				if out, err := goOffline(dir, "go", "build", "./..."); err != nil {
					t.Logf("skipped: does not build before fixing:\n%s", firstLines(out, 3))
					mu.Lock()
					skipped++
					mu.Unlock()
					return
				}
				if fixAndCheck(t, dir) {
					mu.Lock()
					fixed++
					mu.Unlock()
				}
			})
		}
	})
	t.Logf("%d modules (demo + %d fixtures): %d changed by -fix, %d skipped (do not build)", len(cases)+1, len(cases), fixed, skipped)
}

// fixAndCheck applies every fix in dir and checks the result; it reports
// whether -fix changed anything.
func fixAndCheck(t *testing.T, dir string) bool {
	t.Helper()
	before := unformatted(dir)
	// A fix that would not compile is withheld (fixcheck) and the message
	// says so: on our own fixtures that must never happen. The text
	// output shows no fixes and does not check them; -json does.
	if out, _ := goOffline(dir, binary, "-json", "./..."); strings.Contains(out, withheld) {
		t.Errorf("a fix was withheld because it would not compile:\n%s", grepLines(out, withheld))
	}
	diff, err := goOffline(dir, binary, "-fix", "-diff", "./...")
	if err != nil {
		t.Fatalf("-fix -diff: %v\n%s", err, diff)
	}
	if out, err := goOffline(dir, binary, "-fix", "./..."); err != nil {
		t.Fatalf("-fix: %v\n%s", err, out)
	}
	if out, err := goOffline(dir, "go", "build", "./..."); err != nil {
		t.Fatalf("does not build after -fix: %v\n%s\n--- fixes applied:\n%s", err, out, diff)
	}
	if out, err := goOffline(dir, "go", "vet", "./..."); err != nil {
		t.Errorf("go vet fails after -fix: %v\n%s", err, out)
	}
	for _, f := range unformatted(dir) {
		if !slices.Contains(before, f) { // some fixtures are not gofmt-clean to begin with
			t.Errorf("%s is not gofmt-clean after -fix", f)
		}
	}
	if again, err := goOffline(dir, binary, "-fix", "-diff", "./..."); err != nil || strings.TrimSpace(again) != "" {
		t.Errorf("a second -fix would change (%v):\n%s\n--- first fixes:\n%s", err, again, diff)
	}
	return strings.TrimSpace(diff) != ""
}

// withheld is fixcheck.Withheld (an internal package of analyzers/).
const withheld = "automatic fix withheld"

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// unformatted lists the files in dir that gofmt would change.
func unformatted(dir string) []string {
	out, _ := runIn(dir, "gofmt", "-l", ".")
	return strings.Fields(out)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// TestDeterministicSchedules: text, JSON and SARIF output are
// byte-identical whether the analysis runs on one thread or several, on
// the demo and on a generated code base of 30 packages (many packages
// analyzed concurrently, facts crossing them, findings in many files).
func TestDeterministicSchedules(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and analyzes a 30-package module")
	}
	app := filepath.Join(t.TempDir(), "benchapp")
	if _, err := gen.Generate(gen.Config{Dir: app, Packages: 30, Lines: 12_000, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	if out, err := runIn(app, "go", "mod", "download"); err != nil {
		t.Fatalf("go mod download: %v\n%s", err, out)
	}
	demo := filepath.Join("..", "..", "testdata", "demo")
	for _, dir := range []string{demo, app} {
		for _, format := range [][]string{nil, {"-json"}, {"-sarif"}} {
			args := append(format, "./...")
			var first string
			for i, procs := range []string{"1", "2", "4", "1"} {
				cmd := exec.Command(binary, args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "GOMAXPROCS="+procs, "GOWORK=off")
				out, err := cmd.CombinedOutput()
				if code := exitCode(err); code != 0 && code != 3 {
					t.Fatalf("%s: restatelint %v: exit %d\n%s", filepath.Base(dir), args, code, out)
				}
				if i == 0 {
					first = string(out)
					if len(first) < 100 {
						t.Fatalf("%s: restatelint %v printed almost nothing:\n%s", filepath.Base(dir), args, out)
					}
				} else if string(out) != first {
					t.Errorf("%s: restatelint %v with GOMAXPROCS=%s printed other output than with GOMAXPROCS=1:\n%s\n---\n%s",
						filepath.Base(dir), args, procs, first, out)
				}
			}
		}
	}
}

// multiFileModule writes a module (the demo's go.mod and go.sum, so the
// real SDK) with one package of several files that each have findings of
// two analyzers, and returns its directory.
func multiFileModule(t *testing.T, files int) string {
	t.Helper()
	dir := t.TempDir()
	demo := filepath.Join("..", "..", "testdata", "demo")
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(demo, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "svc"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range files {
		src := fmt.Sprintf(`package svc

import (
	"math/rand"
	"time"

	restate "github.com/restatedev/sdk-go"
)

type Object%d struct{}

func (Object%[1]d) Stamp(ctx restate.ObjectContext, in string) (string, error) {
	t := time.Now()
	n := rand.Intn(10)
	restate.Set(ctx, "at", t.String())
	restate.Set(ctx, "n", n)
	return "", nil
}
`, i)
		if err := os.WriteFile(filepath.Join(dir, "svc", fmt.Sprintf("f%02d.go", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDeterministicMultiFile: in a package with findings in many files,
// every output (text, JSON, SARIF, -fix -diff) is the same on every run,
// and the JSON lists each analyzer's diagnostics by file and position.
// Analyzers do not report in file order (nor the same order every run),
// so this holds only because every output sorts.
func TestDeterministicMultiFile(t *testing.T) {
	dir := multiFileModule(t, 8)
	for _, args := range [][]string{{"-json", "./..."}, {"./..."}, {"-sarif", "./..."}, {"-fix", "-diff", "./..."}} {
		runs := 4
		if args[0] == "-json" {
			runs = 10 // the output the order once leaked into
		}
		var first string
		for i := range runs {
			cmd := exec.Command(binary, args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(1+i%3), "GOWORK=off")
			out, err := cmd.CombinedOutput()
			if code := exitCode(err); code != 0 && code != 3 {
				t.Fatalf("restatelint %v: exit %d\n%s", args, code, out)
			}
			if i == 0 {
				first = string(out)
				if strings.Count(first, "f07.go") == 0 {
					t.Fatalf("restatelint %v: no finding in the last file:\n%s", args, out)
				}
				continue
			}
			if string(out) != first {
				t.Fatalf("restatelint %v: run %d printed other output than run 1:\n%s\n---\n%s", args, i+1, first, out)
			}
		}
		if args[0] == "-json" {
			checkJSONOrder(t, first)
		}
	}
}

// checkJSONOrder fails unless every list of diagnostics in the -json
// output is sorted by file, line and column.
func checkJSONOrder(t *testing.T, out string) {
	t.Helper()
	var tree map[string]map[string][]struct {
		Posn string `json:"posn"`
	}
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	type pos struct {
		file      string
		line, col int
	}
	for id, byAnalyzer := range tree {
		for name, diags := range byAnalyzer {
			if len(diags) < 8 {
				t.Errorf("%s %s: %d diagnostics, want one per file", id, name, len(diags))
			}
			var prev pos
			for i, d := range diags {
				parts := strings.Split(d.Posn, ":")
				var p pos
				p.file = strings.Join(parts[:len(parts)-2], ":")
				p.line, _ = strconv.Atoi(parts[len(parts)-2])
				p.col, _ = strconv.Atoi(parts[len(parts)-1])
				if i > 0 && cmp.Or(strings.Compare(prev.file, p.file), cmp.Compare(prev.line, p.line), cmp.Compare(prev.col, p.col)) > 0 {
					t.Errorf("%s %s: diagnostic %d at %s comes after %s:%d:%d", id, name, i, d.Posn, prev.file, prev.line, prev.col)
				}
				prev = p
			}
		}
	}
}
