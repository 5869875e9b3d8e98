package statecounter

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

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
}

// origins says which state keys a value is derived from, and at which
// increment sites (+, -, ++, --, op=, append) it was incremented on the
// way. An empty site set means derived without increment.
type origins map[key]map[ast.Node]bool

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

// incremented returns o with site added to every key.
func incremented(o origins, site ast.Node) origins {
	out := make(origins, len(o))
	for k, sites := range o {
		s := make(map[ast.Node]bool, len(sites)+1)
		for x := range sites {
			s[x] = true
		}
		s[site] = true
		out[k] = s
	}
	return out
}

// def is one assignment to a variable (whole or partial) in the handler.
type def struct {
	target *types.Var
	value  func() origins // what the assignment stores, at the current state of the analysis
}

// unit is the data flow of one handler function, its nested literals
// included (handlers registered inline inside it excluded).
type unit struct {
	info  *types.Info
	z     *zones.Zones
	root  *zones.Func
	keys  map[key]keyInfo
	alias map[*types.Var]*types.Var // union-find over variables sharing memory
	vars  map[*types.Var]origins    // per alias class representative
	defs  []def

	request  map[*types.Var]bool     // variables derived from the request
	idemKeys map[*types.Var]bool     // variables holding ctx.Request().IdempotencyKey
	lookups  map[*types.Var]ast.Expr // ok of "_, ok := m[k]": the lookup
	single   map[*types.Var]ast.Expr // variables assigned exactly once: their value
	assigned map[*types.Var]int

	sets []*ast.CallExpr // restate.Set calls outside run zones
	cur  map[ast.Node]inspector.Cursor
}

func newUnit(info *types.Info, z *zones.Zones, root *zones.Func) *unit {
	u := &unit{
		info: info, z: z, root: root,
		keys:     make(map[key]keyInfo),
		alias:    make(map[*types.Var]*types.Var),
		vars:     make(map[*types.Var]origins),
		request:  make(map[*types.Var]bool),
		idemKeys: make(map[*types.Var]bool),
		lookups:  make(map[*types.Var]ast.Expr),
		single:   make(map[*types.Var]ast.Expr),
		assigned: make(map[*types.Var]int),
		cur:      make(map[ast.Node]inspector.Cursor),
	}
	u.collect()
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
			if sc, ok := sdk.State(u.info, n); ok && sc.Func == "Set" {
				if f := u.z.Enclosing(c); f != nil && f.Kind != zones.Run {
					u.sets = append(u.sets, n)
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
			if v := u.rootVar(n.X); v != nil {
				x := n.X
				u.defs = append(u.defs, def{v, func() origins { return incremented(u.eval(x), n) }})
			}
		case *ast.RangeStmt:
			x := n.X
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e == nil {
					continue
				}
				if v := u.rootVar(e); v != nil {
					u.defs = append(u.defs, def{v, func() origins { return u.eval(x) }})
					reqDefs = append(reqDefs, reqDef{v, x})
				}
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
			v := u.rootVar(lhs[i])
			if v == nil {
				continue
			}
			u.assigned[v]++
			if _, whole := ast.Unparen(lhs[i]).(*ast.Ident); whole {
				u.single[v] = rhs[i]
				if f, ok := sdk.RequestField(u.info, rhs[i]); ok && f == "IdempotencyKey" {
					u.idemKeys[v] = true
				}
				if isReference(v.Type()) {
					if w := u.rootVar(rhs[i]); w != nil {
						u.union(v, w) // p := &st; m2 := m
					}
				}
			}
			l, r := lhs[i], rhs[i]
			switch tok {
			case token.ADD_ASSIGN, token.SUB_ASSIGN:
				u.defs = append(u.defs, def{v, func() origins {
					o := u.eval(l)
					merge(&o, u.eval(r))
					return incremented(o, n)
				}})
			case token.ASSIGN, token.DEFINE:
				u.defs = append(u.defs, def{v, func() origins { return u.eval(r) }})
			default: // *=, |=, ...: derived, not incremented
				u.defs = append(u.defs, def{v, func() origins {
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
	if v := u.rootVar(lhs[0]); v != nil {
		u.defs = append(u.defs, def{v, func() origins { return u.eval(r) }})
	}
	if ix, ok := r.(*ast.IndexExpr); ok && len(lhs) == 2 {
		if id, ok := lhs[1].(*ast.Ident); ok {
			if v, ok := u.info.ObjectOf(id).(*types.Var); ok {
				u.lookups[v] = ix
			}
		}
	}
}

// solve computes the variables' origins to a fixed point: origins only
// grow, and there are finitely many keys and sites.
func (u *unit) solve() {
	for range 64 {
		changed := false
		for _, d := range u.defs {
			rep := u.find(d.target)
			o := u.vars[rep]
			if merge(&o, d.value()) {
				u.vars[rep] = o
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

func (u *unit) find(v *types.Var) *types.Var {
	for {
		p, ok := u.alias[v]
		if !ok || p == v {
			return v
		}
		v = p
	}
}

func (u *unit) union(a, b *types.Var) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u.alias[ra] = rb
	}
}

// rootVar returns the local variable at the root of e (x in x, x.f, x[i],
// *x, &x, x[1:]), nil for package-level variables and anything else.
func (u *unit) rootVar(e ast.Expr) *types.Var {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			v, ok := u.info.ObjectOf(x).(*types.Var)
			if !ok || x.Name == "_" || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() || v.IsField() {
				return nil
			}
			return v
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			if s, ok := u.info.Selections[x]; !ok || s.Kind() != types.FieldVal {
				return nil
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.SliceExpr:
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return nil
			}
			e = x.X
		default:
			return nil
		}
	}
}

// eval returns the origins of the value of e.
func (u *unit) eval(e ast.Expr) origins {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := u.info.Uses[x].(*types.Var); ok {
			return u.vars[u.find(v)]
		}
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
				if len(o) > 0 {
					o = incremented(o, call)
				}
				for _, a := range call.Args[1:] {
					merge(&o, u.eval(a)) // state-derived elements: derived, not incremented
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
		return origins{k: {}}
	}
	if lit, ok := sdk.RunClosure(u.info, call); ok && sdk.IsFunc(sdk.Callee(u.info, call), "Run") {
		return u.returns(lit)
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
func (u *unit) keyOf(e ast.Expr) key {
	var k key
	info := keyInfo{display: types.ExprString(e)}
	if tv, ok := u.info.Types[e]; ok && tv.Value != nil {
		k = key("c:" + tv.Value.ExactString())
		info.display = tv.Value.ExactString()
	} else {
		var b strings.Builder
		ast.Inspect(e, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if obj := u.info.ObjectOf(n); obj != nil {
					fmt.Fprintf(&b, "%s@%d;", n.Name, obj.Pos())
				} else {
					fmt.Fprintf(&b, "%s;", n.Name)
				}
			case *ast.BasicLit:
				fmt.Fprintf(&b, "%s;", n.Value)
			case *ast.BinaryExpr:
				fmt.Fprintf(&b, "%s(", n.Op)
			case nil:
				b.WriteString(")")
			default:
				fmt.Fprintf(&b, "%T(", n)
			}
			return true
		})
		k = key("e:" + b.String())
		info.byRequest = u.mentionsRequest(e)
	}
	if _, ok := u.keys[k]; !ok {
		u.keys[k] = info
	}
	return k
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
