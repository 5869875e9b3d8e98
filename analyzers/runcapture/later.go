package runcapture

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"

	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// reader answers "can the handler read this variable after the Run call",
// caching control-flow graphs per function.
type reader struct {
	pass *analysis.Pass
	z    *zones.Zones
	cfgs map[*zones.Func]*cfg.CFG
}

func newReader(pass *analysis.Pass, z *zones.Zones) *reader {
	return &reader{pass: pass, z: z, cfgs: make(map[*zones.Func]*cfg.CFG)}
}

// readAfter reports whether the value w writes inside the run zone f may
// be read after a Run call that runs f: the variable (or, for a write
// through a reference, a variable sharing its memory) is used on some
// path after the call.
func (r *reader) readAfter(f *zones.Func, w write) bool {
	vars := []*types.Var{w.v}
	if w.indirect || isReference(w.v.Type()) {
		vars = r.related(f, w.v)
	}
	calls := r.runCalls(f)
	for _, v := range vars {
		var path []string // the fields written, for the variable itself
		if v == w.v {
			path = w.path
		}
		if r.sharedVar(f, v) {
			return true
		}
		decl := r.declaring(v)
		if len(calls) == 0 {
			if r.usedOutside(decl, f, v, path) {
				return true
			}
			continue
		}
		for _, call := range calls {
			h := r.z.Enclosing(call)
			if h == nil {
				continue
			}
			if h != decl {
				// Declared in an enclosing function: any use there may follow.
				if r.usedOutside(decl, f, v, path) {
					return true
				}
				continue
			}
			if r.readAfterCall(h, f, call, v, path) {
				return true
			}
		}
	}
	return false
}

// sharedVar reports whether v is package-level or captured from outside
// the handler the run zone f belongs to: every invocation shares it.
func (r *reader) sharedVar(f *zones.Func, v *types.Var) bool {
	if v.Pkg() != r.pass.Pkg || v.Parent() == v.Pkg().Scope() {
		return true
	}
	decl := r.declaring(v)
	return decl == nil || r.outsideHandler(f, decl)
}

// runCalls returns the calls that run the literal f (restate.Run,
// RunAsync, RunVoid, or a wrapper with a run-only parameter): the call it
// is given to, or the calls given the variable it is assigned to.
func (r *reader) runCalls(f *zones.Func) []inspector.Cursor {
	info := r.pass.TypesInfo
	k, idx := f.Cursor.ParentEdge()
	if k == edge.CallExpr_Args && r.z.RunArg(f.Cursor.Parent().Node().(*ast.CallExpr), idx) {
		return []inspector.Cursor{f.Cursor.Parent()}
	}
	var holder types.Object
	switch p := f.Cursor.Parent().Node().(type) {
	case *ast.AssignStmt:
		if k == edge.AssignStmt_Rhs && len(p.Lhs) == len(p.Rhs) {
			if id, ok := p.Lhs[idx].(*ast.Ident); ok {
				holder = info.ObjectOf(id)
			}
		}
	case *ast.ValueSpec:
		if k == edge.ValueSpec_Values && len(p.Names) == len(p.Values) {
			holder = info.ObjectOf(p.Names[idx])
		}
	}
	if holder == nil || f.Parent == nil {
		return nil
	}
	top := f.Parent
	for top.Parent != nil {
		top = top.Parent
	}
	var calls []inspector.Cursor
	for c := range top.Cursor.Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		for i, arg := range call.Args {
			if id, isID := ast.Unparen(arg).(*ast.Ident); isID && info.Uses[id] == holder && r.z.RunArg(call, i) {
				calls = append(calls, c)
				break
			}
		}
	}
	return calls
}

// declaring returns the innermost function whose body or signature
// declares v; nil for package-level variables.
func (r *reader) declaring(v *types.Var) *zones.Func {
	var decl *zones.Func
	for _, g := range r.z.Funcs {
		if g.Node.Pos() <= v.Pos() && v.Pos() < g.Node.End() {
			decl = g // source order: later ones are nested
		}
	}
	return decl
}

