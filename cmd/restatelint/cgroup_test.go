package main_test

// Issue 12.3: restatelint in a container with a memory limit. The test
// creates a child memory cgroup of its own (cgroup v1 memory controller
// or cgroup v2 with the memory controller enabled), writes a limit, runs
// the binary inside it and reads the peak usage. It needs root and a
// writable cgroup file system, and skips elsewhere.

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/bench/gen/gen"
)

// memoryCgroup is a child cgroup created for one test.
type memoryCgroup struct {
	dir       string
	v2        bool
	limitFile string // memory.limit_in_bytes or memory.max
	peakFile  string // memory.max_usage_in_bytes or memory.peak
}

// newMemoryCgroup creates a child of the test process's own memory
// cgroup with the given limit, or skips the test.
func newMemoryCgroup(t *testing.T, limit uint64) *memoryCgroup {
	t.Helper()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("needs root on Linux to create a memory cgroup")
	}
	parent, v2 := ownMemoryCgroupDir(t)
	if parent == "" {
		t.Skip("no writable memory cgroup (v1 memory controller or v2 with memory enabled) found")
	}
	cg := &memoryCgroup{dir: filepath.Join(parent, fmt.Sprintf("restatelint-test-%d", os.Getpid())), v2: v2,
		limitFile: "memory.limit_in_bytes", peakFile: "memory.max_usage_in_bytes"}
	if v2 {
		cg.limitFile, cg.peakFile = "memory.max", "memory.peak"
	}
	if err := os.Mkdir(cg.dir, 0o755); err != nil {
		t.Skipf("cannot create a memory cgroup: %v", err)
	}
	t.Cleanup(func() {
		if err := os.Remove(cg.dir); err != nil {
			t.Errorf("removing the test cgroup: %v", err)
		}
	})
	if err := os.WriteFile(filepath.Join(cg.dir, cg.limitFile), []byte(strconv.FormatUint(limit, 10)), 0o644); err != nil {
		t.Skipf("cannot set a memory limit: %v", err)
	}
	if !v2 { // no swap either, where the kernel accounts for it
		os.WriteFile(filepath.Join(cg.dir, "memory.memsw.limit_in_bytes"), []byte(strconv.FormatUint(limit, 10)), 0o644)
	}
	return cg
}

// ownMemoryCgroupDir returns the directory of the process's memory cgroup
// (v1 memory controller preferred, as on this machine v2 has no memory
// controller), "" if there is none that can take children.
func ownMemoryCgroupDir(t *testing.T) (dir string, v2 bool) {
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", false
	}
	mounts := cgroupMountPoints(t)
	var v2Path string
	for _, line := range strings.Split(string(data), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			v2Path = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			if c == "memory" && mounts["memory"] != "" {
				d := filepath.Join(mounts["memory"], parts[2])
				if _, err := os.Stat(filepath.Join(d, "memory.limit_in_bytes")); err == nil {
					return d, false
				}
			}
		}
	}
	if v2Path != "" && mounts["cgroup2"] != "" {
		d := filepath.Join(mounts["cgroup2"], v2Path)
		// Children get the memory controller only if it is enabled here.
		if ctl, err := os.ReadFile(filepath.Join(d, "cgroup.subtree_control")); err == nil && strings.Contains(string(ctl), "memory") {
			return d, true
		}
	}
	return "", false
}

// cgroupMountPoints maps "memory" (v1) and "cgroup2" to their mount points.
func cgroupMountPoints(t *testing.T) map[string]string {
	out := make(map[string]string)
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		for i, fld := range fields {
			if fld != "-" || i+3 >= len(fields) || i < 5 {
				continue
			}
			switch fields[i+1] {
			case "cgroup2":
				out["cgroup2"] = fields[4]
			case "cgroup":
				for _, o := range strings.Split(fields[i+3], ",") {
					if o == "memory" && fields[3] == "/" {
						out["memory"] = fields[4]
					}
				}
			}
			break
		}
	}
	return out
}

// run runs the restatelint binary inside the cgroup (a shell moves itself
// into cgroup.procs and execs the binary) and returns its combined
// output, exit code and the cgroup's peak memory usage.
func (cg *memoryCgroup) run(t *testing.T, dir string, env []string, args ...string) (string, int, uint64) {
	t.Helper()
	procs := filepath.Join(cg.dir, "cgroup.procs")
	cmd := exec.Command("sh", append([]string{"-c", `echo $$ > "$0" && exec "$@"`, procs, binary}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	code := exitCode(err)
	if ee, ok := err.(*exec.ExitError); ok && !ee.Exited() {
		code = -1 // killed by a signal: the kernel's OOM killer
	}
	data, rerr := os.ReadFile(filepath.Join(cg.dir, cg.peakFile))
	if rerr != nil {
		t.Fatalf("reading the peak: %v", rerr)
	}
	peak, _ := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	return string(out), code, peak
}

// TestContainerMemoryLimit: in a cgroup whose memory limit is below what
// a run takes with collection deferred to a quarter of the host's memory
// (the driver's one-shot setting before it read the container's limit),
// restatelint completes, prints what it prints unconstrained, and peaks
// under the limit. On the generated 30-package module the old setting
// peaked at ~61 MiB and was killed at 48 MiB; reading the limit, the run
// peaks at ~35 MiB.
func TestContainerMemoryLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and analyzes a 30-package module")
	}
	const limit = 48 << 20
	cg := newMemoryCgroup(t, limit)
	app := filepath.Join(t.TempDir(), "benchapp")
	if _, err := gen.Generate(gen.Config{Dir: app, Packages: 30, Lines: 12_000, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	if out, err := runIn(app, "go", "mod", "download"); err != nil {
		t.Fatalf("go mod download: %v\n%s", err, out)
	}
	// Unconstrained first: the reference output, and the export data the
	// go command builds (compiling is not what this test measures).
	want, err := runIn(app, binary, "./...")
	if exitCode(err) != 3 {
		t.Fatalf("unconstrained run: exit %d\n%s", exitCode(err), want)
	}
	out, code, peak := cg.run(t, app, []string{"GOWORK=off"}, "./...")
	t.Logf("peak %.1f MiB in a cgroup limited to %d MiB (v2: %v)", float64(peak)/(1<<20), limit>>20, cg.v2)
	if code != 3 {
		t.Fatalf("in a %d MiB cgroup: exit %d (-1: killed), want 3\n%s", limit>>20, code, firstLines(out, 20))
	}
	if out != want {
		t.Errorf("in a %d MiB cgroup the output differs:\n%s\n---\nunconstrained:\n%s", limit>>20, out, want)
	}
	if peak == 0 || peak >= limit {
		t.Errorf("peak %d bytes, want below the limit %d", peak, limit)
	}
}
