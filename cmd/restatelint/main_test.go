package main_test

// End-to-end tests of the restatelint binary on the demo module
// (testdata/demo, which requires the real SDK): standalone, go vet
// -vettool and go fix -fixtool must agree, fixes must compile, and exit
// codes and flag errors must be what the README promises.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/analyzers/all"

	"github.com/restatelint/restatelint/internal/testkit"
)

var binary string // path of the restatelint binary built by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "restatelint-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "restatelint")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building restatelint: %v\n%s", err, out)
		os.Exit(1)
	}
	demo := filepath.Join("..", "..", "testdata", "demo")
	if out, err := runIn(demo, "go", "mod", "download"); err != nil {
		fmt.Fprintf(os.Stderr, "go mod download in the demo: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func runIn(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// copyDemo copies testdata/demo to a fresh directory.
func copyDemo(t *testing.T) string {
	t.Helper()
	return testkit.CopyDir(t, filepath.Join("..", "..", "testdata", "demo"))
}

// marker is a "// BUG(rule)" comment in the demo: where a finding must be.
type marker struct {
	file string // relative to the demo root
	line int
	rule string
}

var bugRE = regexp.MustCompile(`// BUG\((\w+)\)`)

// markers returns the demo's BUG markers of the analyzers restatelint has.
func markers(t *testing.T, root string) []marker {
	t.Helper()
	have := make(map[string]bool)
	for _, a := range all.Analyzers() {
		have[a.Name] = true
	}
	var out []marker
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(root, path)
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			for _, m := range bugRE.FindAllStringSubmatch(sc.Text(), -1) {
				if have[m[1]] {
					out = append(out, marker{filepath.ToSlash(rel), line, m[1]})
				}
			}
		}
		return nil
	})
	slices.SortFunc(out, compareMarkers)
	return out
}

func compareMarkers(a, b marker) int {
	return strings.Compare(fmt.Sprintf("%s:%06d:%s", a.file, a.line, a.rule), fmt.Sprintf("%s:%06d:%s", b.file, b.line, b.rule))
}