// outsideHandler reports whether decl encloses the handler the run zone
// f belongs to (a variable of the function that registers an inline
// handler): the handler's invocations all share it.
func (r *reader) outsideHandler(f *zones.Func, decl *zones.Func) bool {
	for g := f; g != nil; g = g.Parent {
		if g == decl {
			return false
		}
		if g.Kind == zones.Handler && g.HasCtxParam {
			return g.Parent != nil && encloses(decl, g)
		}
	}
	return false
}

func encloses(outer, inner *zones.Func) bool {
	for g := inner.Parent; g != nil; g = g.Parent {
		if g == outer {
			return true
		}
	}
	return false
}

// usedOutside reports whether v is read anywhere in decl outside the run
// zone f.
func (r *reader) usedOutside(decl, f *zones.Func, v *types.Var, path []string) bool {
	return decl.Body != nil && reads(r.pass.TypesInfo, decl.Body, v, f.Node, path)
}

// readAfterCall walks h's control-flow graph from the Run call onwards
// and reports whether some path reads v before overwriting it.
func (r *reader) readAfterCall(h, f *zones.Func, call inspector.Cursor, v *types.Var, path []string) bool {
	info := r.pass.TypesInfo
	// Other closures and deferred functions of h may run after the call.
	for _, g := range r.z.Funcs {
		if g.Parent == h && g != f && g.Kind != zones.Run && reads(info, g.Node, v, nil, path) {
			return true
		}
	}
	g := r.cfgOf(h)
	start, idx := locate(g, call.Node())
	if start == nil {
		return r.usedOutside(h, f, v, path)
	}
	if kills(info, start.Nodes[idx], v) {
		return false // x, err = restate.Run(...): the closure's result replaces it
	}
	named := isNamedResult(h, v)
	seen := make(map[*cfg.Block]bool)
	type item struct {
		b    *cfg.Block
		from int
	}
	work := []item{{start, idx + 1}}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		killed := false
		for _, n := range it.b.Nodes[it.from:] {
			if reads(info, n, v, nil, path) {
				return true
			}
			if ret, ok := n.(*ast.ReturnStmt); ok && named && len(ret.Results) == 0 {
				return true // a bare return reads the named result
			}
			if kills(info, n, v) {
				killed = true
				break
			}
		}
		if killed {
			continue
		}
		for _, s := range it.b.Succs {
			if !seen[s] {
				seen[s] = true
				work = append(work, item{s, 0})
			}
		}
	}
	return false
}

func (r *reader) cfgOf(h *zones.Func) *cfg.CFG {
	if g, ok := r.cfgs[h]; ok {
		return g
	}
	info := r.pass.TypesInfo
	g := cfg.New(h.Body, func(call *ast.CallExpr) bool {
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			return true
		}
		_, builtin := info.Uses[id].(*types.Builtin)
		return !(builtin && id.Name == "panic")
	})
	r.cfgs[h] = g
	return g
}

// locate returns the block and index of the smallest CFG node containing
// n.
func locate(g *cfg.CFG, n ast.Node) (*cfg.Block, int) {
	var best *cfg.Block
	bestIdx := 0
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		for i, m := range b.Nodes {
			if m.Pos() <= n.Pos() && n.End() <= m.End() {
				if best == nil || m.End()-m.Pos() < best.Nodes[bestIdx].End()-best.Nodes[bestIdx].Pos() {
					best, bestIdx = b, i
				}
			}
		}
	}
	return best, bestIdx
}

