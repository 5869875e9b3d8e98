// Package all lists restatelint's analyzers, for the drivers (the
// restatelint command, the golangci-lint plugin) and for tests that must
// cover every analyzer.
package all

import (
	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/concurrency"
	"github.com/restatelint/restatelint/analyzers/deadlock"
	"github.com/restatelint/restatelint/analyzers/idempotencykey"
	"github.com/restatelint/restatelint/analyzers/ignoredirective"
	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/maporder"
	"github.com/restatelint/restatelint/analyzers/memstate"
	"github.com/restatelint/restatelint/analyzers/randomness"
	"github.com/restatelint/restatelint/analyzers/reach"
	"github.com/restatelint/restatelint/analyzers/runcapture"
	"github.com/restatelint/restatelint/analyzers/runcontext"
	"github.com/restatelint/restatelint/analyzers/sideeffect"
	"github.com/restatelint/restatelint/analyzers/statecounter"
	"github.com/restatelint/restatelint/analyzers/terminalerror"
	"github.com/restatelint/restatelint/analyzers/walltime"
	"github.com/restatelint/restatelint/internal/configfile"
)

// Analyzers returns the analyzers in the order of rules.md, then the
// infrastructure: reach (which only holds the scope option) and
// ignoredirective.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		walltime.Analyzer,
		randomness.Analyzer,
		sideeffect.Analyzer,
		statecounter.Analyzer,
		runcontext.Analyzer,
		runcapture.Analyzer,
		concurrency.Analyzer,
		maporder.Analyzer,
		idempotencykey.Analyzer,
		deadlock.Analyzer,
		memstate.Analyzer,
		terminalerror.Analyzer,
		reach.Analyzer,
		ignoredirective.Analyzer,
	}
}

// SDKVersions says which versions of github.com/restatedev/sdk-go the
// analyzers understand (restatelint version prints it). The SDK is matched
// by import path and name (analyzers/internal/sdk), never imported; the
// fixtures run every SDK-dependent rule against both tested versions.
const SDKVersions = "github.com/restatedev/sdk-go v0.12 and later, v1.x (tested with v0.24.0 and v1.2.0)"

// CheckConfig checks a restatelint.toml against the analyzers' keys: an
// unknown key or an invalid value is an error naming the file and line.
// Drivers that know the packages they analyze call it before analyzing;
// every analysis of a package the file applies to would fail the same way.
func CheckConfig(f *configfile.File) error {
	_, err := config.FromFile(f)
	return err
}
