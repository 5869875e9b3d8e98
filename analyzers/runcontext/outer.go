package runcontext

import (
	"go/ast"
	"go/types"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// outer is what the functions around a run zone hold: variables holding a
// handler context and generators from restate.Rand / RandSource.
type outer struct {
	// holders are local variables holding a handler context: of a
	// handler-context type assigned from something else than a plain
	// context, or of another type (context.Context, any) assigned from
	// one. plain is false when the value is derived (context.WithTimeout,
	// restate.WithValue, restate.WrapContext): replacing it with the
	// closure's RunContext would drop what was added.
	holders map[*types.Var]bool
	gens    map[*types.Var]bool
}

// outerOf computes the holders and generators of the top-level function
// containing f, once.
func (c *checker) outerOf(f *zones.Func) *outer {
	top := f
	for top.Parent != nil {
		top = top.Parent
	}
	if o, ok := c.outers[top]; ok {
		return o
	}
	o := &outer{holders: make(map[*types.Var]bool), gens: make(map[*types.Var]bool)}
	c.outers[top] = o
	info := c.pass.TypesInfo

	type binding struct {
		v   *types.Var
		rhs ast.Expr
	}
	var bindings []binding
	add := func(lhs ast.Expr, rhs ast.Expr) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		v, ok := obj.(*types.Var)
		if !ok || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
			return
		}
		bindings = append(bindings, binding{v, rhs})
	}
	for cur := range top.Cursor.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		if g := c.z.Enclosing(cur); g == nil || g.Kind == zones.Run {
			continue // assignments inside run zones are reported, not sources
		}
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					add(n.Lhs[i], n.Rhs[i])
				}
			} else if len(n.Rhs) == 1 {
				add(n.Lhs[0], n.Rhs[0]) // c, cancel := context.WithTimeout(ctx, d)
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i := range n.Names {
					add(n.Names[i], n.Values[i])
				}
			} else if len(n.Values) == 1 && len(n.Names) > 0 {
				add(n.Names[0], n.Values[0])
			}
		}
	}
	// Chains (a := ctx; b := a) settle in as many rounds as they are long.
	for range len(bindings) + 1 {
		changed := false
		for _, b := range bindings {
			if is, plain := c.ctxSource(o, b.rhs); is {
				old, seen := o.holders[b.v]
				if !seen || (old && !plain) {
					o.holders[b.v] = plain && (!seen || old)
					changed = true
				}
			}
			if !o.gens[b.v] && isGeneratorType(b.v.Type()) && c.genSource(o, b.rhs) {
				o.gens[b.v] = true
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	return o
}

// ctxSource reports whether e evaluates to a handler context, and whether
// to the context itself (plain) rather than a derived one.
func (c *checker) ctxSource(o *outer, e ast.Expr) (is, plain bool) {
	info := c.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok {
			return false, false
		}
		if p, ok := o.holders[v]; ok {
			return true, p
		}
		return sdk.IsHandlerContext(v.Type()), true
	case *ast.SelectorExpr:
		if v, ok := info.Uses[e.Sel].(*types.Var); ok && v.IsField() && sdk.IsHandlerContext(v.Type()) {
			return true, true
		}
	case *ast.TypeAssertExpr:
		return c.ctxSource(o, e.X)
	case *ast.CallExpr:
		if tv, ok := info.Types[e.Fun]; ok && tv.IsType() && len(e.Args) == 1 {
			return c.ctxSource(o, e.Args[0]) // context.Context(ctx)
		}
		fn := sdk.Callee(info, e)
		if fn == nil || len(e.Args) == 0 || fn.Pkg() == nil {
			return false, false
		}
		if fn.Pkg().Path() == "context" || sdk.IsFunc(fn, "WithValue", "WrapContext") {
			is, _ := c.ctxSource(o, e.Args[0])
			return is, false
		}
	}
	return false, false
}

// genSource reports whether e evaluates to a generator drawing from the
// invocation's random source: restate.Rand(ctx), restate.RandSource(ctx),
// rand.New(restate.RandSource(ctx)), or a variable holding one.
func (c *checker) genSource(o *outer, e ast.Expr) bool {
	info := c.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		return ok && o.gens[v]
	case *ast.CallExpr:
		if sdk.IsRandGenerator(info, e) {
			return true
		}
		if !isGeneratorType(info.TypeOf(e)) {
			return false
		}
		for _, arg := range e.Args {
			if c.genSource(o, arg) {
				return true
			}
		}
	}
	return false
}

// isGeneratorType reports whether a value of type t can hold generator
// state (a pointer or an interface), as opposed to a drawn value.
func isGeneratorType(t types.Type) bool {
	if t == nil {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return true
	}
	return false
}
