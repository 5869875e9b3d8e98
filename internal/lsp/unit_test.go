package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/driver"
)

// TestMapper: byte offsets and UTF-16 positions round-trip, for ASCII,
// 2-, 3- and 4-byte characters, at line ends and past them.
func TestMapper(t *testing.T) {
	text := "ab\n\té日🙂x\n\nlast"
	m := newMapper([]byte(text))
	for off := 0; off <= len(text); off++ {
		if !utf8Boundary(text, off) {
			continue
		}
		p := m.position(off)
		start := strings.LastIndex(text[:off], "\n") + 1
		want := len(utf16.Encode([]rune(text[start:off])))
		if int(p.Line) != strings.Count(text[:off], "\n") || int(p.Character) != want {
			t.Errorf("offset %d: %+v, want character %d", off, p, want)
		}
		if back := m.offset(p); back != off {
			t.Errorf("offset %d -> %+v -> %d", off, p, back)
		}
	}
	if got := m.offset(Position{Line: 1, Character: 99}); got != strings.Index(text, "x")+1 {
		t.Errorf("past the end of line 1: %d", got)
	}
	if got := m.offset(Position{Line: 9}); got != len(text) {
		t.Errorf("past the last line: %d", got)
	}
	// 🙂 is two UTF-16 units: character 4 of line 1 is after it.
	if got := m.offset(Position{Line: 1, Character: 5}); text[got:got+1] != "x" {
		t.Errorf("after the emoji: offset %d", got)
	}
}

func utf8Boundary(s string, off int) bool {
	return off == len(s) || off < len(s) && (s[off]&0xC0) != 0x80
}

func TestApplyChanges(t *testing.T) {
	text := []byte("héllo\nwörld\n")
	got := applyChanges(text, []TextDocumentContentChangeEvent{
		{Range: &Range{Start: Position{1, 1}, End: Position{1, 2}}, Text: "o"},
		{Range: &Range{Start: Position{0, 5}, End: Position{0, 5}}, Text: ", 🙂"},
		{Range: &Range{Start: Position{0, 8}, End: Position{0, 8}}, Text: "!"},
	})
	if want := "héllo, 🙂!\nworld\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := applyChanges(text, []TextDocumentContentChangeEvent{{Text: "new"}}); string(got) != "new" {
		t.Errorf("full replacement: %q", got)
	}
}

func TestURIs(t *testing.T) {
	for _, path := range []string{"/tmp/a b/c.go", "/x/ü/%.go"} {
		uri := pathToURI(path)
		if back := uriToPath(uri); back != path {
			t.Errorf("%s -> %s -> %s", path, uri, back)
		}
	}
	if uriToPath("untitled:Untitled-1") != "" {
		t.Errorf("non-file URI accepted")
	}
}

func TestDiffEdits(t *testing.T) {
	a := "package p\n\nimport \"fmt\"\n\nfunc f() {\n\tfmt.Println()\n\tx()\n}\n"
	b := "package p\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\nfunc f() {\n\tfmt.Println()\n\ty(time.Now())\n}\n"
	edits := diffEdits([]byte(a), []byte(b), newMapper([]byte(a)))
	if got := applyEdits(a, edits); got != b {
		t.Errorf("edits %+v give\n%s", edits, got)
	}
	if len(edits) != 2 {
		t.Errorf("want 2 separate hunks, got %+v", edits)
	}
}

func TestIgnoreEdit(t *testing.T) {
	src := "func f() {\n\t//restatelint:ignore walltime the clock is only logged\n\tx := time.Now()\n\ty := rand.Int()\n}\n"
	m := newMapper([]byte(src))
	at := strings.Index(src, "time.Now")
	if got := applyEdits(src, []TextEdit{ignoreEdit([]byte(src), m, at, "randomness")}); !strings.Contains(got, "//restatelint:ignore walltime,randomness the clock") {
		t.Errorf("not added to the existing directive:\n%s", got)
	}
	at = strings.Index(src, "rand.Int")
	if got := applyEdits(src, []TextEdit{ignoreEdit([]byte(src), m, at, "randomness")}); !strings.Contains(got, "\t//restatelint:ignore randomness "+ignoreReason+"\n\ty := rand.Int()") {
		t.Errorf("directive not inserted above:\n%s", got)
	}
}

// TestProtocolErrors: framing, requests before initialize, unknown
// methods, invalid initializationOptions, exit without shutdown.
func TestProtocolErrors(t *testing.T) {
	var in bytes.Buffer
	w := &writer{w: &in}
	w.request(1, "textDocument/codeAction", map[string]any{})
	w.request(2, "initialize", map[string]any{"initializationOptions": map[string]any{"flags": []string{"-nosuch"}}})
	w.request(3, "initialize", map[string]any{"initializationOptions": map[string]any{"flags": []string{"-walltime=false"}}})
	w.request(4, "workspace/symbol", map[string]any{})
	in.WriteString("Content-Length: 5\r\n\r\n{nope")
	w.notify("exit", nil)
	var out bytes.Buffer
	s, err := configure(driver.Options{}, nil, all.Analyzers(), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if code := s.serve(&in); code != 1 {
		t.Errorf("exit without shutdown: code %d, want 1", code)
	}
	r := bufio.NewReader(&out)
	want := map[string]int{"1": codeServerNotInitialized, "2": codeInvalidParams, "3": 0, "4": codeMethodNotFound, "null": codeParseError}
	for range want {
		msg, err := readMessage(r)
		if err != nil {
			t.Fatal(err)
		}
		id := "null"
		if msg.ID != nil {
			id = string(*msg.ID)
		}
		code := 0
		if msg.Error != nil {
			code = msg.Error.Code
		}
		if code != want[id] {
			t.Errorf("response %s: error %+v, want code %d", id, msg.Error, want[id])
		}
		if id == "3" {
			var res InitializeResult
			if err := json.Unmarshal(msg.Result, &res); err != nil || res.Capabilities.TextDocumentSync.Change != SyncIncremental {
				t.Errorf("initialize result %s: %v", msg.Result, err)
			}
		}
	}
}
