// Package golangci is restatelint's golangci-lint v2 module plugin. A
// custom golangci-lint binary that imports it (golangci-lint custom, with
// this module listed in .custom-gcl.yml) has a linter named restatelint
// that runs every restatelint analyzer, and a linter per analyzer,
// restatelint-<analyzer>, that runs only that one (see
// docs/integrations/golangci-lint.md):
//
//	linters:
//	  enable: [restatelint]
//	  settings:
//	    custom:
//	      restatelint:
//	        type: module
//	        settings:
//	          randomness: false                # -randomness=false
//	          reach:
//	            scope: [example.com/platform]  # -reach.scope=example.com/platform
//
// The settings keys are the command line's (docs/configuration.md): an
// analyzer name set to true or false enables or disables it, and an
// option is "<analyzer>.<option>: value" or, the same thing in YAML,
// "<analyzer>: {<option>: value}". They are applied by the code that parses
// the command line (internal/options), so a key means the same thing
// everywhere, and an unknown key or an invalid value stops golangci-lint
// with an error instead of being ignored.
//
// A linter per analyzer is what lets golangci-lint's own per-linter
// machinery (linters.disable, exclusions.rules[].linters, //nolint:<linter>,
// max-issues-per-linter) address one rule. Its settings are the options of
// its analyzer and of the analyses that analyzer uses (reach.scope for
// walltime, say); analyzer names are not keys there, the linter is enabled
// or disabled instead. The linters share the analyzers: golangci-lint runs
// an analyzer once per package however many enabled linters list it, and
// its diagnostics are reported once, under the linter whose name sorts
// last (so restatelint-walltime, not restatelint, when both are enabled).
// For the same reason an option is one value for all the linters: set in
// one linter's settings it applies to all, and two linters setting it to
// different values is an error.
package golangci

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/analyzers/reach"
	"github.com/restatelint/restatelint/internal/configfile"
	"github.com/restatelint/restatelint/internal/options"
)

// Name is the name of the linter that runs every analyzer.
const Name = "restatelint"

// LinterName is the name of the linter that runs only the named analyzer.
func LinterName(analyzer string) string { return Name + "-" + analyzer }

// OwnLinter reports whether an analyzer has a linter of its own: all but
// reach, which reports nothing (it is the analysis the rules share; its
// options are set in the settings of the linters that use it).
func OwnLinter(a *analysis.Analyzer) bool { return a != reach.Analyzer }

func init() {
	register.Plugin(Name, New)
	for _, a := range all.Analyzers() {
		if OwnLinter(a) {
			register.Plugin(LinterName(a.Name), newAnalyzerLinter(a))
		}
	}
}

// Settings are the plugin's settings, decoded strictly: every key must be
// an analyzer name or an analyzer option (checked in New, against the
// analyzers' flags).
type Settings struct {
	list []options.Setting
}

// UnmarshalJSON turns the settings object into key/value settings in flag
// syntax: a string as is, a boolean or number as written, a list joined by
// commas (the syntax of list-valued flags); a nested object holds an
// analyzer's options.
func (s *Settings) UnmarshalJSON(data []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return fmt.Errorf("want a mapping of keys to values: %v", err)
	}
	for _, k := range sortedKeys(top) { // deterministic order of errors
		raw := top[k]
		if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
			v, err := flagValue(raw)
			if err != nil {
				return fmt.Errorf("%s: %v", k, err)
			}
			s.list = append(s.list, options.Setting{Key: k, Value: v})
			continue
		}
		var nested map[string]json.RawMessage
		if err := json.Unmarshal(raw, &nested); err != nil {
			return fmt.Errorf("%s: %v", k, err)
		}
		for _, f := range sortedKeys(nested) {
			v, err := flagValue(nested[f])
			if err != nil {
				return fmt.Errorf("%s.%s: %v", k, f, err)
			}
			s.list = append(s.list, options.Setting{Key: k + "." + f, Value: v})
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// flagValue converts a scalar or a list of scalars to flag syntax.
func flagValue(raw json.RawMessage) (string, error) {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return "", err
	}
	scalar := func(v any) (string, bool) {
		switch v := v.(type) {
		case string:
			return v, true
		case bool:
			return fmt.Sprint(v), true
		case json.Number:
			return v.String(), true
		}
		return "", false
	}
	if s, ok := scalar(v); ok {
		return s, nil
	}
	if list, ok := v.([]any); ok {
		var parts []string
		for _, e := range list {
			s, ok := scalar(e)
			if !ok {
				return "", fmt.Errorf("want a list of strings, got %s", raw)
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("want a string, boolean, number or list, got %s", raw)
}

// New is the constructor of the restatelint linter, called by
// golangci-lint with the linter's settings.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid settings: %w", Name, err)
	}
	enabled, err := options.Apply(all.Analyzers(), s.list)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid settings: %w", Name, err)
	}
	if err := shared.record(Name, all.Analyzers(), s.list); err != nil {
		return nil, fmt.Errorf("%s: invalid settings: %w", Name, err)
	}
	return &plugin{analyzers: enabled}, nil
}

