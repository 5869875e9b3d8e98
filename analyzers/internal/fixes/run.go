package fixes

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// Namer hands out the Names of each outermost function, so that all the
// fixes an analyzer offers in one function draw from one pool.
type Namer struct {
	names map[*zones.Func]*Names
}

// For returns the Names of the outermost function containing f.
func (n *Namer) For(f *zones.Func) *Names {
	for f.Parent != nil {
		f = f.Parent
	}
	if n.names == nil {
		n.names = make(map[*zones.Func]*Names)
	}
	if n.names[f] == nil {
		n.names[f] = NewNames(f.Node)
	}
	return n.names[f]
}

// RunCall spells a call of restate.Run (typ != "") or restate.RunVoid
// (typ == "") whose closure has the given body lines; q qualifies the SDK
// ("restate."), and the closure's parameter is named ctx, like the
// handler context it shadows.
func RunCall(q, ctx, typ, body string) string {
	if typ == "" {
		return fmt.Sprintf("%sRunVoid(%s, func(%s %sRunContext) error {\n\t%s\n})", q, ctx, ctx, q, Reindent(body, "\t"))
	}
	return fmt.Sprintf("%sRun(%s, func(%s %sRunContext) (%s, error) {\n\t%s\n})", q, ctx, ctx, q, typ, Reindent(body, "\t"))
}

// BindRun moves the single-valued expression expr, evaluated in the
// statement at stmtCur, into restate.Run:
//
//	v := expr
//	→
//	v, err := restate.Run(ctx, func(ctx restate.RunContext) (T, error) {
//		return expr, nil
//	})
//	if err != nil {
//		return ..., err
//	}
//
// keeping the user's variable where the statement is "v := expr", and
// otherwise binding a fresh variable named after tmpBase before the
// statement and using it in place of expr. The error variable is chosen by
// ErrName, the return by ReturnErr; run is the SDK's Run function (its
// error result type matters for ErrName).
func BindRun(file *File, f *zones.Func, names *Names, stmtCur inspector.Cursor, expr ast.Expr, ctx, restateName string, run *types.Func, tmpBase string) ([]analysis.TextEdit, bool) {
	if run == nil || run.Signature().Results().Len() != 2 || JumpedOver(stmtCur) {
		return nil, false
	}
	typ, ok := file.TypeString(file.Pass.TypesInfo.TypeOf(expr))
	if !ok {
		return nil, false
	}
	errName := ErrName(file, names, stmtCur, run.Signature().Results().At(1).Type())
	ret, ok := ReturnErr(file, f, errName)
	if !ok {
		return nil, false
	}
	closure := RunCall(Qualify(restateName), ctx, typ, "return "+file.Unindented(expr)+", nil")
	stmt := stmtCur.Node()
	indent := file.Indent(stmt.Pos())

	// v := expr keeps the user's variable.
	if a, ok := stmt.(*ast.AssignStmt); ok && a.Tok == token.DEFINE && len(a.Lhs) == 1 && len(a.Rhs) == 1 && ast.Unparen(a.Rhs[0]) == expr {
		bind := fmt.Sprintf("%s, %s := %s", file.Text(a.Lhs[0]), errName, closure)
		if comment, lineEnd, ok := file.TrailingComment(stmt.End()); ok {
			// The statement's comment stays on its line (the Run call's
			// last), not after the inserted error check.
			return []analysis.TextEdit{
				{Pos: stmt.Pos(), End: comment, NewText: []byte(Reindent(bind+" ", indent))},
				{Pos: lineEnd, End: lineEnd, NewText: []byte(Reindent("\n"+IfErr(errName, ret), indent))},
			}, true
		}
		text := bind + "\n" + IfErr(errName, ret)
		return []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.End(), NewText: []byte(Reindent(text, indent))}}, true
	}
	tmp := names.Fresh(file, tmpBase, stmt.Pos())
	text := fmt.Sprintf("%s, %s := %s\n%s\n", tmp, errName, closure, IfErr(errName, ret))
	return []analysis.TextEdit{
		{Pos: stmt.Pos(), End: stmt.Pos(), NewText: []byte(Reindent(text, indent))},
		{Pos: expr.Pos(), End: expr.End(), NewText: []byte(tmp)},
	}, true
}

// Unindented returns the source text of n with the indentation of the
// line n starts on removed from its continuation lines, ready to be
// re-indented elsewhere with Reindent.
func (f *File) Unindented(n ast.Node) string {
	return strings.ReplaceAll(f.Text(n), "\n"+f.Indent(n.Pos()), "\n")
}
