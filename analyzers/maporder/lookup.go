package maporder

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/reach"
)

// lookup reports whether the loop rs over a map only searches it: every
// Restate operation of the body lies in the branch of an if whose
// condition tests the range key, or the range value, for equality with a
// value that does not change in the loop, and that branch ends by leaving
// the loop (break or return); nothing outside the branch writes the map.
//
// A key match is order-independent: keys are unique, so at most one entry
// takes the branch, whichever order the map is ranged in. A value match is
// accepted only when the branch does not use the key, or the value is a
// Restate future (futureValue): two entries may hold the same value, and
// which of them is found first depends on the order, but when the branch
// sees only the value (equal to the one compared) it does exactly the
// same for either.
func lookup(info *types.Info, res *reach.Result, rs *ast.RangeStmt, r ranged) bool {
	var branch *ast.IfStmt
	for _, s := range opSites(res, rs.Body) {
		b := matchBranch(info, rs, r, s)
		if b == nil || branch != nil && b != branch {
			return false
		}
		branch = b
	}
	return branch != nil && !writesMap(info, rs.Body, r.m, branch)
}

// opSites returns the positions of the Restate operations in body, direct
// or reached.
func opSites(res *reach.Result, body *ast.BlockStmt) []token.Pos {
	var out []token.Pos
	for _, s := range sitesIn(res, body) {
		if _, ok := s.Effect(reach.OpRule); s.Op != "" || ok {
			out = append(out, s.Pos())
		}
	}
	return out
}

// matchBranch returns the if statement of the loop body whose branch
// holds pos and makes the loop a lookup (see lookup), or nil.
func matchBranch(info *types.Info, rs *ast.RangeStmt, r ranged, pos token.Pos) *ast.IfStmt {
	for _, s := range rs.Body.List {
		ifs, ok := s.(*ast.IfStmt)
		if !ok || pos < ifs.Body.Lbrace || pos >= ifs.Body.Rbrace {
			continue
		}
		if ifs.Init != nil || !exitsLoop(ifs.Body) {
			return nil
		}
		byKey, byValue := matches(info, rs, r, ifs.Cond)
		switch {
		case byKey:
			return ifs
		case byValue && (r.key == nil || !uses(info, ifs.Body, info.Defs[r.key]) || futureValue(info, r)):
			return ifs
		}
		return nil
	}
	return nil
}

// futureValue reports whether the range value is a Restate future: a map
// from names to the futures of their operations holds each future once
// (each is the handle of its own journal entry), so a completed future
// (restate.Wait's) matches one entry, and its key, whatever the order:
// "which step does this future belong to".
func futureValue(info *types.Info, r ranged) bool {
	v, ok := info.ObjectOf(r.value).(*types.Var)
	return ok && sdk.IsFuture(v.Type())
}

// matches reports whether cond (or a conjunct of it) compares the range
// key, or value, with == to a loop-invariant value.
func matches(info *types.Info, rs *ast.RangeStmt, r ranged, cond ast.Expr) (byKey, byValue bool) {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		return false, false
	}
	switch b.Op {
	case token.LAND:
		k1, v1 := matches(info, rs, r, b.X)
		k2, v2 := matches(info, rs, r, b.Y)
		return k1 || k2, v1 || v2
	case token.EQL:
		for _, pair := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
			id, ok := ast.Unparen(pair[0]).(*ast.Ident)
			if !ok || !invariant(info, rs, pair[1]) {
				continue
			}
			obj := info.Uses[id]
			switch {
			case r.key != nil && obj != nil && obj == info.Defs[r.key]:
				byKey = true
			case r.value != nil && obj != nil && obj == info.Defs[r.value]:
				byValue = true
			}
		}
	}
	return byKey, byValue
}

// invariant reports whether e has the same value in every iteration of
// rs: constants, and variables (with their fields) declared outside the
// loop and not assigned or addressed in it. Calls, receives and index
// expressions are not.
func invariant(info *types.Info, rs *ast.RangeStmt, e ast.Expr) bool {
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return true
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := info.Uses[x].(*types.Var)
		if !ok {
			return info.Uses[x] != nil // a constant, a function
		}
		return (v.Pos() < rs.Pos() || v.Pos() >= rs.End()) && !assigned(info, rs.Body, v)
	case *ast.SelectorExpr:
		if s, ok := info.Selections[x]; ok {
			return s.Kind() == types.FieldVal && invariant(info, rs, x.X)
		}
		return invariant(info, rs, x.Sel) // a package-qualified name
	case *ast.StarExpr:
		return invariant(info, rs, x.X)
	case *ast.BinaryExpr:
		return invariant(info, rs, x.X) && invariant(info, rs, x.Y)
	}
	return false
}

// assigned reports whether body assigns v (or a part of it), increments
// it, or takes its address.
func assigned(info *types.Info, body ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				found = found || rootIs(info, l, v)
			}
		case *ast.IncDecStmt:
			found = found || rootIs(info, n.X, v)
		case *ast.UnaryExpr:
			found = found || n.Op == token.AND && rootIs(info, n.X, v)
		case *ast.RangeStmt:
			found = found || n.Key != nil && rootIs(info, n.Key, v) || n.Value != nil && rootIs(info, n.Value, v)
		}
		return !found
	})
	return found
}

// rootIs reports whether the variable at the root of e (x in x, x.f,
// x[i], *x) is v.
func rootIs(info *types.Info, e ast.Expr, v *types.Var) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return info.ObjectOf(x) == v
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return false
		}
	}
}

// exitsLoop reports whether a branch ends by leaving the loop it is
// directly in: its last statement is a return or an unlabeled break.
func exitsLoop(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.BREAK && s.Label == nil
	}
	return false
}

// uses reports whether n refers to obj.
func uses(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// writesMap reports whether body, outside the branch, deletes from or
// assigns to the map m: entries removed or added during the range may or
// may not be visited, depending on the order.
func writesMap(info *types.Info, body *ast.BlockStmt, m ast.Expr, branch *ast.IfStmt) bool {
	want := types.ExprString(m)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == branch.Body {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && len(n.Args) > 0 {
				if b, ok := info.Uses[id].(*types.Builtin); ok && (b.Name() == "delete" || b.Name() == "clear") &&
					types.ExprString(n.Args[0]) == want {
					found = true
				}
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if ix, ok := ast.Unparen(l).(*ast.IndexExpr); ok && types.ExprString(ix.X) == want {
					found = true
				}
			}
		}
		return !found
	})
	return found
}
