package idempotencykey

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// retryLoop returns the loop that sends the ingress call at c again
// after it fails, as the package comment defines it: the innermost
// enclosing for statement of the same function that ends once the call
// succeeds, does not always end when it fails, and sends the same input
// in every iteration.
func (ck *checker) retryLoop(c inspector.Cursor, call *ast.CallExpr) (inspector.Cursor, bool) {
	info := ck.pass.TypesInfo
	stmt := c.Parent()
	for {
		if _, ok := stmt.Node().(*ast.ParenExpr); !ok {
			break
		}
		stmt = stmt.Parent()
	}
	// The error result is assigned to a variable.
	a, ok := stmt.Node().(*ast.AssignStmt)
	if !ok || len(a.Rhs) != 1 || len(a.Lhs) < 2 {
		return inspector.Cursor{}, false
	}
	errID, ok := a.Lhs[len(a.Lhs)-1].(*ast.Ident)
	if !ok || errID.Name == "_" {
		return inspector.Cursor{}, false
	}
	errVar, ok := info.ObjectOf(errID).(*types.Var)
	if !ok {
		return inspector.Cursor{}, false
	}
	for p := stmt.Parent(); p.Valid(); p = p.Parent() {
		switch p.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return inspector.Cursor{}, false
		case *ast.ForStmt, *ast.RangeStmt:
			if ck.retries(p, a, call, errVar) {
				return p, true
			}
		}
	}
	return inspector.Cursor{}, false
}

// loopShape is what retries learns about one loop.
type loopShape struct {
	info          *types.Info
	loop          ast.Stmt
	label         string   // the loop's label, if any
	cond          ast.Expr // a for statement's condition
	errVar        *types.Var
	after         token.Pos // statements from here on follow the call
	successExits  bool
	failureExits  bool
	condMentions  map[string]bool // expressions the condition mentions, as text
	successWrites bool            // a success branch writes one of them
}

// retries reports whether the loop at lc retries the call whose result
// is assigned by a.
func (ck *checker) retries(lc inspector.Cursor, a *ast.AssignStmt, call *ast.CallExpr, errVar *types.Var) bool {
	info := ck.pass.TypesInfo
	s := &loopShape{info: info, loop: lc.Node().(ast.Stmt), errVar: errVar, after: a.Pos()}
	var body *ast.BlockStmt
	switch l := s.loop.(type) {
	case *ast.ForStmt:
		body, s.cond = l.Body, l.Cond
	case *ast.RangeStmt:
		body = l.Body
	}
	if body == nil || a.Pos() < body.Lbrace || a.End() > body.Rbrace {
		return false // the call is in the loop's header
	}
	if ls, ok := lc.Parent().Node().(*ast.LabeledStmt); ok {
		s.label = ls.Label.Name
	}
	if len(call.Args) >= 2 && mentions(info, call.Args[1], ck.varying(lc)) {
		return false // another input each iteration: a loop over items
	}
	if s.cond != nil {
		if mentions(info, s.cond, map[*types.Var]bool{errVar: true}) {
			s.successExits = true // for err != nil { ... }
		}
		s.condMentions = make(map[string]bool)
		ast.Inspect(s.cond, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident, *ast.SelectorExpr:
				s.condMentions[types.ExprString(n.(ast.Expr))] = true
			}
			return true
		})
	}
	s.visit(body.List, false)
	return (s.successExits || s.successWrites) && !s.failureExits
}

// visit looks at the ifs that test the error after the call, through
// blocks, branches and cases but not nested loops or functions.
func (s *loopShape) visit(list []ast.Stmt, inSwitch bool) {
	for i, st := range list {
		switch st := st.(type) {
		case *ast.IfStmt:
			if st.End() > s.after {
				s.test(st, list[i+1:], inSwitch)
			}
			s.visit(st.Body.List, inSwitch)
			if st.Else != nil {
				s.visit([]ast.Stmt{st.Else}, inSwitch)
			}
		case *ast.BlockStmt:
			s.visit(st.List, inSwitch)
		case *ast.LabeledStmt:
			s.visit([]ast.Stmt{st.Stmt}, inSwitch)
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			var clauses []ast.Stmt
			switch st := st.(type) {
			case *ast.SwitchStmt:
				clauses = st.Body.List
			case *ast.TypeSwitchStmt:
				clauses = st.Body.List
			case *ast.SelectStmt:
				clauses = st.Body.List
			}
			for _, cc := range clauses {
				switch cc := cc.(type) {
				case *ast.CaseClause:
					s.visit(cc.Body, true)
				case *ast.CommClause:
					s.visit(cc.Body, true)
				}
			}
		}
	}
}

