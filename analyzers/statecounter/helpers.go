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

// helperSum is what a helper's first result is: the value read from state
// under constant keys, and the values of some parameters.
type helperSum struct {
	gets   origins         // constant keys, whole values
	keys   map[key]keyInfo // how they are displayed
	params []int           // parameter indices passed on whole
	incs   []int           // pointer parameters whose value the helper increments
}

// helperCtx holds a package's helper summaries across its units.
type helperCtx struct {
	sums     map[*types.Func]*helperSum
	visiting map[*types.Func]bool
}

func newHelperCtx() *helperCtx {
	return &helperCtx{sums: make(map[*types.Func]*helperSum), visiting: make(map[*types.Func]bool)}
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
	if s == nil || len(s.gets) == 0 && len(s.params) == 0 {
		return nil, false
	}
	var o origins
	merge(&o, s.gets)
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
		default:
			s = nil // a key built from the helper's own data
		}
		if s == nil {
			break
		}
	}
	if returns == 0 || fn.Signature().Results().Len() == 0 || s != nil && len(s.gets) == 0 && len(s.params) == 0 {
		s = nil
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
	h.sums[fn] = s
	return s
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
