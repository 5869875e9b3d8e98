// Command gen writes the synthetic Restate code base that the restatelint
// performance benchmark lints. See package gen and docs/performance.md.
//
//	go run ./bench/gen -dir /tmp/benchapp [-pkgs 400] [-lines 170000] [-seed 1]
package main

import (
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/restatelint/restatelint/bench/gen/gen"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	dir := flag.String("dir", "", "output directory (empty, missing, or a previous output)")
	pkgs := flag.Int("pkgs", gen.DefaultPackages, "number of packages")
	lines := flag.Int("lines", gen.DefaultLines, "approximate total lines of Go")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same code base")
	sdk := flag.String("sdk", "", "txtar with the go.mod/go.sum to use (default: the restatelint module's testdata/sdk/v1.2.0.txtar)")
	flag.Parse()
	if *dir == "" || flag.NArg() > 0 {
		flag.Usage()
		log.Fatal("-dir is required")
	}
	start := time.Now()
	st, err := gen.Generate(gen.Config{Dir: *dir, Packages: *pkgs, Lines: *lines, Seed: *seed, SDKArchive: *sdk})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d packages, %d files, %d lines, %d handlers in %v\nplanted: %s\n",
		*dir, st.Packages, st.Files, st.Lines, st.Handlers, time.Since(start).Round(time.Millisecond), st.Hazards())
}
