package statecounter

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/flow"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// key identifies a state key: the same constant (after constant folding),
// or the same expression over the same variables.
type key string

// keyInfo describes a key for messages and guards.
type keyInfo struct {
	display   string // "\"views\"", "key"
	byRequest bool   // built from request data ("result:"+req.ID)
	// expr is the key expression as written in this unit (nil for a key
	// translated from a helper's): a helper's summary translates it into
	// its callers' terms (helpers.go).
	expr ast.Expr
}

// setSite is a state write the unit analyzes: restate.Set, or the call
// of a helper of the package that Sets one of its parameters
// (sm.SetInt(newVal), helpers.go).
type setSite struct {
	call      *ast.CallExpr
	keyExpr   ast.Expr                // the key as written (in the helper, for a helper call)
	subst     map[*types.Var]ast.Expr // the helper's receiver and parameters: the call's operands
	value     ast.Expr                // the value stored
	exclusive bool                    // with an exclusive object context
	via       *types.Func             // the helper; nil for restate.Set
}

// key returns the identity of the key site stores under.
func (u *unit) siteKey(site setSite) key { return u.keyOfSubst(site.keyExpr, site.subst) }

// origins says which state keys a value is derived from, and at which
// increment sites (+, -, ++, --, op=, append) it was incremented on the
// way. A site set holding only the whole mark means derived without
// increment.
type origins map[key]map[ast.Node]bool

// whole marks, in a site set, a value that is the value read from the key
// or derived from it as a value (v.N, v+1, v[i], a copy): incrementing it
// increments the value read. Without the mark the value only holds parts
// derived from the key (a list built from the value read, "prev:"+last
// appended to it): appending to that list does not increment the value
// read.
var whole ast.Node = new(ast.BadExpr)

// increments returns the increment sites of a site set.
func increments(sites map[ast.Node]bool) []ast.Node {
	var out []ast.Node
	for s := range sites {
		if s != whole {
			out = append(out, s)
		}
	}
	return out
}

// merge adds o's origins into *dst, reporting whether anything was added.
func merge(dst *origins, o origins) bool {
	changed := false
	for k, sites := range o {
		if *dst == nil {
			*dst = make(origins)
		}
		d, ok := (*dst)[k]
		if !ok {
			d = make(map[ast.Node]bool)
			(*dst)[k] = d
			changed = true
		}
		for s := range sites {
			if !d[s] {
				d[s] = true
				changed = true
			}
		}
	}
	return changed
}

// incremented returns o with site added to every key o is the value of.
func incremented(o origins, site ast.Node) origins {
	out := make(origins, len(o))
	for k, sites := range o {
		s := make(map[ast.Node]bool, len(sites)+1)
		for x := range sites {
			s[x] = true
		}
		if sites[whole] {
			s[site] = true
		}
		out[k] = s
	}
	return out
}

// parts returns the origins of a value that becomes a part of another
// (an appended element): derived from the same keys, but neither the
// value read nor incremented.
func parts(o origins) origins {
	var out origins
	for k := range o {
		if out == nil {
			out = make(origins, len(o))
		}
		out[k] = map[ast.Node]bool{}
	}
	return out
}

// path is a place inside a variable's value: the fields selected and "[]"
// for an element (of a slice, array, map or string), each followed by
// "/": "Tags/", "Items/[]/Price/". The empty path is the whole value.
type path string

// maxDepth bounds the paths stored, so that copies between variables
// cannot grow them without end; a deeper place is stored at its ancestor
// of that depth, which every read of the place also reads.
const maxDepth = 8

// related reports whether a write to one of a, b can change the value
// read at the other: one is a prefix of the other (the whole value and
// its fields, a field and its own subfields), not two different fields.
func related(a, b path) bool {
	return strings.HasPrefix(string(a), string(b)) || strings.HasPrefix(string(b), string(a))
}

func truncate(p path) path {
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			n++
			if n == maxDepth {
				return p[:i+1]
			}
		}
	}
	return p
}

