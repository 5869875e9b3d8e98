package config

import (
	"flag"
	"go/types"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

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
// enabled the rule explicitly (-walltime, or the linter
// restatelint-walltime).
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

// explicit records which option keys a driver set, and a generation
// number that changes with every set (settings built before are stale).
var (
	explicitMu  sync.Mutex
	explicitSet = make(map[string]bool)
	generation  atomic.Int64
)

func isExplicit(key string) bool {
	explicitMu.Lock()
	defer explicitMu.Unlock()
	return explicitSet[key]
}

// Flag returns the flag.Value an analyzer binds for the option key
// ("reach.scope"): v, recording that the driver set it, so that the
// driver's value wins over restatelint.toml.
func Flag(key string, v flag.Value) flag.Value { return &explicitValue{v, key} }

type explicitValue struct {
	flag.Value
	key string
}

func (e *explicitValue) Set(s string) error {
	if err := e.Value.Set(s); err != nil {
		return err
	}
	explicitMu.Lock()
	explicitSet[e.key] = true
	explicitMu.Unlock()
	generation.Add(1)
	return nil
}

// ResetExplicit forgets which options drivers set (for tests that run
// several configurations in one process).
func ResetExplicit() {
	explicitMu.Lock()
	clear(explicitSet)
	explicitMu.Unlock()
	generation.Add(1)
}

// Options lists the option keys restatelint.toml accepts; each is also a
// flag of its analyzer (a test in package all checks they agree).
var Options = []string{"reach.scope", "sideeffect.allow", "sideeffect.sinks"}

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

// RunScope is reach.scope for the dependencies of one run: the driver's
// value if it set one, otherwise that of the files of the run
// (configfile.Run: the files of the packages the run reports on, or the
// file found from the working directory).
func RunScope() (PathList, error) {
	if isExplicit("reach.scope") {
		return Scope, nil
	}
	files, err := configfile.Run()
	if err != nil {
		return nil, err
	}
	var out PathList
	for _, f := range files {
		s, err := FromFile(f)
		if err != nil {
			return nil, err
		}
		for _, p := range s.Scope {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		return Scope, nil
	}
	return out, nil
}

// CheckScope returns an error when s's file lists a module in reach.scope
// that one of imported, the packages pass's package imports, belongs to
// but the driver did not analyze from source (seen reports whether it
// did): a driver that cannot pass the file to dependencies (go vet runs
// each dependency in the module cache, where no file applies) would
// otherwise ignore it silently.
func CheckScope(s *Settings, imported []string, seen func(path string) bool) error {
	if s.File == nil || len(s.Scope) == 0 || isExplicit("reach.scope") {
		return nil
	}
	e, _ := s.File.Lookup("reach.scope")
	for _, path := range imported {
		if s.Scope.Matches(path) && !seen(path) {
			return s.File.Errorf(e.Line, "reach.scope lists %s, but this driver did not analyze %s from source: go vet runs dependencies where %s does not apply; give the scope as a flag (-reach.scope=%s)", matchOf(s.Scope, path), path, configfile.Name, s.Scope.String())
		}
	}
	return nil
}

func matchOf(l PathList, path string) string {
	for _, p := range l {
		if path == p || strings.HasPrefix(path, p+"/") {
			return p
		}
	}
	return path
}

var (
	pkgErrs  sync.Map // *types.Package -> error
	reported sync.Map // onceKey -> bool
)

type onceKey struct {
	pkg *types.Package
	msg string
}

// SetPackageErr records a configuration error found while analyzing pkg
// (reach's CheckScope), for the rules to return (PackageErr).
func SetPackageErr(pkg *types.Package, err error) { pkgErrs.Store(pkg, err) }

// PackageErr returns the error SetPackageErr recorded for pkg, if any.
func PackageErr(pkg *types.Package) error {
	if err, ok := pkgErrs.Load(pkg); ok {
		return err.(error)
	}
	return nil
}

// Once returns err the first time it is asked for pkg, nil after.
func Once(pkg *types.Package, err error) error {
	if _, loaded := reported.LoadOrStore(onceKey{pkg, err.Error()}, true); loaded {
		return nil
	}
	return err
}
