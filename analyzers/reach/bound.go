package reach

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"

	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// binding is what a local variable of function type holds for its whole
// life: it is bound once (version := func() string {...}, or var f
// func() and one f = ...), to a function literal or a declared function
// (region := readRegion), never assigned anything else, and its address
// is never taken. Calling it runs that body, as calling the declared
// function would: a handler literal registered in init calling
// version(), a local of init, reaches what the literal does.
type binding struct {
	lit *zones.Func // the literal, or nil
	fn  *types.Func // the declared function (no method value), or nil
	at  *zones.Func // the function whose body binds the variable
}

// boundLit returns the literal a call of v runs when it is to be followed
// into: v is bound once to a literal outside every handler and run zone
// (a literal inside one is handler or run code, reported or journaled on
// its own lines, and so is one taking the handler context). Nil otherwise.
func (w *walker) boundLit(v *types.Var) *zones.Func {
	if b, ok := w.boundTo(v); ok && b.lit != nil && b.lit.Kind == zones.None && b.at.Kind == zones.None {
		return b.lit
	}
	return nil
}

// boundFn returns the declared function a call of v runs when it is to be
// followed into: v is bound once to it outside every handler and run zone
// (in a handler, the reference counts where it is made:
// get := os.Getenv). Nil otherwise.
func (w *walker) boundFn(v *types.Var) *types.Func {
	if b, ok := w.boundTo(v); ok && b.fn != nil && b.at.Kind == zones.None {
		return b.fn
	}
	return nil
}

// boundTo returns v's binding, if it has one (cached).
func (w *walker) boundTo(v *types.Var) (binding, bool) {
	if b, ok := w.bindings[v]; ok {
		return b, b.at != nil
	}
	b := w.findBinding(v)
	if w.bindings == nil {
		w.bindings = make(map[*types.Var]binding)
	}
	w.bindings[v] = b
	return b, b.at != nil
}

// findBinding looks for v's one binding in the body of the function
// declaring it; the zero binding if there is none, or more than one, or
// v's address is taken.
func (w *walker) findBinding(v *types.Var) binding {
	if v.Pkg() != w.pass.Pkg || v.Kind() != types.LocalVar || !isFuncTyped(v) {
		return binding{}
	}
	decl := w.funcAt(v.Pos())
	if decl == nil {
		return binding{}
	}
	info := w.pass.TypesInfo
	var val ast.Expr
	for c := range decl.Cursor.Preorder((*ast.Ident)(nil)) {
		id := c.Node().(*ast.Ident)
		if info.Defs[id] != v && info.Uses[id] != v {
			continue
		}
		var e ast.Expr
		switch k, idx := c.ParentEdge(); k {
		case edge.AssignStmt_Lhs:
			a := c.Parent().Node().(*ast.AssignStmt)
			if len(a.Lhs) != len(a.Rhs) || a.Tok != token.ASSIGN && a.Tok != token.DEFINE {
				return binding{}
			}
			e = a.Rhs[idx]
		case edge.ValueSpec_Names:
			vs := c.Parent().Node().(*ast.ValueSpec)
			if len(vs.Values) == 0 {
				continue // var f func(): nil until bound
			}
			if len(vs.Values) != len(vs.Names) {
				return binding{}
			}
			e = vs.Values[idx]
		case edge.RangeStmt_Key, edge.RangeStmt_Value:
			return binding{} // bound to each element in turn
		case edge.UnaryExpr_X:
			if c.Parent().Node().(*ast.UnaryExpr).Op == token.AND {
				return binding{} // &f: may be bound through the pointer
			}
			continue
		default:
			continue // a use: a call, an argument, ...
		}
		if val != nil {
			return binding{} // bound twice
		}
		val = e
	}
	if val == nil {
		return binding{}
	}
	at := w.funcAt(val.Pos())
	if at == nil {
		return binding{}
	}
	if lit, ok := ast.Unparen(val).(*ast.FuncLit); ok {
		if g := w.zones.Of(lit); g != nil {
			return binding{lit: g, at: at}
		}
		return binding{}
	}
	if fn := boundFunc(info, val); fn != nil {
		return binding{fn: fn, at: at}
	}
	return binding{}
}

// funcAt returns the innermost function of the package whose source
// contains pos, or nil.
func (w *walker) funcAt(pos token.Pos) *zones.Func {
	var in *zones.Func
	for _, f := range w.zones.Funcs { // in source order: an enclosed function comes after its encloser
		if f.Node.Pos() <= pos && pos < f.Node.End() {
			in = f
		} else if in != nil && f.Node.Pos() >= in.Node.End() {
			break
		}
	}
	return in
}

