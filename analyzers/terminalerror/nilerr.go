package terminalerror

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// Helpers that never fail: a function of the package whose last result is
// an error and is the nil literal at every return (restatedev/examples'
// split(task) building subtasks from a string). The handler's
// `if err != nil { return ..., err }` after calling it is dead code: no
// error reaches a retry.

// neverFail finds the package's functions whose error result is nil at
// every return.
func (c *checker) neverFail() map[*types.Func]bool {
	out := make(map[*types.Func]bool)
	info := c.pass.TypesInfo
	for _, f := range c.z.Funcs {
		if f.Obj == nil || f.Body == nil {
			continue
		}
		res := f.Obj.Signature().Results()
		if res.Len() == 0 || !types.Identical(res.At(res.Len()-1).Type(), errorType) {
			continue
		}
		returns, nilOnly := 0, true
		ast.Inspect(f.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // its returns are its own
			case *ast.ReturnStmt:
				returns++
				if len(n.Results) != res.Len() || !info.Types[n.Results[len(n.Results)-1]].IsNil() {
					nilOnly = false // a bare or forwarded return, or an error
				}
			}
			return nilOnly
		})
		if returns > 0 && nilOnly {
			out[f.Obj] = true
		}
	}
	return out
}

// alwaysNil reports whether the error expression e, returned at ret by
// the handler whose body is body, is a local variable that holds the
// error result of a function that never fails there: the if statement
// around ret tests it right after the assignment (`x, err := split(t)`
// just before `if err != nil { return ..., err }`, or in its init), or,
// failing that shape, every assignment of the variable is such a call.
func (c *checker) alwaysNil(body *ast.BlockStmt, ret *ast.ReturnStmt, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	info := c.pass.TypesInfo
	v, ok := info.Uses[id].(*types.Var)
	if !ok || !(body.Pos() <= v.Pos() && v.Pos() < body.End()) {
		return false // a parameter, a result, a package variable
	}
	if as := c.testedAfter(body, ret, v); as != nil {
		return c.nilAssign(as, v)
	}
	assigned, all := 0, true
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if assigns(info, n, v) {
				assigned++
				all = all && c.nilAssign(n, v)
			}
		case *ast.ValueSpec:
			for _, name := range n.Names {
				if info.Defs[name] == v {
					all = false // var err error = ...: not followed
				}
			}
		case *ast.UnaryExpr:
			if x, isID := ast.Unparen(n.X).(*ast.Ident); isID && info.Uses[x] == v {
				all = false // &err: written elsewhere
			}
		}
		return all
	})
	return all && assigned > 0
}

// testedAfter returns the assignment of v that the if statement directly
// enclosing ret tests: its init, or the statement just before it.
func (c *checker) testedAfter(body *ast.BlockStmt, ret *ast.ReturnStmt, v *types.Var) *ast.AssignStmt {
	info := c.pass.TypesInfo
	var found *ast.AssignStmt
	var visit func(list []ast.Stmt)
	visit = func(list []ast.Stmt) {
		for i, st := range list {
			if found != nil || st.Pos() > ret.Pos() || ret.End() > st.End() {
				continue
			}
			switch st := st.(type) {
			case *ast.IfStmt:
				if len(st.Body.List) > 0 && st.Body.List[0] == ret {
					if as, ok := st.Init.(*ast.AssignStmt); ok && assigns(info, as, v) {
						found = as
					} else if i > 0 {
						if as, ok := list[i-1].(*ast.AssignStmt); ok && assigns(info, as, v) {
							found = as
						}
					}
					return
				}
				visit(st.Body.List)
				if blk, ok := st.Else.(*ast.BlockStmt); ok {
					visit(blk.List)
				}
			case *ast.BlockStmt:
				visit(st.List)
			case *ast.ForStmt:
				visit(st.Body.List)
			case *ast.RangeStmt:
				visit(st.Body.List)
			}
		}
	}
	visit(body.List)
	return found
}

// assigns reports whether as assigns v.
func assigns(info *types.Info, as *ast.AssignStmt, v *types.Var) bool {
	for _, lhs := range as.Lhs {
		if id, ok := lhs.(*ast.Ident); ok && (info.Defs[id] == v || info.Uses[id] == v) {
			return true
		}
	}
	return false
}

// nilAssign reports whether as assigns v the error result (the last) of a
// call of a function that never fails.
func (c *checker) nilAssign(as *ast.AssignStmt, v *types.Var) bool {
	info := c.pass.TypesInfo
	if len(as.Rhs) != 1 {
		return false
	}
	last, ok := as.Lhs[len(as.Lhs)-1].(*ast.Ident)
	if !ok || (info.Defs[last] != v && info.Uses[last] != v) {
		return false
	}
	call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return fn != nil && c.nilErr[fn.Origin()]
}
