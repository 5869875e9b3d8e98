package sinks

import (
	"slices"
	"testing"
)

func TestPackageRules(t *testing.T) {
	for _, tc := range []struct {
		path string
		want string // a rule among PackageRules, "" for none at all
	}{
		{"net/http", SideEffect},
		{"os", SideEffect},
		{"time", "walltime"},
		{"math/rand", "randomness"},
		{"strings", ""},
		{"golang.org/x/text/language", ""},
	} {
		got := PackageRules(tc.path)
		if tc.want == "" && len(got) > 0 || tc.want != "" && !slices.Contains(got, tc.want) {
			t.Errorf("PackageRules(%q) = %v, want %q", tc.path, got, tc.want)
		}
	}
}
