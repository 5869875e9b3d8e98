package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/restatelint/restatelint/bench/gen/gen"
	"github.com/restatelint/restatelint/bench/internal/benchrun"
)

// series is the timed runs of one binary.
type series struct {
	name, bin string
	args      []string
	results   []benchrun.Result
}

func (s *series) add(r benchrun.Result) { s.results = append(s.results, r) }

// median and min of a per-run quantity.
func (s *series) median(f func(benchrun.Result) time.Duration) time.Duration {
	xs := s.values(f)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func (s *series) min(f func(benchrun.Result) time.Duration) time.Duration { return s.values(f)[0] }

func (s *series) values(f func(benchrun.Result) time.Duration) []time.Duration {
	var xs []time.Duration
	for _, r := range s.results {
		xs = append(xs, f(r))
	}
	slices.Sort(xs)
	return xs
}

// peakRSS is the largest peak RSS over all runs.
func (s *series) peakRSS() int64 {
	var m int64
	for _, r := range s.results {
		m = max(m, r.MaxRSS)
	}
	return m
}

// medianRSS is the median peak RSS of the runs.
func (s *series) medianRSS() int64 {
	var xs []int64
	for _, r := range s.results {
		xs = append(xs, r.MaxRSS)
	}
	slices.Sort(xs)
	if n := len(xs); n%2 == 0 {
		return (xs[n/2-1] + xs[n/2]) / 2
	}
	return xs[len(xs)/2]
}

// findings is the number of output lines of the last run.
func (s *series) findings() (lines, exit int) {
	last := s.results[len(s.results)-1]
	return bytes.Count(last.Output, []byte("\n")), last.ExitCode
}

func wall(r benchrun.Result) time.Duration { return r.Wall }
func cpu(r benchrun.Result) time.Duration  { return r.CPU() }

type report struct {
	date          time.Time
	machine       string
	stats         gen.Stats
	genTime       time.Duration
	seed          uint64
	runs          int
	linterName    string // with its extra flags, if any
	floor, linter *series
}

// ratio is the budgeted quantity: the ratio of median wall times.
func (r *report) ratio() float64 {
	return float64(r.linter.median(wall)) / float64(r.floor.median(wall))
}

// cpuRatio is the ratio of median CPU times, steadier than wall time on
// a shared machine.
func (r *report) cpuRatio() float64 {
	return float64(r.linter.median(cpu)) / float64(r.floor.median(cpu))
}

// rssRatio is the ratio of median peak RSS, which issue 12's memory
// target bounds with collection as usual (GOGC set).
func (r *report) rssRatio() float64 {
	return float64(r.linter.medianRSS()) / float64(r.floor.medianRSS())
}

// collection describes the garbage collection both binaries ran with.
func collection() string {
	if v := os.Getenv("GOGC"); v != "" {
		return "GOGC=" + v
	}
	if v := os.Getenv("GOMEMLIMIT"); v != "" {
		return "GOMEMLIMIT=" + v
	}
	return "the driver's default (deferred; set GOGC=100 for the memory target)"
}

func (r *report) verdict() string {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return "not judged: the budget is for the driver's default collection"
	}
	if r.ratio() <= Budget {
		return "within budget"
	}
	return "OVER BUDGET"
}

func (r *report) printText(w io.Writer) {
	st := r.stats
	fmt.Fprintf(w, "date:      %s\n", r.date.Format(time.RFC3339))
	fmt.Fprintf(w, "machine:   %s\n", r.machine)
	fmt.Fprintf(w, "code base: %d packages, %d files, %d lines, %d handlers (seed %d, generated in %v)\n",
		st.Packages, st.Files, st.Lines, st.Handlers, r.seed, r.genTime.Round(time.Millisecond))
	fmt.Fprintf(w, "runs:      %d of each on ./..., alternating, after one untimed run each\n", r.runs)
	fmt.Fprintf(w, "collection: %s\n\n", collection())
	width := max(len(r.floor.name), len(r.linter.name))
	fmt.Fprintf(w, "%-*s %10s %10s %12s %10s %10s\n", width, "", "median", "min", "CPU median", "RSS median", "peak RSS")
	for _, s := range []*series{r.floor, r.linter} {
		fmt.Fprintf(w, "%-*s %10s %10s %12s %10s %10s\n", width, s.name,
			secs(s.median(wall)), secs(s.min(wall)), secs(s.median(cpu)), mb(s.medianRSS()), mb(s.peakRSS()))
	}
	fmt.Fprintf(w, "\nratio %s/floor (median wall): %.2fx, budget %.2fx: %s\n", r.linterName, r.ratio(), Budget, r.verdict())
	fmt.Fprintf(w, "ratio %s/floor (median CPU):  %.2fx\n", r.linterName, r.cpuRatio())
	fmt.Fprintf(w, "ratio %s/floor (median peak RSS): %.2fx\n", r.linterName, r.rssRatio())
	lines, exit := r.linter.findings()
	fmt.Fprintf(w, "%s output: %d lines, exit code %d\nplanted:   %s\n", r.linterName, lines, exit, st.Hazards())
}

func (r *report) printMarkdown(w io.Writer) {
	st := r.stats
	fmt.Fprintf(w, "Measured %s on %s; %d packages, %d lines (seed %d); %d alternating runs each; collection: %s.\n\n",
		r.date.Format("2006-01-02"), r.machine, st.Packages, st.Lines, r.seed, r.runs, collection())
	fmt.Fprintf(w, "| | floor | %s |\n|---|---:|---:|\n", r.linterName)
	row := func(label string, f func(*series) string) {
		fmt.Fprintf(w, "| %s | %s | %s |\n", label, f(r.floor), f(r.linter))
	}
	row("wall, median", func(s *series) string { return secs(s.median(wall)) })
	row("wall, min", func(s *series) string { return secs(s.min(wall)) })
	row("CPU (user+sys), median", func(s *series) string { return secs(s.median(cpu)) })
	row("peak RSS, median", func(s *series) string { return mb(s.medianRSS()) })
	row("peak RSS, largest", func(s *series) string { return mb(s.peakRSS()) })
	fmt.Fprintf(w, "\n**%s / floor (median wall): %.2fx** (budget %.2fx, %s); median CPU: %.2fx; median peak RSS: %.2fx\n",
		r.linterName, r.ratio(), Budget, r.verdict(), r.cpuRatio(), r.rssRatio())
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
func mb(b int64) string           { return fmt.Sprintf("%d MB", b>>20) }

// describeMachine returns e.g. "2 CPUs, AMD EPYC 7B13, go1.26.8 linux/amd64".
func describeMachine() string {
	model := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	goVersion := runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	if out, err := exec.Command("go", "version").Output(); err == nil {
		goVersion = strings.TrimPrefix(strings.TrimSpace(string(out)), "go version ")
	}
	return fmt.Sprintf("%d CPUs, %s, %s", runtime.NumCPU(), model, goVersion)
}
