package driver

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis/checker"
)

// finding is one diagnostic resolved to a file position.
type finding struct {
	file              string
	line, col         int
	endLine, endCol   int
	analyzer, message string
}

// findings returns the root diagnostics sorted by position, without the
// duplicates that test variants of a package produce.
func findings(graph *checker.Graph) []finding {
	seen := make(map[finding]bool)
	var out []finding
	for _, act := range graph.Roots {
		if act.Err != nil {
			continue
		}
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			e := p
			if d.End.IsValid() {
				e = act.Package.Fset.Position(d.End)
			}
			f := finding{p.Filename, p.Line, p.Column, e.Line, e.Column, act.Analyzer.Name, d.Message}
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	slices.SortFunc(out, func(a, b finding) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line),
			cmp.Compare(a.col, b.col), cmp.Compare(a.analyzer, b.analyzer),
			cmp.Compare(a.message, b.message))
	})
	return out
}

// printText prints findings as file:line:col: message and returns how many.
func printText(w io.Writer, graph *checker.Graph, contextLines int) int {
	fs := findings(graph)
	bw := bufio.NewWriter(w)
	for _, f := range fs {
		fmt.Fprintf(bw, "%s:%d:%d: %s\n", displayPath(f.file), f.line, f.col, f.message)
		if contextLines >= 0 {
			printContext(bw, f, contextLines)
		}
	}
	bw.Flush()
	return len(fs)
}

func printContext(w io.Writer, f finding, n int) {
	data, err := os.ReadFile(f.file)
	if err != nil {
		return
	}
	lines := strings.Split(string(data), "\n")
	for i := max(f.line-n, 1); i <= min(f.endLine+n, len(lines)); i++ {
		fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
	}
}

// printActionErrors logs analysis failures (not diagnostics) and returns
// how many there were.
func printActionErrors(graph *checker.Graph) int {
	n := 0
	for _, act := range graph.Roots {
		if act.Err != nil {
			log.Printf("%s: %v", act, act.Err)
			n++
		}
	}
	return n
}

// displayPath shortens a file name to be relative to the working directory
// when the file is below it, as the go command prints them.
func displayPath(name string) string {
	wd, err := os.Getwd()
	if err != nil {
		return name
	}
	rel, err := filepath.Rel(wd, name)
	if err != nil || strings.HasPrefix(rel, "..") {
		return name
	}
	return rel
}
