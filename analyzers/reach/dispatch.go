package reach

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// Dual-mode helpers serve handlers and plain callers alike by testing the
// context's dynamic type first:
//
//	func Call[O any](ctx context.Context, c *Client, svc, method string, in any) (O, error) {
//		if rctx, ok := ctx.(restate.Context); ok {
//			return restate.Service[O](rctx, svc, method).Request(in) // journaled
//		}
//		... ingress HTTP with uuid idempotency keys and time.After backoff ...
//	}
//
// Given a handler context, such a function takes the journaled branch and
// never reaches the rest, so its effects for that caller are only those on
// the way to that branch and in it. Every handler context is one dynamic
// type in the SDK, so an assertion to any handler-context interface
// succeeds for any of them.

// Dispatch is what a function reaches when its parameter Param holds a
// handler context: it tests the parameter's dynamic type against a
// handler context (guard), or passes the parameter on unchanged to a
// function that does.
type Dispatch struct {
	Param   int
	Effects []Effect
}

// guard is a dispatching function's test of its parameter: what of its
// body runs only when the parameter does not hold a handler context.
type guard struct {
	param    int
	v        *types.Var
	excluded [][2]token.Pos // half-open position ranges
}

func (g *guard) excludes(pos token.Pos) bool {
	if g == nil {
		return false
	}
	for _, r := range g.excluded {
		if r[0] <= pos && pos < r[1] {
			return true
		}
	}
	return false
}

// findGuard looks for a dispatch on one of f's interface-typed parameters
// among the top-level statements of its body (a test nested in a loop or
// branch may not run):
//
//	if x, ok := p.(restate.Context); ok { ...; return }   // the rest of the body is excluded
//	if _, ok := p.(restate.Context); !ok { ... }          // that block is excluded
//	switch x := p.(type) { case restate.Context: ...; return; default: ... }
//
// Without a guard, f's first context.Context parameter is a candidate for
// dispatch by forwarding (param set, no exclusions).
func findGuard(info *types.Info, f *zones.Func) *guard {
	decl, ok := f.Node.(*ast.FuncDecl)
	if !ok || decl.Body == nil {
		return nil
	}
	sig := f.Obj.Signature()
	params := sig.Params()
	index := func(e ast.Expr) (int, *types.Var) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return -1, nil
		}
		v, _ := info.Uses[id].(*types.Var)
		for i := range params.Len() {
			if params.At(i) == v && types.IsInterface(v.Type()) && !sdk.IsHandlerContext(v.Type()) {
				return i, v
			}
		}
		return -1, nil
	}
	bodyEnd := decl.Body.Rbrace
	for _, stmt := range decl.Body.List {
		switch stmt := stmt.(type) {
		case *ast.IfStmt:
			x, okVar := assertInit(info, stmt.Init)
			if x == nil {
				continue
			}
			i, v := index(x)
			if i < 0 {
				continue
			}
			switch cond := ast.Unparen(stmt.Cond).(type) {
			case *ast.Ident:
				if info.Uses[cond] != okVar || !terminates(stmt.Body) {
					continue
				}
				return &guard{param: i, v: v, excluded: [][2]token.Pos{{stmt.Body.End(), bodyEnd}}}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(cond.X).(*ast.Ident); cond.Op != token.NOT || !ok || info.Uses[id] != okVar {
					continue
				}
				return &guard{param: i, v: v, excluded: [][2]token.Pos{{stmt.Body.Pos(), stmt.Body.End()}}}
			}
		case *ast.TypeSwitchStmt:
			var x ast.Expr
			switch a := stmt.Assign.(type) {
			case *ast.AssignStmt:
				if len(a.Rhs) == 1 {
					if ta, ok := a.Rhs[0].(*ast.TypeAssertExpr); ok {
						x = ta.X
					}
				}
			case *ast.ExprStmt:
				if ta, ok := a.X.(*ast.TypeAssertExpr); ok {
					x = ta.X
				}
			}
			i, v := index(x)
			if i < 0 || x == nil {
				continue
			}
			var handler *ast.CaseClause
			for _, cc := range stmt.Body.List {
				cc := cc.(*ast.CaseClause)
				if len(cc.List) == 1 && sdk.IsHandlerContext(info.TypeOf(cc.List[0])) {
					handler = cc
				}
			}
			if handler == nil || !terminates(&ast.BlockStmt{List: handler.Body}) {
				continue
			}
			g := &guard{param: i, v: v}
			for _, cc := range stmt.Body.List {
				if cc != handler {
					g.excluded = append(g.excluded, [2]token.Pos{cc.Pos(), cc.End()})
				}
			}
			g.excluded = append(g.excluded, [2]token.Pos{stmt.End(), bodyEnd})
			return g
		}
	}
	for i := range params.Len() {
		if v := params.At(i); sinks.IsContext(v.Type()) {
			return &guard{param: i, v: v}
		}
	}
	return nil
}