// test records what an if that tests the error says about the loop.
func (s *loopShape) test(st *ast.IfStmt, rest []ast.Stmt, inSwitch bool) {
	kind, pure := errTest(s.info, st.Cond, s.errVar)
	switch kind {
	case success: // if err == nil { ...; break }
		if s.exits(st.Body.List, inSwitch) {
			s.successExits = true
			if s.exits(rest, inSwitch) {
				s.failureExits = true // if err == nil { break }; return err
			}
		}
		if st.Else != nil && pure && s.exits([]ast.Stmt{st.Else}, inSwitch) {
			s.failureExits = true
		}
		if s.writesCond(st.Body) {
			s.successWrites = true
		}
	case failure: // if err != nil { ...; continue }; break
		loops := s.continues(st.Body)
		if pure && !loops && s.exits(st.Body.List, inSwitch) {
			s.failureExits = true
		} else if loops && s.exits(rest, inSwitch) {
			s.successExits = true
		}
		if st.Else != nil && s.exits([]ast.Stmt{st.Else}, inSwitch) {
			s.successExits = true
		}
	}
}

// exits reports whether a statement list ends by leaving the loop.
func (s *loopShape) exits(list []ast.Stmt, inSwitch bool) bool {
	if len(list) == 0 {
		return false
	}
	switch st := list[len(list)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		switch st.Tok {
		case token.BREAK:
			if st.Label == nil {
				return !inSwitch
			}
			return st.Label.Name == s.label
		case token.GOTO:
			return true
		}
	case *ast.BlockStmt:
		return s.exits(st.List, inSwitch)
	case *ast.IfStmt:
		return st.Else != nil && s.exits(st.Body.List, inSwitch) && s.exits([]ast.Stmt{st.Else}, inSwitch)
	case *ast.ExprStmt:
		call, ok := ast.Unparen(st.X).(*ast.CallExpr)
		return ok && terminates(s.info, call)
	}
	return false
}

// continues reports whether body continues the loop somewhere (not in a
// nested loop or function).
func (s *loopShape) continues(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BranchStmt:
			if n.Tok == token.CONTINUE && (n.Label == nil || n.Label.Name == s.label) {
				found = true
			}
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			return false
		}
		return !found
	})
	return found
}

// writesCond reports whether body assigns something the loop's condition
// tests (status = "done" with for ... && status == "pending").
func (s *loopShape) writesCond(body *ast.BlockStmt) bool {
	if len(s.condMentions) == 0 {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				found = found || s.condMentions[types.ExprString(l)]
			}
		case *ast.IncDecStmt:
			found = found || s.condMentions[types.ExprString(n.X)]
		case *ast.FuncLit:
			return false
		}
		return !found
	})
	return found
}

// terminates reports whether call ends the program or the goroutine:
// panic, os.Exit, log.Fatal*, log.Panic*.
func terminates(info *types.Info, call *ast.CallExpr) bool {
	switch fn := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		return fn.Name() == "panic"
	case *types.Func:
		if fn.Pkg() == nil {
			return false
		}
		switch fn.Pkg().Path() {
		case "os":
			return fn.Name() == "Exit"
		case "log":
			n := fn.Name()
			return len(n) >= 5 && (n[:5] == "Fatal" || n[:5] == "Panic")
		}
	}
	return false
}

type testKind uint8

const (
	unrelated testKind = iota
	success            // true when the call succeeded
	failure            // true when the call failed
)

