// Package fixapply merges and applies suggested fixes the way a batch
// driver must: several fixes in one file are applied together, identical
// edits (the same import added by two fixes) are merged, a fix that
// overlaps one already accepted is skipped whole, and imports that the
// accepted fixes made unused are removed before gofmt.
//
// The standalone driver's -fix and the tests that prove every fix compiles
// both use it, so what the tests apply is what users get.
package fixapply

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// Edit replaces the bytes [Start, End) of File with New.
type Edit struct {
	File       string
	Start, End int
	New        string
}

// Fix is the set of edits of one SuggestedFix.
type Fix []Edit

// FromDiagnostics returns the first suggested fix of each diagnostic as
// byte-offset edits.
func FromDiagnostics(fset *token.FileSet, diags []analysis.Diagnostic) ([]Fix, error) {
	var fixes []Fix
	for _, d := range diags {
		if len(d.SuggestedFixes) == 0 {
			continue
		}
		var fix Fix
		for _, te := range d.SuggestedFixes[0].TextEdits {
			tf := fset.File(te.Pos)
			if tf == nil {
				return nil, fmt.Errorf("fix %q: edit position has no file", d.SuggestedFixes[0].Message)
			}
			end := te.End
			if !end.IsValid() {
				end = te.Pos
			}
			fix = append(fix, Edit{File: tf.Name(), Start: tf.Offset(te.Pos), End: tf.Offset(end), New: string(te.NewText)})
		}
		fixes = append(fixes, fix)
	}
	return fixes, nil
}

// Merge accepts fixes in order and returns the accepted edits by file,
// sorted, without duplicates, and the number of fixes skipped because they
// overlapped an accepted one.
func Merge(fixes []Fix) (byFile map[string][]Edit, skipped int) {
	byFile = make(map[string][]Edit)
	for _, fix := range fixes {
		if conflicts(byFile, fix) {
			skipped++
			continue
		}
		for _, e := range fix {
			if !slices.Contains(byFile[e.File], e) {
				byFile[e.File] = append(byFile[e.File], e)
			}
		}
	}
	for f, edits := range byFile {
		slices.SortFunc(edits, func(a, b Edit) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.New, b.New))
		})
		byFile[f] = edits
	}
	return byFile, skipped
}

// conflicts reports whether fix overlaps an accepted edit other than an
// identical one.
func conflicts(byFile map[string][]Edit, fix Fix) bool {
	for _, e := range fix {
		for _, a := range byFile[e.File] {
			if overlaps(a, e) {
				return true
			}
		}
	}
	return false
}

// overlaps reports whether two different edits touch the same bytes. Two
// insertions at one offset overlap too: their order would be arbitrary.
func overlaps(a, b Edit) bool {
	if a == b {
		return false
	}
	if a.Start == a.End && b.Start == b.End {
		return a.Start == b.Start
	}
	return a.Start < b.End && b.Start < a.End
}

// ApplyFile applies sorted, non-overlapping edits to src, removes imports
// that were used before and are not after, and formats the result.
// importName gives the package name of an import path without an explicit
// name; it may return "" when unknown (the import is then kept).
func ApplyFile(src []byte, edits []Edit, importName func(path string) string) ([]byte, error) {
	var buf bytes.Buffer
	last := 0
	for _, e := range edits {
		if e.Start < last || e.End > len(src) || e.Start > e.End {
			return nil, fmt.Errorf("%s: overlapping or out-of-range edit at offset %d", e.File, e.Start)
		}
		buf.Write(src[last:e.Start])
		buf.WriteString(e.New)
		last = e.End
	}
	buf.Write(src[last:])
	out := buf.Bytes()

	before, err := usedImports(src, importName)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", out, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("fixed file does not parse: %v", err)
	}
	used := referencedNames(file)
	var unused []*ast.ImportSpec
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		name := specName(spec, importName)
		if name == "" || name == "_" || name == "." || used[name] || !before[path] {
			continue
		}
		unused = append(unused, spec)
	}
	removed := false
	for _, spec := range unused { // DeleteImport edits file.Imports: not while ranging over it
		path, _ := strconv.Unquote(spec.Path.Value)
		if spec.Name != nil {
			astutil.DeleteNamedImport(fset, file, spec.Name.Name, path)
		} else {
			astutil.DeleteImport(fset, file, path)
		}
		removed = true
	}
	if removed {
		var pb bytes.Buffer
		if err := format.Node(&pb, fset, file); err != nil {
			return nil, err
		}
		out = pb.Bytes()
	}
	return format.Source(out)
}

// usedImports returns the paths of the imports that src references.
func usedImports(src []byte, importName func(string) string) (map[string]bool, error) {
	file, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	used := referencedNames(file)
	paths := make(map[string]bool)
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if used[specName(spec, importName)] {
			paths[path] = true
		}
	}
	return paths, nil
}

func specName(spec *ast.ImportSpec, importName func(string) string) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	path, _ := strconv.Unquote(spec.Path.Value)
	return importName(path)
}

// referencedNames returns the identifiers used as the qualifier of a
// selector expression: the candidates for package names.
func referencedNames(file *ast.File) map[string]bool {
	names := make(map[string]bool)
	ast.Inspect(file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				names[id.Name] = true
			}
		}
		return true
	})
	return names
}
