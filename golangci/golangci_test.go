package golangci_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/analyzers/memstate"
	"github.com/restatelint/restatelint/analyzers/reach"
	"github.com/restatelint/restatelint/golangci"
	"github.com/restatelint/restatelint/internal/options"
)

func names(as []*analysis.Analyzer) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func build(t *testing.T, settings any) ([]*analysis.Analyzer, error) {
	t.Helper()
	return buildLinter(t, golangci.Name, settings)
}

// buildLinter constructs the named linter as golangci-lint does; the
// options it sets are reset when the test ends.
func buildLinter(t *testing.T, name string, settings any) ([]*analysis.Analyzer, error) {
	t.Helper()
	t.Cleanup(func() {
		for _, o := range options.Options(all.Analyzers()) {
			o.Flag.Value.Set(o.Flag.DefValue)
		}
		golangci.ResetSharedOptions()
	})
	newPlugin, err := register.GetPlugin(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(settings)
	if err != nil {
		return nil, err
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("load mode %q", p.GetLoadMode())
	}
	return p.BuildAnalyzers()
}

func scope() string { return reach.Analyzer.Flags.Lookup("scope").Value.String() }

// TestSettings: golangci-lint hands the settings over as decoded YAML
// (maps, lists, scalars, keys lowercased); they mean what the same keys
// mean on the command line.
func TestSettings(t *testing.T) {
	every := names(all.Analyzers())

	got, err := build(t, nil)
	if err != nil || !slices.Equal(names(got), every) {
		t.Errorf("no settings: %v, %v; want every analyzer", names(got), err)
	}

	got, err = build(t, map[string]any{
		"randomness": false,
		"reach":      map[string]any{"scope": []any{"example.com/a", "example.com/b/..."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(names(got), "randomness") || len(got) != len(every)-1 {
		t.Errorf("randomness: false gave %v", names(got))
	}
	if scope() != "example.com/a,example.com/b" {
		t.Errorf("reach.scope = %q", scope())
	}

	// The dotted key is the same option; keys are case-insensitive.
	if _, err := build(t, map[string]any{"Reach.Scope": "example.com/x"}); err != nil || scope() != "example.com/x" {
		t.Errorf("reach.scope as a dotted key: %q, %v", scope(), err)
	}

	// memstate.quiet, as a YAML list: the project's own instruments.
	if _, err := build(t, map[string]any{"memstate": map[string]any{"quiet": []any{"example.com/telemetry.Stats", "example.com/metrics.*"}}}); err != nil {
		t.Fatal(err)
	}
	quiet := memstate.Analyzer.Flags.Lookup("quiet").Value
	if quiet.String() != "example.com/telemetry.Stats,example.com/metrics.*" {
		t.Errorf("memstate.quiet = %q", quiet.String())
	}
	quiet.Set("")

	// An analyzer set to true runs alone, like -walltime.
	got, err = build(t, map[string]any{"walltime": true})
	if err != nil || !slices.Equal(names(got), []string{"walltime"}) {
		t.Errorf("walltime: true gave %v, %v", names(got), err)
	}
}

func TestSettingsErrors(t *testing.T) {
	for _, tc := range []struct {
		settings any
		want     string
	}{
		{map[string]any{"bogus": 1}, `unknown key "bogus" (valid keys: `},
		{map[string]any{"reach": map[string]any{"nope": "x"}}, `unknown key "reach.nope"`},
		{map[string]any{"reach": map[string]any{"scope": "example.com/*"}}, `invalid value "example.com/*" for reach.scope: invalid path prefix`},
		{map[string]any{"walltime": "maybe"}, `invalid value "maybe" for walltime`},
		{map[string]any{"reach": map[string]any{"scope": map[string]any{"a": 1}}}, `reach.scope: want a string, boolean, number or list`},
		{map[string]any{"reach.scope": "example.com/a", "reach": map[string]any{"scope": "example.com/b"}}, `"reach.scope" is set twice`},
		{[]any{"walltime"}, "want a mapping"},
		{map[string]any{"memstate": map[string]any{"quiet": "example.com/telemetry.Stats.Add"}}, `invalid value "example.com/telemetry.Stats.Add" for memstate.quiet: invalid type`},
	} {
		_, err := build(t, tc.settings)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "restatelint: invalid settings: ") {
			t.Errorf("%v: error %v, want one containing %q", tc.settings, err, tc.want)
		}
	}
}

// TestAnalyzerLinters: every analyzer but reach is also a linter of its
// own, restatelint-<analyzer>, whose settings are the options of the
// analyses it runs.
func TestAnalyzerLinters(t *testing.T) {
	for _, a := range all.Analyzers() {
		name := golangci.LinterName(a.Name)
		_, err := register.GetPlugin(name)
		if a == reach.Analyzer {
			if err == nil {
				t.Errorf("reach reports nothing, yet %s is registered", name)
			}
			continue
		}
		got, err := buildLinter(t, name, nil)
		if err != nil || len(got) != 1 || got[0] != a {
			t.Errorf("%s runs %v, %v; want only the %s analyzer", name, names(got), err, a.Name)
		}
	}

	// walltime uses reach: reach.scope is an option of its linter.
	if _, err := buildLinter(t, "restatelint-walltime", map[string]any{"reach": map[string]any{"scope": "example.com/a"}}); err != nil || scope() != "example.com/a" {
		t.Errorf("restatelint-walltime reach.scope: %q, %v", scope(), err)
	}
	golangci.ResetSharedOptions()

	for _, tc := range []struct {
		linter   string
		settings any
		want     string
	}{
		// Analyzer names are not keys: the linter is enabled or disabled.
		{"restatelint-walltime", map[string]any{"walltime": false}, `unknown key "walltime" (valid keys: reach.scope)`},
		// runcontext does not use reach.
		{"restatelint-runcontext", map[string]any{"reach.scope": "example.com/a"}, `unknown key "reach.scope" (there are no valid keys)`},
		{"restatelint-sideeffect", map[string]any{"sideeffect": map[string]any{"sinks": 3}}, `invalid value "3" for sideeffect.sinks`},
	} {
		_, err := buildLinter(t, tc.linter, tc.settings)
		if err == nil || !strings.HasPrefix(err.Error(), tc.linter+": invalid settings: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v: error %v, want one containing %q", tc.linter, tc.settings, err, tc.want)
		}
	}
}

// TestSharedOptions: the linters share the analyzers, so an option is one
// value for all of them, wherever it is set; two values are an error.
func TestSharedOptions(t *testing.T) {
	golangci.ResetSharedOptions()
	scopeA := map[string]any{"reach": map[string]any{"scope": []any{"example.com/a"}}}
	if _, err := buildLinter(t, "restatelint-walltime", scopeA); err != nil {
		t.Fatal(err)
	}
	// Unset elsewhere, or set to the same value: fine.
	if _, err := buildLinter(t, golangci.Name, map[string]any{"randomness": false}); err != nil {
		t.Error(err)
	}
	if _, err := buildLinter(t, "restatelint-sideeffect", map[string]any{"reach.scope": "example.com/a"}); err != nil {
		t.Error(err)
	}
	if scope() != "example.com/a" {
		t.Errorf("reach.scope = %q", scope())
	}
	// Constructing a linter again replaces what it set.
	if _, err := buildLinter(t, "restatelint-walltime", map[string]any{"reach.scope": "example.com/a"}); err != nil {
		t.Error(err)
	}
	_, err := buildLinter(t, golangci.Name, map[string]any{"reach.scope": "example.com/b"})
	const want = `restatelint: invalid settings: reach.scope is "example.com/b" here and "example.com/a" in the settings of restatelint-`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("two values for reach.scope: %v, want an error starting %q", err, want)
	}
}
