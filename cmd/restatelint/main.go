// Command restatelint finds the code that breaks Restate's exactly-once
// promise in Go services built on github.com/restatedev/sdk-go.
//
//	restatelint ./...                       # report (exit 3 with findings)
//	restatelint -fix ./...                  # apply suggested fixes
//	restatelint -fix -diff ./...            # show them as a diff
//	restatelint -json ./...                 # the go/analysis JSON format
//	restatelint -walltime ./...             # run only walltime
//	restatelint -randomness=false ./...     # run all but randomness
//	restatelint -reach.scope=example.com/platform ./...
//	go vet -vettool=$(which restatelint) ./...
//	go fix -fixtool=$(which restatelint) ./...
//	restatelint lsp                         # language server for editors (docs/integrations/editors.md)
//	restatelint gopls                       # build a gopls that runs restatelint (docs/integrations/editors.md)
//	restatelint -tags=integration ./...     # build tags; other build flags through GOFLAGS
//	restatelint help                        # the analyzers; help NAME: one analyzer's doc and options
//	restatelint version                     # version, Go version and supported SDK versions (also -version)
//
// Exit codes: 0 no findings (always with -json and -fix), 1 errors (bad
// flags, packages that fail to load, a pattern that matches no package,
// analysis failures), 3 findings.
package main

import (
	"maps"
	"os"

	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/analyzers/reach"
	"github.com/restatelint/restatelint/internal/driver"
	"github.com/restatelint/restatelint/internal/goplsbuild"
	"github.com/restatelint/restatelint/internal/lsp"
)

func main() {
	opts := driver.Options{
		SourceDeps: func(p *packages.Package) bool {
			return reach.AnalyzedFromSource(p.PkgPath, driver.OwnModule(p)) ||
				reach.HelperLibrary(p.PkgPath, maps.Keys(p.Imports))
		},
		CheckConfig: all.CheckConfig,
		Usage:       "restatelint finds code that breaks Restate's exactly-once guarantees.",
		About:       []string{"supports " + all.SDKVersions},
	}
	if len(os.Args) > 1 && os.Args[1] == "lsp" { // restatelint lsp: the language server
		lsp.Main(opts, os.Args[2:], all.Analyzers()...)
	}
	if len(os.Args) > 1 && os.Args[1] == "gopls" { // restatelint gopls: build a gopls carrying restatelint
		os.Exit(goplsbuild.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	driver.Main(opts, all.Analyzers()...)
}
