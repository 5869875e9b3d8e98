package driver

import (
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/packages"
)

func TestUnmatchedPatterns(t *testing.T) {
	dir := t.TempDir()
	pkgs := []*packages.Package{
		{PkgPath: "example.com/m/a", Dir: filepath.Join(dir, "a")},
		{PkgPath: "example.com/m/a/b", Dir: filepath.Join(dir, "a", "b")},
		{PkgPath: "example.com/m/c", Dir: filepath.Join(dir, "c")},
	}
	for _, tc := range []struct {
		pattern string
		matches bool
	}{
		{"./...", true},
		{"./a/...", true},
		{"./a/b/...", true},
		{"./c/...", true},
		{"./d/...", false},
		{"./a/b/c/...", false},
		{"./.../b", true},
		{"./.../x", false},
		{filepath.Join(dir, "a") + "/...", true},
		{filepath.Join(dir, "z") + "/...", false},
		{"example.com/m/...", true},
		{"example.com/m/a/...", true}, // matches example.com/m/a itself too
		{"example.com/m/ab/...", false},
		{"example.com/.../b", true},
		{"example.com/other/...", false},
		{"example.com/m/a", true}, // no wildcard: the go command reports it if missing
	} {
		got := unmatchedPatterns(dir, []string{tc.pattern}, pkgs)
		if matched := len(got) == 0; matched != tc.matches {
			t.Errorf("pattern %q: matched = %v, want %v", tc.pattern, matched, tc.matches)
		}
	}
	got := unmatchedPatterns(dir, []string{"./...", "./d/...", "example.com/x/..."}, pkgs)
	if want := []string{"./d/...", "example.com/x/..."}; !slices.Equal(got, want) {
		t.Errorf("unmatched = %q, want %q", got, want)
	}
}
