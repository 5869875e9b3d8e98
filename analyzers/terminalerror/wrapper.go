package terminalerror

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// Error wrappers that keep a terminal error terminal: a project's
// WrapErr(msg, err) returns fmt.Errorf("%s: %w", msg, err), and only when
// err is terminal already, restate.TerminalError of that (shopnexus'
// sharedmodel.WrapErr). It makes no terminal error of its own: its error
// is terminal exactly when its argument is. So it is no terminal maker
// (terminalMakers); it is a pure helper like any other (its SDK calls are
// pure computations, sdkErrorFunc), and a call of any function given a
// terminal error may return it (terminal).

// sdkErrorFuncs are the SDK's functions that compute on error values:
// tests, codes and terminal constructors. pureHelpers counts them pure;
// a helper calling a constructor other than under an IsTerminalError
// guard is a terminal maker, and so no candidate.
var sdkErrorFuncs = []string{"IsTerminalError", "ErrorCode", "WithErrorCode", "TerminalError", "TerminalErrorf", "ToTerminalError"}

func sdkErrorFunc(fn *types.Func) bool { return sdk.IsFunc(fn, sdkErrorFuncs...) }

// guardedCtor reports whether the terminal constructor call at cur, in
// the function decl, only runs when an error parameter of decl is
// terminal already: it lies in the body of an
// `if restate.IsTerminalError(p)`, or in the else branch of an
// `if !restate.IsTerminalError(p)`.
func guardedCtor(info *types.Info, decl *ast.FuncDecl, cur inspector.Cursor) bool {
	if decl == nil {
		return false
	}
	for c := cur; c.Valid() && c.Node() != decl; c = c.Parent() {
		k, _ := c.ParentEdge()
		if k != edge.IfStmt_Body && k != edge.IfStmt_Else {
			continue
		}
		ifs := c.Parent().Node().(*ast.IfStmt)
		cond, negated := ast.Unparen(ifs.Cond), false
		if u, ok := cond.(*ast.UnaryExpr); ok && u.Op.String() == "!" {
			cond, negated = ast.Unparen(u.X), true
		}
		if (k == edge.IfStmt_Body) != negated && testsTerminalParam(info, decl, cond) {
			return true
		}
	}
	return false
}

// testsTerminalParam reports whether cond is restate.IsTerminalError(p)
// of an error parameter p of decl.
func testsTerminalParam(info *types.Info, decl *ast.FuncDecl, cond ast.Expr) bool {
	call, ok := cond.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || !sdk.IsFunc(sdk.Callee(info, call), "IsTerminalError") {
		return false
	}
	id, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || !types.Identical(v.Type(), errorType) {
		return false
	}
	fn, ok := info.Defs[decl.Name].(*types.Func)
	if !ok {
		return false
	}
	for p := range fn.Signature().Params().Variables() {
		if p == v {
			return true
		}
	}
	return false
}