// errTest classifies a condition by what it says about err: err == nil
// is a success test, err != nil and errors.Is/As(err, ...) failure tests.
// pure is false when the condition also depends on something else in a
// way that makes the branch conditional (err != nil && attempt == max).
func errTest(info *types.Info, cond ast.Expr, err *types.Var) (kind testKind, pure bool) {
	isErr := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == err
	}
	isNil := func(e ast.Expr) bool {
		tv, ok := info.Types[e]
		return ok && tv.IsNil()
	}
	switch c := ast.Unparen(cond).(type) {
	case *ast.BinaryExpr:
		switch c.Op {
		case token.EQL, token.NEQ:
			if (isErr(c.X) && isNil(c.Y)) || (isNil(c.X) && isErr(c.Y)) {
				if c.Op == token.EQL {
					return success, true
				}
				return failure, true
			}
		case token.LAND, token.LOR:
			kx, px := errTest(info, c.X, err)
			ky, py := errTest(info, c.Y, err)
			k, p := kx, px
			if k == unrelated {
				k, p = ky, py
			}
			// err != nil || x: every failure takes the branch. err == nil && x:
			// every failure takes the else branch. Otherwise the branch
			// depends on x.
			if (c.Op == token.LOR && k == failure) || (c.Op == token.LAND && k == success) {
				return k, p
			}
			return k, false
		}
	case *ast.UnaryExpr:
		if c.Op == token.NOT {
			k, p := errTest(info, c.X, err)
			switch k {
			case success:
				return failure, p
			case failure:
				return success, p
			}
		}
	case *ast.CallExpr:
		fn, _ := typeutil.Callee(info, c).(*types.Func)
		if fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "errors" && (fn.Name() == "Is" || fn.Name() == "As") &&
			len(c.Args) > 0 && isErr(c.Args[0]) {
			return failure, false
		}
	}
	return unrelated, false
}

// varying returns the variables that change from one iteration of the
// loop to the next: the for clause's and the range clause's variables,
// and variables assigned in the loop from them or from a channel receive.
func (ck *checker) varying(lc inspector.Cursor) map[*types.Var]bool {
	info := ck.pass.TypesInfo
	vary := make(map[*types.Var]bool)
	markLHS := func(lhs []ast.Expr) bool {
		changed := false
		for _, l := range lhs {
			if id, ok := ast.Unparen(l).(*ast.Ident); ok {
				if v, ok := info.ObjectOf(id).(*types.Var); ok && !vary[v] {
					vary[v] = true
					changed = true
				}
			}
		}
		return changed
	}
	switch l := lc.Node().(type) {
	case *ast.ForStmt:
		if a, ok := l.Init.(*ast.AssignStmt); ok {
			markLHS(a.Lhs)
		}
		switch p := l.Post.(type) {
		case *ast.AssignStmt:
			markLHS(p.Lhs)
		case *ast.IncDecStmt:
			markLHS([]ast.Expr{p.X})
		}
	case *ast.RangeStmt:
		markLHS([]ast.Expr{l.Key, l.Value})
	}
	for range 4 { // to a fixed point, bounded
		changed := false
		for c := range lc.Preorder((*ast.AssignStmt)(nil), (*ast.RangeStmt)(nil)) {
			switch n := c.Node().(type) {
			case *ast.AssignStmt:
				for _, r := range n.Rhs {
					if mentions(info, r, vary) || receives(r) {
						changed = markLHS(n.Lhs) || changed
						break
					}
				}
			case *ast.RangeStmt:
				if n != lc.Node() {
					changed = markLHS([]ast.Expr{n.Key, n.Value}) || changed
				}
			}
		}
		if !changed {
			break
		}
	}
	return vary
}

// mentions reports whether e uses one of vars.
func mentions(info *types.Info, e ast.Expr, vars map[*types.Var]bool) bool {
	if len(vars) == 0 || e == nil {
		return false
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok && vars[v] {
				found = true
			}
		}
		return !found
	})
	return found
}

// receives reports whether e contains a channel receive.
func receives(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			found = true
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		return !found
	})
	return found
}
