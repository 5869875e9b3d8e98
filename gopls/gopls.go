// Package gopls adapts restatelint's analyzers to gopls, for the gopls
// that `restatelint gopls` builds (its registration file calls Analyzers).
//
// gopls offers an analyzer's suggested fix as a quick fix by applying the
// fix's edits as they are. restatelint's fixes are written to be applied
// by restatelint -fix, which then removes imports the fix left unused and
// formats the file; applied raw, a fix leaves `500 * time.Millisecond` and
// misaligned trailing comments behind. So the analyzers Analyzers returns
// rewrite each fix into the line edits that turn the file into what
// restatelint -fix writes for that fix alone, as `restatelint lsp` does:
// the same quick fix, whichever editor integration applies it. Each
// finding also gets restatelint lsp's "Ignore <analyzer> here" quick fix,
// which writes a //restatelint:ignore directive.
package gopls

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/configfile"
	"github.com/restatelint/restatelint/internal/fixapply"
	"github.com/restatelint/restatelint/internal/linediff"
)

// Analyzers returns restatelint's analyzers (all.Analyzers), those that
// report findings wrapped so that their suggested fixes are complete and
// formatted. Analyzers with fact types (reach) are returned as they are:
// the others require them, and a fact type belongs to one analyzer. When
// gopls's working directory has a restatelint.toml, one more analyzer
// keys gopls's cache by it (configfile.CacheKey).
func Analyzers() []*analysis.Analyzer {
	var out []*analysis.Analyzer
	if k := configfile.CacheKey(); k != nil {
		out = append(out, k)
	}
	for _, a := range all.Analyzers() {
		if len(a.FactTypes) > 0 {
			out = append(out, a)
			continue
		}
		out = append(out, formatFixes(a))
	}
	return out
}

// formatFixes returns a copy of a whose passes rewrite the suggested fixes
// of what they report.
func formatFixes(a *analysis.Analyzer) *analysis.Analyzer {
	w := *a
	w.Run = func(pass *analysis.Pass) (any, error) {
		inner := *pass
		inner.Analyzer = a
		inner.Report = func(d analysis.Diagnostic) {
			for i, fix := range d.SuggestedFixes {
				d.SuggestedFixes[i].TextEdits = formatted(pass, fix.TextEdits)
			}
			if a.Name != "ignoredirective" {
				if fix, ok := ignoreFix(pass, d); ok {
					d.SuggestedFixes = append(d.SuggestedFixes, fix)
				}
			}
			pass.Report(d)
		}
		return a.Run(&inner)
	}
	return &w
}

// formatted returns the line edits that turn each file the edits touch
// into what restatelint -fix makes of it; where that fails (a file that
// does not parse once fixed, one that cannot be read), the edits as they
// are.
func formatted(pass *analysis.Pass, edits []analysis.TextEdit) []analysis.TextEdit {
	byFile := make(map[*token.File][]fixapply.Edit)
	var files []*token.File
	for _, e := range edits {
		tf := pass.Fset.File(e.Pos)
		end := e.End
		if !end.IsValid() {
			end = e.Pos
		}
		if tf == nil || pass.Fset.File(end) != tf {
			return edits
		}
		if _, ok := byFile[tf]; !ok {
			files = append(files, tf)
		}
		byFile[tf] = append(byFile[tf], fixapply.Edit{File: tf.Name(), Start: tf.Offset(e.Pos), End: tf.Offset(end), New: string(e.NewText)})
	}
	importName := importNames(pass)
	var out []analysis.TextEdit
	for _, tf := range files {
		src, err := pass.ReadFile(tf.Name())
		if err != nil || len(src) != tf.Size() {
			return edits
		}
		fe := byFile[tf]
		slices.SortFunc(fe, func(a, b fixapply.Edit) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
		})
		fixed, err := fixapply.ApplyFile(src, fe, importName)
		if err != nil {
			return edits
		}
		for _, le := range linediff.Edits(string(src), string(fixed)) {
			out = append(out, analysis.TextEdit{Pos: tf.Pos(le.Start), End: tf.Pos(le.End), NewText: []byte(le.New)})
		}
	}
	if len(out) == 0 {
		return edits // the fix changes nothing once formatted: keep what it says
	}
	return out
}

// ignoreFix is the quick fix that silences d with a //restatelint:ignore
// directive on the line above, as restatelint lsp offers it.
func ignoreFix(pass *analysis.Pass, d analysis.Diagnostic) (analysis.SuggestedFix, bool) {
	tf := pass.Fset.File(d.Pos)
	if tf == nil {
		return analysis.SuggestedFix{}, false
	}
	src, err := pass.ReadFile(tf.Name())
	if err != nil || len(src) != tf.Size() {
		return analysis.SuggestedFix{}, false
	}
	analyzer := cmp.Or(d.Category, pass.Analyzer.Name)
	e := fixapply.IgnoreEdit(src, tf.Offset(d.Pos), analyzer)
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Ignore %s here with //restatelint:ignore", analyzer),
		TextEdits: []analysis.TextEdit{{Pos: tf.Pos(e.Start), End: tf.Pos(e.End), NewText: []byte(e.New)}},
	}, true
}

// importNames returns the package name of each import path of the pass's
// package, for fixapply to recognize imports a fix left unused.
func importNames(pass *analysis.Pass) func(path string) string {
	names := make(map[string]string)
	for _, imp := range pass.Pkg.Imports() {
		names[imp.Path()] = imp.Name()
	}
	return func(path string) string { return names[path] }
}
