package sideeffect

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/fixes"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/reach"
)

// fixer builds sideeffect's fixes for one package.
type fixer struct {
	pass  *analysis.Pass
	sdk   *types.Package
	names fixes.Namer
}

func newFixer(pass *analysis.Pass) *fixer { return &fixer{pass: pass, sdk: sdk.Package(pass.Pkg)} }

var errorType = types.Universe.Lookup("error").Type()

// fix wraps the call at a direct site in restate.Run or RunVoid. When it
// offers none because the result cannot be journaled, why says so; why is
// "" when there is no fix for another reason (no handler context in
// scope, a shape the rewrite does not handle).
func (fx *fixer) fix(site *reach.Site) (fix *analysis.SuggestedFix, why string) {
	if site.Call == nil || fx.sdk == nil || site.Sink != nil && site.Sink.Fix != "run" {
		return nil, ""
	}
	info := fx.pass.TypesInfo
	// rdb.Get(ctx, k).Result(), db.QueryRowContext(...).Err(): the chained
	// accessor is part of the call.
	cur := site.Expr
	for {
		if k, _ := cur.ParentEdge(); k != edge.SelectorExpr_X {
			break
		}
		if k, _ := cur.Parent().ParentEdge(); k != edge.CallExpr_Fun {
			break
		}
		outer := cur.Parent().Parent()
		if len(outer.Node().(*ast.CallExpr).Args) != 0 {
			break
		}
		cur = outer
	}
	call := cur.Node().(*ast.CallExpr)
	sig, ok := types.Unalias(info.TypeOf(call.Fun)).(*types.Signature)
	if !ok {
		return nil, ""
	}
	var values []types.Type
	hasErr := false
	for i := 0; i < sig.Results().Len(); i++ {
		t := sig.Results().At(i).Type()
		if i == sig.Results().Len()-1 && types.Identical(t, errorType) {
			hasErr = true
			continue
		}
		values = append(values, t)
	}

	node := cur
	for k, _ := node.ParentEdge(); k == edge.ParenExpr_X; k, _ = node.ParentEdge() {
		node = node.Parent()
	}
	parent := node.Parent()
	discard := false // the statement drops the results: call, _ = call
	switch p := parent.Node().(type) {
	case *ast.ExprStmt:
		discard = true
	case *ast.AssignStmt:
		discard = len(p.Rhs) == 1 && allBlank(p.Lhs)
	}
	if !discard && len(values) == 1 {
		if why := fixes.NotJournalable(values[0]); why != "" {
			return nil, why
		}
	}

	t, ok := fixes.TargetAt(fx.pass, site.Func, call.Pos())
	if !ok || !fx.movable(site, cur) {
		return nil, ""
	}
	file, ctx, restateName, q, importEdits := t.File, t.Ctx, t.Name, t.Q, t.ImportEdits
	var edits []analysis.TextEdit
	msg := "Wrap the call in restate.Run"
	switch p := parent.Node().(type) {
	case *ast.ExprStmt, *ast.AssignStmt, *ast.ReturnStmt:
		if discard {
			// Nothing to journal but the error.
			if sdk.FuncOf(fx.sdk, "RunVoid") == nil {
				return nil, ""
			}
			ret, ok := fixes.ReturnErr(file, site.Func, "err")
			if !ok {
				return nil, ""
			}
			var body string
			switch {
			case hasErr && len(values) == 0:
				body = "return " + file.Unindented(call)
			case hasErr:
				body = strings.Repeat("_, ", len(values)) + "err := " + file.Unindented(call) + "\nreturn err"
			default:
				body = file.Unindented(call) + "\nreturn nil"
			}
			text := "if err := " + fixes.RunCall(q, ctx, "", body) + "; err != nil {\n\t" + ret + "\n}"
			edits = append(edits, analysis.TextEdit{Pos: p.Pos(), End: p.End(), NewText: []byte(fixes.Reindent(text, file.Indent(p.Pos())))})
			msg = "Wrap the call in restate.RunVoid"
			break
		}
		if len(values) > 1 {
			return nil, ""
		}
		if !hasErr {
			// A single value without error: bind it before the statement.
			if len(values) != 1 {
				return nil, ""
			}
			more, ok := fx.bind(file, site, cur, call, ctx, restateName)
			if !ok {
				return nil, ""
			}
			edits = more
			break
		}
		if a, ok := p.(*ast.AssignStmt); ok && (len(a.Rhs) != 1 || len(a.Lhs) != sig.Results().Len()) {
			return nil, ""
		}
		if r, ok := p.(*ast.ReturnStmt); ok && len(r.Results) != 1 {
			return nil, ""
		}
		typ, runFn := "", sdk.FuncOf(fx.sdk, "RunVoid")
		if len(values) == 1 {
			if typ, ok = file.TypeString(values[0]); !ok {
				return nil, ""
			}
			runFn = sdk.FuncOf(fx.sdk, "Run")
		} else {
			msg = "Wrap the call in restate.RunVoid"
		}
		if runFn == nil {
			return nil, ""
		}
		text := fixes.RunCall(q, ctx, typ, "return "+file.Unindented(call))
		edits = append(edits, analysis.TextEdit{Pos: call.Pos(), End: call.End(), NewText: []byte(fixes.Reindent(text, file.Indent(p.Pos())))})
		if a, ok := p.(*ast.AssignStmt); ok {
			more, ok := fx.keepErrorType(file, site, parent, a, runFn)
			if !ok {
				return nil, ""
			}
			edits = append(edits, more...)
		}
	default:
		// A single value in an expression: bind it before the statement.
		if hasErr || len(values) != 1 {
			return nil, ""
		}
		more, ok := fx.bind(file, site, cur, call, ctx, restateName)
		if !ok {
			return nil, ""
		}
		edits = more
	}
	return &analysis.SuggestedFix{Message: msg, TextEdits: append(importEdits, edits...)}, ""
}

