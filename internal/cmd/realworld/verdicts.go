package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// A Key identifies a report the way reviewers judge it: the reported
// position's file (relative to the repository root) and line, and the
// analyzer. Several diagnostics of one analyzer on one line share a key.
type Key struct {
	Repo     string
	File     string
	Line     int
	Analyzer string
}

func (k Key) String() string { return fmt.Sprintf("%s %s:%d %s", k.Repo, k.File, k.Line, k.Analyzer) }

func (k Key) less(o Key) bool {
	if k.Repo != o.Repo {
		return k.Repo < o.Repo
	}
	if k.File != o.File {
		return k.File < o.File
	}
	if k.Line != o.Line {
		return k.Line < o.Line
	}
	return k.Analyzer < o.Analyzer
}

func sortKeys(keys []Key) { sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) }) }

// Verdict values. Unreviewed ("?") entries may sit in the verdict file
// (written by -emit-unreviewed) until a reviewer fills them in.
const (
	TP         = "TP"
	FP         = "FP"
	Debatable  = "debatable"
	Unreviewed = "?"
)

// A Verdict is one reviewed report.
type Verdict struct {
	Key
	Verdict string
	Reason  string
}

// A Miss is a false negative found by reading a handler: what should be
// reported, where, and why.
type Miss struct {
	Key
	Reason string
}

var (
	verdictHeader = []string{"repo", "file", "line", "analyzer", "verdict", "reason"}
	missHeader    = []string{"repo", "file", "line", "analyzer", "reason"}
)

// ReadVerdicts reads a verdict file; a missing file is an empty list.
func ReadVerdicts(file string) ([]Verdict, error) {
	var vs []Verdict
	err := readTSV(file, verdictHeader, func(lineno int, f []string) error {
		k, err := parseKey(f)
		if err != nil {
			return err
		}
		v := Verdict{Key: k, Verdict: f[4], Reason: f[5]}
		switch v.Verdict {
		case TP, FP, Debatable:
			if strings.TrimSpace(v.Reason) == "" {
				return fmt.Errorf("verdict %s needs a reason", v.Verdict)
			}
		case Unreviewed:
		default:
			return fmt.Errorf("verdict %q is not TP, FP, debatable or ?", v.Verdict)
		}
		vs = append(vs, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	seen := make(map[Key]bool)
	for _, v := range vs {
		if seen[v.Key] {
			return nil, fmt.Errorf("%s: %s has two verdicts", file, v.Key)
		}
		seen[v.Key] = true
	}
	return vs, nil
}

// ReadMisses reads a misses file; a missing file is an empty list.
func ReadMisses(file string) ([]Miss, error) {
	var ms []Miss
	seen := make(map[Key]bool)
	err := readTSV(file, missHeader, func(lineno int, f []string) error {
		k, err := parseKey(f)
		if err != nil {
			return err
		}
		if strings.TrimSpace(f[4]) == "" {
			return fmt.Errorf("a miss needs a reason")
		}
		if seen[k] {
			return fmt.Errorf("%s listed twice", k)
		}
		seen[k] = true
		ms = append(ms, Miss{Key: k, Reason: f[4]})
		return nil
	})
	return ms, err
}

func parseKey(f []string) (Key, error) {
	line, err := strconv.Atoi(f[2])
	if err != nil || line <= 0 {
		return Key{}, fmt.Errorf("line %q is not a positive number", f[2])
	}
	if !repoName.MatchString(f[0]) {
		return Key{}, fmt.Errorf("repo %q is not owner/name", f[0])
	}
	if f[1] == "" || strings.HasPrefix(f[1], "/") {
		return Key{}, fmt.Errorf("file %q must be relative to the repository root", f[1])
	}
	if f[3] == "" {
		return Key{}, fmt.Errorf("empty analyzer")
	}
	return Key{Repo: f[0], File: f[1], Line: line, Analyzer: f[3]}, nil
}

// readTSV calls row for every data line of a tab-separated file whose
// first non-comment line is header. Lines starting with # and blank lines
// are skipped. A file that does not exist has no rows.
func readTSV(file string, header []string, row func(lineno int, fields []string) error) error {
	f, err := os.Open(file)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if err := scanTSV(f, header, row); err != nil {
		return fmt.Errorf("%s:%v", file, err)
	}
	return nil
}

func scanTSV(r io.Reader, header []string, row func(lineno int, fields []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	lineno, sawHeader := 0, false
	for sc.Scan() {
		lineno++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if !sawHeader {
			if strings.Join(fields, "\t") != strings.Join(header, "\t") {
				return fmt.Errorf("%d: header must be %q", lineno, strings.Join(header, "\\t"))
			}
			sawHeader = true
			continue
		}
		if len(fields) != len(header) {
			return fmt.Errorf("%d: %d tab-separated fields, want %d (%s)", lineno, len(fields), len(header), strings.Join(header, ", "))
		}
		if err := row(lineno, fields); err != nil {
			return fmt.Errorf("%d: %v", lineno, err)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if !sawHeader && lineno > 0 {
		return fmt.Errorf("%d: no header line", lineno)
	}
	return nil
}

// verdictLine formats a verdict file line; tabs and newlines in the
// reason are flattened so that the line stays one record.
func verdictLine(v Verdict) string {
	return strings.Join([]string{v.Repo, v.File, strconv.Itoa(v.Line), v.Analyzer, v.Verdict, flatten(v.Reason)}, "\t")
}

func flatten(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
