package reach

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// Via is the condition of an effect that depends on the implementations
// of an interface method, met in a package that sees none of them (a
// durable-execution layer's core calling its runtime interface:
// zones/iface.go). The first package that sees them decides
// (resolveVias):
//
//   - Param >= 0: the effect lies in a function literal given to that
//     parameter; it does not happen if every implementation runs the
//     parameter only inside a run zone.
//   - Param < 0: the effect is the call of the method itself, whose body
//     is unseen (UnseenRule); it does not happen if every implementation
//     is analyzed and reaches no I/O.
type Via struct {
	Pkg    string // import path of the interface's package
	Type   string // the interface's type name
	Method string
	Param  int
}

// callVia is the Param of a Via on the call of the method itself.
const callVia = -1

// viaOf returns the condition of the effects found in f: the innermost
// literal enclosing them (f or a literal f is nested in, within its
// owner) that is given to an interface method none of whose
// implementations this package sees. A literal whose implementations are
// all seen is decided here: a run zone (zones) or handler code.
func (w *walker) viaOf(f *zones.Func) *Via {
	if v, ok := w.vias[f]; ok {
		return v
	}
	var via *Via
	for g := f; g != nil && g.Obj == nil && via == nil; g = g.Parent {
		via = w.litVia(g)
	}
	if w.vias == nil {
		w.vias = make(map[*zones.Func]*Via)
	}
	w.vias[f] = via
	return via
}

// litVia is the condition of a literal given directly to an interface
// method whose implementations this package does not see.
func (w *walker) litVia(g *zones.Func) *Via {
	if _, ok := g.Node.(*ast.FuncLit); !ok {
		return nil
	}
	k, j := g.Cursor.ParentEdge()
	if k != edge.CallExpr_Args {
		return nil
	}
	call := g.Cursor.Parent().Node().(*ast.CallExpr)
	m, _ := typeutil.Callee(w.pass.TypesInfo, call).(*types.Func)
	if m == nil || !zones.IsAbstract(m) || m.Pkg() == nil {
		return nil
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := w.pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.MethodExpr {
			return nil
		}
	}
	if _, n := w.zones.IfaceRunOnly(m, j); n > 0 {
		return nil // decided here
	}
	return newVia(m, j)
}

// newVia names parameter j of the interface method m, nil if the
// interface has no name another package could look up.
func newVia(m *types.Func, j int) *Via {
	named, ok := types.Unalias(m.Signature().Recv().Type()).(*types.Named)
	if !ok || m.Pkg() == nil {
		return nil
	}
	return &Via{Pkg: m.Pkg().Path(), Type: named.Obj().Name(), Method: m.Name(), Param: j}
}

// unseenVia decides the call of the interface method m, whose body is
// unseen: quiet (true) when this package sees implementations and every
// one is analyzed and reaches no I/O; otherwise the condition of its
// UnseenRule effect, nil when implementations are seen (decided: it stays).
func (w *walker) unseenVia(m *types.Func) (quiet bool, via *Via) {
	impls := w.zones.Implementations(m)
	if len(impls) == 0 {
		return false, newVia(m, callVia)
	}
	return w.implsQuiet(impls), nil
}

// implsQuiet reports whether every one of impls (of other packages) was
// analyzed from source and reaches no I/O. The package's own are not
// summarized yet when this is asked.
func (w *walker) implsQuiet(impls []*types.Func) bool {
	for _, impl := range impls {
		if zones.IsAbstract(impl) || impl.Pkg() == nil || impl.Pkg() == w.pass.Pkg || !w.seen(impl.Pkg()) {
			return false // promoted from an embedded interface, or not summarized
		}
		if sum := w.importedSummary(impl); hasRule(sum, sinks.SideEffect) || hasRule(sum, UnseenRule) {
			return false
		}
	}
	return true
}

// withVia sets e's condition from where it was found, unless it has one.
func (w *walker) withVia(e Effect) Effect {
	if e.Via == nil && e.from != nil && e.from.Func != nil {
		e.Via = w.viaOf(e.from.Func)
	}
	return e
}

// runsVia reports whether this package resolves v so that its effect does
// not happen: it sees implementations of v's interface method, and every
// one runs the parameter only inside a run zone (or, for the call itself,
// reaches no I/O).
func (w *walker) runsVia(v *Via) bool {
	if r, ok := w.viaRuns[*v]; ok {
		return r
	}
	if w.viaRuns == nil {
		w.viaRuns = make(map[Via]bool)
	}
	w.viaRuns[*v] = false // while deciding (an implementation's fact may ask again)
	runs := false
	pkg := w.pass.Pkg
	if pkg.Path() != v.Pkg {
		pkg = w.visiblePkg(v.Pkg)
	}
	if pkg != nil {
		if tn, ok := pkg.Scope().Lookup(v.Type).(*types.TypeName); ok && types.IsInterface(tn.Type()) {
			obj, _, _ := types.LookupFieldOrMethod(tn.Type(), false, pkg, v.Method)
			if m, ok := obj.(*types.Func); ok {
				if v.Param == callVia {
					impls := w.zones.Implementations(m)
					runs = len(impls) > 0 && w.implsQuiet(impls)
				} else {
					runs, _ = w.zones.IfaceRunOnly(m, v.Param)
				}
			}
		}
	}
	w.viaRuns[*v] = runs
	return runs
}

// resolveVias drops the effects whose condition this package resolves
// to a run zone.
func (w *walker) resolveVias(effects []Effect) []Effect {
	if !hasVia(effects) {
		return effects
	}
	out := make([]Effect, 0, len(effects))
	for _, e := range effects {
		if e.Via != nil && w.runsVia(e.Via) {
			continue
		}
		out = append(out, e)
	}
	return out
}

func hasVia(effects []Effect) bool {
	for _, e := range effects {
		if e.Via != nil {
			return true
		}
	}
	return false
}
