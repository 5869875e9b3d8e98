package lsp

// End-to-end tests: the built restatelint binary is started as `restatelint
// lsp` and driven over stdio by the scripted client, on copies of the demo
// module (which requires the real SDK) and on small modules written here.

import (
	"flag"
	"fmt"
	"github.com/restatelint/restatelint/internal/fixapply"
	"github.com/restatelint/restatelint/internal/lsp/lsptest"
	"github.com/restatelint/restatelint/internal/lsp/protocol"
	"github.com/restatelint/restatelint/internal/testkit"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var binary string // the restatelint binary built by TestMain

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "restatelint-lsp-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "restatelint")
	if out, err := exec.Command("go", "build", "-o", binary, "../../cmd/restatelint").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building restatelint: %v\n%s", err, out)
		os.Exit(1)
	}
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = demoDir
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go mod download in the demo: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var demoDir = filepath.Join("..", "..", "testdata", "demo")

const timeout = 2 * time.Minute

// session is a running `restatelint lsp` with a client.
type session struct {
	*lsptest.Server
}

// start runs `restatelint lsp args...` and initializes it on root.
func start(t *testing.T, root string, initOptions any, args ...string) *session {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"lsp"}, args...)...)
	cmd.Dir = root
	s := &session{lsptest.Start(t, cmd)}
	var res protocol.InitializeResult
	s.Initialize(root, initOptions, &res)
	if res.Capabilities.PositionEncoding != "utf-16" || len(res.Capabilities.CodeActionProvider.CodeActionKinds) == 0 {
		t.Fatalf("capabilities: %+v", res.Capabilities)
	}
	return s
}

