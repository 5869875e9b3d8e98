package driver

import (
	"flag"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/internal/options"
)

// settings are the driver's own flags; analyzer flags are bound to the
// analyzers' FlagSets directly, under the -NAME.flag names the go vet
// protocol uses, so every driver accepts the same spelling.
type settings struct {
	json, fix, diff, tests bool
	sarif, version         bool
	context                int
	dir, tags              string
	cpuprofile, memprofile string
	selection              *options.Selection
}

func registerFlags(fs *flag.FlagSet, analyzers []*analysis.Analyzer) *settings {
	s := &settings{context: -1, tests: true}
	fs.BoolVar(&s.json, "json", false, "emit JSON output (the go/analysis format)")
	fs.BoolVar(&s.sarif, "sarif", false, "emit SARIF 2.1.0 output (for code scanning) on stdout")
	fs.BoolVar(&s.fix, "fix", false, "apply all suggested fixes")
	fs.BoolVar(&s.diff, "diff", false, "with -fix, print a unified diff instead of writing files")
	fs.BoolVar(&s.tests, "test", true, "also analyze test files")
	fs.IntVar(&s.context, "c", -1, "display offending line with this many lines of context")
	fs.StringVar(&s.dir, "C", "", "change to `dir` before loading packages, like the go command")
	fs.StringVar(&s.tags, "tags", "", "comma-separated build `tags` to consider satisfied, as for go build -tags")
	fs.BoolVar(&s.version, "version", false, "print the version and exit")
	fs.StringVar(&s.cpuprofile, "cpuprofile", "", "write a CPU profile to `file`")
	fs.StringVar(&s.memprofile, "memprofile", "", "write a heap profile to `file` after the analysis")
	// -NAME and -NAME.flag: the keys every driver shares (internal/options).
	s.selection = options.Register(fs, analyzers)
	return s
}

// loadConfig is the go/packages configuration the flags ask for. Build
// flags other than -tags come from GOFLAGS, which the go command reads
// itself (-tags given here wins over a -tags in GOFLAGS).
func (s *settings) loadConfig() *packages.Config {
	cfg := &packages.Config{Mode: packages.LoadSyntax | packages.NeedModule, Tests: s.tests, Dir: s.dir}
	if s.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + s.tags}
	}
	return cfg
}

// enabledAnalyzers follows go vet's rule: if any -NAME flag is true, run
// only those; otherwise run all except those set to false.
func (s *settings) enabledAnalyzers(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	return s.selection.Enabled(analyzers)
}
