// Package config holds the settings every restatelint driver shares. The
// values are bound to analyzer flags (standalone, go vet -vettool, nogo's
// analyzer_flags) and set from golangci-lint settings, so one key means one
// thing everywhere; a package's restatelint.toml fills in what the driver
// did not set (For, settings.go; the run's reach.scope, runscope.go).
package config

import (
	"github.com/restatelint/restatelint/analyzers/internal/sdk"

	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// PathList is a comma-separated list of module or package path prefixes.
// It implements flag.Value and rejects malformed entries instead of
// ignoring them.
type PathList []string

func (l *PathList) String() string { return strings.Join(*l, ",") }

// Set replaces the list (flags may be given once).
func (l *PathList) Set(s string) error {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if strings.ContainsAny(p, " \t*?[]\\") || strings.HasSuffix(p, "/") || strings.HasPrefix(p, "/") || strings.HasPrefix(p, ".") {
			return fmt.Errorf("invalid path prefix %q: want a module or package path such as example.com/platform", p)
		}
		out = append(out, strings.TrimSuffix(p, "/..."))
	}
	*l = out
	return nil
}

// Matches reports whether path is one of the prefixes or below one.
func (l PathList) Matches(path string) bool {
	for _, p := range l {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// Scope lists module or package path prefixes analyzed from source for
// reached code in addition to the main module(s): the value of the
// reach.scope flag (RunScope adds restatelint.toml's).
var Scope PathList

// InScope reports whether pass's package is analyzed from source for the
// effects of its functions: a package of a main or workspace module (it has
// no version), of a module replaced by a local directory, or one matching
// RunScope. The standard library and versioned dependencies are described by
// the sink tables instead. Where a package comes from is decided by its
// files (see origin.go), never by the shape of its import path.
func InScope(pass *analysis.Pass) bool {
	if len(pass.Files) == 0 || pass.TypesInfo == nil {
		return false
	}
	path := pass.Pkg.Path()
	var files []string
	for _, f := range pass.Files {
		files = append(files, pass.Fset.Position(f.Package).Filename)
	}
	if m := pass.Module; m != nil && m.Path != "" {
		if IsSDKModule(m.Path) {
			return false
		}
		return InScopePath(path, m.Version == "" || IsLocalDir(files[0], m.Path))
	}
	// No module information (nogo, some golangci-lint loads, the standard
	// library itself): everything but GOROOT is the user's code.
	return InScopePath(path, !isStdPass(path, files))
}

// IsSDKModule reports whether a module is the Restate SDK itself. Its
// packages are described by the SDK model (analyzers/internal/sdk), never
// analyzed from source, even where the SDK is the main module or replaced
// by a local directory (its own examples and test services: replace
// github.com/restatedev/sdk-go => ../): followed from source, a journaled
// future's Done would reach the state machine's channels and wasm calls.
func IsSDKModule(path string) bool { return path == sdk.Path }

// InScopePath reports whether the package path, of the user's own modules
// (main, workspace, or locally replaced) or not, is analyzed from source.
func InScopePath(path string, ownModule bool) bool {
	if ownModule {
		return true
	}
	scope, err := RunScope()
	if err != nil {
		// A bad file is reported where it applies (For); here the
		// driver's value stands.
		scope = Scope
	}
	return scope.Matches(path)
}