// stop shuts the server down and checks that it exits with status 0.
func (s *session) stop(t *testing.T) { s.Stop(t) }

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestEditorSession is the scripted editor session of issue 7:
// initialize, didOpen, diagnostics (the same as the command line's),
// codeAction, the fix's edit gives the golden file, didChange re-publishes
// without the fixed finding, the ignore action silences one,
// shutdown/exit.
func TestEditorSession(t *testing.T) {
	dir := testkit.CopyDir(t, demoDir)
	s := start(t, dir, nil)

	// didOpen: the diagnostics are the command line's.
	servicePath := filepath.Join(dir, "payment", "service.go")
	text := readFile(t, servicePath)
	uri := s.Open(servicePath, 1, text)
	pub, err := s.WaitDiagnostics(uri, timeout, lsptest.Version(1))
	if err != nil {
		t.Fatal(err)
	}
	want := lsptest.CLIFindings(t, binary, dir, "payment/service.go")
	if got := lsptest.Findings(text, pub.Diagnostics); !slices.Equal(got, want) {
		t.Errorf("published diagnostics differ from restatelint -json\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	sleep := findDiag(t, pub.Diagnostics, "walltime", 60)
	if sleep.Source != "restatelint" || sleep.CodeDescription == nil || !strings.Contains(sleep.CodeDescription.Href, "walltime") {
		t.Errorf("diagnostic without source or documentation link: %+v", sleep)
	}
	findDiag(t, pub.Diagnostics, "randomness", 47)

	// A file in another package: the call chain crosses packages.
	sagaPath := filepath.Join(dir, "order", "saga.go")
	sagaURI := s.Open(sagaPath, 1, readFile(t, sagaPath))
	sagaPub, err := s.WaitDiagnostics(sagaURI, timeout, lsptest.Version(1))
	if err != nil {
		t.Fatal(err)
	}
	if d := findDiag(t, sagaPub.Diagnostics, "walltime", 108); !strings.Contains(d.Message, "shipping.NewLabel → shipping.printedAt → time.Now") {
		t.Errorf("no call chain in %q", d.Message)
	}

	// codeAction: the fix, applied by the client, gives the golden file.
	var actions []protocol.CodeAction
	if err := s.Call("textDocument/codeAction", protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri},
		Range:        protocol.Range{Start: sleep.Range.Start, End: sleep.Range.Start},
		Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{sleep}},
	}, &actions); err != nil {
		t.Fatal(err)
	}
	fix := findAction(t, actions, "restate.Sleep")
	ignore := findAction(t, actions, "//restatelint:ignore")
	if fix.Kind != protocol.CodeActionKindQuickFix || !fix.IsPreferred || len(fix.Diagnostics) != 1 {
		t.Errorf("fix action: %+v", fix)
	}
	fixed := lsptest.ApplyEdits(text, fix.Edit.Changes[uri])
	golden(t, "testdata/service.go.fixed.golden", fixed)

	// didChange with the fixed text: re-published, the finding is gone.
	s.Change(uri, 2, protocol.TextDocumentContentChangeEvent{Text: fixed})
	pub, err = s.WaitDiagnostics(uri, timeout, lsptest.Version(2))
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(pub.Diagnostics, func(d protocol.Diagnostic) bool { return strings.HasPrefix(d.Message, "time.Sleep") }) {
		t.Errorf("the fixed time.Sleep is still reported: %v", pub.Diagnostics)
	}
	uuidDiag := findDiag(t, pub.Diagnostics, "randomness", 47)

	// The ignore action offered with the fix (against version 1) must
	// insert the directive above the time.Sleep line.
	if got := lsptest.ApplyEdits(text, ignore.Edit.Changes[uri]); !strings.Contains(got, "\t//restatelint:ignore walltime "+fixapply.IgnoreReason+"\n\ttime.Sleep(") {
		t.Errorf("ignore action edit:\n%s", got)
	}

	// Ignore the uuid finding of version 2, by an incremental change.
	if err := s.Call("textDocument/codeAction", protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri},
		Range:        uuidDiag.Range,
	}, &actions); err != nil {
		t.Fatal(err)
	}
	ignore = findAction(t, actions, "Ignore randomness")
	edits := ignore.Edit.Changes[uri]
	if len(edits) != 1 {
		t.Fatalf("ignore edits: %+v", edits)
	}
	s.Change(uri, 3, protocol.TextDocumentContentChangeEvent{Range: &edits[0].Range, Text: edits[0].NewText})
	pub, err = s.WaitDiagnostics(uri, timeout, lsptest.Version(3))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range pub.Diagnostics {
		if d.Code == "randomness" || d.Code == "ignoredirective" {
			t.Errorf("after the ignore action: %s: %s", d.Code, d.Message)
		}
	}

	// The file is saved: the saved content is what it analyzes.
	ignored := lsptest.ApplyEdits(fixed, edits)
	if err := os.WriteFile(servicePath, []byte(ignored), 0o644); err != nil {
		t.Fatal(err)
	}
	s.Notify("textDocument/didSave", protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}})
	s.Notify("textDocument/didClose", protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}})
	if _, err := s.WaitDiagnostics(uri, timeout, func(p protocol.PublishDiagnosticsParams) bool { return p.Version == nil && len(p.Diagnostics) == 0 }); err != nil {
		t.Errorf("didClose: %v", err)
	}
	s.stop(t)
}

// hasDiag reports whether diags has a finding of analyzer on line.
func hasDiag(diags []protocol.Diagnostic, analyzer string, line int) bool {
	for _, d := range diags {
		if d.Code == analyzer && int(d.Range.Start.Line)+1 == line {
			return true
		}
	}
	return false
}

func findDiag(t *testing.T, diags []protocol.Diagnostic, analyzer string, line int) protocol.Diagnostic {
	t.Helper()
	for _, d := range diags {
		if d.Code == analyzer && int(d.Range.Start.Line)+1 == line {
			return d
		}
	}
	t.Fatalf("no %s diagnostic on line %d in %+v", analyzer, line, diags)
	return protocol.Diagnostic{}
}

