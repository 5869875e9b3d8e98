package protocol

import (
	"net/url"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Mapper converts between byte offsets of a file's content (what go/token
// positions are) and LSP positions, whose character is counted in UTF-16
// code units: "é" is one unit and two bytes, "🙂" two units and four bytes.
type Mapper struct {
	content    []byte
	lineStarts []int // byte offset of the start of each line
}

func NewMapper(content []byte) *Mapper {
	m := &Mapper{content: content, lineStarts: []int{0}}
	for i, b := range content {
		if b == '\n' {
			m.lineStarts = append(m.lineStarts, i+1)
		}
	}
	return m
}

// LineStart returns the byte offset at which the zero-based line starts,
// or the content's length for a line past the end.
func (m *Mapper) LineStart(line int) int {
	if line < 0 || line >= len(m.lineStarts) {
		return len(m.content)
	}
	return m.lineStarts[line]
}

// Position returns the LSP position of a byte offset (clamped to the
// content). An offset inside a multi-byte character counts the whole
// character before it.
func (m *Mapper) Position(offset int) Position {
	offset = max(0, min(offset, len(m.content)))
	line := sort.Search(len(m.lineStarts), func(i int) bool { return m.lineStarts[i] > offset }) - 1
	units := 0
	for s := m.content[m.lineStarts[line]:offset]; len(s) > 0; {
		r, size := utf8.DecodeRune(s)
		if r == utf8.RuneError && size <= 1 {
			units++ // an invalid byte: one unit, like a replacement character
		} else {
			units += utf16.RuneLen(r)
		}
		s = s[size:]
	}
	return Position{Line: uint32(line), Character: uint32(units)}
}

// Offset returns the byte offset of an LSP position. A character beyond
// the end of the line means the end of the line (before its newline), as
// the specification asks; a line beyond the last means the end of the
// content.
func (m *Mapper) Offset(p Position) int {
	if int(p.Line) >= len(m.lineStarts) {
		return len(m.content)
	}
	start := m.lineStarts[p.Line]
	end := len(m.content)
	if int(p.Line)+1 < len(m.lineStarts) {
		end = m.lineStarts[p.Line+1] - 1 // the newline
	}
	off, units := start, 0
	for off < end && units < int(p.Character) {
		r, size := utf8.DecodeRune(m.content[off:end])
		if r == utf8.RuneError && size <= 1 {
			units++
		} else {
			units += utf16.RuneLen(r)
		}
		off += size
	}
	return off
}

func (m *Mapper) RangeOf(start, end int) Range {
	return Range{Start: m.Position(start), End: m.Position(end)}
}

// ApplyChanges applies didChange content changes to text.
func ApplyChanges(text []byte, changes []TextDocumentContentChangeEvent) []byte {
	for _, c := range changes {
		if c.Range == nil {
			text = []byte(c.Text)
			continue
		}
		m := NewMapper(text)
		start, end := m.Offset(c.Range.Start), m.Offset(c.Range.End)
		if end < start {
			start, end = end, start
		}
		next := make([]byte, 0, len(text)-(end-start)+len(c.Text))
		next = append(next, text[:start]...)
		next = append(next, c.Text...)
		next = append(next, text[end:]...)
		text = next
	}
	return text
}

// URIToPath converts a file: URI to a clean absolute file name; it returns
// "" for other schemes.
func URIToPath(uri DocumentURI) string {
	u, err := url.Parse(string(uri))
	if err != nil || u.Scheme != "file" {
		return ""
	}
	p := u.Path
	if runtime.GOOS == "windows" {
		p = strings.TrimPrefix(p, "/") // file:///C:/x → C:/x
	}
	return filepath.Clean(filepath.FromSlash(p))
}

// PathToURI converts an absolute file name to a file: URI.
func PathToURI(path string) DocumentURI {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x → /C:/x
	}
	return DocumentURI((&url.URL{Scheme: "file", Path: p}).String())
}
