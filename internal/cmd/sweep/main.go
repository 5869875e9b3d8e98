// Command sweep runs every restatelint analyzer over the Go standard
// library and large open-source modules, none of which contains a Restate
// handler, and requires zero panics, zero analysis errors and zero
// diagnostics (issue 8, "corpus sweep").
//
// Each module is fetched with go mod download, copied out of the module
// cache into a work directory and analyzed there as the main module, so
// that every one of its packages is in scope and analyzed from source
// (reach walks every function body), test files included. Replace
// directives to local paths (aws-sdk-go-v2's service modules) are dropped
// and go mod tidy -e fills go.sum instead. The standard library is
// analyzed with -reach.scope naming every top-level std path, for the same
// reason. Needs the module proxy (or a module cache holding the modules).
//
// Run it from the repository root:
//
//	go run ./internal/cmd/sweep                  # std + the default modules (about an hour on 2 cores)
//	go run ./internal/cmd/sweep -std=false github.com/jackc/pgx/v5@v5.13.0
//	go run ./internal/cmd/sweep -markdown        # also print the table for docs/reliability.md
//
// Exit status 1 if any target is not clean. A small subset runs as a Go
// test (sweep_test.go, skipped with -short).
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// modules is the default corpus, pinned so that two sweeps analyze the
// same code. Update the versions (and docs/reliability.md) together.
var modules = []string{
	"golang.org/x/tools@v0.52.0",
	"golang.org/x/net@v0.62.0",
	"google.golang.org/grpc@v1.85.0",
	"go.temporal.io/sdk@v1.51.0",
	"github.com/aws/aws-sdk-go-v2@v1.48.0",
	"github.com/aws/aws-sdk-go-v2/service/s3@v1.114.10",
	"github.com/aws/aws-sdk-go-v2/service/dynamodb@v1.74.0",
	"k8s.io/client-go@v0.37.2",
	"github.com/jackc/pgx/v5@v5.13.0",
	"github.com/redis/go-redis/v9@v9.23.0",
	"github.com/prometheus/client_golang@v1.25.0",
	"go.opentelemetry.io/otel@v1.47.0",
	"github.com/nats-io/nats.go@v1.55.0",
	"go.mongodb.org/mongo-driver/v2@v2.10.0",
	"github.com/gin-gonic/gin@v1.12.0",
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("sweep: ")
	var (
		work     = flag.String("work", "", "work directory for the module copies (default: a temporary directory, removed afterwards)")
		bin      = flag.String("bin", "", "restatelint binary to use (default: build ./cmd/restatelint)")
		std      = flag.Bool("std", true, "sweep the standard library")
		markdown = flag.Bool("markdown", false, "also print a Markdown table for docs/reliability.md")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: sweep [flags] [module@version ...]\n\nWith no modules, sweeps %d pinned modules.\n\n", len(modules))
		flag.PrintDefaults()
	}
	flag.Parse()

	if *work == "" {
		dir, err := os.MkdirTemp("", "restatelint-sweep-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		*work = dir
	} else if err := os.MkdirAll(*work, 0o755); err != nil {
		log.Fatal(err)
	}
	if *bin == "" {
		*bin = filepath.Join(*work, "restatelint")
		if out, err := exec.Command("go", "build", "-o", *bin, "./cmd/restatelint").CombinedOutput(); err != nil {
			log.Fatalf("building restatelint (run from the repository root): %v\n%s", err, out)
		}
	}

	var targets []target
	if *std {
		targets = append(targets, target{Module: "std", Patterns: []string{"std"}})
	}
	mods := flag.Args()
	if len(mods) == 0 {
		mods = modules
	}
	for _, m := range mods {
		path, version, ok := strings.Cut(m, "@")
		if !ok {
			log.Fatalf("%s: want module@version", m)
		}
		targets = append(targets, target{Module: path, Version: version})
	}

	start := time.Now()
	var results []*result
	failed := false
	for _, t := range targets {
		var flags []string
		if t.Module == "std" {
			scope, err := stdScope(*work)
			if err != nil {
				log.Fatal(err)
			}
			flags = []string{"-reach.scope=" + scope}
		}
		log.Printf("%s ...", t)
		r, err := sweep(*bin, t, *work, flags...)
		if err != nil {
			log.Printf("%s: %v", t, err)
			failed = true
			continue
		}
		results = append(results, r)
		log.Printf("%s: %d packages, %d lines, %v wall, %v CPU, %d MB: %s",
			t, r.Packages, r.Lines, r.Wall.Round(time.Second), r.CPU.Round(time.Second), r.MaxRSS>>20, verdict(r))
		if !r.ok() {
			failed = true
			printProblems(os.Stdout, r)
		}
	}
	printSummary(os.Stdout, results, time.Since(start))
	if *markdown {
		fmt.Println()
		printMarkdown(os.Stdout, results, time.Since(start))
	}
	if failed {
		os.Exit(1)
	}
}

func verdict(r *result) string {
	if r.ok() {
		return "clean"
	}
	return fmt.Sprintf("exit %d, %d panics, %d analysis errors, %d diagnostics, %d load errors",
		r.ExitCode, len(r.Panics), len(r.AnalysisErrors), len(r.Diagnostics), len(r.LoadErrors))
}

func printProblems(w io.Writer, r *result) {
	for _, group := range []struct {
		name  string
		lines []string
	}{{"panic", r.Panics}, {"analysis error", r.AnalysisErrors}, {"diagnostic", r.Diagnostics}, {"load error", r.LoadErrors}} {
		for i, l := range group.lines {
			if i == 20 {
				fmt.Fprintf(w, "  ... %d more %ss\n", len(group.lines)-i, group.name)
				break
			}
			fmt.Fprintf(w, "  %s: %s\n", group.name, l)
		}
	}
}

func totals(results []*result) (t result) {
	for _, r := range results {
		t.Packages += r.Packages
		t.Files += r.Files
		t.Lines += r.Lines
		t.Wall += r.Wall
		t.CPU += r.CPU
		t.Panics = append(t.Panics, r.Panics...)
		t.AnalysisErrors = append(t.AnalysisErrors, r.AnalysisErrors...)
		t.Diagnostics = append(t.Diagnostics, r.Diagnostics...)
		t.LoadErrors = append(t.LoadErrors, r.LoadErrors...)
	}
	return t
}

func printSummary(w io.Writer, results []*result, elapsed time.Duration) {
	t := totals(results)
	fmt.Fprintf(w, "%d targets, %d packages, %d files, %d lines; restatelint %v wall, %v CPU (sweep %v); "+
		"panics %d, analysis errors %d, diagnostics %d, load errors %d\n",
		len(results), t.Packages, t.Files, t.Lines, t.Wall.Round(time.Second), t.CPU.Round(time.Second),
		elapsed.Round(time.Second), len(t.Panics), len(t.AnalysisErrors), len(t.Diagnostics), len(t.LoadErrors))
}

func printMarkdown(w io.Writer, results []*result, elapsed time.Duration) {
	fmt.Fprintf(w, "Swept %s with %s on %s/%s, %d CPUs.\n\n", time.Now().Format("2006-01-02"), runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	fmt.Fprintln(w, "| target | packages | lines (with tests) | wall | CPU | peak RSS | panics | analysis errors | diagnostics |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	row := func(name string, r result) {
		fmt.Fprintf(w, "| %s | %d | %d | %v | %v | %s | %d | %d | %d |\n", name, r.Packages, r.Lines,
			r.Wall.Round(time.Second), r.CPU.Round(time.Second), rss(r.MaxRSS),
			len(r.Panics), len(r.AnalysisErrors), len(r.Diagnostics))
	}
	for _, r := range results {
		name := "`" + r.Target.String() + "`"
		if r.Target.Module == "std" {
			name = "standard library (`std`)"
		}
		row(name, *r)
	}
	t := totals(results)
	row(fmt.Sprintf("**total (%d targets)**", len(results)), t)
	fmt.Fprintf(w, "\nWhole sweep, module downloads and copies included: %v.\n", elapsed.Round(time.Second))
}

func rss(b int64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%d MB", b>>20)
}
