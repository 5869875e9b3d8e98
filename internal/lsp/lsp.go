// Package lsp is restatelint's language server, `restatelint lsp`: it runs
// beside gopls (which cannot load third-party analyzers) and gives editors
// restatelint's findings as diagnostics, its suggested fixes and an
// "ignore" directive as quick fixes.
//
// It speaks LSP 3.17 over stdin/stdout: JSON-RPC 2.0 with Content-Length
// framing, positions in UTF-16 code units. Diagnostics are published for
// open files when they are opened, saved, and after a pause in typing
// (-debounce). Configuration is the command line's: the analyzer flags
// (-NAME, -NAME.flag, registered by internal/options like every driver's)
// and -test follow `lsp` on the command line, or come as
// initializationOptions {"flags": [...]}; -tags sets build tags.
//
// Each module or go.work is a view, loaded once like the standalone
// driver loads packages; after that an edit re-checks only the edited
// package (and, on demand, the open packages that import it) against the
// cached types and facts of everything else. See view.go.
package lsp

import (
	"flag"
	"fmt"
	"io"
	"os"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/internal/driver"
	"github.com/restatelint/restatelint/internal/options"
)

const usage = `Usage: restatelint lsp [flags]

restatelint lsp is a language server (LSP over stdin/stdout) that publishes
restatelint's findings for the files open in an editor and offers its fixes
as quick fixes. Run it beside gopls; see docs/integrations/editors.md.

The analyzer flags are those of restatelint; they may also be given as
initializationOptions {"flags": ["-reach.scope=example.com/platform"]}.

Flags:
`

// Main runs the language server on stdin/stdout and exits. args are the
// arguments after "lsp".
func Main(opts driver.Options, args []string, analyzers ...*analysis.Analyzer) {
	if err := analysis.Validate(analyzers); err != nil {
		fmt.Fprintf(os.Stderr, "restatelint lsp: %v\n", err)
		os.Exit(1)
	}
	os.Exit(Run(opts, args, analyzers, os.Stdin, os.Stdout, os.Stderr))
}

// Run parses the flags and serves LSP on in/out until exit; it returns the
// exit code: 0 after shutdown and exit (or -help), 1 otherwise (bad flags,
// input closed without exit), as the command line's 1 for errors.
func Run(opts driver.Options, args []string, analyzers []*analysis.Analyzer, in io.Reader, out, errOut io.Writer) int {
	s, err := configure(opts, args, analyzers, out, errOut)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 1
	}
	return s.serve(in)
}

// configure builds a server from the command line.
func configure(opts driver.Options, args []string, analyzers []*analysis.Analyzer, out, errOut io.Writer) (*server, error) {
	s := newServer(out)
	s.sourceDeps = opts.SourceDeps
	s.checkConfig = opts.CheckConfig
	fs := flag.NewFlagSet("restatelint lsp", flag.ContinueOnError)
	fs.SetOutput(errOut)
	sel := options.Register(fs, analyzers) // -NAME and -NAME.flag, as every driver spells them
	s.enabled = func() []*analysis.Analyzer { return sel.Enabled(analyzers) }
	fs.BoolVar(&s.testFiles, "test", true, "also analyze test files")
	fs.StringVar(&s.tags, "tags", "", "comma-separated build tags, as for go build -tags")
	fs.DurationVar(&s.debounce, "debounce", defaultDebounce, "wait this long after the last change before re-analyzing")
	fs.BoolVar(&s.verbose, "v", false, "log every load and re-analysis to stderr")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(errOut, "restatelint lsp: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return nil, fmt.Errorf("unexpected argument")
	}
	s.flags = fs
	return s, nil
}
