package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// A target is what one restatelint run sweeps: the standard library
// packages matching Patterns, or a module from the module cache extracted
// into a directory of its own and analyzed as the main module (so every
// package of it is in scope and analyzed from source, tests included).
type target struct {
	Module   string   // "std", or a module path
	Version  string   // module version; empty for std
	Patterns []string // std: package patterns; modules: default ./...
}

func (t target) String() string {
	if t.Module == "std" {
		return "std " + strings.Join(t.Patterns, " ")
	}
	return t.Module + "@" + t.Version
}

// result is the outcome of sweeping one target.
type result struct {
	Target   target
	Packages int // packages matched by the patterns (test variants not counted)
	Files    int // Go files of those packages, test files included
	Lines    int // lines of those files

	Wall, CPU time.Duration // restatelint's run (CPU: user+sys, its go list included)
	MaxRSS    int64         // bytes
	ExitCode  int

	Diagnostics    []string // "posn: analyzer: message"
	AnalysisErrors []string // "package: analyzer: error"
	Panics         []string // panic lines from stderr
	LoadErrors     []string // other stderr lines: packages that failed to load
}

// ok reports whether the target was swept cleanly: no panic, no analysis
// error, no diagnostic, and nothing that kept packages from loading.
func (r *result) ok() bool {
	return r.ExitCode == 0 && len(r.Diagnostics) == 0 && len(r.AnalysisErrors) == 0 &&
		len(r.Panics) == 0 && len(r.LoadErrors) == 0
}

// env is the environment of every go command and restatelint run: no
// workspace, no toolchain switch.
func env() []string {
	return append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
}

func goCmd(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("go %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, stderr.Bytes())
	}
	return out, nil
}

// prepare returns the directory restatelint runs in for t: for a module,
// a writable copy of it in the module cache under work, with replace
// directives to local paths dropped (aws-sdk-go-v2's service modules point
// at the repository's root) and its dependencies downloaded.
func prepare(t target, work string) (string, error) {
	if t.Module == "std" {
		dir := filepath.Join(work, "std")
		return dir, os.MkdirAll(dir, 0o755)
	}
	out, err := goCmd(work, "mod", "download", "-json", t.Module+"@"+t.Version)
	if err != nil {
		return "", err
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil || info.Error != "" {
		return "", fmt.Errorf("go mod download %s: %v %s", t, err, info.Error)
	}
	dir := filepath.Join(work, strings.NewReplacer("/", "_", "@", "_").Replace(t.String()))
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := copyTree(info.Dir, dir); err != nil {
		return "", err
	}
	out, err = goCmd(dir, "mod", "edit", "-json")
	if err != nil {
		return "", err
	}
	var mod struct {
		Replace []struct {
			Old, New struct{ Path, Version string }
		}
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return "", err
	}
	dropped := false
	for _, r := range mod.Replace {
		if r.New.Version != "" { // a module replacement: keep it
			continue
		}
		old := r.Old.Path
		if r.Old.Version != "" {
			old += "@" + r.Old.Version
		}
		if _, err := goCmd(dir, "mod", "edit", "-dropreplace="+old); err != nil {
			return "", err
		}
		dropped = true
	}
	if dropped {
		_, err = goCmd(dir, "mod", "tidy", "-e")
	} else {
		_, err = goCmd(dir, "mod", "download")
	}
	return dir, err
}

// copyTree copies the regular files under src to dst, writable.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// count fills in the packages, files and lines the patterns match.
func count(r *result, dir string) error {
	args := append([]string{"list", "-e", "-json=Dir,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles"}, r.Target.Patterns...)
	out, err := goCmd(dir, args...)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			Dir                                          string
			GoFiles, CgoFiles, TestGoFiles, XTestGoFiles []string
		}
		if err := dec.Decode(&p); err != nil {
			return err
		}
		r.Packages++
		for _, f := range slices.Concat(p.GoFiles, p.CgoFiles, p.TestGoFiles, p.XTestGoFiles) {
			data, err := os.ReadFile(filepath.Join(p.Dir, f))
			if err != nil {
				return err
			}
			r.Files++
			r.Lines += bytes.Count(data, []byte("\n"))
		}
	}
	return nil
}