// loc is a place in a local variable.
type loc struct {
	v *types.Var
	p path
}

// link makes a variable an alias of the place off of another: p := &st.Inner
// (p's value is st's at "Inner/"), tags := v.Tags, m2 := m (off empty).
type link struct {
	to  *types.Var
	off path
}

// def is one assignment to a variable (whole or partial) in the handler.
type def struct {
	target *types.Var
	path   path           // the place assigned, relative to target
	value  func() origins // what the assignment stores, at the current state of the analysis
	from   *loc           // or: a copy of this place, path by path (w := v, range values)
}

// unit is the data flow of one handler function, its nested literals
// included (handlers registered inline inside it excluded).
type unit struct {
	info  *types.Info
	z     *zones.Zones
	root  *zones.Func
	keys  map[key]keyInfo
	alias map[*types.Var]link // union-find over variables sharing memory
	// vars holds, per alias class representative, the origins written at
	// each path: a write to v.Tags is not read by v.ID.
	vars      map[*types.Var]map[path]origins
	collapsed map[*types.Var]bool // classes whose paths are not told apart
	defs      []def

	request  map[*types.Var]bool     // variables derived from the request
	idemKeys map[*types.Var]bool     // variables holding ctx.Request().IdempotencyKey
	lookups  map[*types.Var]ast.Expr // ok of "_, ok := m[k]": the lookup
	single   map[*types.Var]ast.Expr // variables assigned exactly once: their value
	assigned map[*types.Var]int

	sets  []setSite // restate.Set calls and helper Sets outside run zones
	cur   map[ast.Node]inspector.Cursor
	order *flow.Order // of root, once asked (order.go)

	helpers *helperCtx // the package's helpers reading state (helpers.go); nil: not followed
}

func newUnit(info *types.Info, z *zones.Zones, root *zones.Func, h *helperCtx) *unit {
	return newUnitWith(info, z, root, h, false)
}

// newUnitWith is newUnit; seed gives the root's parameters pseudo-keys
// (a helper's summary, helpers.go).
func newUnitWith(info *types.Info, z *zones.Zones, root *zones.Func, h *helperCtx, seed bool) *unit {
	u := &unit{
		helpers: h,
		info:    info, z: z, root: root,
		keys:      make(map[key]keyInfo),
		alias:     make(map[*types.Var]link),
		vars:      make(map[*types.Var]map[path]origins),
		collapsed: make(map[*types.Var]bool),
		request:   make(map[*types.Var]bool),
		idemKeys:  make(map[*types.Var]bool),
		lookups:   make(map[*types.Var]ast.Expr),
		single:    make(map[*types.Var]ast.Expr),
		assigned:  make(map[*types.Var]int),
		cur:       make(map[ast.Node]inspector.Cursor),
	}
	u.collect()
	if seed {
		u.seedParams()
	}
	u.solve()
	return u
}

// params marks the handler's parameters other than contexts and the
// receiver as request data.
func (u *unit) params() {
	for _, field := range u.root.Type.Params.List {
		if sdk.IsHandlerContext(u.info.TypeOf(field.Type)) {
			continue
		}
		for _, name := range field.Names {
			if v, ok := u.info.Defs[name].(*types.Var); ok {
				u.request[v] = true
			}
		}
	}
}

