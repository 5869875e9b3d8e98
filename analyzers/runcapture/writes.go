package runcapture

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// write is one write inside a run zone to a variable declared outside it.
type write struct {
	node     ast.Node   // reported: the statement or the call
	stmt     ast.Node   // the statement containing it
	v        *types.Var // the outer variable written
	indirect bool       // through a pointer, index or reference: other variables may share the memory
	shared   bool       // package-level: every invocation shares it
	via      string     // the call that writes, if not an assignment: "sb.WriteString"
	path     []string   // the fields of v written (o.ChargeID → [ChargeID]); nil for all of it
}

func (w write) desc() string {
	s := w.v.Name()
	if w.shared && w.v.Pkg() != nil {
		s = "package-level variable " + s
	}
	if w.via != "" {
		s += " (through " + w.via + ")"
	}
	return s
}

// findWrites returns the writes of the run zone f (and the literals
// nested in it) to variables declared outside f, in source order.
func findWrites(pass *analysis.Pass, z *zones.Zones, f *zones.Func) []write {
	info := pass.TypesInfo
	lit := f.Node.(*ast.FuncLit)
	inside := func(v *types.Var) bool { return lit.Pos() <= v.Pos() && v.Pos() < lit.End() }
	// alias maps a variable of the closure to the outer variable whose
	// memory it points into (p := &order; for _, it := range items).
	alias := make(map[*types.Var]*types.Var)
	outerOf := func(e ast.Expr) *types.Var {
		r, _ := rootVar(info, e)
		if r == nil {
			return nil
		}
		if !inside(r) {
			return r
		}
		return alias[r]
	}
	bind := func(lhs ast.Expr, rhs ast.Expr, elem bool) {
		id, ok := lhs.(*ast.Ident)
		if !ok || id.Name == "_" {
			return
		}
		v, _ := info.Defs[id].(*types.Var)
		if v == nil {
			v, _ = info.Uses[id].(*types.Var)
		}
		if v == nil || !inside(v) || !isReference(v.Type()) {
			return
		}
		if elem && !isReference(elemType(info.TypeOf(rhs))) {
			return
		}
		if o := outerOf(rhs); o != nil {
			alias[v] = o
		}
	}
	var out []write
	add := func(cur inspector.Cursor, n ast.Node, e ast.Expr, forceIndirect bool, via string) {
		r, indirect := rootVar(info, e)
		if r == nil || r.Name() == "_" {
			return
		}
		v := r
		path := fieldPath(e)
		if inside(r) {
			path = nil
			if alias[r] == nil || !(indirect || forceIndirect) {
				return
			}
			v = alias[r]
			if via == "" {
				via = types.ExprString(e)
			}
		}
		out = append(out, write{
			node: n, stmt: enclosingStmt(cur), v: v, via: via, path: path,
			indirect: indirect || forceIndirect || v != r,
			shared:   v.Pkg() != pass.Pkg || v.Parent() == v.Pkg().Scope(),
		})
	}
	f.Cursor.Inspect(nil, func(cur inspector.Cursor) bool {
		if g := z.Enclosing(cur); g == nil || g.Kind != zones.Run {
			return false // a handler registered inside the closure: not ours
		}
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					bind(n.Lhs[i], n.Rhs[i], false)
				}
			}
			if n.Tok == token.DEFINE {
				return true
			}
			for _, lhs := range n.Lhs {
				add(cur, n, lhs, false, "")
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i := range n.Names {
					bind(n.Names[i], n.Values[i], false)
				}
			}
		case *ast.RangeStmt:
			if n.Value != nil {
				bind(n.Value, n.X, true)
			}
		case *ast.IncDecStmt:
			add(cur, n, n.X, false, "")
		case *ast.CallExpr:
			callWrites(info, cur, n, add)
		}
		return true
	})
	return out
}