// bind moves a single-valued call without error into restate.Run before
// its statement (fixes.BindRun).
func (fx *fixer) bind(file *fixes.File, site *reach.Site, cur inspector.Cursor, call *ast.CallExpr, ctx, restateName string) ([]analysis.TextEdit, bool) {
	stmt, ok := fixes.Statement(cur)
	if !ok {
		return nil, false
	}
	return fixes.BindRun(file, site.Func, fx.names.For(site.Func), stmt, call, ctx, restateName, sdk.FuncOf(fx.sdk, "Run"), tempName(site))
}

// tempName names the variable a bound value gets: "value" by default,
// "env" for environment reads.
func tempName(site *reach.Site) string {
	if site.Sink != nil && site.Sink.Family == sinks.FamEnv {
		return "env"
	}
	return "value"
}

// movable reports whether the call at cur can run inside a Run closure
// whose parameter shadows the handler context: every use of the context
// in it is an argument that accepts a RunContext, no other context is
// used (a context derived from the handler's would then be used inside
// Run), and no variable's address is taken nor a pointer given as an
// interface (a write through it would not happen on replay).
func (fx *fixer) movable(site *reach.Site, cur inspector.Cursor) bool {
	info := fx.pass.TypesInfo
	ctxVar := site.Func.HandlerCtx()
	runCtx, _ := fx.sdk.Scope().Lookup("RunContext").(*types.TypeName)
	if ctxVar == nil || runCtx == nil {
		return false
	}
	for c := range cur.Preorder((*ast.UnaryExpr)(nil), (*ast.Ident)(nil), (*ast.CallExpr)(nil)) {
		switch n := c.Node().(type) {
		case *ast.CallExpr:
			// A pointer variable given as an interface is a destination the
			// call decodes into (Invoke's reply, Scan's dest).
			sig, _ := types.Unalias(info.TypeOf(n.Fun)).(*types.Signature)
			for i, arg := range n.Args {
				var id *ast.Ident
				switch a := ast.Unparen(arg).(type) {
				case *ast.Ident:
					id = a
				case *ast.SelectorExpr:
					id = a.Sel
				}
				if _, isVar := info.Uses[id].(*types.Var); id == nil || !isVar {
					continue
				}
				pt := paramType(sig, i, n.Ellipsis.IsValid())
				if _, isPtr := types.Unalias(info.TypeOf(arg)).(*types.Pointer); isPtr && pt != nil && types.IsInterface(pt) {
					return false
				}
			}
		case *ast.UnaryExpr:
			if _, lit := ast.Unparen(n.X).(*ast.CompositeLit); n.Op == token.AND && !lit {
				return false
			}
		case *ast.Ident:
			v, ok := info.Uses[n].(*types.Var)
			if !ok {
				continue
			}
			if v != ctxVar {
				if t := v.Type(); sinks.IsContext(t) || sdk.IsHandlerContext(t) || sdk.IsRunContext(t) {
					return false
				}
				continue
			}
			arg := c
			for k, _ := arg.ParentEdge(); k == edge.ParenExpr_X; k, _ = arg.ParentEdge() {
				arg = arg.Parent()
			}
			k, idx := arg.ParentEdge()
			if k != edge.CallExpr_Args {
				return false
			}
			ce := arg.Parent().Node().(*ast.CallExpr)
			sig, _ := types.Unalias(info.TypeOf(ce.Fun)).(*types.Signature)
			pt := paramType(sig, idx, ce.Ellipsis.IsValid())
			if pt == nil || !types.AssignableTo(runCtx.Type(), pt) {
				return false
			}
		}
	}
	return true
}

