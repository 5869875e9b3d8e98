package statecounter

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// A state machine refuses a repeat while the first request is in flight:
//
//	existing, _ := restate.Get[*Deployment](ctx, "state")
//	if existing != nil {
//		switch existing.Status {
//		case Pending, Running:
//			return 0, restate.TerminalError(errBusy, 409)
//		}
//	}
//	generation := existing.Generation + 1
//	restate.Set(ctx, "state", &Deployment{Status: Pending, Generation: generation})
//
// (praxis' InitDeployment). The handler itself stores, under the key it
// tested, a status the test refuses: a duplicate finds it there and exits
// before any increment.

// statusGuard reports whether s is such a test: a switch on a field of a
// value read from state whose exiting cases list a constant, or an if
// comparing the field with one (==, ||) and exiting, where the handler
// stores under the same key a value whose field is that constant.
func (u *unit) statusGuard(s ast.Node, loops int) bool {
	switch s := s.(type) {
	case *ast.SwitchStmt:
		if s.Tag == nil {
			return false
		}
		for _, cc := range s.Body.List {
			clause := cc.(*ast.CaseClause)
			if !exits(&ast.BlockStmt{List: clause.Body}, loops) {
				continue
			}
			for _, e := range clause.List {
				if u.storesRefused(s.Tag, e) {
					return true
				}
			}
		}
	case *ast.IfStmt:
		if !exits(s.Body, loops) {
			return false
		}
		for _, eq := range equalities(s.Cond) {
			if u.storesRefused(eq.X, eq.Y) || u.storesRefused(eq.Y, eq.X) {
				return true
			}
		}
	}
	return false
}

// equalities lists the == comparisons of a condition made of them and ||.
func equalities(e ast.Expr) []*ast.BinaryExpr {
	b, ok := ast.Unparen(e).(*ast.BinaryExpr)
	if !ok {
		return nil
	}
	switch b.Op {
	case token.EQL:
		return []*ast.BinaryExpr{b}
	case token.LOR:
		return append(equalities(b.X), equalities(b.Y)...)
	}
	return nil
}

// storesRefused reports whether field is a field of a value read from
// state (x.Status), refused is a constant, and the handler stores under
// that key a value whose field is the same constant.
func (u *unit) storesRefused(field, refused ast.Expr) bool {
	sel, ok := ast.Unparen(field).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	fv, ok := u.info.Uses[sel.Sel].(*types.Var)
	if !ok || !fv.IsField() {
		return false
	}
	want := u.info.Types[refused].Value
	if want == nil {
		return false
	}
	keys := u.eval(sel.X)
	if len(keys) == 0 {
		return false
	}
	for _, set := range u.sets {
		if _, read := keys[u.siteKey(set)]; !read {
			continue
		}
		if got := u.fieldConst(set.value, fv, 0); got != nil && constant.Compare(got, token.EQL, want) {
			return true
		}
	}
	return false
}

// fieldConst returns the constant value of field f in the composite
// literal e is (&T{...}, T{...}, or a variable assigned one once).
func (u *unit) fieldConst(e ast.Expr, f *types.Var, depth int) constant.Value {
	if depth > 4 {
		return nil
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.UnaryExpr:
		return u.fieldConst(x.X, f, depth+1)
	case *ast.Ident:
		if v, ok := u.info.Uses[x].(*types.Var); ok && u.assigned[v] == 1 {
			if rhs, ok := u.single[v]; ok {
				return u.fieldConst(rhs, f, depth+1)
			}
		}
	case *ast.CompositeLit:
		for _, elt := range x.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if id, ok := kv.Key.(*ast.Ident); ok && u.info.Uses[id] == f {
				return u.info.Types[kv.Value].Value
			}
		}
	}
	return nil
}
