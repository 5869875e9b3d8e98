// Package configfile reads restatelint's project configuration file,
// restatelint.toml: the keys of docs/configuration.md in a small subset of
// TOML, found upward from a package's directory.
//
//	# restatelint.toml
//	memstate = false                  # <analyzer> = true | false
//
//	[reach]
//	scope = ["example.com/platform"]  # <analyzer>.<option>
//
//	[sideeffect]
//	sinks = ["example.com/pay.Client.Charge"]
//
// The subset: comments, bare (or double-quoted) keys, dotted keys
// (reach.scope = ...), one level of [table] headers, and values that are
// strings (basic "..." with escapes, or literal '...'), booleans,
// integers, or arrays of strings (which may span lines). Anything else is
// an error naming the file and line. Values are turned into flag syntax (a
// list joined with commas) for the code that checks them against the
// analyzers' options, so a key means in the file what it means on the
// command line.
//
// The parser is written here rather than taken from a TOML library: every
// key must carry its line for the error messages, and a new dependency
// would land in every custom golangci-lint, gopls and Bazel build that
// links restatelint.
package configfile

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Name is the file's name.
const Name = "restatelint.toml"

// An Entry is one key of the file and its value in flag syntax.
type Entry struct {
	Key   string // "walltime", "reach.scope"
	Value string // flag syntax: "false", "example.com/a,example.com/b"
	Line  int
}

// A File is a parsed configuration file.
type File struct {
	Path    string
	Entries []Entry
}

// Errorf returns an error naming the file and line, as compilers do.
func (f *File) Errorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", f.Path, line, fmt.Sprintf(format, args...))
}

// Lookup returns the entry for key, if the file sets it.
func (f *File) Lookup(key string) (Entry, bool) {
	if f == nil {
		return Entry{}, false
	}
	for _, e := range f.Entries {
		if e.Key == key {
			return e, true
		}
	}
	return Entry{}, false
}

// Parse parses the contents of the file at path (named in errors).
func Parse(path string, src []byte) (*File, error) {
	f := &File{Path: path}
	if !utf8.Valid(src) {
		return nil, fmt.Errorf("%s: not UTF-8 text", path)
	}
	p := &parser{file: f, lines: strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")}
	seen := make(map[string]int)
	table := ""
	for p.next() {
		line := strings.TrimSpace(stripComment(p.text))
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if strings.HasPrefix(line, "[[") {
				return nil, f.Errorf(p.n, "arrays of tables ([[...]]) are not supported")
			}
			if !strings.HasSuffix(line, "]") {
				return nil, f.Errorf(p.n, "malformed table header %q", line)
			}
			name, err := parseKey(strings.TrimSpace(line[1 : len(line)-1]))
			if err != nil {
				return nil, f.Errorf(p.n, "%v", err)
			}
			if strings.Contains(name, ".") {
				return nil, f.Errorf(p.n, "table [%s]: tables are analyzer names ([reach], [sideeffect]); nested tables are not supported", name)
			}
			if prev, ok := seen["["+name+"]"]; ok {
				return nil, f.Errorf(p.n, "table [%s] is defined twice (first on line %d)", name, prev)
			}
			seen["["+name+"]"] = p.n
			table = name
			continue
		}
		rawKey, rest, ok := strings.Cut(line, "=")
		if !ok {
			return nil, f.Errorf(p.n, "want key = value, got %q", line)
		}
		key, err := parseKey(strings.TrimSpace(rawKey))
		if err != nil {
			return nil, f.Errorf(p.n, "%v", err)
		}
		if table != "" {
			key = table + "." + key
		}
		start := p.n
		value, err := p.value(strings.TrimSpace(rest))
		if err == errUnterminated {
			return nil, f.Errorf(start, "%s: %v", key, err)
		} else if err != nil {
			return nil, f.Errorf(p.n, "%s: %v", key, err)
		}
		if prev, ok := seen[key]; ok {
			return nil, f.Errorf(start, "%s is set twice (first on line %d)", key, prev)
		}
		seen[key] = start
		f.Entries = append(f.Entries, Entry{Key: key, Value: value, Line: start})
	}
	return f, nil
}

var errUnterminated = errors.New("unterminated array (no closing ']')")

