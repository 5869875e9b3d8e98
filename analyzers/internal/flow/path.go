package flow

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// target returns the local variable an assignment's left-hand side writes
// into, and the path from it to the location written: conf.At gives conf
// and ["At"], out.Items[i].At gives out and ["Items", "[]", "At"], *p
// gives p and nil. ok is false when the location may be visible through
// other names: it is not inside a local variable (a package-level
// variable, a call's result), or it is reached through a pointer, slice or
// map that the function did not allocate itself (a parameter, a value
// read from elsewhere).
func (t *tracer) target(scope inspector.Cursor, lhs ast.Expr) (root *types.Var, steps []string, ok bool) {
	indirect := false
	e := lhs
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.StarExpr:
			indirect = true
			e = x.X
		case *ast.SelectorExpr:
			fs, ok := fieldSteps(t.info, x)
			if !ok {
				return nil, nil, false // a qualified identifier: another package's variable
			}
			if s := t.info.Selections[x]; s.Indirect() {
				indirect = true
			}
			steps = append(fs, steps...)
			e = x.X
		case *ast.IndexExpr:
			if !isArray(t.info.TypeOf(x.X)) {
				indirect = true // a slice, a map, a pointer to an array
			}
			steps = prepend("[]", steps)
			e = x.X
		case *ast.Ident:
			v, ok := t.local(x)
			if !ok || indirect && !t.fresh(scope, v) {
				return nil, nil, false
			}
			return v, steps, true
		default:
			return nil, nil, false
		}
	}
}

// fresh reports whether the local variable v is declared inside scope
// and only ever assigned memory the function allocates itself: a
// composite literal, &T{...}, new(T), make(...), or its zero value.
func (t *tracer) fresh(scope inspector.Cursor, v *types.Var) bool {
	if !(scope.Node().Pos() < v.Pos() && v.Pos() < scope.Node().End()) {
		return false
	}
	if sig := enclosingSig(t.info, scope); sig != nil && isParam(sig, v) {
		return false
	}
	for ic := range scope.Preorder((*ast.Ident)(nil)) {
		id := ic.Node().(*ast.Ident)
		if t.info.Defs[id] != v && (t.info.Uses[id] != v || !isAssignTarget(ic)) {
			continue
		}
		switch k, idx := ic.ParentEdge(); k {
		case edge.AssignStmt_Lhs:
			a := ic.Parent().Node().(*ast.AssignStmt)
			if len(a.Lhs) != len(a.Rhs) || !t.allocates(a.Rhs[idx]) {
				return false
			}
		case edge.ValueSpec_Names:
			vs := ic.Parent().Node().(*ast.ValueSpec)
			if len(vs.Values) > 0 && (len(vs.Values) != len(vs.Names) || !t.allocates(vs.Values[idx])) {
				return false
			}
		case edge.FieldList_List, edge.Field_Names:
			return false // a parameter or result of a literal
		default:
			return false // a range variable, a type switch binding, ...
		}
	}
	return true
}

// allocates reports whether e evaluates to memory allocated right there.
func (t *tracer) allocates(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.UnaryExpr:
		_, ok := ast.Unparen(x.X).(*ast.CompositeLit)
		return ok && x.Op == token.AND
	case *ast.CallExpr:
		b, ok := typeutil.Callee(t.info, x).(*types.Builtin)
		return ok && (b.Name() == "new" || b.Name() == "make")
	}
	return false
}

func isAssignTarget(c inspector.Cursor) bool {
	k, _ := c.ParentEdge()
	return k == edge.AssignStmt_Lhs
}

// enclosingSig returns the signature of the function scope declares.
func enclosingSig(info *types.Info, scope inspector.Cursor) *types.Signature {
	var ft *ast.FuncType
	switch f := scope.Node().(type) {
	case *ast.FuncDecl:
		ft = f.Type
		if obj, ok := info.Defs[f.Name].(*types.Func); ok {
			return obj.Signature()
		}
	case *ast.FuncLit:
		ft = f.Type
	}
	if ft == nil {
		return nil
	}
	sig, _ := info.TypeOf(ft).(*types.Signature)
	return sig
}

func isParam(sig *types.Signature, v *types.Var) bool {
	if r := sig.Recv(); r == v {
		return true
	}
	for _, tuple := range []*types.Tuple{sig.Params(), sig.Results()} {
		for i := range tuple.Len() {
			if tuple.At(i) == v {
				return true
			}
		}
	}
	return false
}

// fieldSteps returns the field names from sel.X to the field sel selects:
// one name, or more for a field promoted from an embedded struct. ok is
// false when sel is not a field selection.
func fieldSteps(info *types.Info, sel *ast.SelectorExpr) ([]string, bool) {
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.FieldVal {
		return nil, false
	}
	var steps []string
	typ := s.Recv()
	for _, i := range s.Index() {
		st, ok := underlyingStruct(typ)
		if !ok || i >= st.NumFields() {
			return nil, false
		}
		f := st.Field(i)
		steps = append(steps, f.Name())
		typ = f.Type()
	}
	return steps, true
}

// isWritten reports whether the identifier at c is written rather than
// read: the target of an assignment or of ++/--, or the variable a field,
// element or pointee written belongs to (conf in conf.At = v).
func isWritten(c inspector.Cursor) bool {
	for {
		kind, _ := c.ParentEdge()
		switch kind {
		case edge.AssignStmt_Lhs, edge.IncDecStmt_X:
			return true
		case edge.SelectorExpr_X:
			if _, ok := c.Parent().Parent().Node().(*ast.CallExpr); ok {
				if k, _ := c.Parent().ParentEdge(); k == edge.CallExpr_Fun {
					return false // a method call reads the value
				}
			}
		case edge.IndexExpr_X, edge.StarExpr_X, edge.ParenExpr_X:
		default:
			return false
		}
		c = c.Parent()
	}
}

// ranged follows a value ranged over into the loop's variables: the
// elements (and a map's keys) hold it, a slice's indexes do not. It
// returns false when a variable it would follow is not a local one.
func (t *tracer) ranged(stmt inspector.Cursor, r *ast.RangeStmt, path []string, u *Uses, depth int) bool {
	rest, _ := descend(path, []string{"[]"})
	vars := []ast.Expr{r.Value}
	typ := t.info.TypeOf(r.X)
	if typ == nil {
		return false
	}
	switch x := typ.Underlying().(type) {
	case *types.Map:
		vars = append(vars, r.Key)
	case *types.Slice, *types.Array:
	case *types.Pointer:
		if _, ok := x.Elem().Underlying().(*types.Array); !ok {
			return false
		}
	default:
		return false // an integer, a channel, a function: the key is the value
	}
	for _, e := range vars {
		if e == nil {
			continue
		}
		id, ok := e.(*ast.Ident)
		if !ok {
			return false
		}
		if id.Name == "_" {
			continue
		}
		v, ok := t.local(id)
		if !ok {
			return false
		}
		t.followVar(stmt, v, rest, u, depth)
	}
	return true
}

// isArray reports whether t is an array type (indexing it reaches no
// memory beyond the variable itself). Unknown types are not.
func isArray(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Array)
	return ok
}
