// Package benchrun builds the benchmark's binaries, prepares the
// generated module, and times single runs of a linter over it. It is
// shared by the harness command and the Go benchmarks.
package benchrun

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Import paths of the two binaries being compared.
const (
	FloorPkg  = "github.com/restatelint/restatelint/bench/cmd/floor"
	LinterPkg = "github.com/restatelint/restatelint/cmd/restatelint"
)

const selfModule = "github.com/restatelint/restatelint"

// ModuleRoot returns the root directory of the restatelint module that
// encloses the working directory.
func ModuleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	data, err := os.ReadFile(gomod)
	if err != nil || !bytes.HasPrefix(data, []byte("module "+selfModule+"\n")) {
		return "", fmt.Errorf("run this from inside the %s module (go env GOMOD = %q)", selfModule, gomod)
	}
	return filepath.Dir(gomod), nil
}

// Build compiles the command pkg of the module at root into out.
func Build(root, pkg, out string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
	}
	return nil
}

// Prepare fills the module cache for the generated module in dir (this
// may use the module proxy) and warms the build cache with the export data
// the linters will ask for, so that timed runs measure analysis rather
// than compilation.
func Prepare(dir string) error {
	for _, args := range [][]string{
		{"mod", "download"},
		{"list", "-e", "-export", "-deps", "-test", "./..."},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, stderr.Bytes())
		}
	}
	return nil
}

// Result is the measurement of one run.
type Result struct {
	Wall      time.Duration
	User, Sys time.Duration // CPU time, including the go list the driver runs
	// MaxRSS is the peak resident set size in bytes: on Linux the larger
	// of the process's own and that of any child it waited for (go list).
	// Zero where the platform does not report it.
	MaxRSS   int64
	ExitCode int
	Output   []byte // stdout and stderr: findings, if any
}

// CPU is the total CPU time of the run.
func (r Result) CPU() time.Duration { return r.User + r.Sys }

// Run runs bin with args in dir and measures it. Exit code 3 (findings
// reported) counts as success; any other nonzero code is an error.
//
// The module proxy is switched off for the run: after Prepare nothing
// should need the network, and if something does the run fails instead
// of silently timing a download.
func Run(bin, dir string, args ...string) (Result, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	res := Result{Wall: wall, Output: out.Bytes()}
	if st := cmd.ProcessState; st != nil {
		res.ExitCode = st.ExitCode()
		res.User, res.Sys, res.MaxRSS = usage(st)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && res.ExitCode == 3 {
		err = nil
	}
	if err != nil {
		return res, fmt.Errorf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, tail(out.Bytes(), 40))
	}
	return res, nil
}

// tail returns the last n lines of b.
func tail(b []byte, n int) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return bytes.Join(lines, nil)
}