// collect records the definitions, aliases and Set calls of the unit.
func (u *unit) collect() {
	u.params()
	type reqDef struct {
		v   *types.Var
		rhs ast.Expr
	}
	var reqDefs []reqDef
	u.root.Cursor.Inspect(nil, func(c inspector.Cursor) bool {
		n := c.Node()
		if lit, ok := n.(*ast.FuncLit); ok && n != u.root.Node {
			if f := u.z.Of(lit); f != nil && f.HasCtxParam {
				return false // a handler of its own
			}
		}
		u.cur[n] = c
		switch n := n.(type) {
		case *ast.CallExpr:
			u.incrementsThrough(n)
			if f := u.z.Enclosing(c); f != nil && f.Kind != zones.Run {
				if sc, ok := sdk.State(u.info, n); ok && sc.Func == "Set" {
					u.sets = append(u.sets, setSite{call: n, keyExpr: sc.Key, value: sc.Value,
						exclusive: sdk.IsExclusiveObjectContext(u.info.TypeOf(sc.Ctx))})
				} else {
					u.sets = append(u.sets, u.helperSets(n)...)
				}
			}
		case *ast.AssignStmt:
			u.assign(n, n.Lhs, n.Rhs, n.Tok)
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					if v := u.rootVar(n.Lhs[i]); v != nil {
						reqDefs = append(reqDefs, reqDef{v, n.Rhs[i]})
					}
				}
			} else if len(n.Rhs) == 1 {
				if v := u.rootVar(n.Lhs[0]); v != nil {
					reqDefs = append(reqDefs, reqDef{v, n.Rhs[0]}) // id, err := strconv.Atoi(req.ID)
				}
			}
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			u.assign(n, lhs, n.Values, token.DEFINE)
			if len(n.Names) == len(n.Values) {
				for i := range n.Names {
					if v := u.rootVar(n.Names[i]); v != nil {
						reqDefs = append(reqDefs, reqDef{v, n.Values[i]})
					}
				}
			}
		case *ast.IncDecStmt:
			if v, p, ok := u.place(n.X); ok {
				x := n.X
				u.defs = append(u.defs, def{target: v, path: p, value: func() origins { return incremented(u.eval(x), n) }})
			}
		case *ast.RangeStmt:
			x := n.X
			for i, e := range []ast.Expr{n.Key, n.Value} {
				if e == nil {
					continue
				}
				v, p, ok := u.place(e)
				if !ok {
					continue
				}
				d := def{target: v, path: p, value: func() origins { return u.eval(x) }}
				if xv, xp, ok := u.place(x); ok && i == 1 && hasElems(u.info.TypeOf(x)) {
					d.from = &loc{xv, xp + "[]/"} // the elements, field by field
					if _, whole := ast.Unparen(e).(*ast.Ident); whole && isReference(v.Type()) {
						u.union(v, xv, xp+"[]/") // for _, acct := range accts { acct.Balance += x }
					}
				}
				u.defs = append(u.defs, d)
				reqDefs = append(reqDefs, reqDef{v, x})
			}
		}
		return true
	})
	// Request data flows through local variables.
	for range len(reqDefs) + 1 {
		changed := false
		for _, d := range reqDefs {
			if !u.request[d.v] && u.mentionsRequest(d.rhs) {
				u.request[d.v] = true
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

// assign records the definitions of one assignment or declaration.
func (u *unit) assign(n ast.Node, lhs, rhs []ast.Expr, tok token.Token) {
	if len(lhs) == len(rhs) {
		for i := range lhs {
			v, p, ok := u.place(lhs[i])
			if !ok {
				continue
			}
			u.assigned[v]++
			_, whole := ast.Unparen(lhs[i]).(*ast.Ident)
			if whole {
				u.single[v] = rhs[i]
				if f, ok := sdk.RequestField(u.info, rhs[i]); ok && f == "IdempotencyKey" {
					u.idemKeys[v] = true
				}
				if isReference(v.Type()) {
					if w, wp, ok := u.place(rhs[i]); ok {
						u.union(v, w, wp) // p := &st; m2 := m; tags := v.Tags
					}
				}
			}
			l, r := lhs[i], rhs[i]
			switch tok {
			case token.ADD_ASSIGN, token.SUB_ASSIGN:
				u.defs = append(u.defs, def{target: v, path: p, value: func() origins {
					o := u.eval(l)
					merge(&o, u.eval(r))
					return incremented(o, n)
				}})
			case token.ASSIGN, token.DEFINE:
				d := def{target: v, path: p, value: func() origins { return u.eval(r) }}
				if rv, rp, ok := u.place(r); ok && whole {
					d.from = &loc{rv, rp} // w := v: field by field
				}
				u.defs = append(u.defs, d)
			default: // *=, |=, ...: derived, not incremented
				u.defs = append(u.defs, def{target: v, path: p, value: func() origins {
					o := u.eval(l)
					merge(&o, u.eval(r))
					return o
				}})
			}
		}
		return
	}
	if len(rhs) != 1 || len(lhs) == 0 {
		return
	}
	// Tuples: v, err := restate.Get[T](ctx, k); v, ok := m[k]; v, err := restate.Run(...).
	for _, l := range lhs {
		if v := u.rootVar(l); v != nil {
			u.assigned[v]++
		}
	}
	r := ast.Unparen(rhs[0])
	if v, p, ok := u.place(lhs[0]); ok {
		u.defs = append(u.defs, def{target: v, path: p, value: func() origins { return u.eval(r) }})
	}
	if ix, ok := r.(*ast.IndexExpr); ok && len(lhs) == 2 {
		if id, ok := lhs[1].(*ast.Ident); ok {
			if v, ok := u.info.ObjectOf(id).(*types.Var); ok {
				u.lookups[v] = ix
			}
		}
	}
}

// solve computes the places' origins to a fixed point: origins only
// grow, and there are finitely many keys, sites and (bounded) paths.
func (u *unit) solve() {
	for range 64 {
		changed := false
		for _, d := range u.defs {
			rep, pre := u.find(d.target)
			dst := pre + d.path
			if d.from == nil {
				changed = u.store(rep, dst, d.value()) || changed
				continue
			}
			srep, spre := u.find(d.from.v)
			src := spre + d.from.p
			if srep == rep || u.collapsed[srep] {
				if srep != rep || src != dst {
					changed = u.store(rep, dst, u.read(d.from.v, d.from.p)) || changed
				}
				continue
			}
			// A copy: what src's fields hold, dst's fields hold; what src
			// as a whole (or an enclosing value) holds, dst holds.
			type write struct {
				p path
				o origins
			}
			var ws []write
			for p, o := range u.vars[srep] {
				switch {
				case strings.HasPrefix(string(p), string(src)):
					ws = append(ws, write{dst + p[len(src):], o})
				case strings.HasPrefix(string(src), string(p)):
					ws = append(ws, write{dst, o})
				}
			}
			for _, w := range ws {
				changed = u.store(rep, w.p, w.o) || changed
			}
		}
		if !changed {
			return
		}
	}
}

// store adds o to the origins of place p of the class rep.
func (u *unit) store(rep *types.Var, p path, o origins) bool {
	if len(o) == 0 {
		return false
	}
	p = truncate(p)
	m := u.vars[rep]
	if m == nil {
		m = make(map[path]origins)
		u.vars[rep] = m
	}
	cur := m[p]
	if merge(&cur, o) {
		m[p] = cur
		return true
	}
	return false
}

// read returns the origins of the value at place p of v: what was written
// at p, at the places enclosing it (v = restate.Get(...)) and inside it
// (v.Tags = append(...) is read by v), not at other fields.
func (u *unit) read(v *types.Var, p path) origins {
	rep, pre := u.find(v)
	full := truncate(pre + p)
	var o origins
	for q, qo := range u.vars[rep] {
		if u.collapsed[rep] || related(q, full) {
			merge(&o, qo)
		}
	}
	return o
}

// find returns the representative of v's alias class and the place of
// v's value in it.
func (u *unit) find(v *types.Var) (*types.Var, path) {
	var off path
	for range 1000 {
		l, ok := u.alias[v]
		if !ok || l.to == v {
			break
		}
		off = l.off + off
		v = l.to
	}
	return v, off
}

// union records that a's value is the place off of b's (a := &b.f,
// a := b for references). A variable that aliases two different places
// makes its class collapse: its paths are no longer told apart.
func (u *unit) union(a, b *types.Var, off path) {
	ra, oa := u.find(a)
	rb, ob := u.find(b)
	x := ob + off
	if ra == rb {
		if oa != x {
			u.collapsed[rb] = true
		}
		return
	}
	switch {
	case oa == "":
		u.alias[ra] = link{rb, x}
	case strings.HasSuffix(string(x), string(oa)):
		u.alias[ra] = link{rb, x[:len(x)-len(oa)]}
	default:
		u.alias[ra] = link{rb, ""}
		u.collapsed[rb] = true
	}
	if u.collapsed[ra] {
		u.collapsed[rb] = true
	}
}

// rootVar returns the local variable at the root of e (x in x, x.f, x[i],
// *x, &x, x[1:]), nil for package-level variables and anything else.
func (u *unit) rootVar(e ast.Expr) *types.Var {
	v, _, _ := u.place(e)
	return v
}

// place returns the local variable at the root of e and the path of e in
// it: v.Tags is ("v", "Tags/"), p.Items[i].Price is ("p", "Items/[]/Price/");
// dereferences, slicing and & keep the path. ok is false for
// package-level variables and expressions that are not places.
func (u *unit) place(e ast.Expr) (v *types.Var, p path, ok bool) {
	var parts []string // innermost last
	for {
		switch x := e.(type) {
		case *ast.Ident:
			v, ok := u.info.ObjectOf(x).(*types.Var)
			if !ok || x.Name == "_" || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() || v.IsField() {
				return nil, "", false
			}
			var b strings.Builder
			for i := len(parts) - 1; i >= 0; i-- {
				b.WriteString(parts[i])
			}
			return v, path(b.String()), true
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			s, ok := u.info.Selections[x]
			if !ok || s.Kind() != types.FieldVal {
				return nil, "", false
			}
			names := fieldPath(s)
			for i := len(names) - 1; i >= 0; i-- {
				parts = append(parts, names[i]+"/")
			}
			e = x.X
		case *ast.IndexExpr:
			parts = append(parts, "[]/")
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.SliceExpr:
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return nil, "", false
			}
			e = x.X
		default:
			return nil, "", false
		}
	}
}

// fieldPath returns the names of the fields a field selection goes
// through, embedded fields included: a.X and a.Base.X are both
// [Base X].
func fieldPath(s *types.Selection) []string {
	var names []string
	t := s.Recv()
	for _, i := range s.Index() {
		if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := types.Unalias(t).Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return []string{s.Obj().Name()} // a type parameter's core type
		}
		f := st.Field(i)
		names = append(names, f.Name())
		t = f.Type()
	}
	return names
}

// hasElems reports whether ranging over a value of type t yields its
// elements as values: slices, arrays (also through a pointer) and maps.
func hasElems(t types.Type) bool {
	if t == nil {
		return false
	}
	u := t.Underlying()
	if p, ok := u.(*types.Pointer); ok {
		u = p.Elem().Underlying()
	}
	switch u.(type) {
	case *types.Slice, *types.Array, *types.Map:
		return true
	}
	return false
}

// eval returns the origins of the value of e.
func (u *unit) eval(e ast.Expr) origins {
	if v, p, ok := u.place(ast.Unparen(e)); ok {
		return u.read(v, p)
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		if s, ok := u.info.Selections[x]; ok && s.Kind() == types.FieldVal {
			return u.eval(x.X)
		}
	case *ast.IndexExpr:
		if tv, ok := u.info.Types[x.X]; ok && !tv.IsValue() {
			return nil // an instantiation
		}
		return u.eval(x.X)
	case *ast.StarExpr:
		return u.eval(x.X)
	case *ast.SliceExpr:
		return u.eval(x.X)
	case *ast.TypeAssertExpr:
		return u.eval(x.X)
	case *ast.UnaryExpr:
		switch x.Op {
		case token.AND, token.SUB, token.ADD, token.XOR:
			return u.eval(x.X)
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case token.ADD, token.SUB:
			o := u.eval(x.X)
			merge(&o, u.eval(x.Y))
			return incremented(o, x)
		case token.MUL, token.QUO, token.REM, token.AND, token.OR, token.XOR, token.SHL, token.SHR, token.AND_NOT:
			o := u.eval(x.X)
			merge(&o, u.eval(x.Y))
			return o
		}
	case *ast.CompositeLit:
		var o origins
		for _, elt := range x.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			merge(&o, u.eval(elt))
		}
		return o
	case *ast.CallExpr:
		return u.evalCall(x)
	}
	return nil
}

