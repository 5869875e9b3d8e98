package statecounter

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// Handlers read state through helpers of their package:
//
//	func loadState[S any](ctx restate.ObjectSharedContext) (State[S], error) {
//		stored, err := restate.Get[*State[S]](ctx, StateKey)
//		...
//		return normalize(stored)
//	}
//	state, err := loadState[Spec](ctx)
//	state.Generation++
//	restate.Set(ctx, StateKey, state)
//
// (praxis' kernel driver). A helper's first result is summarized as the
// keys of constant name it returns the value of, and the parameters it
// passes on as they are (normalize(stored)); the call then has those
// origins in the handler. A helper that increments what it returns, or
// returns a part of it, is not summarized.
//
// Types that keep the handler context and a key in fields read and write
// state through methods (PithomLabs' StateManager):
//
//	func (sm *StateManager) GetInt(def int) int { v, _ := restate.Get[int](sm.ctx, sm.key); ...; return v }
//	func (sm *StateManager) SetInt(v int)       { restate.Set(sm.ctx, sm.key, v) }
//	func (sm *StateManager) Increment(d int) int {
//		current := sm.GetInt(0)
//		sm.SetInt(current + d)
//
// A key built from the helper's receiver and parameters (sm.key, key,
// "count:"+id) is kept as an expression and translated at each call into
// the caller's operands (stock.GetInt(0) reads stock.key). A helper that
// restate.Sets one of its parameters, whole, under such a key with an
// exclusive object context is a setter: its calls are state writes the
// caller's data flow checks like a restate.Set, reported at the call.

// helperSum is what a helper's first result is: the value read from state
// under constant keys, and the values of some parameters.
type helperSum struct {
	gets   origins         // constant keys, whole values
	keys   map[key]keyInfo // how they are displayed
	params []int           // parameter indices passed on whole
	incs   []int           // pointer parameters whose value the helper increments
	rel    []ast.Expr      // keys built from the receiver and parameters, whole values
	sets   []setterSum     // parameters the helper restate.Sets
}

// setterSum is a restate.Set in a helper of its parameter param, whole,
// under key (an expression over the helper's receiver, parameters and
// constants), with an exclusive object context.
type setterSum struct {
	key   ast.Expr
	param int
}

// helperCtx holds a package's helper summaries across its units.
type helperCtx struct {
	sums     map[*types.Func]*helperSum
	visiting map[*types.Func]bool
	// setters are the declared functions of the package that call
	// restate.Set with an exclusive object context: the only ones whose
	// calls may be state writes.
	setters map[*types.Func]bool
}

func newHelperCtx() *helperCtx {
	return &helperCtx{sums: make(map[*types.Func]*helperSum), visiting: make(map[*types.Func]bool), setters: make(map[*types.Func]bool)}
}

// paramKey is the pseudo-key a helper's parameter i is seeded with.
func paramKey(i int) key { return key("p:" + strconv.Itoa(i)) }

// helperOrigins returns the origins of a call of a helper of the package,
// nil if it is not one.
func (u *unit) helperOrigins(call *ast.CallExpr) (origins, bool) {
	if u.helpers == nil {
		return nil, false
	}
	fn := sdk.Callee(u.info, call)
	if fn == nil {
		return nil, false
	}
	s := u.helpers.summarize(u.info, u.z, fn.Origin())
	if s == nil || len(s.gets) == 0 && len(s.params) == 0 && len(s.rel) == 0 {
		return nil, false
	}
	var o origins
	merge(&o, s.gets)
	if len(s.rel) > 0 {
		if subst := u.substOf(call, fn.Origin()); subst != nil {
			for _, e := range s.rel {
				merge(&o, origins{u.keyOfSubst(e, subst): {whole: true}})
			}
		}
	}
	for k, ki := range s.keys {
		if _, ok := u.keys[k]; !ok {
			u.keys[k] = ki
		}
	}
	for _, i := range s.params {
		if i < len(call.Args) {
			merge(&o, u.eval(call.Args[i]))
		}
	}
	return o, true
}

// summarize computes (once) the summary of fn, a function declared in the
// package with a body and results.
func (h *helperCtx) summarize(info *types.Info, z *zones.Zones, fn *types.Func) *helperSum {
	if s, ok := h.sums[fn]; ok {
		return s
	}
	f := z.Declared(fn)
	if f == nil || f.Body == nil || h.visiting[fn] {
		return nil
	}
	h.visiting[fn] = true
	defer delete(h.visiting, fn)
	u := newUnitWith(info, z, f, h, true)
	var res origins
	returns := 0
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns++
			if len(n.Results) > 0 {
				merge(&res, u.eval(n.Results[0]))
			}
		}
		return true
	})
	s := &helperSum{keys: make(map[key]keyInfo)}
	for k, sites := range res {
		if len(sites) != 1 || !sites[whole] {
			s = nil // incremented, or only a part of the value
			break
		}
		switch {
		case strings.HasPrefix(string(k), "p:"):
			i, _ := strconv.Atoi(string(k)[2:])
			s.params = append(s.params, i)
		case strings.HasPrefix(string(k), "c:"):
			if s.gets == nil {
				s.gets = make(origins)
			}
			s.gets[k] = map[ast.Node]bool{whole: true}
			s.keys[k] = u.keys[k]
		case u.keys[k].expr != nil && u.relative(fn, u.keys[k].expr):
			s.rel = append(s.rel, u.keys[k].expr) // sm.key: the caller's receiver's key
		default:
			s = nil // a key built from the helper's own data
		}
		if s == nil {
			break
		}
	}
	if returns == 0 || fn.Signature().Results().Len() == 0 || s != nil && len(s.gets) == 0 && len(s.params) == 0 && len(s.rel) == 0 {
		s = nil
	}
	if s != nil {
		slices.SortFunc(s.rel, func(a, b ast.Expr) int { return int(a.Pos() - b.Pos()) })
	}
	// markProvisioning(&state, ...): state.Generation++ through the pointer.
	params := fn.Signature().Params()
	var incs []int
	for j := range params.Len() {
		v := params.At(j)
		if _, ptr := v.Type().Underlying().(*types.Pointer); !ptr {
			continue
		}
		if sites := u.read(v, "")[paramKey(j)]; len(increments(sites)) > 0 {
			incs = append(incs, j)
		}
	}
	if len(incs) > 0 {
		if s == nil {
			s = &helperSum{keys: make(map[key]keyInfo)}
		}
		s.incs = incs
	}
	if sets := u.setterSums(fn); len(sets) > 0 {
		if s == nil {
			s = &helperSum{keys: make(map[key]keyInfo)}
		}
		s.sets = sets
	}
	h.sums[fn] = s
	return s
}

