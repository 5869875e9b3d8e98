// Command peer times restatelint against Temporal's workflowcheck
// (go.temporal.io/sdk/contrib/tools/workflowcheck, the nearest peer) on
// the same program written for each framework, and both against the
// type-check floor and plain go vet, at several code sizes (issue 8).
//
// For each size it generates the benchmark code base twice from the same
// seed: the Restate shape (bench/gen) and the Temporal shape
// (gen.GenerateTemporal: the same packages, import graph, helper code and
// planted hazards, with workflows instead of Restate handlers). Then it
// times, on each shape:
//
//   - floor: the type-check floor (bench/cmd/floor) standalone;
//   - go vet: go vet ./... with its own analyzers, cold and warm;
//   - the linter (restatelint on the Restate shape, workflowcheck on the
//     Temporal shape) standalone, and under go vet -vettool cold and warm.
//
// "Cold" under go vet means no cached vet result for any package while
// the build cache holds every package's export data: each cold -vettool
// run uses a fresh copy of the tool binary with a few bytes appended
// (unitchecker's tool ID is a hash of the executable, and go vet keys its
// cache on it); the stock vet's ID is its Go version, so each cold plain
// go vet gets a -printf.funcs value no code matches instead (vet flags are
// part of the key). "Warm" repeats an identical go vet, so every result
// comes from the cache. Every run
// records wall time, CPU time (user+sys of the process and the children
// it waited for) and peak RSS; the machine's load average is recorded
// too, since wall time on a shared machine is noisy.
//
//	go run ./bench/peer -out bench/peer/results.json              # measure (about an hour on 2 cores)
//	go run ./bench/peer -render bench/peer/results.json -svg docs/peer-benchmark.svg   # table + plot
//
// See docs/performance.md.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/restatelint/restatelint/bench/gen/gen"
	"github.com/restatelint/restatelint/bench/internal/benchrun"
)

// workflowcheckPkg is the peer, pinned.
const workflowcheckPkg = "go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0"

