package flow

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A field that only a composite literal gives a value (the service's
// constructor: &Handler{usage: cfg.UsageReader}) holds the same value in
// every invocation: it is configuration, like a constant. A condition on
// it (if h.usage == nil { return ok, nil }) decides the same way on every
// retry. Only unexported fields of the package's own types qualify
// (nothing outside the package can write them), and not maps, slices or
// pointers to other than structs, whose contents change through aliases
// without a write to the field; a pointer to a struct is read through
// the struct's own fields, which qualify or not on their own.

// SettledFields returns the unexported fields of struct types declared
// in pkg that no code in files changes after the composite literal that
// builds their value: never assigned, incremented, ranged into, taken
// the address of (also by calling a pointer method on the field), nor a
// field on the way to one of those (x.cfg.Limit = n changes cfg too).
func SettledFields(pkg *types.Package, files []*ast.File, info *types.Info) map[*types.Var]bool {
	settled := ownFields(pkg, func(f *types.Var) bool { return settleable(f.Type()) })
	if len(settled) == 0 {
		return settled
	}
	// changed removes every field on the way from e's root to e.
	var changed func(e ast.Expr)
	changed = func(e ast.Expr) {
		switch x := e.(type) {
		case *ast.ParenExpr:
			changed(x.X)
		case *ast.StarExpr:
			changed(x.X)
		case *ast.IndexExpr:
			changed(x.X)
		case *ast.SliceExpr:
			changed(x.X)
		case *ast.SelectorExpr:
			if f, ok := info.Uses[x.Sel].(*types.Var); ok && f.IsField() {
				delete(settled, f.Origin())
			}
			changed(x.X)
		}
	}
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					changed(lhs)
				}
			case *ast.IncDecStmt:
				changed(n.X)
			case *ast.RangeStmt:
				if n.Key != nil {
					changed(n.Key)
				}
				if n.Value != nil {
					changed(n.Value)
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					changed(n.X)
				}
			case *ast.SelectorExpr:
				// x.f.M() with a pointer receiver takes &x.f.
				if sel, ok := info.Selections[n]; ok && sel.Kind() == types.MethodVal && !isPointer(info.TypeOf(n.X)) {
					if fn, ok := sel.Obj().(*types.Func); ok {
						if recv := fn.Signature().Recv(); recv != nil && isPointer(recv.Type()) {
							changed(n.X)
						}
					}
				}
			}
			return true
		})
	}
	return settled
}

// settleable reports whether a field of type t is changed only by writes
// to it: not a map or slice (their elements are shared by every copy),
// nor a pointer to other than a struct.
func settleable(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Map, *types.Slice:
		return false
	case *types.Pointer:
		_, ok := u.Elem().Underlying().(*types.Struct)
		return ok
	}
	return true
}

// settledField reports whether x is a field read through a chain of
// settled fields from the function's receiver (h.usage, h.cfg.Limit).
func (in *Inputs) settledField(x *ast.SelectorExpr) bool {
	if in.Recv == nil || in.Settled == nil {
		return false
	}
	var e ast.Expr = x
	for {
		switch y := e.(type) {
		case *ast.ParenExpr:
			e = y.X
		case *ast.SelectorExpr:
			sel, ok := in.Info.Selections[y]
			if !ok || sel.Kind() != types.FieldVal {
				return false
			}
			f, ok := sel.Obj().(*types.Var)
			if !ok || !in.Settled[f.Origin()] {
				return false
			}
			e = y.X
		case *ast.Ident:
			return in.Info.Uses[y] == in.Recv
		default:
			return false
		}
	}
}
