package flow

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// A function may hand a value back through the memory its parameters
// point to, like a result: stamp(o *Order) { o.UpdatedAt = time.Now() },
// a tracer's EndSpan(span) setting span.EndTime. Where the value is
// followed in the function that made it, such a store is an Out use (and
// later reads of the parameter in the function are followed too); the
// caller then follows the memory it passed in, after the call
// (AfterCall), as it follows the call's result.

// OutStore is a store of the value into memory reached from a parameter
// of the function the value is followed in.
type OutStore struct {
	At   inspector.Cursor // the assignment
	Recv bool             // through the method's receiver
}

// paramMemory returns the parameter (or receiver) of the function scope
// declares that an assignment to lhs writes through, with the path from
// it, and whether it is the receiver. A parameter whose type holds a
// handler context is not one: its function is handler code.
func (t *tracer) paramMemory(scope inspector.Cursor, lhs ast.Expr) (root *types.Var, steps []string, recv, ok bool) {
	sig := enclosingSig(t.info, scope)
	if sig == nil {
		return nil, nil, false, false
	}
	root, steps, ok = t.memory(lhs)
	if !ok || !isParam(sig, root) || sdk.HoldsHandlerContext(root.Type()) {
		return nil, nil, false, false
	}
	return root, steps, sig.Recv() == root, true
}

// memory returns the variable whose memory e denotes or points into
// (x for x, &x, x.f, x[i], *x, p.f.g) and the path from it.
func (t *tracer) memory(e ast.Expr) (*types.Var, []string, bool) {
	var steps []string
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return nil, nil, false
			}
			e = x.X
		case *ast.SelectorExpr:
			fs, ok := fieldSteps(t.info, x)
			if !ok {
				return nil, nil, false
			}
			steps = append(fs, steps...)
			e = x.X
		case *ast.IndexExpr:
			steps = prepend("[]", steps)
			e = x.X
		case *ast.Ident:
			v, ok := t.local(x)
			return v, steps, ok
		default:
			return nil, nil, false
		}
	}
}

// AfterCall returns the uses, after the call at c, of the memory the
// call's arguments (args) and receiver (recv) point to: the callee may
// have stored a value there (its summary says so), which the caller then
// holds as it would hold the call's result. Arguments that cannot point
// anywhere (a number, a struct copy) and those nobody can name after the
// call (a call's result, a composite literal) add nothing; a
// package-level variable, or a deferred call's memory when it belongs to
// the caller's own parameters, is handed on as an Out use or an Other
// one. A call in a go statement runs concurrently: an Other use.
func AfterCall(info *types.Info, c inspector.Cursor, env Env, args, recv bool) Uses {
	t := newTracer(info, env)
	var u Uses
	call, ok := c.Node().(*ast.CallExpr)
	if !ok {
		return u
	}
	type passed struct {
		e       ast.Expr
		pointer bool // the callee gets a pointer to it: a pointer receiver of an addressable value
	}
	var exprs []passed
	if args {
		for _, a := range call.Args {
			exprs = append(exprs, passed{e: a})
		}
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && recv {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			fn, _ := s.Obj().(*types.Func)
			exprs = append(exprs, passed{e: sel.X, pointer: fn != nil && fn.Signature().Recv() != nil && isPointer(fn.Signature().Recv().Type())})
		}
	}
	stmt := enclosingStmt(c)
	if !stmt.Valid() {
		u.Other = append(u.Other, c)
		return u
	}
	switch stmt.Node().(type) {
	case *ast.GoStmt:
		u.Other = append(u.Other, c)
		return u
	}
	_, deferred := stmt.Node().(*ast.DeferStmt)
	t.after = call
	sig := enclosingSig(info, outermost(c))
	for _, p := range exprs {
		e := p.e
		if !p.pointer && !mayPoint(info.TypeOf(e)) {
			continue
		}
		root, steps, ok := t.memory(e)
		if !ok {
			if id, isIdent := ast.Unparen(e).(*ast.Ident); isIdent && id.Name == "nil" {
				continue
			}
			if named(info, e) {
				u.Other = append(u.Other, c) // a package-level variable, another package's
			}
			continue
		}
		if sig != nil && isParam(sig, root) {
			u.Out = append(u.Out, OutStore{At: c, Recv: sig.Recv() == root})
		}
		if !deferred {
			t.followVar(stmt, root, steps, &u, 0)
		}
	}
	return u
}

// mayPoint reports whether a value of type t may point to memory a
// callee can write: a pointer, slice, map, channel, function or
// interface (unknown types may).
func mayPoint(t types.Type) bool {
	if t == nil {
		return true
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	case *types.Struct, *types.Array:
		return false // a copy; fields holding pointers are rare enough here
	}
	return true
}

// named reports whether e names memory others can reach after the call:
// it mentions an identifier that is not a local variable (a package-level
// variable, another package's), rather than being a fresh value.
func named(info *types.Info, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr, *ast.CompositeLit, *ast.FuncLit:
			return false
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok && !v.IsField() && (v.Parent() == nil || v.Pkg() == nil || v.Parent() == v.Pkg().Scope()) {
				found = true
			}
		}
		return !found
	})
	return found
}

// enclosingStmt returns the innermost statement around c (c itself if it
// is one), or a zero Cursor.
func enclosingStmt(c inspector.Cursor) inspector.Cursor {
	for c.Valid() {
		if _, ok := c.Node().(ast.Stmt); ok {
			return c
		}
		c = c.Parent()
	}
	return c
}
