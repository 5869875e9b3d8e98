package driver

// -json output: the go/analysis JSON format (what checker.PrintJSON and
// unitchecker print: package ID -> analyzer -> diagnostics or error), with
// the diagnostics of one package and analyzer sorted by file, line,
// column and message, like the text and SARIF output. Analyzers report in
// the order their walk finds things, which need not be the order of the
// files, nor the same from run to run. Diagnostics are listed for the
// packages named on the command line only; errors for every action they
// depend on.

import (
	"cmp"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
)

type jsonTextEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

type jsonSuggestedFix struct {
	Message string         `json:"message"`
	Edits   []jsonTextEdit `json:"edits"`
}

type jsonRelated struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

type jsonDiagnostic struct {
	Category       string             `json:"category,omitempty"`
	Posn           string             `json:"posn"`
	End            string             `json:"end"`
	Message        string             `json:"message"`
	SuggestedFixes []jsonSuggestedFix `json:"suggested_fixes,omitempty"`
	Related        []jsonRelated      `json:"related,omitempty"`
}

type jsonError struct {
	Err string `json:"error"`
}

// writeJSON prints the diagnostics of graph's roots, and the errors of
// every action they depend on, as the go/analysis JSON tree.
func writeJSON(w io.Writer, graph *checker.Graph) error {
	tree := make(map[string]map[string]any) // package ID -> analyzer -> result
	add := func(id, analyzer string, v any) {
		m := tree[id]
		if m == nil {
			m = make(map[string]any)
			tree[id] = m
		}
		m[analyzer] = v
	}
	roots := make(map[*checker.Action]bool, len(graph.Roots))
	for _, act := range graph.Roots {
		roots[act] = true
	}
	seen := make(map[*checker.Action]bool)
	var visit func(acts []*checker.Action)
	visit = func(acts []*checker.Action) {
		for _, act := range acts {
			if seen[act] {
				continue
			}
			seen[act] = true
			visit(act.Deps)
			switch {
			case act.Err != nil:
				add(act.Package.ID, act.Analyzer.Name, jsonError{act.Err.Error()})
			case roots[act] && len(act.Diagnostics) > 0:
				add(act.Package.ID, act.Analyzer.Name, jsonDiagnostics(act.Package.Fset, act.Diagnostics))
			}
		}
	}
	visit(graph.Roots)
	data, err := json.MarshalIndent(tree, "", "\t") // maps are written in key order
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// jsonDiagnostics converts one action's diagnostics, in position order.
func jsonDiagnostics(fset *token.FileSet, diags []analysis.Diagnostic) []jsonDiagnostic {
	posn := func(pos, end token.Pos) (string, string) {
		return fset.Position(pos).String(), fset.Position(cmp.Or(end, pos)).String()
	}
	out := make([]jsonDiagnostic, 0, len(diags))
	for _, d := range sortedDiagnostics(fset, diags) {
		jd := jsonDiagnostic{Category: d.Category, Message: d.Message}
		jd.Posn, jd.End = posn(d.Pos, d.End)
		for _, fix := range d.SuggestedFixes {
			jf := jsonSuggestedFix{Message: fix.Message}
			for _, e := range fix.TextEdits {
				jf.Edits = append(jf.Edits, jsonTextEdit{
					Filename: fset.Position(e.Pos).Filename,
					Start:    fset.Position(e.Pos).Offset,
					End:      fset.Position(e.End).Offset,
					New:      string(e.NewText),
				})
			}
			jd.SuggestedFixes = append(jd.SuggestedFixes, jf)
		}
		for _, r := range d.Related {
			jr := jsonRelated{Message: r.Message}
			jr.Posn, jr.End = posn(r.Pos, r.End)
			jd.Related = append(jd.Related, jr)
		}
		out = append(out, jd)
	}
	return out
}

// sortedDiagnostics returns one analyzer's diagnostics of one package
// sorted by file, line, column and message (then end), the order of the
// text output.
func sortedDiagnostics(fset *token.FileSet, diags []analysis.Diagnostic) []analysis.Diagnostic {
	sorted := slices.Clone(diags)
	slices.SortStableFunc(sorted, func(a, b analysis.Diagnostic) int {
		pa, pb := fset.Position(a.Pos), fset.Position(b.Pos)
		ea, eb := fset.Position(cmp.Or(a.End, a.Pos)), fset.Position(cmp.Or(b.End, b.Pos))
		return cmp.Or(cmp.Compare(pa.Filename, pb.Filename), cmp.Compare(pa.Line, pb.Line),
			cmp.Compare(pa.Column, pb.Column), cmp.Compare(a.Message, b.Message),
			cmp.Compare(ea.Line, eb.Line), cmp.Compare(ea.Column, eb.Column))
	})
	return sorted
}
