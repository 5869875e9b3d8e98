// Package driver is the command-line driver shared by restatelint and the
// benchmark's type-check floor.
//
// Under the go vet protocol (go vet -vettool, go fix -fixtool, and the
// -V=full / -flags queries that precede them) it hands over to
// unitchecker, which analyzes one package at a time and passes facts
// between packages through files that go vet caches.
//
// Standalone (restatelint ./...) it loads packages itself instead of using
// multichecker: the stock driver switches to loading every dependency from
// source as soon as one analyzer declares facts, which costs 10× the
// type-check floor. restatelint only needs facts for code it analyzes from
// source (the packages named on the command line plus the configured
// scope); everything else is described by sink tables. So this driver loads
// the named packages from source and their dependencies from export data,
// exactly like a no-fact analyzer would, and lets checker.Analyze run the
// analyzers bottom-up over that graph. Facts flow between source packages;
// export-data packages contribute none.
package driver

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/internal/configfile"
	"github.com/restatelint/restatelint/internal/hiddenfixes"
)

// Options adapts the driver to one binary.
type Options struct {
	// SourceDeps reports whether a dependency of the named packages must be
	// analyzed from source (so its facts exist) rather than loaded from
	// export data; it is not reported on. It is called after flags are
	// parsed. May be nil: no dependency is analyzed from source.
	SourceDeps func(*packages.Package) bool

	// Usage is printed above the flag list by -help.
	Usage string

	// CheckConfig checks a restatelint.toml against the analyzers' keys
	// (all.CheckConfig). May be nil: no file is read up front.
	CheckConfig func(*configfile.File) error

	// About lists lines that restatelint version prints after the
	// version (restatelint: the SDK versions it supports).
	About []string
}

// Main runs the driver and exits.
func Main(opts Options, analyzers ...*analysis.Analyzer) {
	progname := filepath.Base(os.Args[0])
	log.SetFlags(0)
	log.SetPrefix(progname + ": ")

	if err := analysis.Validate(analyzers); err != nil {
		log.Fatal(err)
	}
	if isToolIDQuery(os.Args[1:]) {
		if err := printToolID(os.Stdout, os.Args[0]); err != nil {
			log.Fatal(err)
		}
		os.Exit(0)
	}
	if isVetProtocol(os.Args[1:]) {
		unitchecker.Main(analyzers...) // does not return
	}
	os.Exit(Run(opts, os.Args[1:], analyzers))
}

// isVetProtocol reports whether args come from the go command's vet or
// fix protocol: a version or flags query, or a single *.cfg file.
func isVetProtocol(args []string) bool {
	for _, arg := range args {
		switch strings.TrimLeft(arg, "-") {
		case "V", "V=full", "flags":
			if strings.HasPrefix(arg, "-") {
				return true
			}
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}

// Run parses args, analyzes and prints; it returns the exit code:
// 0 clean (or -json, -sarif, or -fix), 1 on load or analysis errors or bad flags,
// 3 when diagnostics were reported.
func Run(opts Options, args []string, analyzers []*analysis.Analyzer) int {
	progname := filepath.Base(os.Args[0])
	if len(args) > 0 { // verbs, as the x/tools multichecker has them
		switch args[0] {
		case "help":
			return help(os.Stdout, os.Stderr, progname, analyzers, args[1:])
		case "version":
			if len(args) > 1 {
				log.Print("version takes no arguments")
				return 1
			}
			printVersion(os.Stdout, progname, opts)
			return 0
		}
	}
	fs := flag.NewFlagSet(progname, flag.ContinueOnError)
	settings := registerFlags(fs, analyzers)
	fs.Usage = func() {
		out := fs.Output()
		if opts.Usage != "" {
			fmt.Fprintln(out, opts.Usage)
		}
		fmt.Fprintf(out, "Usage: %[1]s [flags] packages...\n       %[1]s help [analyzer]\n       %[1]s version\n\n"+
			"Other build flags than -tags (-mod, -modfile, ...) are taken from GOFLAGS, as by go vet.\n\nFlags:\n", fs.Name())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 1
	}
	if settings.version {
		printVersion(os.Stdout, progname, opts)
		return 0
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		fs.Usage()
		return 1
	}
	if settings.diff && !settings.fix {
		log.Print("-diff requires -fix")
		return 1
	}
	if settings.sarif && (settings.json || settings.fix) {
		log.Print("-sarif cannot be combined with -json or -fix")
		return 1
	}
	enabled := settings.enabledAnalyzers(analyzers)
	tuneGC()
	defer configfile.MemoizeFind()() // one run: the configuration files do not change under it
	stopProfiles, err := startProfiles(settings.cpuprofile, settings.memprofile)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer func() {
		if err := stopProfiles(); err != nil {
			log.Print(err)
		}
	}()

	res, err := load(settings.loadConfig(), patterns, opts.SourceDeps, func(roots []*packages.Package) error {
		return useConfigFiles(roots, opts.CheckConfig)
	})
	if err != nil {
		log.Print(err)
		return 1
	}
	exit := 0
	if res.printErrors() > 0 {
		exit = 1
	}

	if !settings.fix && !settings.sarif && !settings.json {
		defer hiddenfixes.Hide()() // the text output shows no fixes
	}
	endHold := holdHeapToLoad()
	graph, err := analyze(enabled, res)
	endHold()
	if err != nil {
		log.Print(err)
		return 1
	}
	if n := printActionErrors(graph); n > 0 {
		exit = 1
	}

	switch {
	case settings.fix:
		if err := applyFixes(graph, settings.diff, os.Stdout); err != nil {
			log.Print(err)
			return 1
		}
		return exit
	case settings.sarif:
		if err := writeSARIF(os.Stdout, graph, enabled, exit == 0); err != nil {
			log.Print(err)
			return 1
		}
		return exit
	case settings.json:
		if err := writeJSON(os.Stdout, graph); err != nil {
			log.Print(err)
			return 1
		}
		return exit
	default:
		if n := printText(os.Stderr, graph, settings.context); n > 0 && exit == 0 {
			exit = 3
		}
		return exit
	}
}