// assertInit matches `x, ok := p.(T)` with T a handler context and returns
// p and ok's object.
func assertInit(info *types.Info, init ast.Stmt) (ast.Expr, types.Object) {
	a, ok := init.(*ast.AssignStmt)
	if !ok || len(a.Lhs) != 2 || len(a.Rhs) != 1 {
		return nil, nil
	}
	ta, ok := a.Rhs[0].(*ast.TypeAssertExpr)
	if !ok || ta.Type == nil || !sdk.IsHandlerContext(info.TypeOf(ta.Type)) {
		return nil, nil
	}
	id, ok := a.Lhs[1].(*ast.Ident)
	if !ok {
		return nil, nil
	}
	return ta.X, info.Defs[id]
}

// terminates reports whether a block ends in a return or a panic.
func terminates(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch last := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		if call, ok := last.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	}
	return false
}

// argKind says what a call passes as argument i.
type argKind int

const (
	argOther   argKind = iota
	argHandler         // a value whose static type is a handler context
	argForward         // the calling function's own dispatch parameter, unchanged
)

func (w *walker) argAt(call *ast.CallExpr, i int, own *zones.Func) argKind {
	if call == nil || i < 0 || i >= len(call.Args) || call.Ellipsis.IsValid() && i == len(call.Args)-1 {
		return argOther
	}
	arg := ast.Unparen(call.Args[i])
	if sdk.IsHandlerContext(w.pass.TypesInfo.TypeOf(arg)) {
		return argHandler
	}
	if g := w.guards[own]; g != nil {
		if id, ok := arg.(*ast.Ident); ok && w.pass.TypesInfo.Uses[id] == g.v {
			return argForward
		}
	}
	return argOther
}

// effectsAt is what the call at site reaches of a callee summarized by
// sum: its dispatch effects when the call passes a handler context where
// the callee dispatches.
func (w *walker) effectsAt(sum *Summary, site *Site) []Effect {
	if d := sum.Dispatch; d != nil && w.argAt(site.Call, d.Param, nil) == argHandler {
		return d.Effects
	}
	return sum.Effects
}

// variantOf is what the call at site, in own, reaches in own's dispatch
// variant, or false if own's variant skips the site.
func (w *walker) variantOf(sum *Summary, site *Site, own *zones.Func) ([]Effect, bool) {
	g := w.guards[own]
	if g.excludes(site.Pos()) {
		return nil, false
	}
	if d := sum.Dispatch; d != nil && w.argAt(site.Call, d.Param, own) != argOther {
		return d.Effects, true
	}
	return sum.Effects, true
}

// dispatching decides which of the package's functions dispatch: those
// with a guard, and, to a fixed point, those passing their context
// parameter on to a function that dispatches (forwards: calls to other
// packages' dispatching functions, recorded by the walk).
func (w *walker) dispatching() map[*zones.Func]bool {
	out := make(map[*zones.Func]bool)
	for f, g := range w.guards {
		if len(g.excluded) > 0 || w.forwards[f] {
			out[f] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for f := range w.guards {
			if out[f] {
				continue
			}
			for _, e := range w.edges[f] {
				if out[e.to] && w.argAt(e.site.Call, w.guards[e.to].param, f) == argForward {
					out[f] = true
					changed = true
					break
				}
			}
		}
	}
	return out
}

// addVariant records e, a direct effect of own at its site, in own's
// dispatch variant unless the site is excluded there.
func (w *walker) addVariant(own *zones.Func, e Effect) {
	g := w.guards[own]
	if g == nil || e.from != nil && g.excludes(e.from.Pos()) {
		return
	}
	e = w.withVia(e)
	effects := w.vdirect[own]
	merge(&effects, e)
	w.vdirect[own] = effects
}

// exportedDispatch is d as a fact (see Summary.exported).
func (d *Dispatch) exported() *Dispatch {
	if d == nil {
		return nil
	}
	out := &Dispatch{Param: d.Param, Effects: slices.Clone(d.Effects)}
	for i := range out.Effects {
		out.Effects[i].from = nil
	}
	return out
}
