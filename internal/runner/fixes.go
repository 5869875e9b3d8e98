package runner

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"
)

// validateFixes is the checker's check of a reported diagnostic's fixes
// (a malformed fix is a bug in the analyzer, and the analysis fails on
// it rather than -fix breaking the file): distinct messages, edits inside
// one file, not overlapping. Like the checker it sorts each fix's edits by
// position and gives an insertion its End.
func validateFixes(fset *token.FileSet, fixes []analysis.SuggestedFix) error {
	messages := make(map[string]bool)
	for i := range fixes {
		fix := &fixes[i]
		if messages[fix.Message] {
			return fmt.Errorf("two fixes with the same message (%s)", fix.Message)
		}
		messages[fix.Message] = true
		if err := validateFix(fset, fix); err != nil {
			return fmt.Errorf("invalid fix (%s): %v", fix.Message, err)
		}
	}
	return nil
}

func validateFix(fset *token.FileSet, fix *analysis.SuggestedFix) error {
	slices.SortStableFunc(fix.TextEdits, func(x, y analysis.TextEdit) int {
		return cmp.Or(cmp.Compare(x.Pos, y.Pos), cmp.Compare(x.End, y.End))
	})
	var prev *analysis.TextEdit
	for i := range fix.TextEdits {
		edit := &fix.TextEdits[i]
		file := fset.File(edit.Pos)
		if file == nil {
			return fmt.Errorf("no file for edit #%d's position", i)
		}
		fileEnd := token.Pos(file.Base() + file.Size())
		switch {
		case !edit.End.IsValid():
			edit.End = edit.Pos
		case edit.End < edit.Pos:
			return fmt.Errorf("edit #%d ends before it starts", i)
		case fset.File(edit.End) != file && edit.End < fileEnd+10:
			// An End computed just past the end of the file (the
			// checker's workaround for go.dev/issue/71659).
			edit.End = fileEnd
		case fset.File(edit.End) != file:
			return fmt.Errorf("edit #%d spans files", i)
		}
		if prev != nil && edit.Pos < prev.End {
			p, q := fset.Position(prev.Pos), fset.Position(edit.Pos)
			return fmt.Errorf("overlapping edits to %s (at %d:%d and %d:%d)", p.Filename, p.Line, p.Column, q.Line, q.Column)
		}
		prev = edit
	}
	return nil
}