func main() {
	log.SetFlags(0)
	log.SetPrefix("peer: ")
	var (
		sizes  = flag.String("sizes", "40:17000,130:56000,400:170000", "code sizes as packages:lines, comma-separated")
		runs   = flag.Int("runs", 3, "timed runs of each measurement")
		seed   = flag.Uint64("seed", 1, "generator seed")
		out    = flag.String("out", "", "write the results as JSON to this file")
		keep   = flag.Bool("keep", false, "keep the temporary directory")
		render = flag.String("render", "", "do not measure: read results JSON from this file and print the Markdown table")
		svg    = flag.String("svg", "", "with -render, also write the plot to this SVG file")
	)
	flag.Parse()
	if *render != "" {
		data, err := os.ReadFile(*render)
		if err != nil {
			log.Fatal(err)
		}
		var res Results
		if err := json.Unmarshal(data, &res); err != nil {
			log.Fatal(err)
		}
		printMarkdown(os.Stdout, &res)
		if *svg != "" {
			if err := os.WriteFile(*svg, plot(&res), 0o644); err != nil {
				log.Fatal(err)
			}
		}
		return
	}
	var szs []Size
	for _, s := range strings.Split(*sizes, ",") {
		p, l, ok := strings.Cut(s, ":")
		np, err1 := strconv.Atoi(p)
		nl, err2 := strconv.Atoi(l)
		if !ok || err1 != nil || err2 != nil {
			log.Fatalf("bad size %q: want packages:lines", s)
		}
		szs = append(szs, Size{Packages: np, Lines: nl})
	}
	res, err := measure(szs, *runs, *seed, *keep)
	if err != nil {
		log.Fatal(err)
	}
	data, _ := json.MarshalIndent(res, "", "  ")
	if *out != "" {
		if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	printMarkdown(os.Stdout, res)
}

// Results is what a measurement produces, and what -render reads.
type Results struct {
	Date     string
	Machine  string
	Go       string
	Commit   string
	Seed     uint64
	Runs     int
	Peer     string
	Sizes    []Size
	Series   []*Series
	LoadAvgs []string // /proc/loadavg before each size and at the end
}

// Size is one code size, as asked and as generated.
type Size struct {
	Packages, Lines   int // asked
	Restate, Temporal struct {
		Packages, Lines, Handlers, Hazards int // generated; hazards: handlers reaching time/rand/env/uuid
	}
}

// Series is one tool in one mode on one shape, over all sizes.
type Series struct {
	Name   string // e.g. "restatelint standalone"
	Shape  string // "restate" or "temporal"
	Points []Point
}

// Point is the runs of one series at one size.
type Point struct {
	Lines    int // generated lines of the shape
	Wall     []float64
	CPU      []float64 // seconds
	RSS      []int64   // bytes
	Exit     int       // of the last run
	Findings int       // diagnostic lines of the last run
}

// run is one measurement's command.
type run struct {
	series *Series
	dir    string
	cold   string // if set, the tool binary to copy afresh for each run (cold go vet)
	// coldFlag: each run gets a fresh token instead (cold stock go vet)
	coldFlag bool
	args     func(tool string) []string
}

func measure(sizes []Size, runs int, seed uint64, keep bool) (*Results, error) {
	root, err := benchrun.ModuleRoot()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "restatelint-peer-")
	if err != nil {
		return nil, err
	}
	if keep {
		log.Printf("keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	bin := func(name string) string { return filepath.Join(tmp, "bin", name) }
	log.Printf("building restatelint, floor and %s", workflowcheckPkg)
	if err := benchrun.Build(root, benchrun.LinterPkg, bin("restatelint")); err != nil {
		return nil, err
	}
	if err := benchrun.Build(root, benchrun.FloorPkg, bin("floor")); err != nil {
		return nil, err
	}
	install := exec.Command("go", "install", workflowcheckPkg)
	install.Env = append(os.Environ(), "GOBIN="+filepath.Join(tmp, "bin"), "GOWORK=off")
	if out, err := install.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go install %s: %v\n%s", workflowcheckPkg, err, out)
	}

	res := &Results{
		Date: time.Now().UTC().Format("2006-01-02"), Go: runtime.Version(), Seed: seed, Runs: runs,
		Machine: describeMachine(), Commit: commit(root), Peer: workflowcheckPkg,
	}
	series := make(map[string]*Series)
	get := func(name, shape string) *Series {
		k := name + "/" + shape
		if s := series[k]; s != nil {
			return s
		}
		s := &Series{Name: name, Shape: shape}
		series[k] = s
		res.Series = append(res.Series, s)
		return s
	}
	for _, sz := range sizes {
		res.LoadAvgs = append(res.LoadAvgs, loadAvg())
		dirR := filepath.Join(tmp, fmt.Sprintf("restate-%d", sz.Packages))
		dirT := filepath.Join(tmp, fmt.Sprintf("temporal-%d", sz.Packages))
		cfg := gen.Config{Packages: sz.Packages, Lines: sz.Lines, Seed: seed}
		cfg.Dir = dirR
		stR, err := gen.Generate(cfg)
		if err != nil {
			return nil, err
		}
		cfg.Dir = dirT
		stT, err := gen.GenerateTemporal(cfg)
		if err != nil {
			return nil, err
		}
		sz.Restate.Packages, sz.Restate.Lines, sz.Restate.Handlers, sz.Restate.Hazards = stR.Packages, stR.Lines, stR.Handlers, stR.ImpureHandlers
		sz.Temporal.Packages, sz.Temporal.Lines, sz.Temporal.Handlers, sz.Temporal.Hazards = stT.Packages, stT.Lines, stT.Handlers, stT.ImpureHandlers
		res.Sizes = append(res.Sizes, sz)
		log.Printf("size %d packages: Restate shape %d lines, %d handlers; Temporal shape %d lines, %d workflows; warming caches",
			sz.Packages, stR.Lines, stR.Handlers, stT.Lines, stT.Handlers)
		for _, d := range []string{dirR, dirT} {
			if err := benchrun.Prepare(d); err != nil {
				return nil, err
			}
		}
		var rs []run
		for _, shape := range []struct {
			name, dir, linter string
		}{{"restate", dirR, bin("restatelint")}, {"temporal", dirT, bin("workflowcheck")}} {
			lname := filepath.Base(shape.linter)
			fixed := filepath.Join(tmp, "bin", lname+"-vet")
			if err := copyFile(shape.linter, fixed, nil); err != nil {
				return nil, err
			}
			rs = append(rs,
				run{series: get("floor", shape.name), dir: shape.dir, args: func(string) []string { return []string{bin("floor"), "./..."} }},
				run{series: get("go vet, cold", shape.name), dir: shape.dir, coldFlag: true, args: func(token string) []string {
					// The stock vet's tool ID is its Go version, whatever its
					// bytes: a flag no code matches changes the cache key instead.
					return []string{"go", "vet", "-printf.funcs=" + token, "./..."}
				}},
				run{series: get("go vet, warm", shape.name), dir: shape.dir, args: func(string) []string { return []string{"go", "vet", "./..."} }},
				run{series: get(lname+" standalone", shape.name), dir: shape.dir, args: func(string) []string { return []string{shape.linter, "./..."} }},
				run{series: get(lname+" -vettool, cold", shape.name), dir: shape.dir, cold: shape.linter, args: vettool},
				run{series: get(lname+" -vettool, warm", shape.name), dir: shape.dir, args: func(string) []string { return vettool(fixed) }},
			)
		}
		points := make([]*Point, len(rs))
		for i, r := range rs {
			points[i] = &Point{}
			if r.cold == "" && !r.coldFlag { // untimed: warm the vet cache, the page cache, go list's cache
				if _, err := timeRun(r.dir, r.args("")); err != nil {
					return nil, err
				}
			}
		}
		for k := range runs {
			for i, r := range rs {
				tool := ""
				if r.coldFlag {
					tool = fmt.Sprintf("peerColdRun%dx%dx%dx%d", sz.Packages, i, k, time.Now().UnixNano())
				}
				if r.cold != "" {
					tool = filepath.Join(tmp, "bin", fmt.Sprintf("cold-%d-%d-%d", sz.Packages, i, k))
					if err := copyFile(r.cold, tool, []byte(fmt.Sprintf("\x00cold run %d %d %d %d", sz.Packages, i, k, time.Now().UnixNano()))); err != nil {
						return nil, err
					}
				}
				m, err := timeRun(r.dir, r.args(tool))
				if err != nil {
					return nil, err
				}
				if tool != "" {
					os.Remove(tool)
				}
				p := points[i]
				p.Wall = append(p.Wall, m.wall.Seconds())
				p.CPU = append(p.CPU, m.cpu.Seconds())
				p.RSS = append(p.RSS, m.rss)
				p.Exit, p.Findings = m.exit, m.findings
				log.Printf("%d pkgs %-9s %-30s run %d: %6.2fs wall %6.2fs CPU %5d MB exit %d, %d findings",
					sz.Packages, r.series.Shape, r.series.Name, k+1, m.wall.Seconds(), m.cpu.Seconds(), m.rss>>20, m.exit, m.findings)
			}
		}
		for i, r := range rs {
			p := points[i]
			p.Lines = sz.Restate.Lines
			if r.series.Shape == "temporal" {
				p.Lines = sz.Temporal.Lines
			}
			r.series.Points = append(r.series.Points, *p)
		}
	}
	res.LoadAvgs = append(res.LoadAvgs, loadAvg())
	return res, nil
}

func vettool(tool string) []string { return []string{"go", "vet", "-vettool=" + tool, "./..."} }

// copyFile copies an executable, appending extra (which changes its
// content hash, and so go vet's tool ID, without changing what it does).
func copyFile(src, dst string, extra []byte) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, append(data, extra...), 0o755)
}