func findAction(t *testing.T, actions []protocol.CodeAction, title string) protocol.CodeAction {
	t.Helper()
	for _, a := range actions {
		if strings.Contains(a.Title, title) && a.Edit != nil {
			return a
		}
	}
	var titles []string
	for _, a := range actions {
		titles = append(titles, a.Title)
	}
	t.Fatalf("no code action %q among %q", title, titles)
	return protocol.CodeAction{}
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readFile(t, file)
	if got != want {
		t.Errorf("result differs from %s (rerun with -update to rewrite it)\ngot:\n%s", file, got)
	}
}

// TestNonASCII: columns are UTF-16 code units, in diagnostics and in the
// edits of code actions, and incremental changes are applied in UTF-16.
func TestNonASCII(t *testing.T) {
	dir := testkit.CopyDir(t, demoDir)
	s := start(t, dir, nil)
	path := filepath.Join(dir, "counter", "counter.go")
	text := readFile(t, path)
	uri := s.Open(path, 1, text)
	pub, err := s.WaitDiagnostics(uri, timeout, lsptest.Version(1))
	if err != nil {
		t.Fatal(err)
	}
	d := findDiag(t, pub.Diagnostics, "walltime", 77)
	if d.Range.Start.Character != 12 { // "\tentry.At = " is ASCII
		t.Fatalf("ASCII line: start %+v", d.Range.Start)
	}

	// Insert, incrementally, non-ASCII text before the call on line 77,
	// and a line of it above: é is 2 bytes/1 unit, 日本 3 bytes/1 unit
	// each, 🙂 4 bytes/2 units.
	const comment = "/* é日本🙂 */ "
	s.Change(uri, 2,
		protocol.TextDocumentContentChangeEvent{Range: &protocol.Range{Start: protocol.Position{Line: 76, Character: 12}, End: protocol.Position{Line: 76, Character: 12}}, Text: comment},
		protocol.TextDocumentContentChangeEvent{Range: &protocol.Range{Start: protocol.Position{Line: 76, Character: 0}, End: protocol.Position{Line: 76, Character: 0}}, Text: "\t// 🙂🙂 ünïcödé\n"},
	)
	pub, err = s.WaitDiagnostics(uri, timeout, lsptest.Version(2))
	if err != nil {
		t.Fatal(err)
	}
	d = findDiag(t, pub.Diagnostics, "walltime", 78)
	prefix := "\tentry.At = " + comment
	wantStart := uint32(len(utf16.Encode([]rune(prefix))))
	wantEnd := wantStart + uint32(len("time.Now()"))
	if d.Range.Start != (protocol.Position{Line: 77, Character: wantStart}) || d.Range.End != (protocol.Position{Line: 77, Character: wantEnd}) {
		t.Errorf("range %+v, want line 77 characters %d-%d (UTF-16), not bytes %d", d.Range, wantStart, wantEnd, len(prefix))
	}

	// The fix's edits are in UTF-16 too: applying them keeps the comment.
	var actions []protocol.CodeAction
	if err := s.Call("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Range: d.Range}, &actions); err != nil {
		t.Fatal(err)
	}
	current := lsptest.ApplyEdits(text, []protocol.TextEdit{
		{Range: protocol.Range{Start: protocol.Position{Line: 76, Character: 12}, End: protocol.Position{Line: 76, Character: 12}}, NewText: comment},
	})
	current = lsptest.ApplyEdits(current, []protocol.TextEdit{{Range: protocol.Range{Start: protocol.Position{Line: 76, Character: 0}, End: protocol.Position{Line: 76, Character: 0}}, NewText: "\t// 🙂🙂 ünïcödé\n"}})
	ignore := findAction(t, actions, "Ignore walltime")
	got := lsptest.ApplyEdits(current, ignore.Edit.Changes[uri])
	if !strings.Contains(got, "\t// 🙂🙂 ünïcödé\n\t//restatelint:ignore walltime "+fixapply.IgnoreReason+"\n\tentry.At = "+comment+"time.Now()") {
		t.Errorf("ignore edit misplaced:\n%s", got)
	}
	s.stop(t)
}

