package golangci_test

// TestCustomGolangciLint builds a real custom golangci-lint with this
// plugin, as `golangci-lint custom` does, and runs it on the demo module.
//
// golangci-lint custom clones golangci-lint's repository at the configured
// tag, adds a blank import of each plugin to cmd/golangci-lint, a replace
// directive for each plugin given by path, runs go mod tidy and go build.
// CI can reach the Go module proxy but not GitHub, so the test does the
// same from the module proxy: a temporary main module holding
// golangci-lint's cmd/golangci-lint/main.go (copied from the module
// golangci-lint v2.15.0) and a plugins.go with the blank import, requiring
// golangci-lint v2.15.0 and replacing this module by the checkout. The
// packages, versions and main function are those `golangci-lint custom`
// builds.
//
// The cold build takes about 6 minutes on 2 cores, so the binary is cached
// under os.UserCacheDir()/restatelint-gcl/<hash>, the hash covering
// everything the binary is built from: the Go files of this module's
// packages linked into it, go.mod and go.sum, the Go version, the
// golangci-lint version and this recipe. A warm run reuses it; a change to
// any analyzer rebuilds it (about a minute once the module and build
// caches are warm). Skipped with -short.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/doctest"
	"github.com/restatelint/restatelint/internal/options"
	"github.com/restatelint/restatelint/internal/testkit"
)

const (
	golangciModule  = "github.com/golangci/golangci-lint/v2"
	golangciVersion = "v2.15.0"
	thisModule      = "github.com/restatelint/restatelint"
	// recipe changes whenever the way the binary is built changes.
	recipe = "custom-gcl/1"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func goCmd(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// customBinary returns the path of a custom golangci-lint with this
// module's plugin, building it unless the cache has it.
func customBinary(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	hash := testkit.InputsHash(t, root, recipe+" "+golangciModule+"@"+golangciVersion, "./golangci")
	return testkit.CachedBinary(t, "restatelint-gcl", hash, "golangci-lint", func(work string) error {
		env := []string{"GOWORK=off", "GOFLAGS=-mod=mod"}

		// golangci-lint's main package, from the module proxy.
		var dl struct{ Dir, Error string }
		out := goCmd(t, work, env, "mod", "download", "-json", golangciModule+"@"+golangciVersion)
		if err := json.Unmarshal([]byte(out), &dl); err != nil || dl.Dir == "" {
			return fmt.Errorf("go mod download %s@%s: %v %s\n%s", golangciModule, golangciVersion, err, dl.Error, out)
		}
		mainGo, err := os.ReadFile(filepath.Join(dl.Dir, "cmd", "golangci-lint", "main.go"))
		if err != nil {
			return err
		}
		gomod := fmt.Sprintf("module restatelint.test/custom-gcl\n\ngo 1.26.0\n\nrequire %s %s\n\nreplace %s => %s\n",
			golangciModule, golangciVersion, thisModule, filepath.ToSlash(root))
		plugins := "package main\n\n// Module plugins, as golangci-lint custom writes them.\nimport (\n\t_ \"" + thisModule + "/golangci\"\n)\n"
		for name, data := range map[string]string{"go.mod": gomod, "main.go": string(mainGo), "plugins.go": plugins} {
			if err := os.WriteFile(filepath.Join(work, name), []byte(data), 0o644); err != nil {
				return err
			}
		}
		goCmd(t, work, env, "mod", "tidy")
		goCmd(t, work, env, "build", "-trimpath",
			"-ldflags", "-s -w -X main.version="+strings.TrimPrefix(golangciVersion, "v")+"-custom-restatelint -X main.date=n/a",
			"-o", filepath.Join(work, "golangci-lint"), ".")
		// Check that our module changed no version golangci-lint pins.
		if v := goCmd(t, work, env, "list", "-m", "-f", "{{.Version}}", "golang.org/x/tools"); strings.TrimSpace(v) != "v0.52.0" {
			t.Errorf("the custom binary links x/tools %s, not golangci-lint's v0.52.0", v)
		}
		return nil
	})
}

// config is a .golangci.yml enabling only restatelint with the given
// settings (YAML lines, indented under settings:) and reporting every
// issue.
func config(settings ...string) string {
	var sb strings.Builder
	sb.WriteString(`version: "2"
linters:
  default: none
  enable:
    - restatelint
  settings:
    custom:
      restatelint:
        type: module
        description: Restate exactly-once hazards (restatelint)
`)
	if len(settings) > 0 {
		sb.WriteString("        settings:\n")
		for _, s := range settings {
			sb.WriteString("          " + s + "\n")
		}
	}
	sb.WriteString(`issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
`)
	return sb.String()
}

type gclIssue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename string
		Line     int
	}
}

