package terminalerror

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/fixes"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// wrapFix wraps the returned error in the pinned SDK's terminal error:
// restate.ToTerminalError(err, restate.WithErrorCode(400)) on v1.x,
// restate.TerminalError(err, 400) on v0.x, where TerminalError is a
// function.
func wrapFix(pass *analysis.Pass, errExpr ast.Expr) (analysis.SuggestedFix, bool) {
	sdkPkg := sdk.Package(pass.Pkg)
	file := fixes.FileOf(pass, errExpr.Pos())
	if sdkPkg == nil || file == nil {
		return analysis.SuggestedFix{}, false
	}
	name, edits, ok := file.EnsureImport(sdk.Path, "restate", errExpr.Pos())
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	q := fixes.Qualify(name)
	text := file.Text(errExpr)
	var wrapped string
	switch {
	case sdk.FuncOf(sdkPkg, "ToTerminalError") != nil && sdk.FuncOf(sdkPkg, "WithErrorCode") != nil:
		wrapped = q + "ToTerminalError(" + text + ", " + q + "WithErrorCode(400))"
	case sdk.FuncOf(sdkPkg, "TerminalError") != nil:
		wrapped = q + "TerminalError(" + text + ", 400)"
	default:
		return analysis.SuggestedFix{}, false
	}
	edits = append(edits, analysis.TextEdit{Pos: errExpr.Pos(), End: errExpr.End(), NewText: []byte(wrapped)})
	return analysis.SuggestedFix{Message: "Return a terminal error (code 400)", TextEdits: edits}, true
}