// workspace writes a service module that calls into a platform module,
// with a test file, an x_test file and a file behind a build tag. With
// work set, a go.work makes both main modules; otherwise the service
// requires the platform through a replace directive (a versioned
// dependency: out of scope unless -reach.scope names it).
func workspace(t *testing.T, work bool) (root string) {
	t.Helper()
	root = t.TempDir()
	demoMod := readFile(t, filepath.Join(demoDir, "go.mod"))
	demoSum := readFile(t, filepath.Join(demoDir, "go.sum"))
	gomod := strings.Replace(demoMod, "module example.com/demo", "module example.com/svc", 1) +
		"\nrequire example.com/platform v0.0.0\n\nreplace example.com/platform => ../platform\n"
	files := map[string]string{
		"platform/go.mod":         "module example.com/platform\n\ngo 1.26.0\n",
		"platform/clock/clock.go": "package clock\n\nimport \"time\"\n\n// Stamp is reached code in another module.\nfunc Stamp() time.Time { return now() }\n\nfunc now() time.Time { return time.Now() }\n",
		"svc/go.mod":              gomod,
		"svc/go.sum":              demoSum,
		"svc/handler.go": `package svc

import (
	restate "github.com/restatedev/sdk-go"

	"example.com/platform/clock"
)

func Handle(ctx restate.ObjectContext) error {
	restate.Set(ctx, "at", clock.Stamp())
	return nil
}
`,
		"svc/handler_test.go": `package svc

import (
	"testing"
	"time"

	restate "github.com/restatedev/sdk-go"
)

func testHandler(ctx restate.ObjectContext) error {
	restate.Set(ctx, "at", time.Now())
	return nil
}

func TestHandle(t *testing.T) { _ = testHandler }
`,
		"svc/x_test.go": `package svc_test

import (
	"testing"

	"example.com/svc"
)

func TestX(t *testing.T) { _ = svc.Handle }
`,
		"svc/tagged.go": `//go:build integration

package svc

import (
	"time"

	restate "github.com/restatedev/sdk-go"
)

func Tagged(ctx restate.ObjectContext) error {
	restate.Set(ctx, "at", time.Now())
	return nil
}
`,
	}
	if work {
		files["go.work"] = "go 1.26.0\n\nuse (\n\t./svc\n\t./platform\n)\n"
	}
	writeFiles(t, root, files)
	return root
}

const chain = "calls clock.Stamp → clock.now → time.Now"

