package statecounter

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// The origins are flow-insensitive: a place holds everything ever written
// to it. A reset is where that is too coarse: total = 0 followed by a loop
// of total += it.Price recomputes the value from scratch, and the value
// read from state never reaches the increment. reset tells such increment
// sites apart, so that they do not count.

// reset reports whether every place holding key k that the increment at
// site reads was reset before it: assigned a fresh value (a constant, a
// zero value, a literal of constants, make) by a statement that runs before
// the site on every path (an earlier statement of a block enclosing it),
// with no assignment between the reset and the site (loops included) that
// brings k's value back.
func (u *unit) reset(site ast.Node, k key) bool {
	places := u.readsAt(site)
	if len(places) == 0 {
		return false
	}
	for _, p := range places {
		if len(u.eval(p)[k]) == 0 {
			continue // not where k's value is
		}
		if !u.resetBefore(site, p, k) {
			return false
		}
	}
	return true
}

// readsAt returns the places an increment site reads the value it
// increments from: total in total += x, total++, total + x, append(s, x).
func (u *unit) readsAt(site ast.Node) []ast.Expr {
	var es []ast.Expr
	switch n := site.(type) {
	case *ast.AssignStmt:
		if len(n.Lhs) == 1 {
			es = append(es, n.Lhs[0])
		}
	case *ast.IncDecStmt:
		es = append(es, n.X)
	case *ast.BinaryExpr:
		es = append(es, n.X, n.Y)
	case *ast.CallExpr:
		if len(n.Args) > 0 {
			es = append(es, n.Args[0])
		}
	}
	var out []ast.Expr
	for _, e := range es {
		if _, _, ok := u.place(ast.Unparen(e)); ok {
			out = append(out, ast.Unparen(e))
		} else if len(u.eval(e)) > 0 {
			return nil // an increment of something that is not a place: no reset applies
		}
	}
	return out
}

// resetBefore reports whether the place e, read at site, is reset before
// it (see reset).
func (u *unit) resetBefore(site ast.Node, e ast.Expr, k key) bool {
	rep, full, ok := u.fullPlace(e)
	if !ok || u.collapsed[rep] {
		return false
	}
	c, ok := u.cur[site]
	if !ok {
		return false
	}
	for cur := c; cur.Valid() && cur.Node() != u.root.Node; cur = cur.Parent() {
		if _, ok := cur.Node().(*ast.FuncLit); ok {
			return false // a closure may run anywhere
		}
		list := stmtList(cur.Parent())
		for i := len(list) - 1; i >= 0; i-- {
			if list[i] != cur.Node() {
				continue
			}
			for j := i - 1; j >= 0; j-- {
				resets, writes := u.assignsPlace(list[j], rep, full)
				if writes && !resets {
					return false // the value read reaches the site
				}
				if resets {
					return !u.restored(list[j].End(), cur.Node().End(), rep, full, k)
				}
			}
			break
		}
	}
	return false
}

func stmtList(c inspector.Cursor) []ast.Stmt {
	if !c.Valid() {
		return nil
	}
	switch p := c.Node().(type) {
	case *ast.BlockStmt:
		return p.List
	case *ast.CaseClause:
		return p.Body
	case *ast.CommClause:
		return p.Body
	}
	return nil
}

// fullPlace returns the alias class of the place e and its path there.
func (u *unit) fullPlace(e ast.Expr) (*types.Var, path, bool) {
	v, p, ok := u.place(e)
	if !ok {
		return nil, "", false
	}
	rep, pre := u.find(v)
	return rep, truncate(pre + p), true
}

// assignsPlace looks at a statement that runs before the site: resets is
// true when it assigns the place (or one enclosing it) a fresh value;
// writes when it assigns a place related to it at all.
func (u *unit) assignsPlace(s ast.Stmt, rep *types.Var, full path) (resets, writes bool) {
	for _, a := range assignments(s) {
		arep, apath, ok := u.fullPlace(a.lhs)
		if !ok || arep != rep || !related(apath, full) {
			continue
		}
		writes = true
		encloses := len(apath) <= len(full)
		if encloses && u.fresh(a.rhs) {
			resets = true
		} else {
			return false, true
		}
	}
	return resets, writes
}

// fresh reports whether e (nil: a zero value) is a value built from
// nothing: a constant, nil, make, or a composite literal of such values.
// A call's result is not: advance(&lim, t) may well compute from the
// value read, which the origins cannot see.
func (u *unit) fresh(e ast.Expr) bool {
	if e == nil {
		return true
	}
	e = ast.Unparen(e)
	if tv, ok := u.info.Types[e]; ok && (tv.Value != nil || tv.IsNil()) {
		return true
	}
	switch x := e.(type) {
	case *ast.CompositeLit:
		for _, elt := range x.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if !u.fresh(elt) {
				return false
			}
		}
		return true
	case *ast.CallExpr:
		if tv, ok := u.info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return u.fresh(x.Args[0]) // float64(0)
		}
		return isBuiltin(u.info, x, "make")
	}
	return false
}

// restored reports whether a plain assignment between from and to brings
// k's value back into a place related to the reset one (count =
// restate.Get(...) again after count = 0).
func (u *unit) restored(from, to token.Pos, rep *types.Var, full path, k key) bool {
	found := false
	ast.Inspect(u.root.Body, func(n ast.Node) bool {
		if found || n == nil || n.End() <= from || n.Pos() >= to {
			return false
		}
		s, ok := n.(ast.Stmt)
		if !ok {
			return true
		}
		for _, a := range assignments(s) {
			arep, apath, ok := u.fullPlace(a.lhs)
			if ok && arep == rep && related(apath, full) && a.rhs != nil && len(u.eval(a.rhs)[k]) > 0 {
				found = true
			}
		}
		return !found
	})
	return found
}

// assignment is one plain assignment (=, :=, var) of a statement: rhs is
// nil for a zero value.
type assignment struct{ lhs, rhs ast.Expr }

// assignments returns the plain assignments s itself makes (=, :=, var);
// compound statements are not looked into.
func assignments(s ast.Stmt) []assignment {
	var out []assignment
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.ASSIGN && s.Tok != token.DEFINE {
			return nil
		}
		for i, l := range s.Lhs {
			switch {
			case len(s.Lhs) == len(s.Rhs):
				out = append(out, assignment{lhs: l, rhs: s.Rhs[i]})
			case i == 0 && len(s.Rhs) == 1:
				out = append(out, assignment{lhs: l, rhs: s.Rhs[0]}) // v, err := restate.Get(...)
			}
		}
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					var rhs ast.Expr
					switch {
					case len(vs.Values) == len(vs.Names):
						rhs = vs.Values[i]
					case len(vs.Values) == 1 && i == 0:
						rhs = vs.Values[0]
					}
					out = append(out, assignment{lhs: name, rhs: rhs})
				}
			}
		}
	}
	return out
}
