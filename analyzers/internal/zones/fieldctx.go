package zones

import (
	"go/ast"
	"go/types"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// fieldDepth bounds how deep a handler context may sit in the receiver's
// or a parameter's struct (a.ctx, s.saga.ctx, a.b.c.ctx).
const fieldDepth = 3

// ctxField returns the struct field through which the body of the
// declared function f reaches a handler context from its receiver or a
// parameter: a selector rooted at one of them that selects a field of a
// handler-context type (a.ctx, s.saga.wctx, an embedded context selected
// explicitly) or goes through an embedded one (oc.Log() promoted from an
// embedded restate.ObjectContext). Nil if there is none.
func (r *resolver) ctxField(f *Func) *types.Var {
	var roots map[*types.Var]bool
	add := func(v *types.Var) {
		if v != nil && r.holdsCtx(v.Type(), fieldDepth) {
			if roots == nil {
				roots = make(map[*types.Var]bool)
			}
			roots[v] = true
		}
	}
	sig := f.Obj.Signature()
	add(sig.Recv())
	for i := 0; i < sig.Params().Len(); i++ {
		add(sig.Params().At(i))
	}
	if roots == nil {
		return nil
	}
	for c := range f.Cursor.Preorder((*ast.SelectorExpr)(nil)) {
		sel := c.Node().(*ast.SelectorExpr)
		s, ok := r.info.Selections[sel]
		if !ok {
			continue
		}
		if fld := viaCtxField(s); fld != nil && roots[r.root(sel.X)] {
			return fld
		}
	}
	return nil
}

// root returns the variable a chain of field selections starts from:
// a in a.b.ctx.
func (r *resolver) root(e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, _ := r.info.Uses[x].(*types.Var)
			return v
		case *ast.StarExpr:
			e = x.X
		case *ast.SelectorExpr:
			if s, ok := r.info.Selections[x]; !ok || s.Kind() != types.FieldVal {
				return nil
			}
			e = x.X
		default:
			return nil
		}
	}
}

// viaCtxField returns the field of a handler-context type that the
// selection selects or goes through (an embedded context whose method or
// field is promoted), nil if none.
func viaCtxField(s *types.Selection) *types.Var {
	idx := s.Index()
	n := len(idx)
	if s.Kind() != types.FieldVal {
		n-- // the last index is the method
	}
	t := s.Recv()
	for k := 0; k < n; k++ {
		st := structOf(t)
		if st == nil || idx[k] >= st.NumFields() {
			return nil
		}
		fld := st.Field(idx[k])
		if sdk.IsHandlerContext(fld.Type()) {
			return fld
		}
		t = fld.Type()
	}
	return nil
}

func structOf(t types.Type) *types.Struct {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, _ := t.Underlying().(*types.Struct)
	return st
}

// holdsCtx reports whether a value of type t has a handler context in a
// field, at most depth fields deep.
func (r *resolver) holdsCtx(t types.Type, depth int) bool {
	st := structOf(t)
	if st == nil || depth == 0 {
		return false
	}
	key := holdKey{st, depth}
	if v, ok := r.holds[key]; ok {
		return v
	}
	if r.holds == nil {
		r.holds = make(map[holdKey]bool)
	}
	r.holds[key] = false // recursive types
	v := false
	for i := 0; i < st.NumFields() && !v; i++ {
		ft := st.Field(i).Type()
		v = sdk.IsHandlerContext(ft) || r.holdsCtx(ft, depth-1)
	}
	r.holds[key] = v
	return v
}

type holdKey struct {
	st    *types.Struct
	depth int
}
