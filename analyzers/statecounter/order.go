package statecounter

import (
	"go/ast"
	"go/token"
)

// A Set stores what its value holds when it runs: an increment written
// after it in the handler, on a path that never comes back to it, does
// not reach it (praxis' Prune resets the counter and returns early, and
// decrements it further down). The data flow is path-insensitive; this
// puts back the order of statements.

// mayPrecede reports whether the increment at site may run before the Set
// call set: it lies before it in the source or in its arguments, or a loop encloses both (the
// next iteration runs it first), or it lies in a function literal (called
// whenever the literal is).
func (u *unit) mayPrecede(site, set ast.Node) bool {
	if site.Pos() < set.End() || u.hasGoto() {
		return true
	}
	c, ok := u.cur[set]
	if !ok {
		return true
	}
	for p := c.Parent(); p.Valid() && p.Node() != u.root.Node; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if n.Pos() <= site.Pos() && site.End() <= n.End() {
				return true
			}
		case *ast.FuncLit:
			return true
		}
	}
	sc, ok := u.cur[site]
	if !ok {
		return true
	}
	for p := sc.Parent(); p.Valid() && p.Node() != u.root.Node; p = p.Parent() {
		if _, ok := p.Node().(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}

// hasGoto reports whether the handler jumps with goto (a jump back may
// run a later statement first).
func (u *unit) hasGoto() bool {
	found := false
	ast.Inspect(u.root.Node, func(n ast.Node) bool {
		if b, ok := n.(*ast.BranchStmt); ok && b.Tok == token.GOTO {
			found = true
		}
		return !found
	})
	return found
}