// TestWorkspace: a go.work's modules are one view; the call chain crosses
// modules; an edit in the platform module re-publishes the open handler
// file of the other module; the test variant of the package does not
// duplicate diagnostics; a build-tagged file is quiet without the tag.
func TestWorkspace(t *testing.T) {
	root := workspace(t, true)
	s := start(t, root, nil, "-v")
	handler := filepath.Join(root, "svc", "handler.go")
	uri := s.Open(handler, 1, readFile(t, handler))
	pub, err := s.WaitDiagnostics(uri, timeout, lsptest.Version(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(pub.Diagnostics) != 1 || !strings.Contains(pub.Diagnostics[0].Message, chain) {
		t.Fatalf("want exactly one finding with the chain (the test variant must not duplicate it), got %+v", pub.Diagnostics)
	}

	testFile := filepath.Join(root, "svc", "handler_test.go")
	testURI := s.Open(testFile, 1, readFile(t, testFile))
	if pub, err = s.WaitDiagnostics(testURI, timeout, lsptest.Version(1)); err != nil {
		t.Fatal(err)
	}
	findDiag(t, pub.Diagnostics, "walltime", 11)

	tagged := filepath.Join(root, "svc", "tagged.go")
	taggedURI := s.Open(tagged, 1, readFile(t, tagged))
	if pub, err = s.WaitDiagnostics(taggedURI, timeout, lsptest.Version(1)); err != nil {
		t.Fatal(err)
	}
	if len(pub.Diagnostics) != 0 {
		t.Errorf("a file excluded by build constraints was analyzed: %+v", pub.Diagnostics)
	}

	// Edit the platform module: the handler in the other module, open,
	// is re-analyzed with the new facts and the finding goes away.
	clockFile := filepath.Join(root, "platform", "clock", "clock.go")
	clockText := readFile(t, clockFile)
	clockURI := s.Open(clockFile, 1, clockText)
	if _, err := s.WaitDiagnostics(clockURI, timeout, lsptest.Version(1)); err != nil {
		t.Fatal(err)
	}
	s.Change(clockURI, 2, protocol.TextDocumentContentChangeEvent{Text: strings.Replace(clockText, "return time.Now()", "return time.Time{}", 1)})
	if _, err := s.WaitDiagnostics(uri, timeout, func(p protocol.PublishDiagnosticsParams) bool { return len(p.Diagnostics) == 0 }); err != nil {
		t.Fatalf("the handler was not re-analyzed after its callee changed: %v", err)
	}
	// And back.
	s.Change(clockURI, 3, protocol.TextDocumentContentChangeEvent{Text: clockText})
	if _, err := s.WaitDiagnostics(uri, timeout, func(p protocol.PublishDiagnosticsParams) bool {
		return len(p.Diagnostics) == 1 && strings.Contains(p.Diagnostics[0].Message, chain)
	}); err != nil {
		t.Fatal(err)
	}

	// An import of a package that no source package imported: the view
	// has no complete types for it (crypto/rand), and one that is new
	// altogether (a typo), which must not stop the analysis.
	text := readFile(t, handler)
	edited := strings.Replace(text, "\t\"example.com/platform/clock\"\n", "\t\"example.com/platform/clock\"\n\t\"crypto/rand\"\n\t\"example.com/nosuch\"\n", 1)
	edited = strings.Replace(edited, "\t\"crypto/rand\"\n", "\t\"crypto/rand\"\n\t\"index/suffixarray\"\n", 1)
	edited = strings.Replace(edited, "\treturn nil\n", "\trestate.Set(ctx, \"n\", rand.Text())\n\tnosuch.X()\n\t_ = suffixarray.New(nil)\n\treturn nil\n", 1)
	s.Change(uri, 2, protocol.TextDocumentContentChangeEvent{Text: edited})
	if pub, err = s.WaitDiagnostics(uri, timeout, lsptest.Version(2)); err != nil {
		t.Fatal(err)
	}
	findDiag(t, pub.Diagnostics, "randomness", 14)
	findDiag(t, pub.Diagnostics, "walltime", 13)
	if log, ok := s.WaitStderr(`import "index/suffixarray": read`, timeout); !ok || strings.Contains(log, "reloading") {
		t.Errorf("new imports were not read from export data, or reloaded the view:\n%s", log)
	}
	// A file created after the load: the view is reloaded.
	extra := filepath.Join(root, "svc", "extra.go")
	extraText := "package svc\n\nimport (\n\t\"time\"\n\n\trestate \"github.com/restatedev/sdk-go\"\n)\n\nfunc Extra(ctx restate.Context) error {\n\t_, err := restate.Service[string](ctx, \"Audit\", \"Record\").Request(time.Now().String())\n\treturn err\n}\n"
	writeFiles(t, root, map[string]string{"svc/extra.go": extraText})
	s.Notify("workspace/didChangeWatchedFiles", protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: protocol.PathToURI(extra), Type: protocol.FileCreated}}})
	extraURI := s.Open(extra, 1, extraText)
	// The open may be answered before the reload the watched-file event
	// asks for (the file is in no package yet: no diagnostics); what
	// matters is that the finding arrives.
	if pub, err = s.WaitDiagnostics(extraURI, timeout, func(p protocol.PublishDiagnosticsParams) bool {
		return lsptest.Version(1)(p) && hasDiag(p.Diagnostics, "walltime", 10)
	}); err != nil {
		t.Fatalf("no walltime finding on line 10 of the new file: %v", err)
	}
	s.stop(t)
}

