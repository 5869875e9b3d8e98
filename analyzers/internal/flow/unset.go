package flow

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// A field that no code ever sets holds its zero value: an optional
// collaborator nobody wires (an instrumentation wrapper's tracing field
// its constructor leaves out). Only unexported fields of the package's
// own types qualify: nothing outside the package can set them, and
// encoding/json and its kind do not. A branch under `x.f != nil` on such
// a field never runs, so what a value does there is not a use of it.

// UnsetFields returns the unexported fields of struct types declared in
// pkg, of a type that can be nil, that no code in files sets: assigned,
// given a value other than nil in a composite literal (keyed, or by
// position), taken
// the address of, or filled by a range loop or a conversion from another
// struct type.
func UnsetFields(pkg *types.Package, files []*ast.File, info *types.Info) map[*types.Var]bool {
	unset := ownFields(pkg, func(f *types.Var) bool { return !f.Embedded() && nilable(f.Type()) })
	if len(unset) == 0 {
		return unset
	}
	set := func(e ast.Expr) {
		if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
			if f, ok := info.Uses[sel.Sel].(*types.Var); ok && f.IsField() {
				delete(unset, f.Origin())
			}
		}
	}
	setAll := func(t types.Type) {
		if st, ok := structOf(t); ok {
			for f := range st.Fields() {
				delete(unset, f)
			}
		}
	}
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					set(lhs)
				}
			case *ast.RangeStmt:
				set(n.Key)
				set(n.Value)
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					set(n.X)
				}
			case *ast.CompositeLit:
				for i, elt := range n.Elts {
					kv, ok := elt.(*ast.KeyValueExpr)
					if !ok {
						if st, ok := structOf(info.TypeOf(n)); ok && i < st.NumFields() && !isNil(info, elt) {
							delete(unset, st.Field(i)) // by position
						}
						continue
					}
					if isNil(info, kv.Value) {
						continue
					}
					if id, ok := kv.Key.(*ast.Ident); ok {
						if f, ok := info.Uses[id].(*types.Var); ok && f.IsField() {
							delete(unset, f.Origin())
						}
					}
				}
			case *ast.CallExpr:
				if tv, ok := info.Types[n.Fun]; ok && tv.IsType() && len(n.Args) == 1 {
					if at := info.TypeOf(n.Args[0]); at != nil && !types.Identical(at, tv.Type) {
						setAll(tv.Type) // T(other): fields from another type's value
					}
				}
			}
			return true
		})
	}
	return unset
}

// ownFields returns the unexported fields of the struct types declared
// at pkg's top level that keep accepts: only the package can write them.
func ownFields(pkg *types.Package, keep func(*types.Var) bool) map[*types.Var]bool {
	fields := make(map[*types.Var]bool)
	for _, name := range pkg.Scope().Names() {
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for f := range st.Fields() {
			if !f.Exported() && keep(f) {
				fields[f] = true
			}
		}
	}
	return fields
}

// structOf returns the struct type declaring the fields of a value of
// type t (a struct, a pointer to one; a generic type's origin).
func structOf(t types.Type) (*types.Struct, bool) {
	if t == nil {
		return nil, false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		t = n.Origin()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}

// nilable reports whether a value of type t can be nil.
func nilable(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Map, *types.Slice, *types.Chan, *types.Signature:
		return true
	}
	return false
}

// dead reports whether the code at c never runs because an if statement
// enclosing it (in the same function) requires a field that is never
// set to be non-nil: if h.tracing != nil && span != nil { ... }.
func (t *tracer) dead(c inspector.Cursor) bool {
	if len(t.unset) == 0 {
		return false
	}
	for p := range c.Enclosing((*ast.IfStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		n, ok := p.Node().(*ast.IfStmt)
		if !ok {
			return false
		}
		if n.Body.Pos() <= c.Node().Pos() && c.Node().End() <= n.Body.End() && t.neverTrue(n.Cond) {
			return true
		}
	}
	return false
}

// neverTrue reports whether cond is false whenever it is evaluated:
// a conjunction with a term `x.f != nil` on an unset field.
func (t *tracer) neverTrue(cond ast.Expr) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		return false
	}
	switch b.Op {
	case token.LAND:
		return t.neverTrue(b.X) || t.neverTrue(b.Y)
	case token.NEQ:
		return t.unsetField(b.X) && isNil(t.info, b.Y) || t.unsetField(b.Y) && isNil(t.info, b.X)
	}
	return false
}

func (t *tracer) unsetField(e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	f, ok := t.info.Uses[sel.Sel].(*types.Var)
	return ok && f.IsField() && t.unset[f.Origin()]
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, ok = info.Uses[id].(*types.Nil)
	return ok
}
