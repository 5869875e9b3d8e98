package zones

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// Params is the fact exported for an exported function or method of the
// project that has function-typed parameters callers need to know about:
// bit i of RunOnly is set when parameter i is a run-only parameter (every
// use of it in the body runs it inside a run zone: given to restate.Run,
// RunAsync or RunVoid, called or passed on inside a run zone, or given to
// another run-only parameter), bit i of Called when the body calls it
// outside a run zone, directly or through another function. A function
// value given in a run-only position is a run zone; one given where it is
// called stays what it was. For a parameter holding functions (a slice or
// array of them, a variadic ...func) the bits say what the body does with
// its elements (funcslice.go).
type Params struct {
	RunOnly uint64
	Called  uint64
}

// AFact marks Params as an analysis fact.
func (*Params) AFact() {}

func (p *Params) String() string { return fmt.Sprintf("runOnly=%b called=%b", p.RunOnly, p.Called) }

// class is what a function does with a function value given to it, from
// most to least permissive: run-only, unknown (stored, returned, given to
// code the analysis cannot see), called outside a run zone.
type class uint8

const (
	runOnly class = iota
	other
	called
	neutral // a use that neither runs nor lets go of the value (fn == nil)
)

// param is a function-typed parameter of a function of this package.
type param struct {
	fn    *Func
	v     *types.Var
	index int
	class class
	uses  []inspector.Cursor
}

type paramKey struct {
	fn *types.Func
	i  int
}

// argRef is a function-typed variable given as an argument.
type argRef struct {
	call inspector.Cursor
	i    int
}

// resolver decides which function values run inside a run zone: it
// classifies the package's function-typed parameters (to a fixed point,
// since wrappers call wrappers) and follows function values to where they
// are given, stored or called.
type resolver struct {
	pass *analysis.Pass
	info *types.Info
	z    *Zones

	calls   map[types.Object][]inspector.Cursor // dynamic calls, by what holds the callee
	varArgs map[*types.Var][]argRef             // function-typed variables given as arguments
	rangeOf map[*types.Var]types.Object         // range value variables: what they range over

	params   map[paramKey]*param
	list     []*param // in source order
	imported map[*types.Func]*Params

	memo    map[*Func]bool                // runZone, for the current state of params
	impls   map[*types.Func][]*types.Func // implementations of interface methods (iface.go)
	holding map[types.Object]bool
	holds   map[holdKey]bool // holdsCtx

	// Local variables holding functions (funcslice.go).
	localUses map[*types.Var][]inspector.Cursor
	scanned   map[*Func]bool
	tracing   map[*types.Var]bool
}

func newResolver(pass *analysis.Pass, z *Zones) *resolver {
	return &resolver{pass: pass, info: pass.TypesInfo, z: z}
}

// noteCall records a dynamic call by what holds its callee, and the
// function-typed variables given as arguments.
func (r *resolver) noteCall(c inspector.Cursor, call *ast.CallExpr) {
	if sdk.FuncNamed(r.info, call.Fun) == nil {
		if h, ok := r.holderOf(call.Fun).(*types.Var); ok {
			if r.calls == nil {
				r.calls = make(map[types.Object][]inspector.Cursor)
			}
			r.calls[h] = append(r.calls[h], c)
		}
	}
	for i, arg := range call.Args {
		id, ok := ast.Unparen(arg).(*ast.Ident)
		if !ok {
			continue
		}
		if v, ok := r.info.Uses[id].(*types.Var); ok && holdsFuncs(v.Type()) {
			if r.varArgs == nil {
				r.varArgs = make(map[*types.Var][]argRef)
			}
			r.varArgs[v] = append(r.varArgs[v], argRef{c, i})
		}
	}
}

// noteRange records what a function-typed range value variable ranges
// over: calling it calls what the slice or map holds.
func (r *resolver) noteRange(n *ast.RangeStmt) {
	id, ok := n.Value.(*ast.Ident)
	if !ok {
		return
	}
	v, ok := r.info.ObjectOf(id).(*types.Var)
	if !ok || !isFuncType(v.Type()) {
		return
	}
	if h := r.holderOf(n.X); h != nil {
		if r.rangeOf == nil {
			r.rangeOf = make(map[*types.Var]types.Object)
		}
		r.rangeOf[v] = h
	}
}