type parser struct {
	file  *File
	lines []string
	n     int // 1-based number of the current line
	text  string
}

func (p *parser) next() bool {
	if p.n >= len(p.lines) {
		return false
	}
	p.text = p.lines[p.n]
	p.n++
	return true
}

// parseKey parses a bare, quoted or dotted key.
func parseKey(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("missing key")
	}
	var parts []string
	for _, part := range strings.Split(s, ".") {
		part = strings.TrimSpace(part)
		if strings.HasPrefix(part, `"`) {
			u, err := strconv.Unquote(part)
			if err != nil {
				return "", fmt.Errorf("malformed quoted key %s", part)
			}
			part = u
		} else if part == "" || strings.IndexFunc(part, func(r rune) bool {
			return !(r == '_' || r == '-' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
		}) >= 0 {
			return "", fmt.Errorf("malformed key %q", s)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "."), nil
}

// value parses the value starting with s (an array may continue on the
// following lines) and returns it in flag syntax.
func (p *parser) value(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("missing value")
	}
	if strings.HasPrefix(s, "[") {
		return p.array(s[1:])
	}
	v, rest, err := scalar(s)
	if err != nil {
		return "", err
	}
	if rest = strings.TrimSpace(stripComment(rest)); rest != "" {
		return "", fmt.Errorf("unexpected %q after the value", rest)
	}
	return v, nil
}

// array parses the rest of an array of strings, reading more lines as
// needed.
func (p *parser) array(s string) (string, error) {
	var items []string
	needComma := false
	for {
		s = strings.TrimSpace(stripComment(s))
		switch {
		case s == "":
			if !p.next() {
				return "", errUnterminated
			}
			s = p.text
			continue
		case strings.HasPrefix(s, "]"):
			if rest := strings.TrimSpace(stripComment(s[1:])); rest != "" {
				return "", fmt.Errorf("unexpected %q after the array", rest)
			}
			return strings.Join(items, ","), nil
		case strings.HasPrefix(s, ","):
			if !needComma {
				return "", fmt.Errorf("unexpected ',' in array")
			}
			needComma = false
			s = s[1:]
			continue
		}
		if needComma {
			return "", fmt.Errorf("missing ',' between array items")
		}
		if s[0] != '"' && s[0] != '\'' {
			return "", fmt.Errorf("arrays hold strings; got %q", s)
		}
		v, rest, err := scalar(s)
		if err != nil {
			return "", err
		}
		if strings.Contains(v, ",") {
			return "", fmt.Errorf("array item %q contains a comma", v)
		}
		items = append(items, v)
		needComma = true
		s = rest
	}
}

// scalar parses a string, boolean or integer at the start of s.
func scalar(s string) (value, rest string, err error) {
	switch s[0] {
	case '"':
		if strings.HasPrefix(s, `"""`) {
			return "", "", fmt.Errorf("multi-line strings are not supported")
		}
		end := 1
		for end < len(s) && s[end] != '"' {
			if s[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(s) {
			return "", "", fmt.Errorf("unterminated string")
		}
		v, err := strconv.Unquote(s[:end+1])
		if err != nil {
			return "", "", fmt.Errorf("malformed string %s", s[:end+1])
		}
		return v, s[end+1:], nil
	case '\'':
		if strings.HasPrefix(s, "'''") {
			return "", "", fmt.Errorf("multi-line strings are not supported")
		}
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", "", fmt.Errorf("unterminated string")
		}
		return s[1 : end+1], s[end+2:], nil
	}
	word, rest := s, ""
	if i := strings.IndexAny(s, " \t#,]"); i >= 0 {
		word, rest = s[:i], s[i:]
	}
	if word == "true" || word == "false" {
		return word, rest, nil
	}
	if _, err := strconv.ParseInt(strings.ReplaceAll(word, "_", ""), 10, 64); err == nil {
		return strings.ReplaceAll(word, "_", ""), rest, nil
	}
	return "", "", fmt.Errorf("want a string (in quotes), true, false, a number or an array of strings; got %q", s)
}

// stripComment removes a # comment outside quotes.
func stripComment(s string) string {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == 0 && c == '#':
			return s[:i]
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == '"' && c == '\\':
			i++
		case quote != 0 && c == quote:
			quote = 0
		}
	}
	return s
}