func (u *unit) evalCall(call *ast.CallExpr) origins {
	if tv, ok := u.info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
		return u.eval(call.Args[0]) // conversion
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := u.info.Uses[id].(*types.Builtin); ok {
			switch b.Name() {
			case "append":
				if len(call.Args) == 0 {
					return nil
				}
				o := u.eval(call.Args[0])
				if emptySlice(call.Args[0]) {
					o = nil // append(s[:0:0], s...): a copy
				}
				if u.removal(call) {
					return o // append(s[:i], s[i+1:]...): s without an element
				}
				if len(o) > 0 {
					o = incremented(o, call)
				}
				for _, a := range call.Args[1:] {
					// Elements derived from state are parts of the
					// list: appending "prev:"+last to a list neither
					// increments last nor makes the list last's value.
					merge(&o, parts(u.eval(a)))
				}
				return o
			case "max", "min":
				var o origins
				for _, a := range call.Args {
					merge(&o, u.eval(a))
				}
				return o
			}
			return nil
		}
	}
	if sc, ok := sdk.State(u.info, call); ok && sc.Func == "Get" {
		k := u.keyOf(sc.Key)
		return origins{k: {whole: true}}
	}
	if lit, ok := sdk.RunClosure(u.info, call); ok && sdk.IsFunc(sdk.Callee(u.info, call), "Run") {
		return u.returns(lit)
	}
	if o, ok := u.helperOrigins(call); ok {
		return o
	}
	// A method returning its receiver's type (st.With(x), d.Add(y)): derived.
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := u.info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			if t := u.info.TypeOf(call); t != nil && types.Identical(t, s.Recv()) {
				return u.eval(sel.X)
			}
		}
	}
	return nil
}