// runGCL runs the custom binary in dir with the given .golangci.yml and
// returns its issues but related information, its exit code and its
// stderr.
func runGCL(t *testing.T, bin, dir, cfg string, args ...string) ([]gclIssue, int, string) {
	t.Helper()
	issues, code, stderr := runGCLAll(t, bin, dir, cfg, args...)
	// golangci-lint turns a diagnostic's related information ("Stamp,
	// declared here, reaches ...") into an issue of its own, "<analyzer>(related
	// information): ...", at the diagnostic's position; count findings only.
	issues = slices.DeleteFunc(issues, func(is gclIssue) bool {
		analyzer, _, _ := strings.Cut(is.Text, ": ")
		return strings.HasSuffix(analyzer, "(related information)")
	})
	return issues, code, stderr
}

// runGCLAll is runGCL with related information.
func runGCLAll(t *testing.T, bin, dir, cfg string, args ...string) ([]gclIssue, int, string) {
	t.Helper()
	return runGCLEnv(t, gclEnv(t), bin, dir, cfg, args...)
}

// runGCLEnv is runGCLAll with the given environment (gclEnv's), which
// runs one after the other may share.
func runGCLEnv(t *testing.T, env []string, bin, dir, cfg string, args ...string) ([]gclIssue, int, string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, ".golangci.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"run", "--output.json.path=stdout", "--output.text.path=stderr", "--show-stats=false"}, append(args, "./...")...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var report struct{ Issues []gclIssue }
	if stdout.Len() > 0 {
		if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
			t.Fatalf("golangci-lint JSON: %v\n%s", err, stdout.String())
		}
	}
	return report.Issues, code, stderr.String()
}

// gclEnv gives a golangci-lint run its own cache and its own TMPDIR:
// golangci-lint refuses to run while another run holds its lock file in
// TMPDIR ("parallel golangci-lint is running"), as other tests may.
func gclEnv(t *testing.T) []string {
	return []string{"GOLANGCI_LINT_CACHE=" + t.TempDir(), "TMPDIR=" + t.TempDir()}
}

var bugRE = regexp.MustCompile(`// BUG\((\w+)\)`)