// holderOf returns the variable or field an expression reads a function
// value from: v, x.f, v[i], *p; a range variable's slice.
func (r *resolver) holderOf(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj := r.info.ObjectOf(e)
		if v, ok := obj.(*types.Var); ok {
			if h := r.rangeOf[v]; h != nil {
				return h
			}
		}
		return obj
	case *ast.SelectorExpr:
		if s, ok := r.info.Selections[e]; ok {
			if s.Kind() == types.FieldVal {
				return s.Obj()
			}
			return nil
		}
		return r.info.Uses[e.Sel] // a package-level variable of another package
	case *ast.IndexExpr:
		return r.holderOf(e.X)
	case *ast.StarExpr:
		return r.holderOf(e.X)
	}
	return nil
}

func isFuncType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

// runContextOnly reports whether sig's only context parameter is
// restate.RunContext: a function written to run inside restate.Run.
func runContextOnly(sig *types.Signature) bool {
	if sig == nil {
		return false
	}
	found := false
	for i := 0; i < sig.Params().Len(); i++ {
		t := sig.Params().At(i).Type()
		if sdk.IsHandlerContext(t) {
			return false
		}
		if sdk.IsRunContext(t) {
			found = true
		}
	}
	return found
}

// solve classifies the function-typed parameters of the package's
// functions. It starts from "run-only" and lowers classes until nothing
// changes (the greatest fixed point, so that a recursive wrapper stays a
// wrapper); classes only go down, so it terminates.
func (r *resolver) solve() {
	for _, f := range r.z.Funcs {
		if f.Obj == nil || f.Body == nil {
			continue
		}
		sig := f.Obj.Signature()
		var byVar map[*types.Var]*param
		for i := 0; i < sig.Params().Len() && i < 64; i++ {
			v := sig.Params().At(i)
			if !holdsFuncs(v.Type()) {
				continue
			}
			p := &param{fn: f, v: v, index: i}
			if byVar == nil {
				byVar = make(map[*types.Var]*param)
			}
			byVar[v] = p
			if r.params == nil {
				r.params = make(map[paramKey]*param)
			}
			r.params[paramKey{f.Obj, i}] = p
			r.list = append(r.list, p)
		}
		if byVar == nil {
			continue
		}
		for c := range f.Cursor.Preorder((*ast.Ident)(nil)) {
			if v, ok := r.info.Uses[c.Node().(*ast.Ident)].(*types.Var); ok {
				if p := byVar[v]; p != nil {
					p.uses = append(p.uses, c)
				}
			}
		}
	}
	for range len(r.list) + 2 {
		r.memo = nil
		changed := false
		for _, p := range r.list {
			if c := r.classOf(p); c != p.class {
				p.class, changed = c, true
			}
		}
		if !changed {
			break
		}
	}
	r.memo = nil
}

// classOf computes p's class from its uses in the current state.
func (r *resolver) classOf(p *param) class {
	cls, runs := runOnly, false
	for _, c := range p.uses {
		switch r.useClass(c) {
		case called:
			return called
		case other:
			cls = other
		case runOnly:
			runs = true
		}
	}
	if !runs {
		return other
	}
	return cls
}

// useClass is what the use of a function value at c does with it.
func (r *resolver) useClass(c inspector.Cursor) class {
	if g := r.z.Enclosing(c); g != nil && r.runZone(g) {
		return runOnly // whatever happens to it inside a run zone
	}
	c = unparen(c)
	if h, ok := r.storedIn(c); ok {
		if v := r.localVar(h); v != nil {
			return r.localClass(v) // what the handler's own variable does with it
		}
		if h != nil && r.calledOutside(h) {
			return called // stored, then called from the variable, slice or field
		}
		return other
	}
	if lit, ok := sliceLitOf(r.info, c); ok {
		return r.useClass(lit) // an element of a []func literal: what happens to the slice
	}
	if e, ok := c.Node().(ast.Expr); ok && isFuncSlice(r.info.TypeOf(e)) {
		return r.elemsClass(c)
	}
	k, i := c.ParentEdge()
	switch k {
	case edge.CallExpr_Fun:
		return called
	case edge.CallExpr_Args:
		return r.argClass(c.Parent().Node().(*ast.CallExpr), i)
	case edge.BinaryExpr_X, edge.BinaryExpr_Y:
		b := c.Parent().Node().(*ast.BinaryExpr)
		if (b.Op == token.EQL || b.Op == token.NEQ) && (isNil(r.info, b.X) || isNil(r.info, b.Y)) {
			return neutral
		}
	}
	return other
}