// newAnalyzerLinter returns the constructor of the linter that runs only
// a. Its settings are the options of a and of the analyzers a requires.
func newAnalyzerLinter(a *analysis.Analyzer) register.NewPlugin {
	name := LinterName(a.Name)
	uses := withRequired(a)
	return func(settings any) (register.LinterPlugin, error) {
		s, err := register.DecodeSettings[Settings](settings)
		if err != nil {
			return nil, fmt.Errorf("%s: invalid settings: %w", name, err)
		}
		if err := options.ApplyOptions(uses, s.list); err != nil {
			return nil, fmt.Errorf("%s: invalid settings: %w", name, err)
		}
		if err := shared.record(name, uses, s.list); err != nil {
			return nil, fmt.Errorf("%s: invalid settings: %w", name, err)
		}
		return &plugin{analyzers: []*analysis.Analyzer{a}}, nil
	}
}

// withRequired returns a and every analyzer it requires, transitively.
func withRequired(a *analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	var visit func(*analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if slices.Contains(out, a) {
			return
		}
		out = append(out, a)
		for _, r := range a.Requires {
			visit(r)
		}
	}
	visit(a)
	return out
}

// shared records which linter set which option to what. Options are
// fields of the analyzers, which all linters of the plugin share, so an
// option set by one linter applies to all; two linters setting it to
// different values would otherwise leave it to whichever golangci-lint
// happened to construct last (it constructs them in map order).
var shared = &optionOwners{by: make(map[string]owner)}

type optionOwners struct {
	mu sync.Mutex
	by map[string]owner // option key -> value and linter
}

type owner struct{ value, linter string }

// record notes the options among settings (already applied to analyzers)
// as set by linter, replacing what linter set before, and fails if
// another linter set one of them to a different value.
func (o *optionOwners) record(linter string, analyzers []*analysis.Analyzer, settings []options.Setting) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for k, v := range o.by {
		if v.linter == linter {
			delete(o.by, k)
		}
	}
	opts := options.Options(analyzers)
	for _, s := range settings {
		for _, opt := range opts {
			if !strings.EqualFold(opt.Key(), s.Key) {
				continue
			}
			value := opt.Flag.Value.String()
			if prev, ok := o.by[opt.Key()]; ok && prev.value != value {
				return fmt.Errorf("%s is %q here and %q in the settings of %s: the restatelint linters share their options, set it in one of them", opt.Key(), value, prev.value, prev.linter)
			}
			o.by[opt.Key()] = owner{value, linter}
		}
	}
	return nil
}

// reset forgets every record (for tests, which construct linters with
// different settings in one process).
func (o *optionOwners) reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	clear(o.by)
}

type plugin struct {
	analyzers []*analysis.Analyzer
}

// BuildAnalyzers returns the linter's analyzers and, when the directory
// golangci-lint runs in has a restatelint.toml, the analyzer that keys
// golangci-lint's cache of results by it (configfile.CacheKey): the cache
// is keyed by the analyzers' names and the packages' files only.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	if k := configfile.CacheKey(); k != nil {
		return append(slices.Clone(p.analyzers), k), nil
	}
	return p.analyzers, nil
}

// GetLoadMode: the analyzers need type information (and facts).
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