// demoMarkers returns "file:line:analyzer" for the demo's BUG markers of
// the analyzers restatelint has, minus those in skip.
func demoMarkers(t *testing.T, demo string, skip ...string) []string {
	t.Helper()
	have := make(map[string]bool)
	for _, a := range all.Analyzers() {
		have[a.Name] = !slices.Contains(skip, a.Name)
	}
	var out []string
	filepath.WalkDir(demo, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(demo, path)
		for i, line := range strings.Split(string(data), "\n") {
			for _, m := range bugRE.FindAllStringSubmatch(line, -1) {
				if have[m[1]] {
					out = append(out, fmt.Sprintf("%s:%d:%s", filepath.ToSlash(rel), i+1, m[1]))
				}
			}
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// issueKeys returns "file:line:analyzer" for golangci-lint's issues, the
// analyzer read from the message prefix golangci-lint adds.
func issueKeys(t *testing.T, issues []gclIssue) []string {
	t.Helper()
	var out []string
	for _, is := range issues {
		if is.FromLinter != "restatelint" {
			t.Errorf("issue from %s: %s", is.FromLinter, is.Text)
		}
		analyzer, _, ok := strings.Cut(is.Text, ": ")
		if !ok {
			t.Errorf("issue text without analyzer prefix: %q", is.Text)
		}
		out = append(out, fmt.Sprintf("%s:%d:%s", filepath.ToSlash(is.Pos.Filename), is.Pos.Line, analyzer))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestCustomGolangciLint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a custom golangci-lint (minutes when not cached)")
	}
	bin := customBinary(t)
	root := repoRoot(t)
	demoSrc := filepath.Join(root, "testdata", "demo")
	goCmd(t, demoSrc, nil, "mod", "download")

	t.Run("diagnostics", func(t *testing.T) {
		demo := testkit.CopyDir(t, demoSrc)
		issues, code, stderr := runGCL(t, bin, demo, config())
		want := demoMarkers(t, demo)
		if got := issueKeys(t, issues); !slices.Equal(got, want) {
			t.Errorf("golangci-lint findings differ from the demo's BUG markers (exit %d)\ngot:  %v\nwant: %v\n%s", code, got, want, stderr)
		}
		if code != 1 {
			t.Errorf("exit %d with findings, want 1", code)
		}
		// //nolint:restatelint silences the whole plugin on a line.
		file := filepath.Join(demo, "payment", "service.go")
		data, _ := os.ReadFile(file)
		lines := strings.Split(string(data), "\n")
		for i, l := range lines {
			if strings.Contains(l, "BUG(") {
				lines[i] = strings.Replace(l, "// BUG(", "//nolint:restatelint // BUG(", 1)
			}
		}
		os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644)
		issues, _, _ = runGCL(t, bin, demo, config())
		for _, k := range issueKeys(t, issues) {
			if strings.HasPrefix(k, "payment/service.go:") {
				t.Errorf("//nolint:restatelint did not silence %s", k)
			}
		}
	})

	t.Run("fix", func(t *testing.T) {
		demo := testkit.CopyDir(t, demoSrc)
		before := demoMarkers(t, demo)
		_, code, stderr := runGCL(t, bin, demo, config("walltime: true"), "--fix")
		if code != 0 && code != 1 {
			t.Fatalf("run --fix: exit %d\n%s", code, stderr)
		}
		data, err := os.ReadFile(filepath.Join(demo, "order", "saga.go"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "restate.Run(ctx, func(ctx restate.RunContext) (time.Time, error)") {
			t.Errorf("run --fix did not apply the walltime fix to order/saga.go:\n%s", data)
		}
		goCmd(t, demo, nil, "build", "./...")
		issues, _, _ := runGCL(t, bin, demo, config("walltime: true"))
		if len(issues) >= len(slices.DeleteFunc(before, func(k string) bool { return !strings.HasSuffix(k, ":walltime") })) {
			t.Errorf("run --fix left %d walltime findings", len(issues))
		}
	})

	t.Run("disable", func(t *testing.T) {
		demo := testkit.CopyDir(t, demoSrc)
		issues, _, stderr := runGCL(t, bin, demo, config("randomness: false"))
		want := demoMarkers(t, demo, "randomness")
		if got := issueKeys(t, issues); !slices.Equal(got, want) {
			t.Errorf("randomness: false\ngot:  %v\nwant: %v\n%s", got, want, stderr)
		}
	})

	t.Run("option", func(t *testing.T) {
		// The platform module is replaced by a local directory: the
		// team's own code, analyzed from source by default (rules.md,
		// "What is analyzed from source"), like a go.work module;
		// reach.scope, in either spelling, is accepted and changes
		// nothing here.
		svc := twoModules(t, demoSrc)
		const chain = "calls clock.Stamp → clock.now → time.Now"
		for _, setting := range []string{"", "reach:\n            scope: [example.com/platform]", "reach.scope: example.com/platform"} {
			cfg := config()
			if setting != "" {
				cfg = config(setting)
			}
			issues, _, stderr := runGCL(t, bin, svc, cfg)
			if len(issues) != 1 || !strings.Contains(issues[0].Text, chain) {
				t.Errorf("%q: want one finding with %q, got %+v\n%s", setting, chain, issues, stderr)
			}
		}
		// sideeffect.sinks adds a sink, as -sideeffect.sinks does.
		if !slices.Contains(options.Keys(all.Analyzers()), "sideeffect.sinks") {
			t.Log("no sideeffect.sinks option yet")
			return
		}
		issues, _, stderr := runGCL(t, bin, svc, config("sideeffect:\n            sinks: [example.com/platform/clock.Ping]"))
		issues = slices.DeleteFunc(issues, func(i gclIssue) bool { return !strings.HasPrefix(i.Text, "sideeffect") })
		if len(issues) != 1 || !strings.HasPrefix(issues[0].Text, "sideeffect: clock.Ping") || issues[0].Pos.Line != 11 {
			t.Errorf("sideeffect.sinks: want one sideeffect finding at clock.Ping, got %+v\n%s", issues, stderr)
		}
	})

	t.Run("docs", func(t *testing.T) {
		// docs/integrations/golangci-lint.md: .custom-gcl.yml names this
		// plugin and the golangci-lint version built here; its
		// .golangci.yml and commands run with the binary as ./custom-gcl.
		blocks := doctest.Blocks(t, doctest.Dir(t))
		const page = "golangci-lint.md"
		var customCfg string
		for _, b := range blocks {
			if b.Page == page && b.Kind == "file" && b.Arg == ".custom-gcl.yml" {
				customCfg = b.Body
			}
		}
		for _, want := range []string{
			"version: " + golangciVersion + "\n",
			"name: custom-gcl\n",
			"- module: " + thisModule + "\n",
			"import: " + thisModule + "/golangci\n",
		} {
			if !strings.Contains(customCfg, want) {
				t.Errorf(".custom-gcl.yml in %s lacks %q:\n%s", page, want, customCfg)
			}
		}
		ran := 0
		for _, b := range blocks {
			if b.Page != page || b.Kind != "run-golangci" {
				continue
			}
			demo := testkit.CopyDir(t, demoSrc)
			doctest.WriteFiles(t, blocks, page, demo)
			data, err := os.ReadFile(bin)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(demo, "custom-gcl"), data, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, c := range doctest.Commands(b) {
				t.Logf("%s: %s", b, c.Line)
				doctest.Run(t, demo, gclEnv(t), c)
				ran++
			}
			if strings.Contains(b.Body, "--fix") {
				if data, _ := os.ReadFile(filepath.Join(demo, "order", "saga.go")); !strings.Contains(string(data), "restate.Run(ctx, func(ctx restate.RunContext) (time.Time, error)") {
					t.Errorf("%s: run --fix applied no walltime fix", b)
				}
			}
		}
		if ran == 0 {
			t.Errorf("%s has no run-golangci commands", page)
		}
	})

	t.Run("errors", func(t *testing.T) {
		demo := testkit.CopyDir(t, demoSrc)
		for _, tc := range []struct{ setting, want string }{
			{"bogus: 1", `restatelint: invalid settings: unknown key "bogus" (valid keys: `},
			{"reach:\n            nope: x", `unknown key "reach.nope"`},
			{`reach.scope: "example.com/*"`, `invalid value "example.com/*" for reach.scope: invalid path prefix`},
			{"walltime: maybe", `invalid value "maybe" for walltime`},
		} {
			issues, code, stderr := runGCL(t, bin, demo, config(tc.setting))
			if code == 0 || len(issues) != 0 || !strings.Contains(stderr, tc.want) {
				t.Errorf("%s: exit %d, %d issues, want an error containing %q; stderr:\n%s", tc.setting, code, len(issues), tc.want, stderr)
			}
		}
	})
}

// twoModules lays out a service module calling a helper in a second
// module, example.com/platform, required through a replace directive (a
// versioned dependency, out of scope by default).
func twoModules(t *testing.T, demo string) string {
	t.Helper()
	root := t.TempDir()
	demoMod, err := os.ReadFile(filepath.Join(demo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	demoSum, err := os.ReadFile(filepath.Join(demo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"platform/go.mod":         "module example.com/platform\n\ngo 1.26.0\n",
		"platform/clock/clock.go": "package clock\n\nimport \"time\"\n\n// Stamp is reached code in another module.\nfunc Stamp() time.Time { return now() }\n\nfunc now() time.Time { return time.Now() }\n\n// Ping does nothing, unless configured as a sink.\nfunc Ping() error { return nil }\n",
		"svc/go.mod": strings.Replace(string(demoMod), "module example.com/demo", "module example.com/svc", 1) +
			"\nrequire example.com/platform v0.0.0\n\nreplace example.com/platform => ../platform\n",
		"svc/go.sum": string(demoSum),
		"svc/handler.go": `package svc

import (
	restate "github.com/restatedev/sdk-go"

	"example.com/platform/clock"
)

func Handle(ctx restate.ObjectContext) error {
	restate.Set(ctx, "at", clock.Stamp())
	return clock.Ping()
}
`,
	}
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(root, "svc")
}
