package goplsbuild_test

// TestGopls builds a gopls carrying restatelint with `restatelint gopls
// -path <this checkout>` and drives it over stdio with the scripted LSP
// client on copies of the demo module.
//
// A cold build (gopls and its dependencies compiled from an empty build
// cache) takes minutes, so the binary is cached under
// os.UserCacheDir()/restatelint-gopls/<hash>, the hash covering the
// release row, the Go toolchain, go.mod, go.sum and the Go files of every
// package of this module linked into it (package gopls and the analyzers)
// or building it (internal/goplsbuild). Skipped with -short.

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/fixapply"
	"github.com/restatelint/restatelint/internal/goplsbuild"
	"github.com/restatelint/restatelint/internal/lsp/lsptest"
	"github.com/restatelint/restatelint/internal/lsp/protocol"
	"github.com/restatelint/restatelint/internal/testkit"
)

var goplsVersion = flag.String("gopls.version", goplsbuild.Releases[0].Version, "the gopls release TestGopls builds")

// recipe changes whenever the way the test builds the binary changes.
const recipe = "restatelint-gopls/1"

var (
	root       = filepath.Join("..", "..")
	demoDir    = filepath.Join(root, "testdata", "demo")
	restatelnt string // the restatelint binary, built by TestMain
)

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "restatelint-gopls-test")
	if err != nil {
		panic(err)
	}
	restatelnt = filepath.Join(dir, "restatelint")
	if out, err := exec.Command("go", "build", "-o", restatelnt, filepath.Join(root, "cmd", "restatelint")).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building restatelint: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// goplsBinary returns the gopls built by `restatelint gopls`, from the
