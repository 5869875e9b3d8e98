package protocol

import (
	"strings"
	"testing"
	"unicode/utf16"
)

// TestMapper: byte offsets and UTF-16 positions round-trip, for ASCII,
// 2-, 3- and 4-byte characters, at line ends and past them.
func TestMapper(t *testing.T) {
	text := "ab\n\té日🙂x\n\nlast"
	m := NewMapper([]byte(text))
	for off := 0; off <= len(text); off++ {
		if !utf8Boundary(text, off) {
			continue
		}
		p := m.Position(off)
		start := strings.LastIndex(text[:off], "\n") + 1
		want := len(utf16.Encode([]rune(text[start:off])))
		if int(p.Line) != strings.Count(text[:off], "\n") || int(p.Character) != want {
			t.Errorf("offset %d: %+v, want character %d", off, p, want)
		}
		if back := m.Offset(p); back != off {
			t.Errorf("offset %d -> %+v -> %d", off, p, back)
		}
	}
	if got := m.Offset(Position{Line: 1, Character: 99}); got != strings.Index(text, "x")+1 {
		t.Errorf("past the end of line 1: %d", got)
	}
	if got := m.Offset(Position{Line: 9}); got != len(text) {
		t.Errorf("past the last line: %d", got)
	}
	// 🙂 is two UTF-16 units: character 4 of line 1 is after it.
	if got := m.Offset(Position{Line: 1, Character: 5}); text[got:got+1] != "x" {
		t.Errorf("after the emoji: offset %d", got)
	}
}

func utf8Boundary(s string, off int) bool {
	return off == len(s) || off < len(s) && (s[off]&0xC0) != 0x80
}

func TestApplyChanges(t *testing.T) {
	text := []byte("héllo\nwörld\n")
	got := ApplyChanges(text, []TextDocumentContentChangeEvent{
		{Range: &Range{Start: Position{Line: 1, Character: 1}, End: Position{Line: 1, Character: 2}}, Text: "o"},
		{Range: &Range{Start: Position{Line: 0, Character: 5}, End: Position{Line: 0, Character: 5}}, Text: ", 🙂"},
		{Range: &Range{Start: Position{Line: 0, Character: 8}, End: Position{Line: 0, Character: 8}}, Text: "!"},
	})
	if want := "héllo, 🙂!\nworld\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := ApplyChanges(text, []TextDocumentContentChangeEvent{{Text: "new"}}); string(got) != "new" {
		t.Errorf("full replacement: %q", got)
	}
}

func TestURIs(t *testing.T) {
	for _, path := range []string{"/tmp/a b/c.go", "/x/ü/%.go"} {
		uri := PathToURI(path)
		if back := URIToPath(uri); back != path {
			t.Errorf("%s -> %s -> %s", path, uri, back)
		}
	}
	if URIToPath("untitled:Untitled-1") != "" {
		t.Errorf("non-file URI accepted")
	}
}