// jsonFindings runs restatelint -json in dir and returns its findings as
// markers.
func jsonFindings(t *testing.T, dir string, args ...string) []marker {
	t.Helper()
	cmd := exec.Command(binary, append(append([]string{"-json"}, args...), "./...")...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("restatelint -json: %v\n%s", err, out)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(out, &tree); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	abs, _ := filepath.Abs(dir)
	var got []marker
	for _, byAnalyzer := range tree {
		for name, raw := range byAnalyzer {
			var diags []struct {
				Posn    string `json:"posn"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(raw, &diags); err != nil {
				t.Fatalf("%s: %v: %s", name, err, raw) // an analysis error object
			}
			for _, d := range diags {
				file, line := splitPosn(t, d.Posn)
				rel, _ := filepath.Rel(abs, file)
				m := marker{filepath.ToSlash(rel), line, name}
				if !slices.Contains(got, m) {
					got = append(got, m)
				}
			}
		}
	}
	slices.SortFunc(got, compareMarkers)
	return got
}

func splitPosn(t *testing.T, posn string) (string, int) {
	parts := strings.Split(posn, ":")
	if len(parts) < 3 {
		t.Fatalf("bad posn %q", posn)
	}
	var line int
	fmt.Sscan(parts[len(parts)-2], &line)
	return strings.Join(parts[:len(parts)-2], ":"), line
}

// TestDemoFindings: every BUG marker of an existing analyzer is reported,
// and nothing else (every "// OK" line and everything unmarked is quiet).
func TestDemoFindings(t *testing.T) {
	demo := filepath.Join("..", "..", "testdata", "demo")
	want := markers(t, demo)
	if len(want) < 5 {
		t.Fatalf("only %d markers found in the demo", len(want))
	}
	got := jsonFindings(t, demo)
	if !slices.Equal(got, want) {
		t.Errorf("findings differ from the demo's BUG markers\ngot:  %v\nwant: %v", got, want)
	}
}

// TestExitCodes: 3 with findings, 0 without and with -json, 1 for a bad
// flag value, 2 for an unknown flag (flag package), never silent.
func TestExitCodes(t *testing.T) {
	demo := filepath.Join("..", "..", "testdata", "demo")
	out, err := runIn(demo, binary, "./...")
	if exitCode(err) != 3 || !strings.Contains(out, "time.Now in a handler") {
		t.Errorf("findings: exit %d, output:\n%s", exitCode(err), out)
	}
	out, err = runIn(demo, binary, "-walltime=false", "-randomness=false", "./shipping")
	if exitCode(err) != 0 || out != "" {
		t.Errorf("clean run: exit %d, output:\n%s", exitCode(err), out)
	}
	out, err = runIn(demo, binary, "-reach.scope=example.com/*", "./...")
	if exitCode(err) == 0 || !strings.Contains(out, "invalid path prefix") {
		t.Errorf("bad scope: exit %d, output:\n%s", exitCode(err), out)
	}
	out, err = runIn(demo, binary, "-no-such-flag", "./...")
	if exitCode(err) == 0 || !strings.Contains(out, "no-such-flag") {
		t.Errorf("unknown flag: exit %d, output:\n%s", exitCode(err), out)
	}
	out, err = runIn(demo, binary, "-diff", "./...")
	if exitCode(err) != 1 || !strings.Contains(out, "-diff requires -fix") {
		t.Errorf("-diff alone: exit %d, output:\n%s", exitCode(err), out)
	}
}

// TestSelectAnalyzers: -NAME runs only that analyzer.
func TestSelectAnalyzers(t *testing.T) {
	demo := filepath.Join("..", "..", "testdata", "demo")
	for _, m := range jsonFindings(t, demo, "-walltime") {
		if m.rule != "walltime" {
			t.Errorf("-walltime reported %v", m)
		}
	}
}

// vetFindings runs go vet -vettool in dir and returns its findings as
// "file:line:col: message" lines relative to dir.
func vetFindings(t *testing.T, dir string) []string {
	t.Helper()
	out, err := runIn(dir, "go", "vet", "-vettool="+binary, "./...")
	if exitCode(err) != 1 {
		t.Fatalf("go vet -vettool: exit %d (want 1, findings)\n%s", exitCode(err), out)
	}
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "" || strings.Contains(l, ": \t") {
			continue // package headers, and related information (vet prints it indented)
		}
		lines = append(lines, strings.TrimPrefix(l, "./"))
	}
	slices.Sort(lines)
	return lines
}

func textFindings(t *testing.T, dir string) []string {
	t.Helper()
	out, err := runIn(dir, binary, "./...")
	if exitCode(err) != 3 {
		t.Fatalf("restatelint: exit %d\n%s", exitCode(err), out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	slices.Sort(lines)
	return lines
}

// TestVetToolAgrees: go vet's per-package protocol (facts passed between
// packages through vet's files) gives exactly the standalone findings,
// cross-package call chains included.
func TestVetToolAgrees(t *testing.T) {
	dir := copyDemo(t)
	std := textFindings(t, dir)
	vet := vetFindings(t, dir)
	if !slices.Equal(std, vet) {
		t.Errorf("go vet -vettool and standalone differ\nvet:\n%s\nstandalone:\n%s", strings.Join(vet, "\n"), strings.Join(std, "\n"))
	}
	if !slices.ContainsFunc(vet, func(l string) bool { return strings.Contains(l, "→") }) {
		t.Errorf("go vet -vettool reported no call chain: facts did not cross packages")
	}
}

// TestFixDemo: -fix -diff shows the change without writing; -fix writes
// it; the result builds and is gofmt-clean; a second -fix changes nothing.
// go fix -fixtool produces the same files.
func TestFixDemo(t *testing.T) {
	dir := copyDemo(t)
	diff, err := runIn(dir, binary, "-fix", "-diff", "./...")
	if err != nil || !strings.Contains(diff, "+++ ") || !strings.Contains(diff, "restate.Run(ctx") {
		t.Fatalf("-fix -diff: %v\n%s", err, diff)
	}
	if out, err := runIn(".", "git", "diff", "--no-index", "--stat", filepath.Join("..", "..", "testdata", "demo"), dir); err != nil {
		t.Fatalf("-fix -diff wrote files:\n%s", out)
	}
	if out, err := runIn(dir, binary, "-fix", "./..."); err != nil {
		t.Fatalf("-fix: %v\n%s", err, out)
	}
	if out, err := runIn(dir, "go", "build", "./..."); err != nil {
		t.Fatalf("fixed demo does not build: %v\n%s", err, out)
	}
	if out, _ := runIn(dir, "gofmt", "-l", "."); strings.TrimSpace(out) != "" {
		t.Errorf("fixed demo is not gofmt-clean: %s", out)
	}
	if out, err := runIn(dir, binary, "-fix", "-diff", "./..."); err != nil || strings.TrimSpace(out) != "" {
		t.Errorf("a second -fix would change:\n%s", out)
	}

	// go fix -fixtool applies the same fixes through the vet protocol.
	viaGoFix := copyDemo(t)
	if out, err := runIn(viaGoFix, "go", "fix", "-fixtool="+binary, "./..."); err != nil {
		t.Fatalf("go fix -fixtool: %v\n%s", err, out)
	}
	if out, err := runIn(dir, "git", "diff", "--no-index", "--stat", dir, viaGoFix); err != nil {
		t.Errorf("go fix -fixtool and restatelint -fix differ:\n%s", out)
	}
}

// TestDeterministic: two runs over the same input print byte-identical
// text, JSON and SARIF (no map order or scheduling leaks into the output;
// reliability_test.go varies GOMAXPROCS too).
func TestDeterministic(t *testing.T) {
	demo := filepath.Join("..", "..", "testdata", "demo")
	for _, args := range [][]string{{"./..."}, {"-json", "./..."}, {"-sarif", "./..."}} {
		first, _ := runIn(demo, binary, args...)
		for range 2 {
			if again, _ := runIn(demo, binary, args...); again != first {
				t.Errorf("restatelint %v printed different output on two runs:\n%s\n---\n%s", args, first, again)
			}
		}
	}
}

// TestRelatedChain: a reached-code finding points at the declaration of
// the function the handler calls (RelatedInformation, which editors show
// as a link), in the JSON output too.
func TestRelatedChain(t *testing.T) {
	demo := filepath.Join("..", "..", "testdata", "demo")
	out, err := exec.Command(binary, "-C", demo, "-json", "./...").Output()
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]map[string][]struct {
		Message string `json:"message"`
		Related []struct {
			Posn    string `json:"posn"`
			Message string `json:"message"`
		} `json:"related"`
	}
	if err := json.Unmarshal(out, &tree); err != nil {
		t.Fatal(err)
	}
	chains := 0
	for _, byAnalyzer := range tree {
		for _, diags := range byAnalyzer {
			for _, d := range diags {
				if !strings.HasPrefix(d.Message, "calls ") {
					continue
				}
				chains++
				if len(d.Related) != 1 || !strings.Contains(d.Related[0].Message, "declared here") || !strings.Contains(d.Related[0].Posn, ".go:") {
					t.Errorf("chain finding without a related declaration: %s %+v", d.Message, d.Related)
				}
			}
		}
	}
	if chains == 0 {
		t.Error("the demo produced no reached-code finding")
	}
}
