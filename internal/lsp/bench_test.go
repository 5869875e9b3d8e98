package lsp

// Editor latency benchmarks: a server runs in process (over pipes, with
// the real analyzers), a file is opened, and each iteration is one edit of
// it: didChange, then the wait for the diagnostics of that version. The
// time per op is what the user waits for, debounce included; the
// "analysis-ms" metric is the server's own re-analysis time (re-parse,
// re-type-check, re-analyze, publish), and "pkgs/op" the number of
// packages re-checked.
//
//	go test ./internal/lsp -run '^$' -bench Edit -benchtime 20x
//
// BenchmarkEditBench generates the ~400-package bench module with
// bench/gen (into $TMPDIR/restatelint-lsp-bench; the first run builds
// its export data, which takes a minute or two).

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/analyzers/reach"
	"github.com/restatelint/restatelint/internal/driver"
	"github.com/restatelint/restatelint/internal/lsp/lsptest"
	"github.com/restatelint/restatelint/internal/lsp/protocol"
	"github.com/restatelint/restatelint/internal/testkit"
)

// inProcess starts a server on pipes and initializes it on root.
func inProcess(tb testing.TB, root string, args ...string) (*server, *lsptest.Client) {
	tb.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	opts := driver.Options{SourceDeps: func(p *packages.Package) bool {
		return reach.AnalyzedFromSource(p.PkgPath, driver.OwnModule(p))
	}}
	s, err := configure(opts, args, all.Analyzers(), outW, io.Discard)
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		s.serve(inR)
		close(done)
	}()
	c := lsptest.NewClient(tb, outR, inW)
	tb.Cleanup(func() {
		c.Call("shutdown", nil, nil)
		c.Notify("exit", nil)
		<-done
		inW.Close()
		outW.Close()
	})
	c.Initialize(root, nil, nil)
	return s, c
}

// handlerLine matches the first line of a handler's body.
var handlerLine = regexp.MustCompile(`(?m)^func .*\(ctx restate\.\w*Context[,)].*\{\n`)

// benchEdits opens file in a server on root and times edits that insert
// a statement into its first handler.
func benchEdits(b *testing.B, root, file string) {
	text, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	loc := handlerLine.FindIndex(text)
	if loc == nil {
		b.Fatalf("no handler in %s", file)
	}
	start := time.Now()
	s, c := inProcess(b, root)
	uri := c.Open(file, 1, string(text))
	if _, err := c.WaitDiagnostics(uri, 10*time.Minute, lsptest.Version(1)); err != nil {
		b.Fatal(err)
	}
	firstLoad := time.Since(start)
	var analysis time.Duration
	var pkgs int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := int32(i + 2)
		edited := fmt.Sprintf("%s\tvar _ = %d\n%s", text[:loc[1]], i, text[loc[1]:])
		c.Change(uri, v, protocol.TextDocumentContentChangeEvent{Text: edited})
		if _, err := c.WaitDiagnostics(uri, time.Minute, lsptest.Version(v)); err != nil {
			b.Fatal(err)
		}
		s.mu.Lock()
		analysis += s.stats.elapsed
		pkgs += s.stats.rechecked
		s.mu.Unlock()
	}
	b.StopTimer()
	b.ReportMetric(firstLoad.Seconds(), "first-load-s")
	b.ReportMetric(float64(analysis.Microseconds())/1000/float64(b.N), "analysis-ms")
	b.ReportMetric(float64(pkgs)/float64(b.N), "pkgs/op")
}

// BenchmarkEditDemo: one-file edits of a handler in the demo module.
func BenchmarkEditDemo(b *testing.B) {
	dir := testkit.CopyDir(b, demoDir)
	benchEdits(b, dir, filepath.Join(dir, "payment", "service.go"))
}

// BenchmarkEditBench: one-file edits of a handler in the generated
// ~400-package, ~170k-line bench module.
func BenchmarkEditBench(b *testing.B) {
	dir := benchModule(b)
	file := filepath.Join(dir, "internal", "services", "vehiclesvc", "service.go")
	if _, err := os.Stat(file); err != nil {
		b.Skipf("bench/gen no longer writes %s: %v", file, err)
	}
	benchEdits(b, dir, file)
}

// benchModule generates the bench module once per machine (bench/gen is
// deterministic; a fixed directory keeps the go build cache warm).
func benchModule(b *testing.B) string {
	dir := filepath.Join(os.TempDir(), "restatelint-lsp-bench")
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		cmd := exec.Command("go", "run", "./bench/gen", "-dir", dir)
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Skipf("bench/gen: %v\n%s", err, out)
		}
		cmd = exec.Command("go", "mod", "download")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Skipf("go mod download: %v\n%s", err, out)
		}
	}
	return dir
}

// BenchmarkEditBenchShared: edits of a platform package that 382 of the
// bench module's 400 packages import, with a handler file open that
// depends on it. The time per op runs until the open handler file is
// re-published (its packages re-checked against the edited one, with
// everything between them); "edited-ms" is when the edited file's own
// diagnostics arrived.
func BenchmarkEditBenchShared(b *testing.B) {
	dir := benchModule(b)
	shared := filepath.Join(dir, "internal", "platform", "config", "config.go")
	handler := filepath.Join(dir, "internal", "services", "vehiclesvc", "service.go")
	text, err := os.ReadFile(shared)
	if err != nil {
		b.Skipf("bench/gen no longer writes %s: %v", shared, err)
	}
	handlerText, err := os.ReadFile(handler)
	if err != nil {
		b.Skipf("bench/gen no longer writes %s: %v", handler, err)
	}
	s, c := inProcess(b, dir)
	uri := c.Open(shared, 1, string(text))
	huri := c.Open(handler, 1, string(handlerText))
	for _, u := range []protocol.DocumentURI{uri, huri} {
		if _, err := c.WaitDiagnostics(u, 10*time.Minute, lsptest.Version(1)); err != nil {
			b.Fatal(err)
		}
	}
	var edited time.Duration
	s.mu.Lock()
	before := s.rechecked
	s.mu.Unlock()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := int32(i + 2)
		published := c.Publications(huri)
		start := time.Now()
		c.Change(uri, v, protocol.TextDocumentContentChangeEvent{Text: fmt.Sprintf("%s\n// Edit%d is new.\nfunc Edit%d() {}\n", text, i, i)})
		if _, err := c.WaitDiagnostics(uri, time.Minute, lsptest.Version(v)); err != nil {
			b.Fatal(err)
		}
		edited += time.Since(start)
		if _, err := c.WaitDiagnostics(huri, time.Minute, func(protocol.PublishDiagnosticsParams) bool { return c.Publications(huri) > published }); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	s.mu.Lock()
	pkgs := s.rechecked - before
	s.mu.Unlock()
	b.ReportMetric(float64(edited.Microseconds())/1000/float64(b.N), "edited-ms")
	b.ReportMetric(float64(pkgs)/float64(b.N), "pkgs/op")
}