// callWrites finds the writes a call makes: builtins that modify their
// first argument, pointer-method calls on an addressable value, &v
// handed to the callee.
func callWrites(info *types.Info, cur inspector.Cursor, call *ast.CallExpr, add func(inspector.Cursor, ast.Node, ast.Expr, bool, string)) {
	fun := ast.Unparen(call.Fun)
	if id, ok := fun.(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			switch b.Name() {
			case "delete", "clear", "copy":
				if len(call.Args) > 0 {
					add(cur, call, call.Args[0], true, b.Name())
				}
			}
			return
		}
	}
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal && pointerMethodOnValue(s) && !isSync(s.Recv()) {
			add(cur, call, sel.X, false, types.ExprString(sel))
		}
	}
	for _, arg := range call.Args {
		if u, ok := ast.Unparen(arg).(*ast.UnaryExpr); ok && u.Op == token.AND {
			add(cur, call, u.X, false, fmt.Sprintf("&%s given to %s", types.ExprString(u.X), types.ExprString(call.Fun)))
		}
	}
}

// pointerMethodOnValue reports whether a method selection calls a
// pointer-receiver method on an addressable value (sb.WriteString on a
// strings.Builder), which takes the value's address implicitly.
func pointerMethodOnValue(s *types.Selection) bool {
	fn, ok := s.Obj().(*types.Func)
	if !ok {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	if _, ptr := types.Unalias(recv.Type()).(*types.Pointer); !ptr {
		return false
	}
	switch s.Recv().Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return false // s.client.Do(...): through a pointer or interface the handler holds
	}
	return true
}

// isSync reports whether t is a type of package sync (a mutex locked
// inside the closure is not data the handler reads).
func isSync(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync"
}

// rootVar returns the variable at the root of e (x in x.f[i].g, *x, &x,
// x[1:]) and whether e reaches memory through a pointer, slice or map.
func rootVar(info *types.Info, e ast.Expr) (*types.Var, bool) {
	indirect := false
	for {
		switch x := e.(type) {
		case *ast.Ident:
			v, _ := info.Uses[x].(*types.Var)
			if v == nil {
				v, _ = info.Defs[x].(*types.Var)
			}
			return v, indirect
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			s, ok := info.Selections[x]
			if !ok { // a qualified identifier: pkg.Var
				v, _ := info.Uses[x.Sel].(*types.Var)
				return v, indirect
			}
			if s.Kind() != types.FieldVal {
				return nil, false
			}
			if s.Indirect() {
				indirect = true
			}
			e = x.X
		case *ast.IndexExpr:
			t := info.TypeOf(x.X)
			if t == nil { // broken code: x[] = ... while typing
				return nil, false
			}
			switch t.Underlying().(type) {
			case *types.Map, *types.Slice, *types.Pointer:
				indirect = true
			case *types.Array:
			default:
				return nil, false
			}
			e = x.X
		case *ast.StarExpr:
			indirect = true
			e = x.X
		case *ast.SliceExpr:
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return nil, false
			}
			e = x.X
		default:
			return nil, false
		}
	}
}

// fieldPath returns the fields selected from the root variable of e
// before any index or dereference (o.Items[i].CreatedAt → [Items]).
func fieldPath(e ast.Expr) []string {
	var names []string
	for {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			names = append(names, x.Sel.Name)
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr, *ast.StarExpr, *ast.SliceExpr:
			names = names[:0]
			switch x := x.(type) {
			case *ast.IndexExpr:
				e = x.X
			case *ast.StarExpr:
				e = x.X
			case *ast.SliceExpr:
				e = x.X
			}
		case *ast.UnaryExpr:
			e = x.X
		default:
			slices.Reverse(names)
			return names
		}
	}
}

// isReference reports whether a value of type t refers to memory it
// shares with its copies.
func isReference(t types.Type) bool {
	if t == nil {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan:
		return true
	}
	return false
}

// elemType returns the element type ranging over a value of type t
// yields.
func elemType(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return u.Elem()
	case *types.Array:
		return u.Elem()
	case *types.Map:
		return u.Elem()
	case *types.Pointer:
		if a, ok := u.Elem().Underlying().(*types.Array); ok {
			return a.Elem()
		}
	case *types.Chan:
		return u.Elem()
	}
	return nil
}

// enclosingStmt returns the innermost statement containing cur.
func enclosingStmt(cur inspector.Cursor) ast.Node {
	for c := cur; c.Valid(); c = c.Parent() {
		if s, ok := c.Node().(ast.Stmt); ok {
			return s
		}
	}
	return cur.Node()
}
