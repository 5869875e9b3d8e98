package golangci_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/internal/testkit"
)

// TestConfigFile: the custom golangci-lint reads restatelint.toml (a rule
// off, a sink added), and restatelint's golangci-lint settings override it
// key by key.
func TestConfigFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a custom golangci-lint (minutes when not cached)")
	}
	bin := customBinary(t)
	demoSrc := filepath.Join(repoRoot(t), "testdata", "demo")
	goCmd(t, demoSrc, nil, "mod", "download")
	dir := testkit.CopyDir(t, demoSrc)
	os.WriteFile(filepath.Join(dir, "restatelint.toml"), []byte("walltime = false\n\n[sideeffect]\nsinks = [\"example.com/demo/shipping.NewLabel\"]\n"), 0o644)

	findings := func(settings ...string) []string {
		t.Helper()
		issues, _, stderr := runGCL(t, bin, dir, config(settings...))
		var out []string
		for _, is := range issues {
			analyzer, _, _ := strings.Cut(is.Text, ": ")
			out = append(out, analyzer)
		}
		if len(out) == 0 {
			t.Errorf("no issues with settings %v:\n%s", settings, stderr)
		}
		return out
	}
	configured := func(got []string) bool {
		return slices.ContainsFunc(got, func(s string) bool { return s == "sideeffect" })
	}

	// The file: no walltime finding, and shipping.NewLabel is a sink.
	got := findings()
	issues, _, _ := runGCL(t, bin, dir, config())
	label := slices.ContainsFunc(issues, func(is gclIssue) bool {
		return strings.Contains(is.Text, "shipping.NewLabel is external I/O (configured in sideeffect.sinks)")
	})
	if slices.Contains(got, "walltime") || !label {
		t.Errorf("with restatelint.toml: want no walltime and the configured sink, got %v", got)
	}

	// Settings win: walltime enabled by name runs alone and reports; an
	// explicit sinks list replaces the file's.
	if got := findings("walltime: true"); !slices.Contains(got, "walltime") || configured(got) {
		t.Errorf("walltime: true over the file: %v", got)
	}
	issues, _, _ = runGCL(t, bin, dir, config("sideeffect: {sinks: [example.com/demo/nosuch.F]}"))
	if slices.ContainsFunc(issues, func(is gclIssue) bool { return strings.Contains(is.Text, "shipping.NewLabel is external I/O") }) {
		t.Errorf("sideeffect.sinks in the settings did not replace the file's list")
	}

	// golangci-lint caches results by package; an edited file is not
	// served the results of the old one.
	env := gclEnv(t)
	os.WriteFile(filepath.Join(dir, "restatelint.toml"), []byte("walltime = false\n"), 0o644)
	issues, _, stderr := runGCLEnv(t, env, bin, dir, config())
	if slices.ContainsFunc(issues, func(is gclIssue) bool { return strings.HasPrefix(is.Text, "walltime: ") }) {
		t.Errorf("walltime = false: walltime issues\n%s", stderr)
	}
	os.WriteFile(filepath.Join(dir, "restatelint.toml"), []byte("walltime = true\n"), 0o644)
	issues, _, stderr = runGCLEnv(t, env, bin, dir, config())
	if !slices.ContainsFunc(issues, func(is gclIssue) bool { return strings.HasPrefix(is.Text, "walltime: ") }) {
		t.Errorf("after editing the file to walltime = true: no walltime issue (results of the old file from the cache?)\n%s", stderr)
	}
}