// TestConfiguration: build tags, analyzer selection and analyzer options
// come from the command line after "lsp" or from initializationOptions,
// with the command line's spelling; several modules without a go.work
// are separate views.
func TestConfiguration(t *testing.T) {
	root := workspace(t, false)
	handler := filepath.Join(root, "svc", "handler.go")
	tagged := filepath.Join(root, "svc", "tagged.go")
	clockFile := filepath.Join(root, "platform", "clock", "clock.go")

	// No configuration: the platform module is replaced by a local
	// directory, so it is the team's own code and analyzed from source
	// (rules.md, "What is analyzed from source"), as the command line
	// does; the tagged file is excluded.
	s := start(t, root, nil)
	uri := s.Open(handler, 1, readFile(t, handler))
	taggedURI := s.Open(tagged, 1, readFile(t, tagged))
	clockURI := s.Open(clockFile, 1, readFile(t, clockFile)) // another module: another view
	for _, u := range []protocol.DocumentURI{uri, taggedURI, clockURI} {
		pub, err := s.WaitDiagnostics(u, timeout, lsptest.Version(1))
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if u == uri {
			want = 1 // the chain into the locally replaced module
		}
		if len(pub.Diagnostics) != want || want == 1 && !strings.Contains(pub.Diagnostics[0].Message, chain) {
			t.Errorf("%s: want %d finding(s), got %+v", u, want, pub.Diagnostics)
		}
	}
	s.stop(t)

	// initializationOptions: scope and tags.
	s = start(t, root, map[string]any{"flags": map[string]any{"reach.scope": "example.com/platform", "tags": "integration", "v": true}})
	uri = s.Open(handler, 1, readFile(t, handler))
	taggedURI = s.Open(tagged, 1, readFile(t, tagged))
	pub, err := s.WaitDiagnostics(uri, timeout, lsptest.Version(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(pub.Diagnostics) != 1 || !strings.Contains(pub.Diagnostics[0].Message, chain) {
		t.Errorf("with reach.scope: %+v", pub.Diagnostics)
	}
	if pub, err = s.WaitDiagnostics(taggedURI, timeout, lsptest.Version(1)); err != nil {
		t.Fatal(err)
	}
	findDiag(t, pub.Diagnostics, "walltime", 12)
	s.stop(t)

	// Command-line flags: the same options, and -walltime=false.
	s = start(t, root, nil, "-reach.scope=example.com/platform", "-tags=integration", "-walltime=false")
	taggedURI = s.Open(tagged, 1, readFile(t, tagged))
	if pub, err = s.WaitDiagnostics(taggedURI, timeout, lsptest.Version(1)); err != nil {
		t.Fatal(err)
	}
	if len(pub.Diagnostics) != 0 {
		t.Errorf("-walltime=false: %+v", pub.Diagnostics)
	}
	s.stop(t)

	// A bad flag fails initialize, as it fails the command line.
	cmd := exec.Command(binary, "lsp", "-reach.scope=example.com/*")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "invalid path prefix") {
		t.Errorf("bad flag: %v\n%s", err, out)
	}
}

// TestNoTests: with -test=false a test file is not analyzed, and opening
// it does not reload the view.
func TestNoTests(t *testing.T) {
	root := workspace(t, true)
	s := start(t, root, nil, "-test=false", "-v")
	testFile := filepath.Join(root, "svc", "handler_test.go")
	uri := s.Open(testFile, 1, readFile(t, testFile))
	pub, err := s.WaitDiagnostics(uri, timeout, lsptest.Version(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(pub.Diagnostics) != 0 {
		t.Errorf("-test=false: %+v", pub.Diagnostics)
	}
	s.Notify("textDocument/didSave", protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}})
	handler := filepath.Join(root, "svc", "handler.go")
	huri := s.Open(handler, 1, readFile(t, handler))
	if _, err := s.WaitDiagnostics(huri, timeout, lsptest.Version(1)); err != nil {
		t.Fatal(err)
	}
	if log := s.Stderr.String(); strings.Count(log, "loaded ") != 1 || strings.Contains(log, "reloading") {
		t.Errorf("the view was reloaded:\n%s", log)
	}
	s.stop(t)
}

// TestWholeProgramDeadlock: two objects in packages that never import
// each other call each other by name (the whole-program step's own
// fixture). No package's own analysis sees the cycle; the server's
// whole-program step reports the call in each file.
func TestWholeProgramDeadlock(t *testing.T) {
	root, _ := testkit.FixtureModule(t, "../../testdata/wholeprogram/cycle.txtar", "")
	want := make(map[string][]int) // file -> lines marked "want: cycle"
	for _, m := range testkit.Marked(t, root, "// want: cycle") {
		file, line, _ := strings.Cut(m, ":")
		n, _ := strconv.Atoi(line)
		want[file] = append(want[file], n)
	}
	if len(want) != 2 {
		t.Fatalf("the fixture marks calls in %d files, want 2", len(want))
	}
	s := start(t, root, nil)
	for _, file := range slices.Sorted(maps.Keys(want)) {
		path := filepath.Join(root, filepath.FromSlash(file))
		uri := s.Open(path, 1, readFile(t, path))
		pub, err := s.WaitDiagnostics(uri, timeout, lsptest.Version(1))
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, d := range pub.Diagnostics {
			if d.Code != "deadlock" {
				continue
			}
			got = append(got, int(d.Range.Start.Line)+1)
			if !strings.Contains(d.Message, "(Cart.Checkout → Stock.Reserve → Cart.Confirm)") && !strings.Contains(d.Message, "(Cart.Release → Stock.Return → Cart.Confirm)") {
				t.Errorf("%s: message does not name the cycle: %s", file, d.Message)
			}
		}
		slices.Sort(got)
		slices.Sort(want[file])
		if !slices.Equal(got, want[file]) {
			t.Errorf("%s: deadlock diagnostics on lines %v, want %v", file, got, want[file])
		}
	}
}

// TestConfigFile: the restatelint.toml of the view's module turns a rule
// off and adds a sink; an edit of the file (announced by
// didChangeWatchedFiles) re-analyzes; a bad key fails the load with the
// file and line, as it fails the command line.
func TestConfigFile(t *testing.T) {
	root := workspace(t, false)
	config := filepath.Join(root, "svc", "restatelint.toml")
	writeFiles(t, root, map[string]string{"svc/restatelint.toml": "walltime = false\n\n[sideeffect]\nsinks = [\"example.com/platform/clock.Stamp\"]\n"})
	handler := filepath.Join(root, "svc", "handler.go")
	s := start(t, root, nil, "-v")
	uri := s.Open(handler, 1, readFile(t, handler))
	pub, err := s.WaitDiagnostics(uri, timeout, lsptest.Version(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(pub.Diagnostics) != 1 || !strings.Contains(pub.Diagnostics[0].Message, "clock.Stamp is external I/O (configured in sideeffect.sinks)") {
		t.Errorf("with the file: want only the configured sink, got %+v", pub.Diagnostics)
	}

	changed := func(content string) {
		t.Helper()
		writeFiles(t, root, map[string]string{"svc/restatelint.toml": content})
		s.Notify("workspace/didChangeWatchedFiles", protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: protocol.PathToURI(config), Type: protocol.FileChanged}}})
	}
	changed("walltime = true\n")
	pub, err = s.WaitDiagnostics(uri, timeout, func(p protocol.PublishDiagnosticsParams) bool {
		return len(p.Diagnostics) == 1 && strings.Contains(p.Diagnostics[0].Message, chain)
	})
	if err != nil {
		t.Fatalf("after editing the file: %v", err)
	}
	if pub.Diagnostics[0].Code != "walltime" {
		t.Errorf("want the walltime chain, got %+v", pub.Diagnostics)
	}

	changed("walltime = true\n[sideeffect]\nsink = []\n")
	if log, ok := s.WaitStderr(`restatelint.toml:3: unknown key "sideeffect.sink"`, timeout); !ok {
		t.Fatalf("no error naming the file and line:\n%s", log)
	}
	s.stop(t)
}