// reads reports whether n, except its subtree skip, reads v where the
// fields at path were written: any use other than as the whole target of
// an assignment or the root of an assignment's target (x.f = 1 writes x,
// it does not read the value the closure wrote), and other than a read of
// a field path disjoint from path (s.client when s.cache was written).
func reads(info *types.Info, n ast.Node, v *types.Var, skip ast.Node, path []string) bool {
	targets := make(map[*ast.Ident]bool)
	paths := make(map[*ast.Ident][]string)
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found || (skip != nil && x == skip) {
			return false
		}
		switch x := x.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.ASSIGN || x.Tok == token.DEFINE {
				for _, lhs := range x.Lhs {
					if id := targetRoot(lhs); id != nil {
						targets[id] = true
					}
				}
			}
		case *ast.SelectorExpr:
			if id, p, ok := selPath(info, x); ok {
				if _, seen := paths[id]; !seen {
					paths[id] = p // preorder: the longest chain comes first
				}
			}
		case *ast.Ident:
			if !targets[x] && info.Uses[x] == v && overlap(paths[x], path) {
				found = true
			}
		}
		return !found
	})
	return found
}

// selPath returns the root identifier of a chain of field selections and
// the fields selected (x.a.b → x, [a b]).
func selPath(info *types.Info, sel *ast.SelectorExpr) (*ast.Ident, []string, bool) {
	var names []string
	var e ast.Expr = sel
	for {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			s, ok := info.Selections[x]
			if !ok || s.Kind() != types.FieldVal {
				return nil, nil, false
			}
			names = append(names, x.Sel.Name)
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			slices.Reverse(names)
			return x, names, true
		default:
			return nil, nil, false
		}
	}
}

// overlap reports whether two field paths from the same variable reach
// common memory: one is a prefix of the other.
func overlap(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// targetRoot returns the identifier at the root of an assignment target
// reached without reading memory (x, x.f, x[i] of an array), nil
// otherwise.
func targetRoot(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// kills reports whether n overwrites v as a whole (v = ..., v, err = ...).
func kills(info *types.Info, n ast.Node, v *types.Var) bool {
	a, ok := n.(*ast.AssignStmt)
	if !ok || (a.Tok != token.ASSIGN && a.Tok != token.DEFINE) {
		return false
	}
	for _, lhs := range a.Lhs {
		if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && info.ObjectOf(id) == v {
			return true
		}
	}
	return false
}

// isNamedResult reports whether v is one of h's named results.
func isNamedResult(h *zones.Func, v *types.Var) bool {
	res := h.Type.Results
	return res != nil && res.Pos() <= v.Pos() && v.Pos() < res.End()
}

// related returns v and the variables of the handler that share memory
// with it through assignments (items := resp.Items, p := &order, a range
// variable over a slice of pointers), outside the run zone f.
func (r *reader) related(f *zones.Func, v *types.Var) []*types.Var {
	info := r.pass.TypesInfo
	top := f
	for top.Parent != nil {
		top = top.Parent
	}
	edges := make(map[*types.Var][]*types.Var)
	link := func(lhs, rhs ast.Expr, elem bool) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return
		}
		a, _ := info.ObjectOf(id).(*types.Var)
		if a == nil {
			return
		}
		t := a.Type()
		if elem {
			t = elemType(info.TypeOf(rhs))
		}
		_, addr := ast.Unparen(rhs).(*ast.UnaryExpr)
		if !isReference(t) && !addr {
			return
		}
		b, _ := rootVar(info, ast.Unparen(rhs))
		if b == nil || b == a {
			return
		}
		edges[a] = append(edges[a], b)
		edges[b] = append(edges[b], a)
	}
	ast.Inspect(top.Node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return n != f.Node
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					link(n.Lhs[i], n.Rhs[i], false)
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i := range n.Names {
					link(n.Names[i], n.Values[i], false)
				}
			}
		case *ast.RangeStmt:
			if n.Value != nil {
				link(n.Value, n.X, true)
			}
		}
		return true
	})
	out := []*types.Var{v}
	seen := map[*types.Var]bool{v: true}
	for i := 0; i < len(out); i++ {
		for _, w := range edges[out[i]] {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}
