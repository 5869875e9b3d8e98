package walltime

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/fixes"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/reach"
)

// fixer builds walltime's fixes for one package.
type fixer struct {
	pass  *analysis.Pass
	sdk   *types.Package
	names fixes.Namer
}

func newFixer(pass *analysis.Pass) *fixer {
	return &fixer{pass: pass, sdk: sdk.Package(pass.Pkg)}
}

// tempNames name the value a rewritten expression is bound to.
var tempNames = map[string]string{"Now": "now", "Since": "elapsed", "Until": "remaining"}

func (fx *fixer) fix(site *reach.Site) (analysis.SuggestedFix, bool) {
	if site.Call == nil || site.Sink.Fix == "" || fx.sdk == nil {
		return analysis.SuggestedFix{}, false
	}
	t, ok := fixes.TargetAt(fx.pass, site.Func, site.Call.Pos())
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	stmt, ok := fixes.Statement(site.Expr)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	file, ctx, restateName := t.File, t.Ctx, t.Name
	var more []analysis.TextEdit
	var msg string
	switch site.Sink.Fix {
	case "run":
		more, ok = fx.runFix(file, site, stmt, ctx, restateName)
		msg = "Read the clock inside restate.Run"
	case "sleep":
		more, ok = fx.waitFix(file, site, stmt, ctx, restateName, "Sleep")
		msg = "Use restate.Sleep"
	case "after":
		more, ok = fx.waitFix(file, site, stmt, ctx, restateName, "After")
		msg = "Use restate.After"
	default:
		ok = false
	}
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{Message: msg, TextEdits: append(t.ImportEdits, more...)}, true
}

// runFix binds the clock reading to the result of restate.Run.
func (fx *fixer) runFix(file *fixes.File, site *reach.Site, stmtCur inspector.Cursor, ctx, restateName string) ([]analysis.TextEdit, bool) {
	tmp := tempNames[site.Obj.Name()]
	if tmp == "" {
		tmp = "now" // an injected clock: deps.Now(), s.clock.Now()
	}
	return fixes.BindRun(file, site.Func, fx.names.For(site.Func), stmtCur, site.Call, ctx, restateName,
		sdk.FuncOf(fx.sdk, "Run"), tmp)
}

// waitFix rewrites a statement "time.Sleep(d)" or "<-time.After(d)" into a
// durable wait with its error handled.
func (fx *fixer) waitFix(file *fixes.File, site *reach.Site, stmtCur inspector.Cursor, ctx, restateName, fn string) ([]analysis.TextEdit, bool) {
	es, ok := stmtCur.Node().(*ast.ExprStmt)
	if !ok || len(site.Call.Args) != 1 {
		return nil, false
	}
	wait := sdk.FuncOf(fx.sdk, fn)
	if wait == nil || wait.Signature().Params().Len() < 2 {
		return nil, false
	}
	q := fixes.Qualify(restateName)
	arg := file.Text(site.Call.Args[0])
	var call string
	switch fn {
	case "Sleep":
		if ast.Unparen(es.X) != site.Call {
			return nil, false
		}
		call = fmt.Sprintf("%sSleep(%s, %s)", q, ctx, arg)
	case "After":
		recv, ok := ast.Unparen(es.X).(*ast.UnaryExpr)
		if !ok || recv.Op != token.ARROW || ast.Unparen(recv.X) != site.Call || !hasDone(wait) {
			return nil, false
		}
		call = fmt.Sprintf("%sAfter(%s, %s).Done()", q, ctx, arg)
	}
	ret, ok := fixes.ReturnErr(file, site.Func, "err")
	if !ok {
		return nil, false
	}
	text := fmt.Sprintf("if err := %s; err != nil {\n\t%s\n}", call, ret)
	edits := []analysis.TextEdit{{Pos: es.Pos(), End: es.End(), NewText: []byte(fixes.Reindent(text, file.Indent(es.Pos())))}}
	edits = append(edits, file.RemoveImportIfLastUse(site.Obj.Pkg().Path(), site.Call.Fun)...)
	return edits, true
}

// hasDone reports whether restate.After's future has Done() returning an
// error, as in every SDK version that has After.
func hasDone(after *types.Func) bool {
	res := after.Signature().Results()
	if res.Len() != 1 {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(res.At(0).Type(), true, nil, "Done")
	m, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := m.Signature()
	return sig.Params().Len() == 0 && sig.Results().Len() == 1 && types.Implements(sig.Results().At(0).Type(), errorIface)
}

var errorIface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
