// Package golangci is restatelint's golangci-lint v2 module plugin. A
// custom golangci-lint binary that imports it (golangci-lint custom, with
// this module listed in .custom-gcl.yml) has a linter named restatelint
// that runs every restatelint analyzer (see docs/integrations/golangci-lint.md):
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
package golangci

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/options"
)

// Name is the linter's name in golangci-lint's configuration.
const Name = "restatelint"

func init() {
	register.Plugin(Name, New)
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

// New is the plugin's constructor, called by golangci-lint with the
// linter's settings.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid settings: %w", Name, err)
	}
	enabled, err := options.Apply(all.Analyzers(), s.list)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid settings: %w", Name, err)
	}
	return &plugin{analyzers: enabled}, nil
}

type plugin struct {
	analyzers []*analysis.Analyzer
}

func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) { return p.analyzers, nil }

// GetLoadMode: the analyzers need type information (and facts).
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
