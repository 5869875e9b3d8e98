package config

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/internal/configfile"
	"github.com/restatelint/restatelint/internal/options"
)

// Rules lists the analyzers that report findings: the keys that turn one
// on or off in restatelint.toml, and the names a //restatelint:ignore
// directive may use (all but ignoredirective, which reports the
// directives themselves).
var Rules = []string{
	"walltime", "randomness", "sideeffect", "statecounter", "runcontext",
	"runcapture", "concurrency", "maporder", "idempotencykey", "deadlock", "memstate", "terminalerror",
	"ignoredirective",
}

// Settings are the effective settings for one package: the driver's
// explicit values (flags, golangci-lint settings, nogo analyzer_flags)
// over the package's restatelint.toml over the defaults.
type Settings struct {
	File         *configfile.File // the file that applies, nil if none
	Sinks, Allow *FuncList        // sideeffect.sinks, sideeffect.allow
	Scope        PathList         // reach.scope as the file gives it (see RunScope)

	rules map[string]bool // the file's <analyzer> = true|false
	anyOn bool
}

// Reports reports whether the analyzer's findings in this package are
// reported: the driver decides which analyzers run; among those, the file
// turns rules off for its packages, as go vet's flags do (if the file
// enables any rule explicitly, only those report), unless the driver
// enabled the rule by name (-walltime, or walltime: true in
// golangci-lint's settings).
func (s *Settings) Reports(analyzer string) bool {
	if s == nil || s.rules == nil {
		return true
	}
	if on, set := options.Explicit(analyzer); set && on {
		return true
	}
	on, set := s.rules[analyzer]
	if s.anyOn {
		return set && on
	}
	return !set || on
}

// driverValues are the option values a driver set; the file applies to
// the others.
var driverValues = &Settings{Sinks: &ExtraSinks, Allow: &Allow}

// Options lists the option keys restatelint.toml accepts; each is also a
// flag of its analyzer (a test in package all checks they agree).
var Options = []string{"memstate.quiet", "reach.scope", "sideeffect.allow", "sideeffect.sinks"}

type fileKey struct {
	file *configfile.File
	gen  int64
}

var settingsCache sync.Map // fileKey -> *Settings

// FromFile returns the effective settings of the packages f applies to
// (f may be nil), or an error naming f's file and line for an unknown key
// or an invalid value.
func FromFile(f *configfile.File) (*Settings, error) {
	if f == nil {
		return driverValues, nil
	}
	k := fileKey{f, generation.Load()}
	if s, ok := settingsCache.Load(k); ok {
		return s.(*Settings), nil
	}
	s := &Settings{File: f, Sinks: &ExtraSinks, Allow: &Allow, rules: make(map[string]bool)}
	for _, e := range f.Entries {
		if slices.Contains(Rules, e.Key) {
			b, err := strconv.ParseBool(e.Value)
			if err != nil {
				return nil, f.Errorf(e.Line, "%s: want true or false, got %q", e.Key, e.Value)
			}
			s.rules[e.Key] = b
			s.anyOn = s.anyOn || b
			continue
		}
		var err error
		switch e.Key {
		case "reach":
			return nil, f.Errorf(e.Line, "reach reports nothing and cannot be turned on or off (it is the analysis the rules share); its option is reach.scope")
		case "reach.scope":
			err = s.Scope.Set(e.Value)
		case "sideeffect.sinks":
			s.Sinks, err = fileList(e, &ExtraSinks)
		case "sideeffect.allow":
			s.Allow, err = fileList(e, &Allow)
		case "memstate.quiet":
			// The option is consulted deep in the sink tables
			// (sinks.Sink.Holds), which do not get a package's settings yet.
			return nil, f.Errorf(e.Line, "memstate.quiet cannot be set in %s yet: give it as -memstate.quiet or in golangci-lint's settings", configfile.Name)
		default:
			return nil, f.Errorf(e.Line, "unknown key %q (valid keys: %s)", e.Key, strings.Join(append(slices.Sorted(slices.Values(Rules)), Options...), ", "))
		}
		if err != nil {
			return nil, f.Errorf(e.Line, "invalid value %q for %s: %v", e.Value, e.Key, err)
		}
	}
	settingsCache.Store(k, s)
	return s, nil
}

// fileList is the file's list for a FuncList option, or the driver's
// when the driver set the option.
func fileList(e configfile.Entry, driver *FuncList) (*FuncList, error) {
	l := new(FuncList)
	if err := l.Set(e.Value); err != nil {
		return nil, err
	}
	if isExplicit(e.Key) {
		return driver, nil
	}
	return l, nil
}

// For returns the effective settings for pass's package: those of the
// restatelint.toml found upward from its directory (configfile.Find) if
// the package is the user's own code, the driver's values otherwise (the
// standard library, a module in the module cache or vendor directory; a
// package whose files have relative names, as Bazel records them: nogo
// takes its options from its own config).
func For(pass *analysis.Pass) (*Settings, error) {
	dir := ownDir(pass)
	if dir == "" {
		return driverValues, nil
	}
	return ForDir(dir)
}

// ForDir returns the effective settings for the user's package in dir.
func ForDir(dir string) (*Settings, error) {
	f, err := configfile.Load(dir)
	if err != nil {
		return nil, err
	}
	return FromFile(f)
}

// ownDir returns the directory of pass's package if it is the user's own
// code, "".
func ownDir(pass *analysis.Pass) string {
	if len(pass.Files) == 0 {
		return ""
	}
	name := pass.Fset.Position(pass.Files[0].Package).Filename
	if !filepath.IsAbs(name) || IsStdFile(name, pass.Pkg.Path()) {
		return ""
	}
	modPath := pass.Pkg.Path()
	if m := pass.Module; m != nil && m.Path != "" {
		modPath = m.Path
	}
	if !IsLocalDir(name, modPath) {
		return ""
	}
	return filepath.Dir(name)
}