// returns returns the origins of the first result a Run closure returns.
func (u *unit) returns(fn ast.Expr) origins {
	lit, ok := ast.Unparen(fn).(*ast.FuncLit)
	if !ok {
		return nil
	}
	var o origins
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) > 0 {
				merge(&o, u.eval(n.Results[0]))
			}
		}
		return true
	})
	return o
}

// removal reports whether an append call removes elements of a list
// rather than adding any: append(s[:i], s[j:]...), both halves of the
// same place, is a subsequence of s.
func (u *unit) removal(call *ast.CallExpr) bool {
	if len(call.Args) != 2 || !call.Ellipsis.IsValid() {
		return false
	}
	head, ok1 := ast.Unparen(call.Args[0]).(*ast.SliceExpr)
	tail, ok2 := ast.Unparen(call.Args[1]).(*ast.SliceExpr)
	if !ok1 || !ok2 || head.Low != nil || head.High == nil || head.Slice3 || tail.Low == nil || tail.High != nil {
		return false
	}
	hv, hp, ok1 := u.place(ast.Unparen(head.X))
	tv, tp, ok2 := u.place(ast.Unparen(tail.X))
	return ok1 && ok2 && hv == tv && hp == tp
}

// emptySlice reports whether e is s[:0] or s[:0:0].
func emptySlice(e ast.Expr) bool {
	s, ok := ast.Unparen(e).(*ast.SliceExpr)
	if !ok || s.High == nil {
		return false
	}
	lit, ok := ast.Unparen(s.High).(*ast.BasicLit)
	return ok && lit.Value == "0"
}