// storedIn returns where the function value at c (unparenthesized) is
// stored: the variable, field or slice assigned (v := f, x.f = f, s =
// append(s, f)) or the field of a composite literal (T{f: f}). ok is
// false if c is not in such a position; h is nil if the place has no
// name (a map or slice literal, a blank).
func (r *resolver) storedIn(c inspector.Cursor) (h types.Object, ok bool) {
	k, i := c.ParentEdge()
	switch k {
	case edge.CallExpr_Args:
		call := c.Parent().Node().(*ast.CallExpr)
		if isAppend(r.info, call) && i > 0 {
			return r.holderOf(call.Args[0]), true
		}
	case edge.AssignStmt_Rhs:
		a := c.Parent().Node().(*ast.AssignStmt)
		if len(a.Lhs) == len(a.Rhs) {
			return r.holderOf(a.Lhs[i]), true
		}
	case edge.ValueSpec_Values:
		vs := c.Parent().Node().(*ast.ValueSpec)
		if len(vs.Names) == len(vs.Values) {
			return r.info.Defs[vs.Names[i]], true
		}
	case edge.KeyValueExpr_Value:
		if key, ok := c.Parent().Node().(*ast.KeyValueExpr).Key.(*ast.Ident); ok {
			if fld, ok := r.info.Uses[key].(*types.Var); ok && fld.IsField() {
				return fld, true
			}
		}
	}
	return nil, false
}

// calledOutside reports whether the package calls what h holds outside a
// run zone: h(ctx), x.h(ctx), h[i](ctx), or a range variable over h.
func (r *resolver) calledOutside(h types.Object) bool {
	for _, call := range r.calls[h] {
		if g := r.z.Enclosing(call); g == nil || !r.runZone(g) {
			return true
		}
	}
	return false
}

func unparen(c inspector.Cursor) inspector.Cursor {
	for {
		if k, _ := c.ParentEdge(); k != edge.ParenExpr_X {
			return c
		}
		c = c.Parent()
	}
}

func isNil(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.IsNil()
}

// argClass is what the callee of call does with its argument i: run-only
// for the closure of restate.Run, RunAsync and RunVoid and for run-only
// parameters; other for a callee that cannot be seen.
func (r *resolver) argClass(call *ast.CallExpr, i int) class {
	fn := sdk.FuncNamed(r.info, call.Fun)
	if fn == nil {
		return other
	}
	if sdk.IsRun(fn) {
		if i == 1 {
			return runOnly
		}
		return other
	}
	j := i
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := r.info.Selections[sel]; ok && s.Kind() == types.MethodExpr {
			j-- // T.M(recv, args...)
		}
	}
	sig := fn.Signature()
	if sig.Variadic() && j >= sig.Params().Len()-1 {
		// One function of a variadic ...func, or the slice given with
		// fns...: what the body does with its elements.
		j = sig.Params().Len() - 1
	}
	if j < 0 || j >= sig.Params().Len() {
		return other
	}
	return r.paramClass(fn, j)
}

// paramClass is the class of parameter j of fn: computed for this
// package's functions, from the Params fact for others.
func (r *resolver) paramClass(fn *types.Func, j int) class {
	if IsAbstract(fn) {
		return r.ifaceClass(fn, j)
	}
	if fn.Pkg() == r.pass.Pkg {
		if p := r.params[paramKey{fn, j}]; p != nil {
			return p.class
		}
		return other
	}
	if j >= 64 {
		return other
	}
	f := r.importedFact(fn)
	switch {
	case f == nil:
		return other
	case f.RunOnly&(1<<j) != 0:
		return runOnly
	case f.Called&(1<<j) != 0:
		return called
	}
	return other
}

func (r *resolver) importedFact(fn *types.Func) *Params {
	if f, ok := r.imported[fn]; ok {
		return f
	}
	var f *Params
	if fn.Pkg() != nil {
		fact := new(Params)
		if r.pass.ImportObjectFact(fn, fact) {
			f = fact
		}
	}
	if r.imported == nil {
		r.imported = make(map[*types.Func]*Params)
	}
	r.imported[fn] = f
	return f
}

// export records the classes of exported functions' parameters as facts
// (other packages can only name exported functions and methods).
func (r *resolver) export() {
	facts := make(map[*types.Func]*Params)
	for _, p := range r.list {
		fn := p.fn.Obj
		if !fn.Exported() || p.class == other {
			continue
		}
		f := facts[fn]
		if f == nil {
			f = new(Params)
			facts[fn] = f
		}
		if p.class == runOnly {
			f.RunOnly |= 1 << p.index
		} else {
			f.Called |= 1 << p.index
		}
	}
	for fn, f := range facts {
		r.pass.ExportObjectFact(fn, f)
	}
}