// noteBoundLits records the literals a call through a variable may be
// followed into (boundLit): each gets a summary of its own, so that a
// handler calling the variable reaches what the literal does.
func (w *walker) noteBoundLits() {
	info := w.pass.TypesInfo
	for _, f := range w.zones.Funcs {
		if _, ok := f.Node.(*ast.FuncLit); !ok || f.Kind != zones.None {
			continue
		}
		var id *ast.Ident
		switch k, idx := f.Cursor.ParentEdge(); k {
		case edge.AssignStmt_Rhs:
			if a := f.Cursor.Parent().Node().(*ast.AssignStmt); len(a.Lhs) == len(a.Rhs) {
				id, _ = a.Lhs[idx].(*ast.Ident)
			}
		case edge.ValueSpec_Values:
			if vs := f.Cursor.Parent().Node().(*ast.ValueSpec); len(vs.Names) == len(vs.Values) {
				id = vs.Names[idx]
			}
		}
		if id == nil {
			continue
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		if v, ok := obj.(*types.Var); ok && w.boundLit(v) == f {
			if w.boundLits == nil {
				w.boundLits = make(map[*zones.Func]*types.Var)
			}
			w.boundLits[f] = v
		}
	}
}

// boundLitsAround returns the bound literals (noteBoundLits) whose
// summaries f's body contributes to: f and the literals enclosing it, up
// to f's owner, the way owner climbs.
func (w *walker) boundLitsAround(f *zones.Func) []*zones.Func {
	if len(w.boundLits) == 0 {
		return nil
	}
	var out []*zones.Func
	for g := f; g != nil && g.Obj == nil; g = g.Parent {
		if w.boundLits[g] != nil {
			out = append(out, g)
		}
		if g.HasCtxParam || g.Parent == nil || g.Parent.Kind != g.Kind {
			break
		}
	}
	return out
}

// litStep names a bound literal in chains by its variable: "version".
func (w *walker) litStep(lit *zones.Func) Step {
	name := "func literal"
	if v := w.boundLits[lit]; v != nil {
		name = v.Name()
	}
	return Step{Path: w.pass.Pkg.Path(), Pkg: w.pass.Pkg.Name(), Name: name}
}

// liftLit returns a bound literal's effects as seen by a caller of its
// variable. The literal takes no handler context (boundLit) and has no
// receiver of its own: nothing to drop or decide.
func (w *walker) liftLit(effects []Effect, lit *zones.Func) []Effect {
	step := w.litStep(lit)
	out := make([]Effect, 0, len(effects))
	for _, e := range effects {
		out = append(out, lift(e, step))
	}
	return out
}

// captured returns what tells, for code of f, which local variables are
// memory every invocation shares (sinks.Captured): in a handler zone, a
// variable declared outside every handler and run zone. Handler code sees
// a local only if it is nested in the function declaring it; declared in
// init or a function registering handlers (its parameters too), the
// variable lives as long as the process and every invocation of the
// handler literal shares it. Declared in a handler zone (the handler's
// own locals, a closure capturing them), it is one invocation's. Nil
// outside handler zones: a local of reached code may be one call's own.
func (w *walker) captured(f *zones.Func) sinks.Captured {
	if f == nil || f.Kind != zones.Handler {
		return nil
	}
	root := f.Root().Node
	return func(v *types.Var) (string, bool) {
		if v.Pkg() != w.pass.Pkg || isPkgLevel(v) || v.IsField() ||
			root.Pos() <= v.Pos() && v.Pos() < root.End() {
			return "", false // the handler zone's own variable (most of them)
		}
		return w.capturedFrom(v)
	}
}

// capturedFrom names the function declaring v, a local of the package,
// if it is no handler or run zone (cached).
func (w *walker) capturedFrom(v *types.Var) (string, bool) {
	if name, ok := w.captures[v]; ok {
		return name, name != ""
	}
	name := ""
	if decl := w.funcAt(v.Pos()); decl != nil && decl.Kind == zones.None {
		name = "a function literal"
		for g := decl; g != nil; g = g.Parent {
			if g.Obj != nil {
				name = StepOf(g.Obj).Name
				if g != decl {
					name = "a function literal in " + name
				}
				break
			}
		}
	}
	if w.captures == nil {
		w.captures = make(map[*types.Var]string)
	}
	w.captures[v] = name
	return name, name != ""
}