// measurement is one timed run.
type measurement struct {
	wall, cpu      time.Duration
	rss            int64
	exit, findings int
}

// findingLine matches a diagnostic line: path:line:col: message. Related
// information, which go vet prints as "path:line:col: \tmessage" after
// its diagnostic, is not counted.
var findingLine = regexp.MustCompile(`(?m)^[^\s:#][^:\n]*\.go:\d+:\d+: \S`)

// timeRun runs argv in dir. Exit codes 0, 1 (go vet with findings) and 3
// (standalone with findings) are expected; a panic or anything else is an
// error.
func timeRun(dir string, argv []string) (measurement, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	m := measurement{wall: time.Since(start)}
	if cmd.ProcessState == nil {
		return m, err
	}
	m.exit = cmd.ProcessState.ExitCode()
	m.cpu, m.rss = usage(cmd.ProcessState)
	m.findings = len(findingLine.FindAll(out.Bytes(), -1))
	if (m.exit != 0 && m.exit != 1 && m.exit != 3) || bytes.Contains(out.Bytes(), []byte("panic: ")) ||
		(m.exit == 1 && m.findings == 0) {
		return m, fmt.Errorf("%s (in %s): exit %d\n%s", strings.Join(argv, " "), dir, m.exit, tail(out.String(), 30))
	}
	return m, nil
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	return strings.Join(f[:min(3, len(f))], " ")
}

func describeMachine() string {
	s := fmt.Sprintf("%d CPUs, %s/%s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				return s + ", " + strings.TrimSpace(v)
			}
		}
	}
	return s
}

func commit(root string) string {
	cmd := exec.Command("git", "rev-parse", "--short", "HEAD")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "?"
	}
	c := strings.TrimSpace(string(out))
	cmd = exec.Command("git", "status", "--porcelain")
	cmd.Dir = root
	if st, _ := cmd.Output(); len(bytes.TrimSpace(st)) > 0 {
		c += " + uncommitted changes"
	}
	return c
}