// sweep prepares t under work and runs restatelint (the binary bin) with
// -json and the extra flags over it.
func sweep(bin string, t target, work string, flags ...string) (*result, error) {
	if len(t.Patterns) == 0 {
		t.Patterns = []string{"./..."}
	}
	dir, err := prepare(t, work)
	if err != nil {
		return nil, err
	}
	// Compile the export data restatelint's go list asks for, so that the
	// timed run measures analysis, not the build cache filling up.
	if _, err := goCmd(dir, append([]string{"list", "-e", "-export", "-deps", "-test"}, t.Patterns...)...); err != nil {
		return nil, err
	}
	return analyze(bin, t, dir, flags...)
}

// analyze runs restatelint -json with flags over t's patterns in dir.
func analyze(bin string, t target, dir string, flags ...string) (*result, error) {
	r := &result{Target: t}
	if err := count(r, dir); err != nil {
		return nil, err
	}
	args := append(append([]string{"-json"}, flags...), t.Patterns...)
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(env(), "GOPROXY=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r.Wall = time.Since(start)
	if st := cmd.ProcessState; st != nil {
		r.ExitCode = st.ExitCode()
		r.CPU = st.UserTime() + st.SystemTime()
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			r.MaxRSS = int64(ru.Maxrss) * 1024
		}
	} else if err != nil {
		return nil, err
	}
	parseStderr(r, stderr.Bytes())
	if err := parseJSON(r, stdout.Bytes()); err != nil && len(r.Panics) == 0 {
		return r, fmt.Errorf("%s: reading restatelint's JSON: %v\n%s", t, err, stdout.Bytes())
	}
	return r, nil
}

// parseStderr sorts restatelint's stderr into panics and load errors. A
// panic prints "panic: ..." followed by goroutine traces; the first line
// of the trace inside restatelint's code is kept with it.
func parseStderr(r *result, stderr []byte) {
	sc := bufio.NewScanner(bytes.NewReader(stderr))
	sc.Buffer(nil, 1<<20)
	inPanic := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: "):
			inPanic = true
			r.Panics = append(r.Panics, line)
		case inPanic:
			if strings.Contains(line, "restatelint/analyzers/") && len(r.Panics) > 0 {
				r.Panics[len(r.Panics)-1] += " at " + strings.TrimSpace(line)
				inPanic = false
			}
		case strings.TrimSpace(line) != "":
			r.LoadErrors = append(r.LoadErrors, line)
		}
	}
}

// parseJSON reads the go/analysis JSON tree: package → analyzer → a list
// of diagnostics or an {"error": ...} object.
func parseJSON(r *result, out []byte) error {
	if len(bytes.TrimSpace(out)) == 0 {
		return fmt.Errorf("no output")
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(out, &tree); err != nil {
		return err
	}
	for _, pkg := range sortedKeys(tree) {
		for _, name := range sortedKeys(tree[pkg]) {
			raw := tree[pkg][name]
			var failure struct{ Error string }
			if json.Unmarshal(raw, &failure) == nil && failure.Error != "" {
				r.AnalysisErrors = append(r.AnalysisErrors, fmt.Sprintf("%s: %s: %s", pkg, name, failure.Error))
				continue
			}
			var diags []struct{ Posn, Message string }
			if err := json.Unmarshal(raw, &diags); err != nil {
				return fmt.Errorf("%s: %s: %v", pkg, name, err)
			}
			for _, d := range diags {
				r.Diagnostics = append(r.Diagnostics, fmt.Sprintf("%s: %s: %s", d.Posn, name, d.Message))
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// stdScope returns the -reach.scope value that puts the whole standard
// library in scope: the first element of every std package path.
func stdScope(work string) (string, error) {
	out, err := goCmd(work, "list", "std")
	if err != nil {
		return "", err
	}
	var firsts []string
	for _, p := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(p, "/")
		if !slices.Contains(firsts, first) {
			firsts = append(firsts, first)
		}
	}
	slices.Sort(firsts)
	return strings.Join(firsts, ","), nil
}
