package fixcheck_test

import (
	"go/ast"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/internal/fixcheck"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
)

// offer reports every function with a fix whose edit depends on the
// function's name; suppress.Report proves the fixes.
var offer = &analysis.Analyzer{
	Name:     "offer",
	Doc:      "test analyzer: offers fixes that do and do not compile",
	Requires: []*analysis.Analyzer{suppress.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok {
					continue
				}
				at := fd.Body.Lbrace + 1
				edit := analysis.TextEdit{Pos: at, End: at}
				switch fd.Name.Name {
				case "Compiles":
					edit.NewText = []byte("\n\t_ = 1\n")
				case "Unused":
					edit.NewText = []byte("\n\tx := 1\n")
				case "Redeclared":
					edit.NewText = []byte("\n\tvar err error\n")
					edit = analysis.TextEdit{Pos: fd.Body.List[0].End(), End: fd.Body.List[0].End(), NewText: edit.NewText}
				case "RemovesUsedImport":
					imp := f.Decls[0] // import "time"
					edit = analysis.TextEdit{Pos: imp.Pos(), End: imp.End()}
				}
				suppress.Report(pass, analysis.Diagnostic{Pos: fd.Pos(), Message: fd.Name.Name,
					SuggestedFixes: []analysis.SuggestedFix{{Message: "edit", TextEdits: []analysis.TextEdit{edit}}}})
			}
		}
		return nil, nil
	},
}

func TestCheck(t *testing.T) {
	dir := analyzertest.Module(t, "testdata/fixcheck.txtar")
	want := map[string]string{
		"Compiles":          "",
		"Unused":            "declared and not used: x",
		"Redeclared":        "err redeclared in this block",
		"RemovesUsedImport": "undefined: time",
	}
	diags := analyzertest.Analyze(t, dir, offer)
	if len(diags) != len(want) {
		t.Fatalf("got %d diagnostics, want %d", len(diags), len(want))
	}
	for _, d := range diags {
		name, _, _ := strings.Cut(d.Message, " ")
		problem, ok := want[name]
		if !ok {
			t.Fatalf("unexpected diagnostic %s", d.Message)
		}
		withheld := strings.Contains(d.Message, fixcheck.Withheld)
		switch {
		case problem == "" && (withheld || len(d.SuggestedFixes) != 1):
			t.Errorf("%s: the fix compiles but was withheld: %s", d.Posn, d.Message)
		case problem != "" && (!withheld || len(d.SuggestedFixes) != 0):
			t.Errorf("%s: the fix does not compile but was offered: %s", d.Posn, d.Message)
		case problem != "" && !strings.Contains(d.Message, problem):
			t.Errorf("%s: message %q does not name the error %q", d.Posn, d.Message, problem)
		}
	}
}
