package testkit

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// repoRoot is this module's root, found from this file's location.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// baseModule is the module path of the SDK base modules.
const baseModule = "example.com/fixture"

// FixtureModule extracts a fixture archive (a path relative to the
// caller's package directory) over its SDK base module
// testdata/sdk/<version>.txtar into a new temporary directory, and
// returns the directory and the SDK version. The archive's comment names
// the version ("sdk: v1.2.0") and may rename the module ("module:
// myapp"). When path is not "", the module is renamed to path, and every
// mention of the base module's path in the archive's files (imports,
// golden files) with it. The module cache is not filled.
//
// The fixtures of analyzers/internal/analyzertest are such archives;
// end-to-end tests of the drivers use them too, so that one tree serves
// every driver.
func FixtureModule(t testing.TB, archive, path string) (dir, version string) {
	t.Helper()
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	module := ""
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "sdk:"); ok {
			version = strings.TrimSpace(v)
		}
		if m, ok := strings.CutPrefix(strings.TrimSpace(line), "module:"); ok {
			module = strings.TrimSpace(m)
		}
	}
	if path != "" {
		if module != "" {
			t.Fatalf("%s already names its module %s", archive, module)
		}
		module = path
		for i, f := range ar.Files {
			ar.Files[i].Data = []byte(strings.ReplaceAll(string(f.Data), baseModule, path))
		}
	}
	if version == "" {
		t.Fatalf("%s: the archive comment must name the SDK version, e.g. \"sdk: v1.2.0\"", archive)
	}
	base, err := txtar.ParseFile(filepath.Join(repoRoot(), "testdata", "sdk", version+".txtar"))
	if err != nil {
		t.Fatalf("%s: no base module for SDK %s: %v", archive, version, err)
	}
	dir = t.TempDir()
	for _, f := range append(base.Files, ar.Files...) {
		if f.Name == "go.mod" && module != "" {
			f.Data = SetModulePath(f.Data, module)
		}
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, version
}

// SetModulePath returns the go.mod file data with its module path
// replaced.
func SetModulePath(gomod []byte, path string) []byte {
	lines := strings.Split(string(gomod), "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "module ") {
			lines[i] = "module " + path
			break
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

// Marked returns "file:line" (the file's path relative to dir, with
// slashes) of every line of the .go files below dir that carries marker,
// sorted: where an end-to-end test expects a finding.
func Marked(t testing.TB, dir, marker string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		for i, l := range strings.Split(string(data), "\n") {
			if strings.Contains(l, marker) {
				out = append(out, fmt.Sprintf("%s:%d", filepath.ToSlash(rel), i+1))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
