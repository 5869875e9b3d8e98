package golangci_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/analyzers/reach"
	"github.com/restatelint/restatelint/golangci"
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
	t.Cleanup(func() { reach.Analyzer.Flags.Set("scope", "") })
	newPlugin, err := register.GetPlugin(golangci.Name)
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
	} {
		_, err := build(t, tc.settings)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "restatelint: invalid settings: ") {
			t.Errorf("%v: error %v, want one containing %q", tc.settings, err, tc.want)
		}
	}
}
