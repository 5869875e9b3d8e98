package goplsbuild

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestToolchainError(t *testing.T) {
	rel := Release{Version: "v9.9.9", Go: "go1.27.0"}
	for _, tc := range []struct {
		goVersion, toolchain string
		want                 string // "" for no error
	}{
		{"go1.27.0", "local", ""},
		{"go1.27.3", "local", ""},
		{"go1.26.8", "auto", ""},
		{"go1.26.8", "go1.26.8+auto", ""},
		{"go1.26.8", "path", ""},
		{"devel go1.27-abcdef", "local", ""},
		{"go1.26.8", "local", "gopls v9.9.9 needs Go 1.27.0 or newer (the go directive of its go.mod), but the go command is go1.26.8 and GOTOOLCHAIN=local does not let it switch: install Go 1.27.0 or newer, or run with GOTOOLCHAIN=go1.27.0 (or GOTOOLCHAIN=auto)"},
		{"go1.26.8", "go1.26.8", "GOTOOLCHAIN=go1.26.8 does not let it switch"},
	} {
		err := toolchainError(rel, tc.goVersion, tc.toolchain)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s %s: unexpected error %v", tc.goVersion, tc.toolchain, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s %s: error %v, want %q", tc.goVersion, tc.toolchain, err, tc.want)
		}
	}
}

func TestSelfVersion(t *testing.T) {
	mod := func(path, version string, replace *debug.Module) debug.Module {
		return debug.Module{Path: path, Version: version, Replace: replace}
	}
	dep := func(m debug.Module) []*debug.Module { return []*debug.Module{&m} }
	for _, tc := range []struct {
		name string
		info debug.BuildInfo
		want string // version, or "error: substring"
	}{
		{"go install @version", debug.BuildInfo{Main: mod(ThisModule, "v1.2.3", nil)}, "v1.2.3"},
		{"pseudo-version", debug.BuildInfo{Main: mod(ThisModule, "v0.0.0-20261205010203-abcdefabcdef", nil)}, "v0.0.0-20261205010203-abcdefabcdef"},
		{"source tree", debug.BuildInfo{Main: mod(ThisModule, "(devel)", nil)}, "error: pass -path"},
		{"dirty", debug.BuildInfo{Main: mod(ThisModule, "v1.2.4-0.20261205010203-abcdefabcdef+dirty", nil)}, "error: pass -path"},
		{"go tool", debug.BuildInfo{Main: mod("example.com/svc", "(devel)", nil), Deps: dep(mod(ThisModule, "v1.2.3", nil))}, "v1.2.3"},
		{"go tool, replaced by a directory", debug.BuildInfo{Main: mod("example.com/svc", "", nil), Deps: dep(mod(ThisModule, "v1.2.3", &debug.Module{Path: "../restatelint"}))}, "error: pass that directory with -path"},
		{"go tool, replaced by a version", debug.BuildInfo{Main: mod("example.com/svc", "", nil), Deps: dep(mod(ThisModule, "v1.2.3", &debug.Module{Path: ThisModule, Version: "v1.2.5"}))}, "v1.2.5"},
		{"another binary", debug.BuildInfo{Main: mod("example.com/other", "v1.0.0", nil)}, "error: does not contain restatelint"},
	} {
		got, err := selfVersion(&tc.info, true)
		if err != nil {
			got = "error: " + err.Error()
		}
		if want, isErr := strings.CutPrefix(tc.want, "error: "); isErr && !strings.Contains(got, want) || !isErr && got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := selfVersion(nil, false); err == nil {
		t.Errorf("no build info: no error")
	}
}

func TestCheckout(t *testing.T) {
	if abs, err := checkCheckout(filepath.Join("..", "..")); err != nil || !filepath.IsAbs(abs) {
		t.Errorf("this checkout: %q, %v", abs, err)
	}
	if _, err := checkCheckout(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a restatelint checkout") {
		t.Errorf("empty directory: %v", err)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "go.mod"), []byte("// comment\nmodule \"example.com/other\" // x\n\ngo 1.26\n"), 0o644)
	if _, err := checkCheckout(other); err == nil || !strings.Contains(err.Error(), `declares module "example.com/other"`) {
		t.Errorf("another module: %v", err)
	}
}

// TestMainErrors: the command's errors, before anything is downloaded.
func TestMainErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-version", "v0.22.0"}, "restatelint gopls: gopls v0.22.0 is not supported: this restatelint builds and is tested with gopls " + strings.Join(Versions(), ", ") + " (choose one with -version)\n"},
		{[]string{"-path", os.TempDir(), "extra"}, `unexpected argument "extra"`},
		{[]string{"-nosuch"}, "flag provided but not defined: -nosuch"},
		// A test binary is not restatelint at a module version.
		{[]string{"-o", t.TempDir()}, "pass -path"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(tc.args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), tc.want) || stdout.Len() > 0 {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want exit 1 and %q", tc.args, code, stderr.String(), stdout.String(), tc.want)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"-help"}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "Supported gopls releases: "+Releases[0].Version) {
		t.Errorf("-help: exit %d\n%s", code, stderr.String())
	}
}

func TestReleases(t *testing.T) {
	seen := make(map[string]bool)
	for _, r := range Releases {
		if seen[r.Version] || r.Tools == "" || !strings.HasPrefix(r.Go, "go1.") || !strings.Contains(r.Register, "package settings") {
			t.Errorf("bad row %+v", r)
		}
		seen[r.Version] = true
	}
}
