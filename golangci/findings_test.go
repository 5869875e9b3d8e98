package golangci_test

// The tests here run the .golangci.yml files of
// docs/integrations/golangci-lint.md, taken from the page, with the
// custom golangci-lint on a module with more findings than golangci-lint
// shows by default, and require the findings of standalone restatelint.

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/golangci"
	"github.com/restatelint/restatelint/internal/doctest"
	"github.com/restatelint/restatelint/internal/testkit"
)

const page = "golangci-lint.md"

// manyFindings is the demo module with each of its service packages
// copied three more times (two beside it, one under internal/legacy/),
// so about four times its findings, and one line with two findings of
// different analyzers.
func manyFindings(t *testing.T, demoSrc string) string {
	t.Helper()
	dir := testkit.CopyDir(t, demoSrc)
	entries, err := os.ReadDir(demoSrc)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "cmd" {
			continue
		}
		for _, dst := range []string{e.Name() + "2", e.Name() + "3", filepath.Join("internal", "legacy", e.Name())} {
			src := filepath.Join(demoSrc, e.Name())
			files, err := os.ReadDir(src)
			if err != nil {
				t.Fatal(err)
			}
			os.MkdirAll(filepath.Join(dir, dst), 0o755)
			for _, f := range files {
				data, err := os.ReadFile(filepath.Join(src, f.Name()))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, dst, f.Name()), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	os.MkdirAll(filepath.Join(dir, "stamp"), 0o755)
	const stamp = `package stamp

import (
	"math/rand/v2"
	"time"

	restate "github.com/restatedev/sdk-go"
)

// Stamp reads the clock and draws a random number on one line.
func Stamp(ctx restate.ObjectContext) error {
	restate.Set(ctx, "stamp", time.Now().UnixNano()+rand.Int64())
	return nil
}
`
	if err := os.WriteFile(filepath.Join(dir, "stamp", "stamp.go"), []byte(stamp), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// standalone returns "file:line:analyzer" of `restatelint -json ./...` in
// dir, the file relative to dir.
func standalone(t *testing.T, root, dir string) []string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "restatelint")
	goCmd(t, root, nil, "build", "-o", bin, "./cmd/restatelint")
	cmd := exec.Command(bin, "-json", "./...")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("restatelint -json ./...: %v\n%s", err, out)
	}
	var report map[string]map[string]json.RawMessage // package -> analyzer -> diagnostics or error
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("restatelint -json: %v\n%s", err, out)
	}
	var keys []string
	for pkg, byAnalyzer := range report {
		for analyzer, raw := range byAnalyzer {
			var diags []struct{ Posn string }
			if err := json.Unmarshal(raw, &diags); err != nil {
				t.Fatalf("%s: %s: %s", pkg, analyzer, raw)
			}
			for _, d := range diags {
				// posn is file:line:column
				parts := strings.Split(d.Posn, ":")
				if len(parts) < 3 {
					t.Fatalf("position %q", d.Posn)
				}
				file := strings.Join(parts[:len(parts)-2], ":")
				rel, err := filepath.Rel(dir, file)
				if err != nil {
					t.Fatal(err)
				}
				keys = append(keys, fmt.Sprintf("%s:%s:%s", filepath.ToSlash(rel), parts[len(parts)-2], analyzer))
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// findingKeys returns "file:line:analyzer" of golangci-lint's restatelint
// findings (related information dropped; other linters' issues too), the
// analyzer read from the message prefix, and checks that each issue,
// related information included, comes from the linter linterOf names for
// its analyzer.
func findingKeys(t *testing.T, issues []gclIssue, linterOf func(analyzer string) string) []string {
	t.Helper()
	var out []string
	for _, is := range issues {
		if is.FromLinter != golangci.Name && !strings.HasPrefix(is.FromLinter, golangci.Name+"-") {
			continue // the documented configuration keeps golangci-lint's standard linters
		}
		prefix, _, ok := strings.Cut(is.Text, ": ")
		if !ok {
			t.Errorf("issue text without analyzer prefix: %q", is.Text)
			continue
		}
		analyzer, related := strings.CutSuffix(prefix, "(related information)")
		if want := linterOf(analyzer); is.FromLinter != want {
			t.Errorf("%s:%d: %q is from linter %s, want %s", is.Pos.Filename, is.Pos.Line, is.Text, is.FromLinter, want)
		}
		if !related {
			out = append(out, fmt.Sprintf("%s:%d:%s", filepath.ToSlash(is.Pos.Filename), is.Pos.Line, analyzer))
		}
	}
	slices.Sort(out)
	return out
}

func allInOne(string) string { return golangci.Name }

// lineOf returns "file:line" of a "file:line:analyzer" key.
func lineOf(key string) string { return key[:strings.LastIndex(key, ":")] }

// without returns keys minus those drop matches.
func without(keys []string, drop func(file, analyzer string) bool) []string {
	return slices.DeleteFunc(slices.Clone(keys), func(k string) bool {
		i := strings.Index(k, ":")
		return drop(k[:i], k[strings.LastIndex(k, ":")+1:])
	})
}

// pageBlock returns the body of the page's one block of the given kind and
// argument.
func pageBlock(t *testing.T, blocks []doctest.Block, kind, arg string) string {
	t.Helper()
	var found []string
	for _, b := range blocks {
		if b.Page == page && b.Kind == kind && b.Arg == arg {
			found = append(found, b.Body)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s has %d blocks marked %q %q, want 1", page, len(found), kind, arg)
	}
	return found[0]
}

// merge adds a golangci-fragment, a "linters:" mapping, to the linters:
// mapping of a .golangci.yml (both indented by two spaces).
func merge(t *testing.T, cfg, fragment string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(fragment, "linters:\n")
	if !ok || !strings.Contains(cfg, "\nlinters:\n") {
		t.Fatalf("cannot merge %q into\n%s", fragment, cfg)
	}
	return strings.Replace(cfg, "\nlinters:\n", "\nlinters:\n"+rest, 1)
}

// TestAllFindings: the documented configurations show every finding of
// standalone restatelint, also past golangci-lint's default limits, and
// the documented exclusions drop exactly what they say.
func TestAllFindings(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a custom golangci-lint (minutes when not cached)")
	}
	bin := customBinary(t)
	root := repoRoot(t)
	demoSrc := filepath.Join(root, "testdata", "demo")
	goCmd(t, demoSrc, nil, "mod", "download")
	dir := manyFindings(t, demoSrc)

	want := standalone(t, root, dir)
	lines := make(map[string]int)
	for _, k := range want {
		lines[lineOf(k)]++
	}
	if len(want) <= 60 || lines["stamp/stamp.go:12"] != 2 {
		t.Fatalf("the fixture should have more than 60 findings (golangci-lint shows 50 by default), two on stamp/stamp.go:12; standalone restatelint: %v", want)
	}

	blocks := doctest.Blocks(t, doctest.Dir(t))
	config := pageBlock(t, blocks, "file", ".golangci.yml")
	perAnalyzer := pageBlock(t, blocks, "file", ".golangci.per-analyzer.yml")
	linterPerAnalyzer := func(analyzer string) string { return golangci.LinterName(analyzer) }
	// The runs of one configuration share golangci-lint's cache: the
	// variants (exclusions, uniq-by-line) change no linter settings, so
	// the analysis is reused and only the result processing differs.
	envConfig, envPerAnalyzer := gclEnv(t), gclEnv(t)

	t.Run("documented config", func(t *testing.T) {
		issues, code, stderr := runGCLEnv(t, envConfig, bin, dir, config)
		if got := findingKeys(t, issues, allInOne); !slices.Equal(got, want) {
			t.Errorf("golangci-lint with the documented .golangci.yml shows %d findings, standalone restatelint %d (exit %d)\nonly golangci-lint: %v\nonly restatelint: %v\n%s",
				len(got), len(want), code, minus(got, want), minus(want, got), stderr)
		}
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
	})

	t.Run("uniq-by-line", func(t *testing.T) {
		// What the page says of uniq-by-line: true: the same lines, one
		// issue each.
		cfg := strings.Replace(config, "uniq-by-line: false", "uniq-by-line: true", 1)
		if cfg == config {
			t.Fatalf("the documented .golangci.yml does not set uniq-by-line: false:\n%s", config)
		}
		issues, _, stderr := runGCLEnv(t, envConfig, bin, dir, cfg)
		perLine := make(map[string]int)
		for _, is := range issues {
			perLine[fmt.Sprintf("%s:%d", filepath.ToSlash(is.Pos.Filename), is.Pos.Line)]++
		}
		for l := range lines {
			if perLine[l] != 1 {
				t.Errorf("uniq-by-line: true: %d issues on %s, want 1\n%s", perLine[l], l, stderr)
			}
		}
		for l, n := range perLine {
			if n != 1 {
				t.Errorf("uniq-by-line: true: %d issues on %s", n, l)
			}
		}
	})

	legacyMaporder := func(file, analyzer string) bool {
		return analyzer == "maporder" && strings.HasPrefix(file, "internal/legacy/")
	}

	t.Run("exclusion by message prefix", func(t *testing.T) {
		fragment := pageBlock(t, blocks, "golangci-fragment", ".golangci.yml")
		for _, s := range []string{"linters: [restatelint]", `"^maporder"`, "path: internal/legacy/"} {
			if !strings.Contains(fragment, s) {
				t.Fatalf("the exclusion example changed (no %q); update this test:\n%s", s, fragment)
			}
		}
		if len(without(want, legacyMaporder)) == len(want) {
			t.Fatal("no maporder finding under internal/legacy/ to exclude")
		}
		issues, _, stderr := runGCLEnv(t, envConfig, bin, dir, merge(t, config, fragment))
		if got := findingKeys(t, issues, allInOne); !slices.Equal(got, without(want, legacyMaporder)) {
			t.Errorf("with the exclusion rule: %d findings\nunexpected: %v\nmissing: %v\n%s", len(got),
				minus(got, without(want, legacyMaporder)), minus(without(want, legacyMaporder), got), stderr)
		}
		for _, is := range issues {
			if strings.HasPrefix(is.Text, "maporder") && strings.HasPrefix(filepath.ToSlash(is.Pos.Filename), "internal/legacy/") {
				t.Errorf("not excluded: %s:%d: %s", is.Pos.Filename, is.Pos.Line, is.Text)
			}
		}
	})

	t.Run("linter per analyzer", func(t *testing.T) {
		issues, code, stderr := runGCLEnv(t, envPerAnalyzer, bin, dir, perAnalyzer)
		if got := findingKeys(t, issues, linterPerAnalyzer); !slices.Equal(got, want) {
			t.Errorf("golangci-lint with the documented linter-per-analyzer config shows %d findings, standalone restatelint %d (exit %d)\nonly golangci-lint: %v\nonly restatelint: %v\n%s",
				len(got), len(want), code, minus(got, want), minus(want, got), stderr)
		}
		// Every analyzer that reports has a linter in the example.
		for _, a := range all.Analyzers() {
			if name := golangci.LinterName(a.Name); golangci.OwnLinter(a) && !strings.Contains(perAnalyzer, "- "+name+"\n") {
				t.Errorf("the linter-per-analyzer example does not enable %s", name)
			}
		}
	})

	t.Run("linter per analyzer, disabled and excluded", func(t *testing.T) {
		fragment := pageBlock(t, blocks, "golangci-fragment", ".golangci.per-analyzer.yml")
		for _, s := range []string{"disable: [restatelint-concurrency]", "linters: [restatelint-maporder]", "path: internal/legacy/"} {
			if !strings.Contains(fragment, s) {
				t.Fatalf("the example changed (no %q); update this test:\n%s", s, fragment)
			}
		}
		expect := without(want, func(file, analyzer string) bool {
			return analyzer == "concurrency" || legacyMaporder(file, analyzer)
		})
		if len(without(want, func(_, a string) bool { return a == "concurrency" })) == len(want) {
			t.Fatal("no concurrency finding to disable")
		}
		issues, _, stderr := runGCLEnv(t, envPerAnalyzer, bin, dir, merge(t, perAnalyzer, fragment))
		if got := findingKeys(t, issues, linterPerAnalyzer); !slices.Equal(got, expect) {
			t.Errorf("%d findings\nunexpected: %v\nmissing: %v\n%s", len(got), minus(got, expect), minus(expect, got), stderr)
		}
	})
}

// TestBothForms: with restatelint and some restatelint-<analyzer> linters
// enabled at once, each finding is reported once, by the analyzer's own
// linter, which is what //nolint:restatelint-<analyzer> names.
func TestBothForms(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a custom golangci-lint (minutes when not cached)")
	}
	bin := customBinary(t)
	demoSrc := filepath.Join(repoRoot(t), "testdata", "demo")
	goCmd(t, demoSrc, nil, "mod", "download")
	demo := testkit.CopyDir(t, demoSrc)

	// //nolint:restatelint-walltime on payment/service.go's walltime
	// findings.
	file := filepath.Join(demo, "payment", "service.go")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Split(string(data), "\n")
	silenced := 0
	for i, l := range src {
		if strings.Contains(l, "// BUG(walltime)") {
			src[i] = strings.Replace(l, "// BUG(", "//nolint:restatelint-walltime // BUG(", 1)
			silenced++
		}
	}
	if silenced == 0 {
		t.Fatal("payment/service.go has no walltime finding")
	}
	os.WriteFile(file, []byte(strings.Join(src, "\n")), 0o644)

	cfg := `version: "2"
linters:
  default: none
  enable: [restatelint, restatelint-walltime, restatelint-maporder]
  settings:
    custom:
      restatelint: {type: module}
      restatelint-walltime: {type: module}
      restatelint-maporder: {type: module}
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
`
	issues, _, stderr := runGCLAll(t, bin, demo, cfg)
	got := findingKeys(t, issues, func(analyzer string) string {
		if analyzer == "walltime" || analyzer == "maporder" {
			return golangci.LinterName(analyzer)
		}
		return golangci.Name
	})
	want := without(demoMarkers(t, demo), func(file, analyzer string) bool {
		return file == "payment/service.go" && analyzer == "walltime"
	})
	if !slices.Equal(got, want) {
		t.Errorf("restatelint and restatelint-{walltime,maporder}:\ngot:  %v\nwant: %v\n%s", got, want, stderr)
	}
	seen := make(map[string]bool)
	for _, is := range issues {
		k := fmt.Sprintf("%s:%d: %s", is.Pos.Filename, is.Pos.Line, is.Text)
		if seen[k] {
			t.Errorf("reported twice: %s", k)
		}
		seen[k] = true
	}

	// Settings errors of the linters per analyzer stop golangci-lint.
	for _, tc := range []struct{ custom, want string }{
		{
			"restatelint-walltime: {type: module, settings: {walltime: false}}",
			`plugin(restatelint-walltime): newPlugin restatelint-walltime: invalid settings: unknown key "walltime" (valid keys: reach.scope)`,
		},
		{
			"restatelint-walltime: {type: module, settings: {reach.scope: example.com/a}}\n      restatelint-sideeffect: {type: module, settings: {reach.scope: example.com/b}}",
			"in the settings of restatelint-",
		},
	} {
		cfg := "version: \"2\"\nlinters:\n  default: none\n  enable: [restatelint-walltime]\n  settings:\n    custom:\n      " + tc.custom + "\n"
		issues, code, stderr := runGCL(t, bin, demo, cfg)
		if code == 0 || len(issues) != 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, %d issues, want an error containing %q; stderr:\n%s", tc.custom, code, len(issues), tc.want, stderr)
		}
	}
}

// minus returns the elements of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