// keyOf returns the identity of a state key expression, recording how to
// display it.
func (u *unit) keyOf(e ast.Expr) key { return u.keyOfSubst(e, nil) }

// keyOfSubst is keyOf for the key expression e of a helper, whose
// receiver and parameters stand for the call's operands in subst: sm.key
// in StateManager.GetInt called as stock.GetInt(0) is the key stock.key,
// the same key as a restate.Get(stock.ctx, stock.key) written here.
func (u *unit) keyOfSubst(e ast.Expr, subst map[*types.Var]ast.Expr) key {
	if x := u.substituted(e, subst); x != nil {
		return u.keyOf(x) // the key is the parameter: the operand's key
	}
	var k key
	info := keyInfo{display: u.display(e, subst)}
	if tv, ok := u.info.Types[e]; ok && tv.Value != nil {
		k = key("c:" + tv.Value.ExactString())
		info.display = tv.Value.ExactString()
	} else {
		var b strings.Builder
		u.keyText(&b, e, subst)
		k = key("e:" + b.String())
		if subst == nil {
			info.byRequest = u.mentionsRequest(e)
			info.expr = e
		}
	}
	if old, ok := u.keys[k]; !ok {
		u.keys[k] = info
	} else if old.expr == nil && info.expr != nil {
		u.keys[k] = info // first met translated from a helper: keep the expression written here
	}
	return k
}

