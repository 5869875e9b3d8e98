package configfile

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := `# restatelint.toml
memstate = false   # a comment
"walltime" = true
reach.scope = 'example.com/a'

[sideeffect]
sinks = [
  "example.com/pay.Client.Charge",  # the card processor
  '"gopkg.in/mail.v2".Dialer.DialAndSend',
]
allow = []
`
	f, err := Parse("restatelint.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{"memstate", "false", 2},
		{"walltime", "true", 3},
		{"reach.scope", "example.com/a", 4},
		{"sideeffect.sinks", `example.com/pay.Client.Charge,"gopkg.in/mail.v2".Dialer.DialAndSend`, 7},
		{"sideeffect.allow", "", 11},
	}
	if !slices.Equal(f.Entries, want) {
		t.Errorf("got %+v\nwant %+v", f.Entries, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"walltime false\n", `f.toml:1: want key = value`},
		{"\n\nwalltime = maybe\n", `f.toml:3: walltime: want a string`},
		{"[reach]\nscope = [\"a\" \"b\"]\n", `f.toml:2: reach.scope: missing ','`},
		{"[reach]\nscope = [\n\"a\",\n", `f.toml:2: reach.scope: unterminated array`},
		{"a = 1\na = 2\n", `f.toml:2: a is set twice (first on line 1)`},
		{"[reach]\n[reach]\n", `f.toml:2: table [reach] is defined twice`},
		{"[[reach]]\n", `f.toml:1: arrays of tables`},
		{"[a.b]\n", `f.toml:1: table [a.b]`},
		{"x = \"unterminated\n", `f.toml:1: x: unterminated string`},
		{"x = \"a\" junk\n", `f.toml:1: x: unexpected "junk"`},
		{"x = [\"a,b\"]\n", `f.toml:1: x: array item "a,b" contains a comma`},
		{"x = [1]\n", `f.toml:1: x: arrays hold strings`},
		{"bad key = 1\n", `f.toml:1: malformed key`},
	} {
		_, err := Parse("f.toml", []byte(tc.src))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}

func write(t *testing.T, root string, files ...string) {
	t.Helper()
	for _, name := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("module x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFind: the nearest file upward wins; the search stops at the module
// root, or at the workspace root inside a go.work.
func TestFind(t *testing.T) {
	t.Setenv("GOWORK", "")
	root := t.TempDir()
	write(t, root, "restatelint.toml", "svc/go.mod", "svc/api/x.go", "lib/go.mod", "lib/restatelint.toml", "lib/sub/x.go")
	find := func(dir string) string {
		t.Helper()
		p, err := Find(filepath.Join(root, filepath.FromSlash(dir)))
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		if p == "" {
			return ""
		}
		return filepath.ToSlash(rel)
	}
	if got := find("svc/api"); got != "" {
		t.Errorf("a module's package found %q above its module root", got)
	}
	if got := find("lib/sub"); got != "lib/restatelint.toml" {
		t.Errorf("lib/sub: %q", got)
	}
	write(t, root, "go.work")
	if got := find("svc/api"); got != "restatelint.toml" {
		t.Errorf("in a workspace: %q, want the workspace root's file", got)
	}
	if got := find("lib/sub"); got != "lib/restatelint.toml" {
		t.Errorf("in a workspace, lib/sub: %q, want the nearest file", got)
	}
	t.Setenv("GOWORK", "off")
	if got := find("svc/api"); got != "" {
		t.Errorf("GOWORK=off: %q", got)
	}
}
