// Package options maps restatelint's configuration keys onto the analyzers,
// for every driver: the restatelint command's flags, the golangci-lint
// plugin's settings, and (through the analyzers' own flag sets, which it
// binds) go vet -vettool, go fix -fixtool and nogo's analyzer_flags.
//
// There are two kinds of key:
//
//	<analyzer>          enable (true) or disable (false) an analyzer
//	<analyzer>.<flag>   set one of the analyzer's options (a flag of Analyzer.Flags)
//
// Enabling follows go vet's rule: if any analyzer is enabled explicitly,
// only the explicitly enabled ones run; otherwise all run but those
// disabled.
package options

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Selection records which analyzers were enabled or disabled by name.
type Selection struct {
	state map[*analysis.Analyzer]*triState
}

// Register binds one boolean flag per analyzer (its name) and one flag per
// analyzer option (<analyzer>.<flag>, sharing the option's flag.Value) in
// fs, and returns the selection the boolean flags fill in.
func Register(fs *flag.FlagSet, analyzers []*analysis.Analyzer) *Selection {
	s := &Selection{state: make(map[*analysis.Analyzer]*triState)}
	for _, a := range analyzers {
		t := &triState{name: a.Name}
		s.state[a] = t
		fs.Var(t, a.Name, fmt.Sprintf("enable %s analysis", a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	return s
}

// Enabled returns the analyzers to run, in the order given.
func (s *Selection) Enabled(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	anyTrue := false
	for _, a := range analyzers {
		if t := s.state[a]; t != nil && t.value == setTrue {
			anyTrue = true
		}
	}
	var out []*analysis.Analyzer
	for _, a := range analyzers {
		t := unset
		if p := s.state[a]; p != nil {
			t = p.value
		}
		if anyTrue && t == setTrue || !anyTrue && t != setFalse {
			out = append(out, a)
		}
	}
	return out
}

// An Option is one analyzer option, as documented in docs/configuration.md.
type Option struct {
	Analyzer *analysis.Analyzer
	Flag     *flag.Flag
}

// Key is the option's configuration key, <analyzer>.<flag>.
func (o Option) Key() string { return o.Analyzer.Name + "." + o.Flag.Name }

// Options lists every option of the analyzers, sorted by key.
func Options(analyzers []*analysis.Analyzer) []Option {
	var out []Option
	for _, a := range analyzers {
		a.Flags.VisitAll(func(f *flag.Flag) {
			out = append(out, Option{a, f})
		})
	}
	slices.SortFunc(out, func(x, y Option) int { return strings.Compare(x.Key(), y.Key()) })
	return out
}

// Keys lists every configuration key: the analyzer names, then the option
// keys, each group sorted.
func Keys(analyzers []*analysis.Analyzer) []string {
	var names []string
	for _, a := range analyzers {
		names = append(names, a.Name)
	}
	slices.Sort(names)
	for _, o := range Options(analyzers) {
		names = append(names, o.Key())
	}
	return names
}

// A Setting is one key and its value in flag syntax (the text after "=" on
// a command line).
type Setting struct {
	Key, Value string
}

// Apply applies settings to the analyzers through the same flag set the
// command line uses and returns the analyzers to run. Keys are matched
// case-insensitively (golangci-lint lowercases its settings keys). An
// unknown key or an invalid value is an error naming the key.
func Apply(analyzers []*analysis.Analyzer, settings []Setting) ([]*analysis.Analyzer, error) {
	fs := flag.NewFlagSet("restatelint", flag.ContinueOnError)
	sel := Register(fs, analyzers)
	if err := set(fs, Keys(analyzers), settings); err != nil {
		return nil, err
	}
	return sel.Enabled(analyzers), nil
}

// ApplyOptions is Apply for a driver that enables analyzers some other way
// (the golangci-lint plugin's linter per analyzer): only option keys
// (<analyzer>.<flag>) are valid, an analyzer name is an unknown key.
func ApplyOptions(analyzers []*analysis.Analyzer, settings []Setting) error {
	fs := flag.NewFlagSet("restatelint", flag.ContinueOnError)
	var keys []string
	for _, o := range Options(analyzers) {
		fs.Var(o.Flag.Value, o.Key(), o.Flag.Usage)
		keys = append(keys, o.Key())
	}
	return set(fs, keys, settings)
}

// set sets each setting's flag in fs, keys matched case-insensitively;
// valid lists the keys for the error message.
func set(fs *flag.FlagSet, valid []string, settings []Setting) error {
	canonical := make(map[string]string)
	fs.VisitAll(func(f *flag.Flag) { canonical[strings.ToLower(f.Name)] = f.Name })
	seen := make(map[string]bool)
	for _, s := range settings {
		name, ok := canonical[strings.ToLower(s.Key)]
		if !ok {
			if len(valid) == 0 {
				return fmt.Errorf("unknown key %q (there are no valid keys)", s.Key)
			}
			return fmt.Errorf("unknown key %q (valid keys: %s)", s.Key, strings.Join(valid, ", "))
		}
		if seen[name] {
			return fmt.Errorf("key %q is set twice", name)
		}
		seen[name] = true
		if err := fs.Set(name, s.Value); err != nil {
			return fmt.Errorf("invalid value %q for %s: %v", s.Value, name, err)
		}
	}
	return nil
}

type triState struct {
	value state
	name  string
}

type state int

const (
	unset state = iota
	setTrue
	setFalse
)

func (t *triState) IsBoolFlag() bool { return true }

func (t *triState) String() string {
	switch t.value {
	case setTrue:
		return "true"
	case setFalse:
		return "false"
	}
	return "unset"
}

func (t *triState) Set(v string) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return err
	}
	if b {
		t.value = setTrue
	} else {
		t.value = setFalse
	}
	SetExplicit(t.name, b)
	return nil
}

// explicit records the analyzers a driver enabled or disabled by name,
// for restatelint.toml's rule keys, which the driver's choice overrides.
var explicit sync.Map // analyzer name -> bool

// SetExplicit records that the driver enabled (on) or disabled an
// analyzer by name: a flag, a golangci-lint setting, or the linter of its
// own enabled.
func SetExplicit(analyzer string, on bool) { explicit.Store(analyzer, on) }

// Explicit reports whether the driver enabled or disabled the analyzer by
// name (set), and which (on). Under go vet -vettool the enabling flags
// are those unitchecker registers on the command line's flag set.
func Explicit(analyzer string) (on, set bool) {
	if v, ok := explicit.Load(analyzer); ok {
		return v.(bool), true
	}
	flag.CommandLine.Visit(func(f *flag.Flag) {
		if f.Name == analyzer {
			if b, err := strconv.ParseBool(f.Value.String()); err == nil {
				on, set = b, true
			}
		}
	})
	return on, set
}

// ResetExplicit forgets what SetExplicit recorded (for tests).
func ResetExplicit() { explicit.Clear() }