// substituted returns the operand a helper's receiver or parameter e
// stands for, nil if e is not one.
func (u *unit) substituted(e ast.Expr, subst map[*types.Var]ast.Expr) ast.Expr {
	if subst == nil {
		return nil
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := u.info.Uses[id].(*types.Var)
	if !ok {
		return nil
	}
	return subst[v]
}

// keyText writes the identity of a non-constant key expression: its
// shape and the objects its identifiers denote.
func (u *unit) keyText(b *strings.Builder, e ast.Expr, subst map[*types.Var]ast.Expr) {
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if x := u.substituted(n, subst); x != nil {
				u.keyText(b, x, nil)
				return false
			}
			if obj := u.info.ObjectOf(n); obj != nil {
				fmt.Fprintf(b, "%s@%d;", n.Name, obj.Pos())
			} else {
				fmt.Fprintf(b, "%s;", n.Name)
			}
		case *ast.BasicLit:
			fmt.Fprintf(b, "%s;", n.Value)
		case *ast.BinaryExpr:
			fmt.Fprintf(b, "%s(", n.Op)
		case nil:
			b.WriteString(")")
		default:
			fmt.Fprintf(b, "%T(", n)
		}
		return true
	})
}

// display shows a key expression in messages, a helper's receiver and
// parameters replaced by the call's operands (stock.key).
func (u *unit) display(e ast.Expr, subst map[*types.Var]ast.Expr) string {
	if subst == nil {
		return types.ExprString(e)
	}
	if x := u.substituted(e, subst); x != nil {
		return types.ExprString(x)
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return "(" + u.display(x.X, subst) + ")"
	case *ast.SelectorExpr:
		return u.display(x.X, subst) + "." + x.Sel.Name
	case *ast.BinaryExpr:
		return u.display(x.X, subst) + " " + x.Op.String() + " " + u.display(x.Y, subst)
	}
	return types.ExprString(e)
}

// mentionsRequest reports whether e uses data from the request: the
// handler's parameters and what is derived from them, the request's
// idempotency key, headers and body. ctx.Request().ID is not request
// data: every client retry gets a new invocation ID. Values read from
// state are not request data either.
func (u *unit) mentionsRequest(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if _, ok := sdk.State(u.info, n); ok {
				return false
			}
		case *ast.SelectorExpr:
			if f, ok := sdk.RequestField(u.info, n); ok {
				switch f {
				case "IdempotencyKey", "Headers", "Body":
					found = true
				}
				return false
			}
		case *ast.Ident:
			if v, ok := u.info.Uses[n].(*types.Var); ok && u.request[v] {
				found = true
			}
		}
		return !found
	})
	return found
}

// isReference reports whether a value of type t shares memory with its
// copies.
func isReference(t types.Type) bool {
	if t == nil {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Map:
		return true
	}
	return false
}