// cache when its inputs did not change.
func goplsBinary(t *testing.T) string {
	t.Helper()
	rel, ok := goplsbuild.Lookup(*goplsVersion)
	if !ok {
		t.Fatalf("gopls %s is not in goplsbuild.Releases", *goplsVersion)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	key := fmt.Sprintf("%s %s %s %s\n%s", recipe, rel.Version, rel.Tools, rel.Go, rel.Register)
	hash := testkit.InputsHash(t, abs, key, "./gopls", "./internal/goplsbuild")
	return testkit.CachedBinary(t, "restatelint-gopls", hash, goplsbuild.BinaryName(), func(dir string) error {
		start := time.Now()
		cmd := exec.Command(restatelnt, "gopls", "-version", rel.Version, "-path", abs, "-o", dir)
		cmd.Env = append(os.Environ(), "GOFLAGS=")
		out, err := cmd.Output()
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		if err != nil {
			return fmt.Errorf("restatelint gopls: %v\n%s%s", err, out, stderr)
		}
		t.Logf("restatelint gopls took %s", time.Since(start).Round(time.Second))
		bin := filepath.Join(dir, goplsbuild.BinaryName())
		for _, want := range []string{"Built " + bin + "\n", `"go.alternateTools": {"gopls": "` + bin + `"}`} {
			if !strings.Contains(string(out), want) {
				t.Errorf("restatelint gopls output lacks %q:\n%s", want, out)
			}
		}
		// The x/tools the binary links is the one the release pins.
		if v, err := exec.Command("go", "version", "-m", bin).Output(); err != nil || !regexp.MustCompile(`=>\s+golang\.org/x/tools\s+`+regexp.QuoteMeta(rel.Tools)+`\s`).Match(v) {
			t.Errorf("the built gopls does not link golang.org/x/tools %s (%v):\n%s", rel.Tools, err, v)
		}
		return nil
	})
}

// goplsSession is a running gopls with a client.
type goplsSession struct {
	*lsptest.Server
}

// startGopls starts gopls serving on stdio, initialized on root with the
// given gopls settings as initializationOptions. All sessions of a test
// share gopls's file cache (cacheDir), as an editor's sessions do.
func startGopls(t *testing.T, bin, cacheDir, root string, settings map[string]any) *goplsSession {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOPLSCACHE="+cacheDir, "GOPROXY=off")
	s := &goplsSession{lsptest.Start(t, cmd)}
	var res struct {
		ServerInfo struct{ Name, Version string }
	}
	s.Initialize(root, settings, &res)
	if want := *goplsVersion + "+restatelint"; !strings.Contains(res.ServerInfo.Version, want) {
		t.Errorf("serverInfo version %q, want one containing %q", res.ServerInfo.Version, want)
	}
	return s
}

// restatelintDiags returns the diagnostics of restatelint's analyzers.
func restatelintDiags(diags []protocol.Diagnostic) []protocol.Diagnostic {
	var out []protocol.Diagnostic
	for _, d := range diags {
		if slices.ContainsFunc(all.Analyzers(), func(a *analysis.Analyzer) bool { return a.Name == d.Source }) {
			out = append(out, d)
		}
	}
	return out
}

// waitFindings waits for a publication of uri whose restatelint findings
// are want, and returns it.
func (s *goplsSession) waitFindings(t *testing.T, uri protocol.DocumentURI, text string, want []string) protocol.PublishDiagnosticsParams {
	t.Helper()
	var last []string
	pub, err := s.WaitDiagnostics(uri, 5*time.Minute, func(p protocol.PublishDiagnosticsParams) bool {
		last = lsptest.Findings(text, restatelintDiags(p.Diagnostics))
		return slices.Equal(last, want)
	})
	if err != nil {
		t.Fatalf("%v\nlast published:\n%s\nwant (restatelint -json):\n%s", err, strings.Join(last, "\n"), strings.Join(want, "\n"))
	}
	return pub
}

// goplsAction is a code action as gopls sends it: the edit as
// documentChanges or as changes.
type goplsAction struct {
	Title       string
	Kind        string
	Diagnostics []protocol.Diagnostic
	Edit        *struct {
		Changes         map[protocol.DocumentURI][]protocol.TextEdit
		DocumentChanges []struct {
			TextDocument struct{ URI protocol.DocumentURI }
			Edits        []protocol.TextEdit
		}
	}
	Command *struct{ Title, Command string }
}

// edits returns the action's edits of uri.
func (a goplsAction) edits(uri protocol.DocumentURI) []protocol.TextEdit {
	if a.Edit == nil {
		return nil
	}
	out := slices.Clone(a.Edit.Changes[uri])
	for _, dc := range a.Edit.DocumentChanges {
		if dc.TextDocument.URI == uri {
			out = append(out, dc.Edits...)
		}
	}
	return out
}

func TestGopls(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gopls (minutes when not cached)")
	}
	bin := goplsBinary(t)
	testkit.GoCmd(t, demoDir, nil, "mod", "download")
	cacheDir := t.TempDir()
	urls := make(map[string]string)
	for _, a := range all.Analyzers() {
		urls[a.Name] = a.URL
	}

	t.Run("session", func(t *testing.T) {
		dir := testkit.CopyDir(t, demoDir)
		s := startGopls(t, bin, cacheDir, dir, nil)
		path := filepath.Join(dir, "payment", "service.go")
		text := readFile(t, path)
		want := lsptest.CLIFindings(t, restatelnt, dir, "payment/service.go")
		if len(want) < 4 {
			t.Fatalf("restatelint -json finds only %v in payment/service.go", want)
		}
		start := time.Now()
		uri := s.Open(path, 1, text)
		pub := s.waitFindings(t, uri, text, want)
		t.Logf("first publication with restatelint's findings (gopls's file cache empty) after %s, gopls CPU %s", time.Since(start).Round(10*time.Millisecond), cpuTime(s.Cmd.Process.Pid))

		// Each carries the analyzer as code and source, and its rule page.
		var sleep protocol.Diagnostic
		for _, d := range restatelintDiags(pub.Diagnostics) {
			href := ""
			if d.CodeDescription != nil {
				href = d.CodeDescription.Href
			}
			if d.Code != d.Source || href != urls[d.Source]+"#"+d.Source {
				t.Errorf("diagnostic %q: code %q, source %q, href %q; want the analyzer name and %s#%s", d.Message, d.Code, d.Source, href, urls[d.Source], d.Source)
			}
			if d.Source == "walltime" && d.Range.Start.Line == 59 {
				sleep = d
			}
		}
		if sleep.Source == "" {
			t.Fatalf("no walltime diagnostic on line 60: %v", pub.Diagnostics)
		}

		// The quick fix's edit gives the file restatelint -fix writes.
		var actions []goplsAction
		if err := s.Call("textDocument/codeAction", map[string]any{
			"textDocument": protocol.TextDocumentIdentifier{URI: uri},
			"range":        sleep.Range,
			"context":      map[string]any{"diagnostics": []protocol.Diagnostic{sleep}, "only": []string{"quickfix"}},
		}, &actions); err != nil {
			t.Fatal(err)
		}
		var fix, ignore *goplsAction
		for i, a := range actions {
			if strings.Contains(a.Title, "restate.Sleep") {
				fix = &actions[i]
			}
			if a.Title == "Ignore walltime here with //restatelint:ignore" {
				ignore = &actions[i]
			}
		}
		// The ignore quick fix writes the directive above the finding, as
		// restatelint lsp's does.
		if ignore == nil {
			t.Errorf("no ignore quick fix among %+v", actions)
		} else if got := lsptest.ApplyEdits(text, ignore.edits(uri)); !strings.Contains(got, "\t//restatelint:ignore walltime "+fixapply.IgnoreReason+"\n\ttime.Sleep(") {
			t.Errorf("the ignore quick fix gives:\n%s", got)
		}
		if fix == nil {
			t.Fatalf("no restate.Sleep quick fix among %+v", actions)
		}
		if fix.Kind != protocol.CodeActionKindQuickFix {
			t.Errorf("fix kind %q", fix.Kind)
		}
		got := lsptest.ApplyEdits(text, fix.edits(uri))
		fixDir := testkit.CopyDir(t, demoDir)
		cmd := exec.Command(restatelnt, "-fix", "-walltime", "./payment/")
		cmd.Dir = fixDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("restatelint -fix: %v\n%s", err, out)
		}
		if wantText := readFile(t, filepath.Join(fixDir, "payment", "service.go")); got != wantText {
			t.Errorf("gopls's quick fix differs from restatelint -fix\ngopls:\n%s\nrestatelint -fix:\n%s", got, wantText)
		}

		// gopls's own features still answer: hover on time.Sleep.
		line := strings.Split(text, "\n")[59]
		var hover struct {
			Contents struct{ Kind, Value string }
		}
		if err := s.Call("textDocument/hover", map[string]any{
			"textDocument": protocol.TextDocumentIdentifier{URI: uri},
			"position":     protocol.Position{Line: 59, Character: uint32(strings.Index(line, "Sleep"))},
		}, &hover); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(hover.Contents.Value, "func time.Sleep(d time.Duration)") && !strings.Contains(hover.Contents.Value, "func Sleep(d Duration)") {
			t.Errorf("hover on time.Sleep: %+v", hover.Contents)
		}
		s.Stop(t)
	})

	t.Run("analyses", func(t *testing.T) {
		// gopls's "analyses" setting turns a restatelint analyzer off by name.
		dir := testkit.CopyDir(t, demoDir)
		s := startGopls(t, bin, cacheDir, dir, map[string]any{"analyses": map[string]bool{"walltime": false}})
		path := filepath.Join(dir, "payment", "service.go")
		text := readFile(t, path)
		want := lsptest.CLIFindings(t, restatelnt, dir, "payment/service.go", "-walltime=false")
		if len(want) == 0 || slices.ContainsFunc(want, func(f string) bool { return strings.Contains(f, " walltime: ") }) {
			t.Fatalf("restatelint -walltime=false: %v", want)
		}
		start := time.Now()
		uri := s.Open(path, 1, text)
		s.waitFindings(t, uri, text, want)
		t.Logf("first publication with restatelint's findings (gopls's file cache warm) after %s, gopls CPU %s", time.Since(start).Round(10*time.Millisecond), cpuTime(s.Cmd.Process.Pid))
		s.Stop(t)
	})

	t.Run("restatelint.toml", func(t *testing.T) {
		// The project's restatelint.toml turns walltime off and makes a
		// helper a sink, in gopls as on the command line.
		dir := testkit.CopyDir(t, demoDir)
		toml := "walltime = false\n\n[sideeffect]\nsinks = [\"example.com/demo/payment.Provider.Refund\"]\n"
		if err := os.WriteFile(filepath.Join(dir, "restatelint.toml"), []byte(toml), 0o644); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "payment", "service.go")
		text := readFile(t, path)
		want := lsptest.CLIFindings(t, restatelnt, dir, "payment/service.go")
		if slices.ContainsFunc(want, func(f string) bool { return strings.Contains(f, " walltime: ") }) ||
			!slices.ContainsFunc(want, func(f string) bool { return strings.Contains(f, "configured in sideeffect.sinks") }) {
			t.Fatalf("restatelint with restatelint.toml: %v", want)
		}
		s := startGopls(t, bin, cacheDir, dir, nil)
		uri := s.Open(path, 1, text)
		s.waitFindings(t, uri, text, want)
		s.Stop(t)
	})
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// cpuTime returns the CPU time (user and system) a process has used so
// far, read from /proc on Linux ("?" elsewhere): a measure of the work
// that does not depend on how loaded the machine is.
func cpuTime(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "?"
	}
	// The fields after the command name (in parentheses): utime and stime
	// are the 12th and 13th, in clock ticks of 1/100 s.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(fields) < 13 {
		return "?"
	}
	var utime, stime int
	fmt.Sscan(fields[11], &utime)
	fmt.Sscan(fields[12], &stime)
	return (time.Duration(utime+stime) * 10 * time.Millisecond).String()
}
