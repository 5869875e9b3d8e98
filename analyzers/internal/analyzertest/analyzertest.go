// Package analyzertest runs restatelint analyzers on fixture modules that
// load the real github.com/restatedev/sdk-go, and proves their fixes.
//
// A case is a txtar archive whose comment names the SDK version,
//
//	sdk: v1.2.0
//	-- a/a.go --
//	package a // with analysistest's // want "..." comments
//	-- a/a.go.golden --
//	... the file with every fix applied ...
//
// laid over the base module testdata/sdk/<version>.txtar (go.mod and
// go.sum of a module example.com/fixture requiring that SDK and the
// libraries fixtures use). A "module: PATH" line in the comment renames
// the fixture module (a module path without a dot, such as
// shopnexus-server, is the user's code like any other); an archive may
// also carry go.mod files of its own nested modules (local replaces).
// Files named proxy/PATH@VERSION/... form a published module: it is served
// by a file proxy into a fresh module cache and required by the fixture
// module, so it lies in the module cache as a third-party dependency does
// (out of scope). Fixtures live in archives rather than in
// nested modules because a nested go.mod would drop them from the
// published module.
//
// Run checks diagnostics and golden files with analysistest, fails if a
// fix was withheld because it would not compile (fixcheck), then applies
// every fix the way restatelint -fix does (internal/fixapply) and requires
// that the result builds, is gofmt-clean, and that a second run offers no
// further fix.
package analyzertest

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/txtar"

	"github.com/restatelint/restatelint/analyzers/internal/fixcheck"
	"github.com/restatelint/restatelint/internal/fixapply"
	"github.com/restatelint/restatelint/internal/testkit"
)

// Module extracts the case archive (a path relative to the caller's
// package directory) over its SDK base module into a new temporary
// directory and returns that directory.
func Module(t testing.TB, archive string) string {
	t.Helper()
	return moduleAs(t, archive, "")
}

// moduleAs is Module with the module renamed to path when path is not ""
// (testkit.FixtureModule).
func moduleAs(t testing.TB, archive, path string) string {
	t.Helper()
	dir, version := testkit.FixtureModule(t, archive, path)
	published := takePublished(t, dir)
	download(t, version, dir)
	if len(published) > 0 {
		publish(t, dir, published)
	}
	return dir
}

// publish serves the published modules of a case (path@version -> files)
// from a file proxy and requires them in the fixture module. The go
// command then runs with a fresh module cache (every other module comes
// from the shared cache's download directory, no network) for the rest
// of the test: the modules lie in a module cache, as a dependency
// fetched from a proxy does, and so do the fixture's other requirements.
func publish(t testing.TB, dir string, published map[string]map[string]string) {
	t.Helper()
	proxy := t.TempDir()
	var gets []string
	for mod, files := range published {
		path, version, ok := strings.Cut(mod, "@")
		if !ok || files["go.mod"] == "" {
			t.Fatalf("published module proxy/%s needs a PATH@VERSION directory with a go.mod", mod)
		}
		testkit.WriteProxyModule(t, proxy, path, version, files)
		gets = append(gets, mod)
	}
	testkit.UseProxy(t, proxy, "-modcacherw")
	cmd := exec.Command("go", append([]string{"get"}, gets...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go get %s: %v\n%s", strings.Join(gets, " "), err, out)
	}
	// go get fetched what the published packages need; the fixture's own
	// packages need the SDK too, even when no published module imports it.
	cmd = exec.Command("go", "list", "-deps", "./...")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go list -deps ./...: %v\n%s", err, out)
	}
}

// takePublished removes the published modules of a case (files under
// proxy/PATH@VERSION/) from the fixture module in dir and returns them:
// path@version -> file -> content.
func takePublished(t testing.TB, dir string) map[string]map[string]string {
	t.Helper()
	root := filepath.Join(dir, "proxy")
	published := make(map[string]map[string]string)
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rest := filepath.ToSlash(rel)
		mod, name := rest, ""
		if at := strings.Index(rest, "@"); at >= 0 {
			if slash := strings.Index(rest[at:], "/"); slash >= 0 {
				mod, name = rest[:at+slash], rest[at+slash+1:]
			}
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if published[mod] == nil {
			published[mod] = make(map[string]string)
		}
		published[mod][name] = string(data)
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	return published
}

var downloads sync.Map // SDK version -> error

// download fills the module cache for a base module once per process,
// with the environment's GOPROXY (analysistest itself runs with
// GOPROXY=off).
func download(t testing.TB, version, dir string) {
	t.Helper()
	v, _ := downloads.LoadOrStore(version, sync.OnceValue(func() error {
		cmd := exec.Command("go", "mod", "download")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go mod download for SDK %s: %v\n%s", version, err, out)
		}
		return nil
	}))
	if err := v.(func() error)(); err != nil {
		t.Fatal(err)
	}
}

