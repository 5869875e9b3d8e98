package reach

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/edge"

	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// lookup returns the sink row matching obj as used in f. A structural row
// (sinks.Sink.Sig: an injected clock) does not match a local variable
// bound in sight: calling it runs a literal the walk analyzes, or a
// function reported where it is referenced (clock := time.Now).
func (w *walker) lookup(f *zones.Func, obj types.Object) *sinks.Sink {
	s := sinks.LookupIn(w.settings, obj)
	if s == nil || s.Sig == "" {
		return s
	}
	if v, ok := obj.(*types.Var); ok && !v.IsField() && !isPkgLevel(v) && w.boundInSight(f, v) {
		return nil
	}
	return s
}

// sinkName names the sink a site matched: its row's name for the object,
// or for an injected function value the expression called ("deps.Now").
func (s *Site) sinkName() string {
	if _, ok := s.Obj.(*types.Var); ok && s.Sink.Sig != "" && s.Call != nil {
		return types.ExprString(ast.Unparen(s.Call.Fun))
	}
	return s.Sink.Name(s.Obj)
}

// boundInSight reports whether v is a local variable (not a parameter)
// of the functions enclosing f whose every assignment is a function
// literal, a declared function or a concrete method value.
func (w *walker) boundInSight(f *zones.Func, v *types.Var) bool {
	info := w.pass.TypesInfo
	scope := f.Cursor
	for c := range f.Cursor.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		scope = c
	}
	for c := range scope.Preorder((*ast.Ident)(nil)) {
		id := c.Node().(*ast.Ident)
		k, idx := c.ParentEdge()
		if info.Defs[id] != v && (info.Uses[id] != v || k != edge.AssignStmt_Lhs) {
			continue
		}
		var val ast.Expr
		switch k {
		case edge.AssignStmt_Lhs:
			a := c.Parent().Node().(*ast.AssignStmt)
			if len(a.Lhs) != len(a.Rhs) {
				return false
			}
			val = a.Rhs[idx]
		case edge.ValueSpec_Names:
			vs := c.Parent().Node().(*ast.ValueSpec)
			if len(vs.Values) == 0 {
				continue // the zero value: nil
			}
			if len(vs.Values) != len(vs.Names) {
				return false
			}
			val = vs.Values[idx]
		default:
			return false // a parameter, a range variable, ...
		}
		if !inSight(info, val) {
			return false
		}
	}
	return true
}

// inSight reports whether e is a function literal or names a declared
// function or a concrete method.
func inSight(info *types.Info, e ast.Expr) bool {
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return true
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	case *ast.IndexExpr: // an instantiation
		return inSight(info, x.X)
	default:
		return false
	}
	fn, ok := info.Uses[id].(*types.Func)
	return ok && !zones.IsAbstract(fn)
}
