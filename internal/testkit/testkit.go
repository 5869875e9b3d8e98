// Package testkit is support shared by restatelint's end-to-end tests:
// copies of module trees, and binaries that take minutes to build (a custom
// golangci-lint, a gopls carrying restatelint) cached across test runs,
// keyed by a hash of everything they are built from.
package testkit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// ThisModule is restatelint's module path.
const ThisModule = "github.com/restatelint/restatelint"

// CopyDir copies a directory tree into a new temporary directory.
func CopyDir(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// GoCmd runs the go command in dir with extra environment and returns its
// combined output; it fails the test on error.
func GoCmd(t testing.TB, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// InputsHash hashes what a binary linking the given packages of this
// module (root is the module's directory) is built from: recipe (a string
// that changes whenever the way the binary is built changes), the Go
// toolchain and its settings, go.mod and go.sum, and the Go and embedded
// files of every package of this module the packages depend on.
func InputsHash(t testing.TB, root, recipe string, pkgs ...string) string {
	t.Helper()
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", recipe)
	fmt.Fprintf(h, "%s", GoCmd(t, root, nil, "env", "GOVERSION", "GOOS", "GOARCH", "GOEXPERIMENT", "GOFLAGS", "CGO_ENABLED"))
	list := GoCmd(t, root, nil, append([]string{"list", "-deps", "-f",
		`{{if .Module}}{{if eq .Module.Path "` + ThisModule + `"}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{range .CgoFiles}} {{.}}{{end}}{{range .EmbedFiles}} {{.}}{{end}}{{"\n"}}{{end}}{{end}}`},
		pkgs...)...)
	files := []string{filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum")}
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		fields := strings.Fields(line)
		for _, f := range fields[1:] {
			files = append(files, filepath.Join(fields[0], f))
		}
	}
	slices.Sort(files)
	for _, f := range slices.Compact(files) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// CachedBinary returns the path of the binary name cached under
// os.UserCacheDir()/<cache>/<hash>, first calling build(dir) to write it
// into a fresh directory if the cache does not have it. Concurrent builds
// of the same inputs are harmless (the last rename wins). The cache keeps
// the three most recently used entries, and none unused for a week.
func CachedBinary(t testing.TB, cache, hash, name string, build func(dir string) error) string {
	t.Helper()
	cacheRoot, err := os.UserCacheDir()
	if err != nil {
		cacheRoot = os.TempDir()
	}
	cacheRoot = filepath.Join(cacheRoot, cache)
	dir := filepath.Join(cacheRoot, hash)
	bin := filepath.Join(dir, name)
	if _, err := os.Stat(bin); err == nil {
		now := time.Now()
		os.Chtimes(dir, now, now) // mark as used, for pruning
		t.Logf("%s from the cache: %s", name, bin)
		return bin
	}
	start := time.Now()
	staging, err := os.MkdirTemp("", cache)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(staging)
	if err := build(staging); err != nil {
		t.Fatalf("building %s: %v", name, err)
	}
	data, err := os.ReadFile(filepath.Join(staging, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	staged := filepath.Join(dir, fmt.Sprintf("%s.%d", name, os.Getpid()))
	if err := os.WriteFile(staged, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(staged, bin); err != nil {
		t.Fatal(err)
	}
	t.Logf("built %s in %s: %s", name, time.Since(start).Round(time.Second), bin)
	prune(cacheRoot, hash)
	return bin
}

// prune removes cache entries unused for a week and all but the three most
// recently used (each is tens of megabytes, and every change to an analyzer
// makes a new one).
func prune(cacheRoot, keep string) {
	entries, _ := os.ReadDir(cacheRoot)
	type entry struct {
		name string
		mod  time.Time
	}
	var list []entry
	for _, e := range entries {
		if info, err := e.Info(); err == nil && e.Name() != keep {
			list = append(list, entry{e.Name(), info.ModTime()})
		}
	}
	slices.SortFunc(list, func(a, b entry) int { return b.mod.Compare(a.mod) })
	for i, e := range list {
		if i >= 2 || time.Since(e.mod) > 7*24*time.Hour {
			os.RemoveAll(filepath.Join(cacheRoot, e.name))
		}
	}
}