// runZone reports whether f is a run zone: a literal whose value runs
// only inside one (valueRuns), or a literal nested in a run zone that is
// not a handler of its own.
func (r *resolver) runZone(f *Func) bool {
	if f.Obj != nil {
		return false
	}
	lit, ok := f.Node.(*ast.FuncLit)
	if !ok {
		return false
	}
	if v, ok := r.memo[f]; ok {
		return v
	}
	if r.memo == nil {
		r.memo = make(map[*Func]bool)
	}
	r.memo[f] = false // a cycle (a literal calling the variable holding it) is no proof
	sig, _ := r.info.TypeOf(lit).(*types.Signature)
	v := r.valueRuns(f.Cursor, sig) ||
		!f.HasCtxParam && f.Parent != nil && r.runZone(f.Parent)
	r.memo[f] = v
	return v
}

// valueRuns reports whether the function value at c, of signature sig,
// runs only inside a run zone, judging by where it goes: given to a
// run-only parameter; or, when its only context is a RunContext, not
// called: stored, returned, or given to a parameter that is not called.
func (r *resolver) valueRuns(c inspector.Cursor, sig *types.Signature) bool {
	c = unparen(c)
	if h, ok := r.storedIn(c); ok {
		return r.heldRuns(h, sig)
	}
	if lit, ok := sliceLitOf(r.info, c); ok {
		return r.valueRuns(lit, sig) // ops := []func() error{...}: where the slice goes
	}
	switch k, i := c.ParentEdge(); k {
	case edge.CallExpr_Fun:
		return false
	case edge.CallExpr_Args:
		switch r.argClass(c.Parent().Node().(*ast.CallExpr), i) {
		case runOnly:
			return true
		case called:
			return false
		}
	}
	return runContextOnly(sig)
}

func isAppend(info *types.Info, call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == "append"
}

// heldRuns reports whether a function value stored in h (a variable, a
// field, a slice) runs only inside a run zone: h is given to a run-only
// position and never called outside a run zone; or, for a RunContext
// function, h is not called outside a run zone at all.
func (r *resolver) heldRuns(h types.Object, sig *types.Signature) bool {
	presumed := runContextOnly(sig)
	if h == nil {
		return presumed
	}
	if r.holding[h] {
		return false
	}
	if r.holding == nil {
		r.holding = make(map[types.Object]bool)
	}
	r.holding[h] = true
	defer delete(r.holding, h)

	if r.calledOutside(h) {
		return false // the handler (or code it reaches) calls it
	}
	runs := false
	if v := r.localVar(h); v != nil && isFuncSlice(v.Type()) {
		// A local slice of functions: where the handler's own uses of it
		// run its elements (for _, op := range ops { restate.RunAsync(ctx,
		// ... op() ...) }, FanOut(ctx, ops)).
		switch r.localClass(v) {
		case called:
			return false // called through an alias (o := op; o())
		case runOnly:
			runs = true // each element run inside a run zone by the handler itself
		}
	}
	if v, ok := h.(*types.Var); ok {
		for _, a := range r.varArgs[v] {
			if g := r.z.Enclosing(a.call); g != nil && r.runZone(g) {
				continue
			}
			call := a.call.Node().(*ast.CallExpr)
			if isAppend(r.info, call) {
				continue
			}
			switch r.argClass(call, a.i) {
			case runOnly:
				runs = true
			case called:
				return false
			}
		}
	}
	return runs || presumed
}

// RunValue reports whether the function value at c (a literal, a function
// or method value, a variable) runs only inside a run zone by where it is
// given or stored: restate.Run(ctx, fetch), a run-only parameter of the
// project's wrapper (RunAWS(ctx, s.describe, classify)), or, for a
// function whose only context is restate.RunContext, stored rather than
// called (undo = append(undo, s.refund)). The code such a value reaches
// runs in a run zone, not in the handler.
func (z *Zones) RunValue(c inspector.Cursor) bool {
	e, ok := c.Node().(ast.Expr)
	if !ok {
		return false
	}
	t := z.res.info.TypeOf(e)
	if t == nil {
		return false
	}
	sig, _ := t.Underlying().(*types.Signature)
	if sig == nil {
		return false
	}
	return z.res.valueRuns(c, sig)
}

// RunArg reports whether argument i of call runs only inside a run zone:
// the closure of restate.Run, RunAsync or RunVoid, or a run-only
// parameter of the project's wrapper.
func (z *Zones) RunArg(call *ast.CallExpr, i int) bool {
	return z.res.argClass(call, i) == runOnly
}

// RunOnly reports whether parameter i of fn (of this package or, through
// its Params fact, of another) is run-only.
func (z *Zones) RunOnly(fn *types.Func, i int) bool {
	return z.res.paramClass(fn.Origin(), i) == runOnly
}
