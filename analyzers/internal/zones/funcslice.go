package zones

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// Concurrency helpers take their work as a slice of functions and run
// each element inside restate.RunAsync:
//
//	func FanOut[T any](ctx restate.Context, ops []func() (T, error)) ([]T, error) {
//		for i, op := range ops {
//			operation := op
//			futs = append(futs, restate.RunAsync(ctx, func(restate.RunContext) (T, error) { return operation() }))
//		}
//		...
//
// and the handler fills a local slice with closures (ops[i] = func() ...,
// append, a slice literal) and hands the slice over. So a parameter
// holding functions (a slice or array of them, a variadic ...func) is
// classified by what the body does with its elements: ranged over,
// indexed, passed on, following the body's own local variables the
// elements pass through (operation := op). A function stored into a local
// variable or slice runs where that variable's uses run it.

// holdsFuncs reports whether a parameter or variable of type t holds
// function values: a function type, or a slice or array of one.
func holdsFuncs(t types.Type) bool { return t != nil && (isFuncType(t) || isFuncSlice(t)) }

// isFuncSlice reports whether t is a slice or array of functions.
func isFuncSlice(t types.Type) bool {
	if t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return isFuncType(u.Elem())
	case *types.Array:
		return isFuncType(u.Elem())
	}
	return false
}

// sliceLitOf returns the slice or array literal of functions the
// expression at c is an element of ([]func() error{f, g}, {0: f}).
func sliceLitOf(info *types.Info, c inspector.Cursor) (inspector.Cursor, bool) {
	k, _ := c.ParentEdge()
	if k == edge.KeyValueExpr_Value {
		c = c.Parent()
		k, _ = c.ParentEdge()
	}
	if k != edge.CompositeLit_Elts {
		return inspector.Cursor{}, false
	}
	lit := c.Parent()
	if !isFuncSlice(info.TypeOf(lit.Node().(ast.Expr))) {
		return inspector.Cursor{}, false
	}
	return lit, true
}

// elemsClass is what the use at c (unparenthesized, outside a run zone,
// not a store) of a slice of functions does with its elements.
func (r *resolver) elemsClass(c inspector.Cursor) class {
	k, i := c.ParentEdge()
	switch k {
	case edge.RangeStmt_X:
		rs := c.Parent().Node().(*ast.RangeStmt)
		if rs.Value == nil {
			return neutral // for i := range ops: the elements are used as ops[i]
		}
		id, ok := ast.Unparen(rs.Value).(*ast.Ident)
		if !ok {
			return other
		}
		if id.Name == "_" {
			return neutral
		}
		if v := r.localVar(r.info.ObjectOf(id)); v != nil {
			return r.localClass(v)
		}
		return other
	case edge.IndexExpr_X:
		ix := unparen(c.Parent())
		if k, _ := ix.ParentEdge(); k == edge.AssignStmt_Lhs {
			return neutral // ops[i] = f: a write into the slice
		}
		return r.useClass(ix)
	case edge.SliceExpr_X:
		return r.useClass(c.Parent()) // ops[1:] holds the same elements
	case edge.CallExpr_Args:
		call := c.Parent().Node().(*ast.CallExpr)
		if b := builtinOf(r.info, call.Fun); b != nil {
			switch b.Name() {
			case "len", "cap", "clear":
				return neutral
			case "append":
				return r.useClass(c.Parent()) // the result holds these elements
			case "copy":
				if i == 0 {
					return neutral
				}
			}
			return other
		}
		return r.argClass(call, i)
	case edge.AssignStmt_Lhs:
		return neutral
	case edge.BinaryExpr_X, edge.BinaryExpr_Y:
		b := c.Parent().Node().(*ast.BinaryExpr)
		if (b.Op == token.EQL || b.Op == token.NEQ) && (isNil(r.info, b.X) || isNil(r.info, b.Y)) {
			return neutral
		}
	}
	return other
}

func builtinOf(info *types.Info, fun ast.Expr) *types.Builtin {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return nil
	}
	b, _ := info.Uses[id].(*types.Builtin)
	return b
}

// localVar returns h when it is a variable of a function of this package
// (a local or a parameter, not a field or package-level variable) that
// holds functions; nil otherwise.
func (r *resolver) localVar(h types.Object) *types.Var {
	v, ok := h.(*types.Var)
	if !ok || v.IsField() || v.Pkg() != r.pass.Pkg || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	if !holdsFuncs(v.Type()) {
		return nil
	}
	return v
}

// localClass is what the uses of the local variable v do with the
// functions it holds: called if one calls them outside a run zone, other
// if one lets them go where the analysis cannot follow, run-only if every
// use runs them inside a run zone (and one does), neutral if none uses
// them. Writes to v are not uses of what it holds.
func (r *resolver) localClass(v *types.Var) class {
	if r.tracing[v] {
		return neutral // a cycle (ops = append(ops, ...)) adds nothing
	}
	if r.tracing == nil {
		r.tracing = make(map[*types.Var]bool)
	}
	r.tracing[v] = true
	defer delete(r.tracing, v)

	cls := neutral
	for _, u := range r.usesOf(v) {
		switch k, _ := u.ParentEdge(); k {
		case edge.AssignStmt_Lhs, edge.RangeStmt_Key, edge.RangeStmt_Value:
			continue // v = f, for _, v = range fs: a write
		}
		switch r.useClass(u) {
		case called:
			return called
		case other:
			cls = other
		case runOnly:
			if cls == neutral {
				cls = runOnly
			}
		}
	}
	return cls
}

// usesOf returns the uses of the local variable v, found in the
// outermost function declaring it (one walk per function, cached).
func (r *resolver) usesOf(v *types.Var) []inspector.Cursor {
	var top *Func
	for _, f := range r.z.Funcs {
		if f.Parent == nil && f.Node.Pos() <= v.Pos() && v.Pos() < f.Node.End() {
			top = f
			break
		}
	}
	if top == nil {
		return nil
	}
	if !r.scanned[top] {
		if r.scanned == nil {
			r.scanned = make(map[*Func]bool)
			r.localUses = make(map[*types.Var][]inspector.Cursor)
		}
		r.scanned[top] = true
		for c := range top.Cursor.Preorder((*ast.Ident)(nil)) {
			if u := r.localVar(r.info.Uses[c.Node().(*ast.Ident)]); u != nil {
				r.localUses[u] = append(r.localUses[u], c)
			}
		}
	}
	return r.localUses[v]
}
