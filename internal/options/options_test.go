package options

import (
	"flag"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func analyzers() []*analysis.Analyzer {
	a := &analysis.Analyzer{Name: "alpha", Doc: "a"}
	a.Flags.String("list", "", "a list")
	b := &analysis.Analyzer{Name: "beta", Doc: "b"}
	c := &analysis.Analyzer{Name: "gamma", Doc: "c"}
	return []*analysis.Analyzer{a, b, c}
}

func names(as []*analysis.Analyzer) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return strings.Join(out, ",")
}

func TestApply(t *testing.T) {
	for _, tc := range []struct {
		settings []Setting
		want     string // enabled analyzers, or the error
	}{
		{nil, "alpha,beta,gamma"},
		{[]Setting{{"beta", "false"}}, "alpha,gamma"},
		{[]Setting{{"beta", "true"}}, "beta"},
		{[]Setting{{"beta", "true"}, {"gamma", "false"}}, "beta"},
		{[]Setting{{"ALPHA.List", "x,y"}}, "alpha,beta,gamma"},
		{[]Setting{{"delta", "true"}}, `unknown key "delta" (valid keys: alpha, beta, gamma, alpha.list)`},
		{[]Setting{{"beta", "sometimes"}}, `invalid value "sometimes" for beta`},
		{[]Setting{{"alpha.list", "x"}, {"Alpha.list", "y"}}, `key "alpha.list" is set twice`},
	} {
		as := analyzers()
		got, err := Apply(as, tc.settings)
		s := names(got)
		if err != nil {
			s = err.Error()
		}
		if !strings.HasPrefix(s, tc.want) {
			t.Errorf("%v: got %s, want %s", tc.settings, s, tc.want)
		}
	}
}

// TestApplyOptions: only option keys are valid.
func TestApplyOptions(t *testing.T) {
	for _, tc := range []struct {
		settings []Setting
		want     string // alpha.list afterwards, or the error
	}{
		{nil, ""},
		{[]Setting{{"ALPHA.List", "x,y"}}, "x,y"},
		{[]Setting{{"beta", "false"}}, `unknown key "beta" (valid keys: alpha.list)`},
		{[]Setting{{"alpha.list", "x"}, {"alpha.List", "y"}}, `key "alpha.list" is set twice`},
	} {
		as := analyzers()
		err := ApplyOptions(as, tc.settings)
		s := as[0].Flags.Lookup("list").Value.String()
		if err != nil {
			s = err.Error()
		}
		if s != tc.want {
			t.Errorf("%v: got %q, want %q", tc.settings, s, tc.want)
		}
	}
	if err := ApplyOptions(analyzers()[1:], []Setting{{"alpha.list", "x"}}); err == nil || err.Error() != `unknown key "alpha.list" (there are no valid keys)` {
		t.Errorf("no options: %v", err)
	}
}

// TestRegister: the command line and Apply bind the same names.
func TestRegister(t *testing.T) {
	as := analyzers()
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	sel := Register(fs, as)
	if err := fs.Parse([]string{"-gamma=false", "-alpha.list=p,q"}); err != nil {
		t.Fatal(err)
	}
	if got := names(sel.Enabled(as)); got != "alpha,beta" {
		t.Errorf("enabled %s", got)
	}
	if v := as[0].Flags.Lookup("list").Value.String(); v != "p,q" {
		t.Errorf("alpha.list = %q", v)
	}
	var flags []string
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f.Name) })
	if want := Keys(as); !slices.Equal(sortCopy(flags), sortCopy(want)) {
		t.Errorf("flags %v, keys %v", flags, want)
	}
}

func sortCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
