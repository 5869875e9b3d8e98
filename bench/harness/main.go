// Command harness measures restatelint against its type-check floor.
//
// The requirement it checks: a standalone "restatelint ./..." stays within
// 1.3x of the floor (the same driver running a no-op analyzer over the
// same packages) on a generated Restate code base of about 400 packages
// and 170k lines. The harness builds both binaries, generates the code
// base, warms the module and build caches and runs each binary once
// untimed, then times the two alternately so that drift in machine load
// hits both alike, and reports medians, minima, CPU time and peak RSS.
//
// Run it from inside the restatelint module:
//
//	go run ./bench/harness [-runs 5] [-pkgs 400] [-lines 170000] [-markdown]
//
// Both binaries inherit the environment: with GOGC=100 set the run
// measures issue 12's memory target (median peak RSS within 1.2x of the
// floor's) and the wall budget is not judged; without it, the driver's
// default collection and the speed budget.
//
// See docs/performance.md.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/restatelint/restatelint/bench/gen/gen"
	"github.com/restatelint/restatelint/bench/internal/benchrun"
)

// Budget is the largest acceptable restatelint/floor ratio of median wall
// times.
const Budget = 1.3

func main() {
	log.SetFlags(0)
	log.SetPrefix("harness: ")
	var (
		dir      = flag.String("dir", "", "generate the code base here (default: a temporary directory)")
		keep     = flag.Bool("keep", false, "keep the temporary code base and binaries")
		pkgs     = flag.Int("pkgs", gen.DefaultPackages, "packages to generate")
		lines    = flag.Int("lines", gen.DefaultLines, "lines of Go to generate, approximately")
		seed     = flag.Uint64("seed", 1, "generator seed")
		runs     = flag.Int("runs", 5, "timed runs of each binary")
		markdown = flag.Bool("markdown", false, "also print a Markdown table for docs/performance.md")
		floorPkg = flag.String("floor", benchrun.FloorPkg, "command package of the floor binary")
		linter   = flag.String("linter", benchrun.LinterPkg, "command package of the linter binary")
		lflags   = flag.String("linter-flags", "", "extra flags for the linter, e.g. \"-statecounter\" to time one analyzer")
	)
	flag.Parse()
	if flag.NArg() > 0 || *runs < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(config{
		dir: *dir, keep: *keep, pkgs: *pkgs, lines: *lines, seed: *seed, runs: *runs,
		markdown: *markdown, floorPkg: *floorPkg, linterPkg: *linter,
		linterArgs: append(strings.Fields(*lflags), "./..."),
	}); err != nil {
		log.Fatal(err)
	}
}

type config struct {
	dir                 string
	keep                bool
	pkgs, lines, runs   int
	seed                uint64
	markdown            bool
	floorPkg, linterPkg string
	linterArgs          []string // flags and packages for the linter
}

func run(cfg config) error {
	root, err := benchrun.ModuleRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "restatelint-bench-")
	if err != nil {
		return err
	}
	if cfg.keep {
		log.Printf("keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	floor := filepath.Join(tmp, "floor")
	linter := filepath.Join(tmp, "restatelint")
	log.Printf("building %s and %s", cfg.floorPkg, cfg.linterPkg)
	if err := benchrun.Build(root, cfg.floorPkg, floor); err != nil {
		return err
	}
	if err := benchrun.Build(root, cfg.linterPkg, linter); err != nil {
		return err
	}

	if cfg.dir == "" {
		cfg.dir = filepath.Join(tmp, "benchapp")
	}
	start := time.Now()
	st, err := gen.Generate(gen.Config{Dir: cfg.dir, Packages: cfg.pkgs, Lines: cfg.lines, Seed: cfg.seed})
	if err != nil {
		return err
	}
	genTime := time.Since(start)
	log.Printf("generated %d packages, %d lines in %s in %v", st.Packages, st.Lines, cfg.dir, genTime.Round(time.Millisecond))

	start = time.Now()
	if err := benchrun.Prepare(cfg.dir); err != nil {
		return err
	}
	log.Printf("warmed module and build caches in %v", time.Since(start).Round(time.Millisecond))

	rep := &report{
		date: time.Now(), machine: describeMachine(), stats: st, genTime: genTime,
		seed: cfg.seed, runs: cfg.runs,
		linterName: strings.Join(append([]string{filepath.Base(cfg.linterPkg)}, cfg.linterArgs[:len(cfg.linterArgs)-1]...), " "),
	}
	bins := []*series{
		{name: "floor", bin: floor, args: []string{"./..."}},
		{name: rep.linterName, bin: linter, args: cfg.linterArgs},
	}
	for _, s := range bins { // untimed: page cache, go list cache, CPU frequency
		if _, err := benchrun.Run(s.bin, cfg.dir, s.args...); err != nil {
			return err
		}
	}
	for i := range cfg.runs {
		for _, s := range bins {
			res, err := benchrun.Run(s.bin, cfg.dir, s.args...)
			if err != nil {
				return err
			}
			s.add(res)
			log.Printf("run %d/%d %-12s %v", i+1, cfg.runs, s.name, res.Wall.Round(time.Millisecond))
		}
	}
	rep.floor, rep.linter = bins[0], bins[1]
	rep.printText(os.Stdout)
	if cfg.markdown {
		fmt.Println()
		rep.printMarkdown(os.Stdout)
	}
	return nil
}