// Run runs a on the case archive, checks its // want comments and golden
// files, and proves its fixes (see the package comment).
func Run(t *testing.T, archive string, a *analysis.Analyzer) {
	t.Helper()
	run(t, Module(t, archive), a, typeErrorsAllowed(t, archive))
}

// RunAs is Run with the fixture module renamed to module, and every
// mention of example.com/fixture in the case with it: the same case must
// give the same results in a module whose path has no dot ("myapp",
// "shopnexus-server"), which is the user's code like any other.
func RunAs(t *testing.T, module, archive string, a *analysis.Analyzer) {
	t.Helper()
	run(t, moduleAs(t, archive, module), a, typeErrorsAllowed(t, archive))
}

// typeErrorsAllowed reports whether the case's comment has the line
// "type errors: allowed" (a case about half-typed code). Otherwise a type
// error fails the case: the analyzers run despite errors, and a case
// whose package does not type-check (a name declared twice in a package,
// a missing module) would otherwise pass with none of its code analyzed.
func typeErrorsAllowed(t testing.TB, archive string) bool {
	t.Helper()
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if strings.TrimSpace(line) == "type errors: allowed" {
			return true
		}
	}
	return false
}

func run(t *testing.T, dir string, a *analysis.Analyzer, typeErrors bool) {
	t.Helper()
	results := analysistest.RunWithSuggestedFixes(t, dir, a, "./...")
	if !typeErrors {
		for _, r := range results {
			for _, e := range r.Pass.TypeErrors {
				t.Errorf("%s: type error in the case (add \"type errors: allowed\" to its comment if meant): %s", r.Pass.Fset.Position(e.Pos), e.Msg)
			}
		}
	}
	if t.Failed() {
		return
	}
	var fixes []fixapply.Fix
	importNames := make(map[string]string)
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if strings.Contains(d.Message, fixcheck.Withheld) {
				t.Errorf("%s: a fix was withheld because it would not compile: %s", r.Pass.Fset.Position(d.Pos), d.Message)
			}
		}
	}
	for _, r := range results {
		for _, imp := range r.Pass.Pkg.Imports() {
			importNames[imp.Path()] = imp.Name()
		}
		fs, err := fixapply.FromDiagnostics(r.Pass.Fset, r.Diagnostics)
		if err != nil {
			t.Fatal(err)
		}
		fixes = append(fixes, fs...)
	}
	if len(fixes) == 0 {
		return
	}
	ApplyAndBuild(t, dir, fixes, importNames)
	if diags := Analyze(t, dir, a); len(diags) > 0 {
		for _, d := range diags {
			if len(d.SuggestedFixes) > 0 {
				t.Errorf("after applying fixes, a second run still offers a fix: %s: %s", d.Posn, d.Message)
			}
		}
	}
}

// ApplyAndBuild applies fixes to the module in dir as restatelint -fix
// does, then requires gofmt-clean files and a successful build.
func ApplyAndBuild(t testing.TB, dir string, fixes []fixapply.Fix, importNames map[string]string) {
	t.Helper()
	byFile, skipped := fixapply.Merge(fixes)
	if skipped > 0 {
		t.Errorf("%d fixes conflict with others", skipped)
	}
	for name, edits := range byFile {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fixed, err := fixapply.ApplyFile(src, edits, func(p string) string { return importNames[p] })
		if err != nil {
			t.Fatalf("applying fixes to %s: %v", name, err)
		}
		if formatted, err := format.Source(fixed); err != nil || !bytes.Equal(formatted, fixed) {
			t.Errorf("%s is not gofmt-clean after fixes (%v)", name, err)
		}
		if err := os.WriteFile(name, fixed, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "build", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		var files strings.Builder
		for name := range byFile {
			data, _ := os.ReadFile(name)
			fmt.Fprintf(&files, "--- %s\n%s\n", name, data)
		}
		t.Errorf("fixed module does not build: %v\n%s\n%s", err, out, files.String())
	}
}

// Diagnostic is a diagnostic with its position resolved.
type Diagnostic struct {
	analysis.Diagnostic
	Posn string
}

// Analyze runs a over the module in dir the way the standalone driver does
// and returns the diagnostics of its packages.
func Analyze(t testing.TB, dir string, analyzers ...*analysis.Analyzer) []Diagnostic {
	t.Helper()
	cfg := &packages.Config{
		Mode:  packages.LoadSyntax | packages.NeedModule,
		Dir:   dir,
		Tests: true,
		Env:   append(os.Environ(), "GOPROXY=off"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		t.Fatalf("%d errors loading %s", n, dir)
	}
	graph, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []Diagnostic
	seen := make(map[string]bool)
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Fatal(act.Err)
		}
		for _, d := range act.Diagnostics {
			posn := act.Package.Fset.Position(d.Pos).String()
			if key := posn + d.Message; !seen[key] {
				seen[key] = true
				out = append(out, Diagnostic{d, posn})
			}
		}
	}
	return out
}