// setterSums returns the restate.Sets of the helper fn (this unit) that
// store one of its parameters, whole, under a key over its receiver,
// parameters and constants, with an exclusive object context.
func (u *unit) setterSums(fn *types.Func) []setterSum {
	var out []setterSum
	for _, site := range u.sets {
		if site.via != nil || !site.exclusive || !u.relative(fn, site.keyExpr) {
			continue
		}
		o := u.eval(site.value)
		if len(o) != 1 {
			continue
		}
		for k, sites := range o {
			if len(sites) != 1 || !sites[whole] || !strings.HasPrefix(string(k), "p:") {
				continue
			}
			if j, err := strconv.Atoi(string(k)[2:]); err == nil {
				out = append(out, setterSum{key: site.keyExpr, param: j})
			}
		}
	}
	return out
}

// relative reports whether the key expression e of the helper fn is built
// only from fn's receiver and parameters (and their fields), constants
// and functions: its value is known from the operands of a call.
func (u *unit) relative(fn *types.Func, e ast.Expr) bool {
	sig := fn.Signature()
	own := make(map[*types.Var]bool)
	if sig.Recv() != nil {
		own[sig.Recv()] = true
	}
	for i := range sig.Params().Len() {
		own[sig.Params().At(i)] = true
	}
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			ok = false
		case *ast.Ident:
			if v, isVar := u.info.Uses[n].(*types.Var); isVar && !v.IsField() && !own[v] {
				ok = false // a local or a package-level variable
			}
		}
		return ok
	})
	return ok
}

// substOf maps the receiver and parameters of the helper fn (its origin)
// to the operands of call; nil if they cannot be matched (a promoted
// method, a method expression).
func (u *unit) substOf(call *ast.CallExpr, fn *types.Func) map[*types.Var]ast.Expr {
	sig := fn.Signature()
	m := make(map[*types.Var]ast.Expr)
	if recv := sig.Recv(); recv != nil {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		s, ok := u.info.Selections[sel]
		if !ok || s.Kind() != types.MethodVal || len(s.Index()) != 1 {
			return nil
		}
		m[recv] = sel.X
	}
	for i := range sig.Params().Len() {
		if i >= len(call.Args) || sig.Variadic() && i == sig.Params().Len()-1 {
			break
		}
		m[sig.Params().At(i)] = call.Args[i]
	}
	return m
}

// helperSets returns the state writes of a call of a setter helper of
// the package: one per restate.Set of a parameter in it.
func (u *unit) helperSets(call *ast.CallExpr) []setSite {
	if u.helpers == nil {
		return nil
	}
	fn := sdk.Callee(u.info, call)
	if fn == nil || !u.helpers.setters[fn.Origin()] {
		return nil
	}
	s := u.helpers.summarize(u.info, u.z, fn.Origin())
	if s == nil || len(s.sets) == 0 {
		return nil
	}
	subst := u.substOf(call, fn.Origin())
	if subst == nil {
		return nil
	}
	var out []setSite
	for _, st := range s.sets {
		if st.param >= len(call.Args) {
			continue
		}
		out = append(out, setSite{call: call, keyExpr: st.key, subst: subst, value: call.Args[st.param], exclusive: true, via: fn.Origin()})
	}
	return out
}

// incrementsThrough records, for a call of a helper that increments the
// value behind a pointer parameter (helperSum.incs), an increment of the
// variable whose address is given there.
func (u *unit) incrementsThrough(call *ast.CallExpr) {
	if u.helpers == nil {
		return
	}
	fn := sdk.Callee(u.info, call)
	if fn == nil || u.z.Declared(fn.Origin()) == nil {
		return
	}
	for j, arg := range call.Args {
		addr, ok := ast.Unparen(arg).(*ast.UnaryExpr)
		if !ok || addr.Op != token.AND {
			continue
		}
		v, p, ok := u.place(addr.X)
		if !ok {
			continue
		}
		x, j := addr.X, j
		u.defs = append(u.defs, def{target: v, path: p, value: func() origins {
			s := u.helpers.summarize(u.info, u.z, fn.Origin())
			if s == nil || !slices.Contains(s.incs, j) {
				return nil
			}
			return incremented(u.eval(x), call)
		}})
	}
}

// seedParams gives each parameter of a helper (contexts excepted) its
// pseudo-key, so that the helper's results say which ones they pass on.
func (u *unit) seedParams() {
	if u.root.Obj == nil {
		return
	}
	params := u.root.Obj.Signature().Params()
	for j := range params.Len() {
		v := params.At(j)
		if sdk.IsHandlerContext(v.Type()) || v.Name() == "" || v.Name() == "_" {
			continue
		}
		k := paramKey(j)
		u.defs = append(u.defs, def{target: v, value: func() origins { return origins{k: {whole: true}} }})
	}
}