func paramType(sig *types.Signature, i int, ellipsis bool) types.Type {
	if sig == nil {
		return nil
	}
	params := sig.Params()
	switch {
	case sig.Variadic() && i >= params.Len()-1:
		t := params.At(params.Len() - 1).Type()
		if s, ok := t.(*types.Slice); ok && !ellipsis {
			return s.Elem()
		}
		return t
	case i < params.Len():
		return params.At(i).Type()
	}
	return nil
}

// keepErrorType keeps "v, err := call" compiling once call returns the
// SDK's error type (restate.TerminalError on v1): when err is declared by
// the statement and assigned again later (x, err := f() further down), it
// is declared as an error first.
func (fx *fixer) keepErrorType(file *fixes.File, site *reach.Site, stmt inspector.Cursor, a *ast.AssignStmt, runFn *types.Func) ([]analysis.TextEdit, bool) {
	info := fx.pass.TypesInfo
	res := runFn.Signature().Results()
	if a.Tok != token.DEFINE || types.Identical(res.At(res.Len()-1).Type(), errorType) {
		return nil, true
	}
	errID, _ := a.Lhs[len(a.Lhs)-1].(*ast.Ident)
	if errID == nil {
		return nil, false
	}
	errObj, _ := info.Defs[errID].(*types.Var)
	if errObj == nil {
		return nil, true // an existing err keeps its type
	}
	root := site.Func
	for root.Parent != nil {
		root = root.Parent
	}
	reassigned := false
	for c := range root.Cursor.Preorder((*ast.Ident)(nil)) {
		id := c.Node().(*ast.Ident)
		if id == errID || info.Uses[id] != errObj {
			continue
		}
		k, _ := c.ParentEdge()
		if k == edge.AssignStmt_Lhs || k == edge.UnaryExpr_X && c.Parent().Node().(*ast.UnaryExpr).Op == token.AND {
			reassigned = true
			break
		}
	}
	if !reassigned {
		return nil, true
	}
	if k, _ := stmt.ParentEdge(); k != edge.BlockStmt_List && k != edge.CaseClause_Body && k != edge.CommClause_Body {
		return nil, false
	}
	edits := []analysis.TextEdit{{Pos: a.Pos(), End: a.Pos(), NewText: []byte("var " + errID.Name + " error\n" + file.Indent(a.Pos()))}}
	otherNew := false
	for _, l := range a.Lhs[:len(a.Lhs)-1] {
		if id, ok := l.(*ast.Ident); ok && id.Name != "_" && info.Defs[id] != nil {
			otherNew = true
		}
	}
	if !otherNew {
		edits = append(edits, analysis.TextEdit{Pos: a.TokPos, End: a.TokPos + token.Pos(len(":=")), NewText: []byte("=")})
	}
	return edits, true
}

func allBlank(exprs []ast.Expr) bool {
	for _, e := range exprs {
		if id, ok := e.(*ast.Ident); !ok || id.Name != "_" {
			return false
		}
	}
	return true
}
