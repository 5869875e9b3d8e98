package idempotencykey

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// isCounter reports whether v, a package-level variable, is a counter:
// an integer incremented or decremented with ++, --, += or -=, or
// assigned v = v + n, or updated with sync/atomic (atomic.AddInt64(&v, 1),
// v.Add(1) on an atomic.Int64), anywhere in the package.
func (ck *checker) isCounter(v *types.Var) bool {
	if ck.counters == nil {
		ck.counters = ck.findCounters()
	}
	return ck.counters[v]
}

func (ck *checker) findCounters() map[*types.Var]bool {
	info := ck.pass.TypesInfo
	out := make(map[*types.Var]bool)
	pkgVar := func(e ast.Expr) *types.Var {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.Pkg() != ck.pass.Pkg || v.Parent() != v.Pkg().Scope() {
			return nil
		}
		return v
	}
	mark := func(e ast.Expr) {
		if v := pkgVar(e); v != nil && isInteger(v.Type()) {
			out[v] = true
		}
	}
	for c := range ck.in.Root().Preorder((*ast.IncDecStmt)(nil), (*ast.AssignStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := c.Node().(type) {
		case *ast.IncDecStmt:
			mark(n.X)
		case *ast.AssignStmt:
			switch n.Tok {
			case token.ADD_ASSIGN, token.SUB_ASSIGN:
				mark(n.Lhs[0])
			case token.ASSIGN:
				for i, lhs := range n.Lhs {
					if v := pkgVar(lhs); v != nil && i < len(n.Rhs) && isIncrement(info, n.Rhs[i], v) {
						mark(lhs)
					}
				}
			}
		case *ast.CallExpr:
			fn, _ := typeutil.Callee(info, n).(*types.Func)
			if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" {
				continue
			}
			if !strings.HasPrefix(fn.Name(), "Add") && !strings.HasPrefix(fn.Name(), "CompareAndSwap") {
				continue
			}
			if fn.Signature().Recv() == nil {
				if len(n.Args) > 0 {
					if u, ok := ast.Unparen(n.Args[0]).(*ast.UnaryExpr); ok && u.Op == token.AND {
						if v := pkgVar(u.X); v != nil {
							out[v] = true
						}
					}
				}
			} else if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
				if v := pkgVar(sel.X); v != nil {
					out[v] = true // atomic.Int64 and friends
				}
			}
		}
	}
	return out
}

// isIncrement reports whether e is v + n or v - n.
func isIncrement(info *types.Info, e ast.Expr, v *types.Var) bool {
	b, ok := ast.Unparen(e).(*ast.BinaryExpr)
	if !ok || (b.Op != token.ADD && b.Op != token.SUB) {
		return false
	}
	for _, x := range []ast.Expr{b.X, b.Y} {
		if id, ok := ast.Unparen(x).(*ast.Ident); ok && info.Uses[id] == v {
			return true
		}
	}
	return false
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}
