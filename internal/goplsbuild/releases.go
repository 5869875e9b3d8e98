package goplsbuild

// Releases lists the gopls releases `restatelint gopls` builds, newest
// first; the first is the default. Each was built and tested with
// restatelint (TestGoplsBuild builds the default one).
//
// Adding a gopls release (see docs/integrations/editors.md, "Adding a gopls
// release"): read the release's go.mod for the golang.org/x/tools version it
// requires and its go directive, check that internal/settings still has
// `var AllAnalyzers []*Analyzer` and an `Analyzer` struct with an
// `analyzer *analysis.Analyzer` field (otherwise write a registration file
// for the new shape), add a row here, and run
// `go test ./internal/goplsbuild -gopls.version=vX.Y.Z` with a Go toolchain at
// least as new as the go directive.
var Releases = []Release{
	{
		Version:  "v0.23.0",
		Tools:    "v0.47.1-0.20260707181000-a299dadba899",
		Go:       "go1.26.0",
		Register: registerV023,
	},
}

// A Release is one gopls release and what carrying restatelint in it takes.
type Release struct {
	Version string // the module version of golang.org/x/tools/gopls
	Tools   string // the golang.org/x/tools version its go.mod requires (checked at build time)
	Go      string // the Go version its go.mod requires (its go directive)

	// Register is the Go source added to gopls's internal/settings
	// package: it appends restatelint's analyzers to the analyzers every
	// gopls session offers.
	Register string
}

// registerV023 fits gopls releases whose internal/settings declares
//
//	var AllAnalyzers = initAnalyzers()
//	type Analyzer struct { analyzer *analysis.Analyzer; ... }
//
// A zero Analyzer besides its analyzer is what gopls uses for its own
// default-on analyzers: enabled unless the `analyses` setting turns it off
// by name, warning severity, quick fixes as code actions. The package-level
// AllAnalyzers is initialized before any init function of the package
// runs, and read only when a session analyzes. The analyzers come from
// package github.com/restatelint/restatelint/gopls, which makes their
// quick fixes restatelint -fix's.
const registerV023 = `// Code added by restatelint gopls: restatelint's analyzers beside gopls's own.

package settings

import restatelint "github.com/restatelint/restatelint/gopls"

func init() {
	for _, a := range restatelint.Analyzers() {
		AllAnalyzers = append(AllAnalyzers, &Analyzer{analyzer: a})
	}
}
`

// Lookup returns the release of the given version.
func Lookup(version string) (Release, bool) {
	for _, r := range Releases {
		if r.Version == version {
			return r, true
		}
	}
	return Release{}, false
}

// Versions lists the supported versions, newest first.
func Versions() []string {
	var out []string
	for _, r := range Releases {
		out = append(out, r.Version)
	}
	return out
}
