package driver

import (
	"flag"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/internal/options"
)

// settings are the driver's own flags; analyzer flags are bound to the
// analyzers' FlagSets directly, under the -NAME.flag names the go vet
// protocol uses, so every driver accepts the same spelling.
type settings struct {
	json, fix, diff, tests bool
	sarif                  bool
	context                int
	dir                    string
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
	// -NAME and -NAME.flag: the keys every driver shares (internal/options).
	s.selection = options.Register(fs, analyzers)
	return s
}

// enabledAnalyzers follows go vet's rule: if any -NAME flag is true, run
// only those; otherwise run all except those set to false.
func (s *settings) enabledAnalyzers(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	return s.selection.Enabled(analyzers)
}
