package flow

import (
	"go/ast"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// A value used in the condition of an if or a switch decides what the
// branches do. Of follows it into them: a return statement in a branch
// returns it, a local variable a branch assigns holds it (followed like
// any other), a logging call observes it; any other statement (a call
// for its effect, a write to memory that is not local, a send, a loop
// exit) is an Other use. When a branch may return, the statements after
// the if run or not depending on the value too, so they are decided
// as well, up to the first statement that always ends the function.

// decides follows a value used in the condition of the if or switch
// statement at stmt.
func (t *tracer) decides(stmt inspector.Cursor, u *Uses, depth int) {
	if t.decided == nil {
		t.decided = make(map[ast.Node]bool)
	}
	if t.decided[stmt.Node()] {
		return
	}
	t.decided[stmt.Node()] = true
	var region []inspector.Cursor
	switch n := stmt.Node().(type) {
	case *ast.IfStmt:
		region = append(region, stmt.ChildAt(edge.IfStmt_Body, -1))
		if n.Else != nil {
			region = append(region, stmt.ChildAt(edge.IfStmt_Else, -1))
		}
	case *ast.SwitchStmt:
		region = append(region, stmt.ChildAt(edge.SwitchStmt_Body, -1))
	default:
		u.Other = append(u.Other, stmt)
		return
	}
	returns := false
	for _, r := range region {
		if t.decideStmt(r, u, depth) {
			returns = true
		}
	}
	if returns {
		t.decideRest(stmt, u, depth)
	}
}

// decideRest decides the statements that run after stmt, when whether
// they run depends on the value: those after it in its block and in
// every enclosing block, up to one that always ends the function. A loop
// around stmt runs them again with other values: an Other use.
func (t *tracer) decideRest(stmt inspector.Cursor, u *Uses, depth int) {
	c := stmt
	for {
		p := c.Parent()
		if !p.Valid() {
			return
		}
		switch p.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return
		case *ast.BlockStmt, *ast.CaseClause:
			if k, _ := p.ParentEdge(); k == edge.SwitchStmt_Body || k == edge.TypeSwitchStmt_Body || k == edge.SelectStmt_Body {
				break // the other clauses do not run after this one
			}
			list := stmtList(p.Node())
			_, idx := c.ParentEdge()
			for i := idx + 1; i < len(list); i++ {
				t.decideStmt(p.ChildAt(listEdge(p.Node()), i), u, depth)
			}
			if len(list) > 0 && terminates(list[len(list)-1]) {
				return
			}
		case *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.LabeledStmt:
		default:
			u.Other = append(u.Other, p) // a loop, a select
			return
		}
		c = p
	}
}

func stmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	}
	return nil
}

func listEdge(n ast.Node) edge.Kind {
	if _, ok := n.(*ast.CaseClause); ok {
		return edge.CaseClause_Body
	}
	return edge.BlockStmt_List
}

// terminates reports whether s always ends the function (a simplified
// form of the spec's terminating statements).
func terminates(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BlockStmt:
		return len(s.List) > 0 && terminates(s.List[len(s.List)-1])
	case *ast.IfStmt:
		return s.Else != nil && terminates(s.Body) && terminates(s.Else)
	case *ast.ExprStmt:
		if call, ok := s.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	}
	return false
}

// decideStmt follows a value into a statement whose running it decides.
// It reports whether the statement may return.
func (t *tracer) decideStmt(c inspector.Cursor, u *Uses, depth int) bool {
	if t.handsOnContext(c) {
		u.Other = append(u.Other, c)
		return false
	}
	returns := false
	switch n := c.Node().(type) {
	case *ast.ReturnStmt:
		u.Returns = append(u.Returns, c)
		return true
	case *ast.EmptyStmt:
	case *ast.BlockStmt, *ast.CaseClause:
		for i := range stmtList(n) {
			if t.decideStmt(c.ChildAt(listEdge(n), i), u, depth) {
				returns = true
			}
		}
	case *ast.IfStmt:
		if n.Init != nil {
			returns = t.decideStmt(c.ChildAt(edge.IfStmt_Init, -1), u, depth)
		}
		if t.decideStmt(c.ChildAt(edge.IfStmt_Body, -1), u, depth) {
			returns = true
		}
		if n.Else != nil && t.decideStmt(c.ChildAt(edge.IfStmt_Else, -1), u, depth) {
			returns = true
		}
	case *ast.SwitchStmt:
		if n.Init != nil {
			returns = t.decideStmt(c.ChildAt(edge.SwitchStmt_Init, -1), u, depth)
		}
		if t.decideStmt(c.ChildAt(edge.SwitchStmt_Body, -1), u, depth) {
			returns = true
		}
	case *ast.AssignStmt:
		scope := outermost(c)
		for i, lhs := range n.Lhs {
			if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" {
				continue
			}
			root, steps, ok := t.target(scope, lhs)
			if !ok {
				u.Other = append(u.Other, c.ChildAt(edge.AssignStmt_Lhs, i))
				continue
			}
			t.followVar(c, root, steps, u, depth)
		}
	case *ast.IncDecStmt:
		root, steps, ok := t.target(outermost(c), n.X)
		if !ok {
			u.Other = append(u.Other, c)
			break
		}
		t.followVar(c, root, steps, u, depth)
	case *ast.DeclStmt:
		for id := range c.Preorder((*ast.Ident)(nil)) {
			if k, _ := id.ParentEdge(); k != edge.ValueSpec_Names {
				continue
			}
			if len(id.Parent().Node().(*ast.ValueSpec).Values) == 0 {
				// var data T holds its zero value, whichever way the value
				// decided: what decided statements later write into it is
				// followed where they write it (json.Unmarshal(b, &data)
				// is a call whose own result and effects are judged).
				continue
			}
			if v, ok := t.local(id.Node().(*ast.Ident)); ok {
				t.followVar(c, v, nil, u, depth)
			}
		}
	case *ast.ExprStmt:
		call, ok := ast.Unparen(n.X).(*ast.CallExpr)
		if !ok || !t.observes(call) {
			u.Other = append(u.Other, c)
		}
	default:
		u.Other = append(u.Other, c) // a loop, a send, a branch, go, defer
	}
	return returns
}

// handsOnContext reports whether a statement performs a Restate
// operation or passes a handler context to a call (which may perform
// one): the value would then decide the journal.
func (t *tracer) handsOnContext(c inspector.Cursor) bool {
	for cc := range c.Preorder((*ast.CallExpr)(nil)) {
		call := cc.Node().(*ast.CallExpr)
		if _, op := sdk.Operation(t.info, call); op {
			return true
		}
		fn := sdk.Callee(t.info, call)
		if fn != nil && fn.Pkg() != nil && sdk.InSDK(fn.Pkg().Path()) || t.observes(call) {
			continue // ctx.Log(), restate.TerminalError(err), slog.InfoContext(ctx, ...)
		}
		for _, a := range call.Args {
			if sdk.IsHandlerContext(t.info.TypeOf(a)) {
				return true
			}
		}
	}
	return false
}
