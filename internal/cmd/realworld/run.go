package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Module outcomes.
const (
	statusOK      = "ok"      // loaded and analyzed
	statusErrors  = "errors"  // analyzed, but some packages had load or analysis errors
	statusFailed  = "failed"  // not analyzed: go mod download or loading failed
	statusSkipped = "skipped" // the manifest says it does not load
)

// A ModuleResult is what one module's run produced; it is saved beside
// the -json output so that -cached can diff again without re-running.
type ModuleResult struct {
	Repo     string    `json:"repo"`
	Dir      string    `json:"dir"`
	Status   string    `json:"status"`
	Reason   string    `json:"reason,omitempty"`
	Seconds  float64   `json:"seconds,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
}

// mirrorGitDir returns the bare git directory of repo under mirrors, or
// an error that says how to get it.
func mirrorGitDir(mirrors string, r *Repository) (string, error) {
	base := filepath.Join(mirrors, r.DirName(), "repo")
	for _, dir := range []string{filepath.Join(base, ".git"), base} {
		if st, err := os.Stat(filepath.Join(dir, "objects")); err == nil && st.IsDir() {
			return dir, nil
		}
	}
	return "", fmt.Errorf("no mirror of %s at %s: get one with\n\tgit clone --bare https://github.com/%s %s\n(or name another mirror directory with -mirrors)", r.Repo, base, r.Repo, base)
}

// extract writes the tree of r's manifest commit into dir, unless dir
// already holds it (a marker file names the commit). Blobs the mirror
// lacks (snapshots may omit the largest files: binaries, images) are
// skipped and returned; git archive would fail on them.
func extract(ctx context.Context, gitDir, dir string, r *Repository) (missing []string, err error) {
	marker := filepath.Join(dir, ".realworld-commit")
	if data, err := os.ReadFile(marker); err == nil && strings.TrimSpace(string(data)) == r.Commit {
		return nil, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if out, err := exec.CommandContext(ctx, "git", "--git-dir="+gitDir, "cat-file", "-e", r.Commit+"^{commit}").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s: commit %s not in the mirror %s (fetch a newer mirror or fix the manifest): %v %s", r.Repo, r.Commit, gitDir, err, out)
	}
	ls, err := exec.CommandContext(ctx, "git", "--git-dir="+gitDir, "ls-tree", "-r", "-z", r.Commit).Output()
	if err != nil {
		return nil, fmt.Errorf("%s: git ls-tree: %v", r.Repo, err)
	}
	type entry struct{ mode, path string }
	var entries []entry
	var objects bytes.Buffer
	for _, rec := range bytes.Split(ls, []byte{0}) {
		// "<mode> <type> <object>\t<path>"
		meta, path, ok := strings.Cut(string(rec), "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 || fields[1] != "blob" {
			continue // submodules (commit entries) and the trailing empty record
		}
		entries = append(entries, entry{fields[0], path})
		objects.WriteString(fields[2] + "\n")
	}
	cmd := exec.CommandContext(ctx, "git", "--git-dir="+gitDir, "cat-file", "--batch")
	cmd.Stdin = &objects
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(stdout, 1<<20)
	for _, e := range entries {
		header, err := br.ReadString('\n')
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("%s: git cat-file: %v", r.Repo, err)
		}
		fields := strings.Fields(header)
		if len(fields) == 2 && fields[1] == "missing" {
			missing = append(missing, e.path)
			continue
		}
		if len(fields) != 3 {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("%s: git cat-file: unexpected header %q", r.Repo, header)
		}
		size, _ := strconv.ParseInt(fields[2], 10, 64)
		content := make([]byte, size+1) // and the newline after the content
		if _, err := io.ReadFull(br, content); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("%s: git cat-file: %v", r.Repo, err)
		}
		if err := writeEntry(dir, e.path, e.mode, content[:size]); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, err
		}
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("%s: git cat-file: %v", r.Repo, err)
	}
	return missing, os.WriteFile(marker, []byte(r.Commit+"\n"), 0o644)
}

func writeEntry(root, path, mode string, content []byte) error {
	clean := filepath.Clean(filepath.FromSlash(path))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return fmt.Errorf("refusing to extract %q outside the work directory", path)
	}
	file := filepath.Join(root, clean)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	switch mode {
	case "120000":
		return os.Symlink(string(content), file)
	case "100755":
		return os.WriteFile(file, content, 0o755)
	default:
		return os.WriteFile(file, content, 0o644)
	}
}

// buildLinter builds restatelint from the checkout the runner is started in.
func buildLinter(ctx context.Context, work string) (string, error) {
	bin := filepath.Join(work, "restatelint")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/restatelint/restatelint/cmd/restatelint")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building restatelint (run from the restatelint checkout): %v\n%s", err, out)
	}
	return bin, nil
}

// moduleEnv is the environment every corpus module is loaded in: the
// installed toolchain (no toolchain downloads), go.mod/go.sum completed
// from the module proxy when a repository's are stale, no go.work above.
func moduleEnv() []string {
	env := os.Environ()
	flags := strings.TrimSpace(os.Getenv("GOFLAGS") + " -mod=mod")
	return append(env, "GOTOOLCHAIN=local", "GOFLAGS="+flags, "GOWORK=off")
}

// runModule downloads a module's dependencies and runs restatelint on its
// patterns; it never fails the whole run, the outcome is in the result.
func runModule(ctx context.Context, bin, repoRoot string, r *Repository, m *Module, timeout time.Duration) (res ModuleResult) {
	res = ModuleResult{Repo: r.Repo, Dir: m.Dir}
	if m.Skip != "" {
		res.Status, res.Reason = statusSkipped, m.Skip
		return res
	}
	start := time.Now()
	defer func() { res.Seconds = time.Since(start).Round(time.Second).Seconds() }()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dir := filepath.Join(repoRoot, filepath.FromSlash(m.Dir))
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		res.Status, res.Reason = statusFailed, "no go.mod in "+m.Dir
		return res
	}
	dl := exec.CommandContext(ctx, "go", "mod", "download")
	dl.Dir, dl.Env = dir, moduleEnv()
	if out, err := dl.CombinedOutput(); err != nil {
		res.Status, res.Reason = statusFailed, "go mod download: "+lastLines(string(out), 3)
		return res
	}
	args := append([]string{"-C", dir, "-json"}, m.Patterns...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = moduleEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if ctx.Err() != nil {
		res.Status, res.Reason = statusFailed, fmt.Sprintf("timed out after %s", timeout)
		return res
	}
	if stdout.Len() == 0 {
		res.Status, res.Reason = statusFailed, fmt.Sprintf("restatelint: %v: %s", runErr, lastLines(stderr.String(), 5))
		return res
	}
	findings, errs, err := ParseFindings(stdout.Bytes(), r.Repo, repoRoot)
	if err != nil {
		res.Status, res.Reason = statusFailed, err.Error()
		return res
	}
	res.Findings = findings
	res.Status = statusOK
	if msg := strings.TrimSpace(stderr.String()); msg != "" || len(errs) > 0 {
		res.Status = statusErrors
		res.Reason = lastLines(strings.TrimSpace(msg+"\n"+strings.Join(errs, "\n")), 5)
	}
	return res
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("(%d more lines)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, " | ")
}

// resultFile is where a module's result is kept in the work directory.
func resultFile(work string, r *Repository, m *Module) string {
	name := "root"
	if m.Dir != "." {
		name = strings.ReplaceAll(m.Dir, "/", "__")
	}
	return filepath.Join(work, "results", r.DirName(), name+".json")
}

func saveResult(file string, res ModuleResult) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(res, "", "\t")
	if err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o644)
}

func loadResult(file string) (ModuleResult, error) {
	var res ModuleResult
	data, err := os.ReadFile(file)
	if err != nil {
		return res, fmt.Errorf("no cached result (run without -cached first): %v", err)
	}
	return res, json.Unmarshal(data, &res)
}
