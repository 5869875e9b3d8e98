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
//
// Exit codes: 0 no findings (always with -json and -fix), 1 errors (bad
// flags, packages that fail to load, analysis failures), 3 findings.
package main

import (
	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/analyzers/reach"
	"github.com/restatelint/restatelint/internal/driver"
)

func main() {
	driver.Main(driver.Options{
		SourceDeps: func(p *packages.Package) bool {
			return reach.AnalyzedFromSource(p.PkgPath, p.Module != nil && p.Module.Main)
		},
		Usage: "restatelint finds code that breaks Restate's exactly-once guarantees.",
	}, all.Analyzers()...)
}
