// Package statecounter reports state counters and lists that every
// duplicate request increments again: in an exclusive Virtual Object
// handler, restate.Set of a key with a value derived from restate.Get of
// the same key by +, -, ++, --, op= or append.
//
// Restate deduplicates retries of one invocation: the journal replays the
// Get and the Set. It does not deduplicate requests: a client that retries
// after a timeout without an idempotency key sends a new request, which
// runs as a new invocation, reads the already incremented value and
// increments it again (the page-view counter that counts a view twice,
// the balance credited twice, the event appended twice).
//
// Reported, at the restate.Set: the value flows from restate.Get of the
// same key (the same constant, constant-folded expression, or expression
// over the same variables) through locals, struct fields, map elements,
// pointers and restate.Run results, and is incremented on the way; also
// through helpers of the package whose key is built from their receiver
// and parameters (sm.GetInt reads sm.key: stock.GetInt(0) reads
// stock.key), and at the call of a helper that restate.Sets one of its
// parameters (sm.SetInt(current+delta) in a StateManager's Increment),
// in handlers, in methods of a type keeping the context in a field, and
// in the functions they call. Fields
// are told apart: an increment of v.Tags increments v, not v.ID. An
// element appended to a list is part of the list, not the value it was
// built from, incremented.
//
// Quiet on: workflow run handlers (restate.WorkflowContext: one execution
// per workflow ID) and shared handlers (they cannot Set); handlers that
// refuse requests without an idempotency key (ctx.Request().IdempotencyKey
// == "" → return an error, also through a helper of the package); the
// dedup pattern: an early return (or continue) when an ID taken from the
// request is already recorded in state (seen[req.ID], _, ok := m[id],
// slices.Contains(ids, id), a loop over recorded events comparing IDs,
// st.LastID == req.ID, restate.Get of a "processed:"+id key); an append
// guarded by a membership check of the same element in the value read
// from state (set semantics), also through a found flag set by a search
// loop; removals (append(s[:i], s[i+1:]...)); overwrites
// (restate.Set(ctx, "status", "active")), resets, values recomputed from
// scratch (total = 0 before a loop of total += it.Price), high-water
// marks (max), writes to a key other than
// the one read, writes of a field other than the one incremented
// (restate.Set(ctx, "lastSeen", v.ID) after v.Tags = append(v.Tags,
// "prev:"+last)). A guard on ctx.Request().ID is not a dedup: every client
// retry gets a new invocation ID.
//
// No automatic fix. Either callers send an idempotency key (and the
// handler refuses requests without one), or the handler records the IDs
// of the requests it processed in state and returns early on a repeat.
//
// Suppress one finding with //restatelint:ignore statecounter <reason>.
package statecounter

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

const name = "statecounter"

const url = "https://github.com/restatelint/restatelint/blob/main/docs/rules/statecounter.md"

// Analyzer reports state increments that duplicate requests repeat.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report state counters and lists that every duplicate request increments again

In an exclusive object handler, restate.Set of a value incremented or
appended from restate.Get of the same key runs again for every duplicate
request (a client retry without an idempotency key is a new invocation).
Have callers send an idempotency key, or record processed request IDs in
state and return early on a repeat.`,
	URL:              url,
	Requires:         []*analysis.Analyzer{inspect.Analyzer, zones.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	if !sdk.Imported(pass.Pkg) {
		return nil, nil // no restate.Set here
	}
	z := pass.ResultOf[zones.Analyzer].(*zones.Zones)
	helpers := newHelperCtx()
	units := unitsWithSet(pass, z, helpers)
	for _, f := range z.Funcs {
		if !units[f] {
			continue
		}
		check(pass, newUnit(pass.TypesInfo, z, f, helpers))
	}
	return nil, nil
}

// unitsWithSet returns the functions worth the data-flow analysis: the
// handlers (a handler-context parameter, or the context in a field of the
// receiver or a parameter) whose body, nested literals included, calls
// restate.Set with an exclusive object context, and the declared
// functions (handler code or code handlers reach) that call a helper of
// the package doing so (sm.SetInt(newVal), helpers.go). It records those
// helpers in h.setters.
func unitsWithSet(pass *analysis.Pass, z *zones.Zones, h *helperCtx) map[*zones.Func]bool {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	out := make(map[*zones.Func]bool)
	for c := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		sc, ok := sdk.State(pass.TypesInfo, c.Node().(*ast.CallExpr))
		if !ok || sc.Func != "Set" || !sdk.IsExclusiveObjectContext(pass.TypesInfo.TypeOf(sc.Ctx)) {
			continue
		}
		for f := z.Enclosing(c); f != nil; f = f.Parent {
			if f.Obj != nil && f.Kind != zones.Run {
				h.setters[f.Obj] = true
			}
			if f.Kind == zones.Handler && (f.HasCtxParam || f.CtxField != nil) && f.Body != nil {
				out[f] = true
				break
			}
		}
	}
	if len(h.setters) == 0 {
		return out
	}
	for c := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		fn := sdk.Callee(pass.TypesInfo, c.Node().(*ast.CallExpr))
		if fn == nil || !h.setters[fn.Origin()] {
			continue
		}
		for f := z.Enclosing(c); f != nil; f = f.Parent {
			if f.Kind == zones.Run {
				break
			}
			if f.Obj != nil || f.Kind == zones.Handler && f.HasCtxParam {
				if f.Body != nil {
					out[f] = true
				}
				break
			}
		}
	}
	return out
}

// check reports the Sets of one handler that store an increment: each
// increment once, at the first Set in the source that stores it (a handler
// that writes its state back after every step stores the same increment
// at every Set).
func check(pass *analysis.Pass, u *unit) {
	reported := make(map[ast.Node]bool) // increment sites
	for _, site := range u.sets {
		if !site.exclusive {
			continue // workflow run handlers run once per workflow ID
		}
		set := site.call
		k := u.siteKey(site)
		sites := increments(u.eval(site.value)[k])
		if len(sites) == 0 || u.guarded(set, guard{key: k}) {
			continue
		}
		var open []ast.Node
		for _, site := range sites {
			if !u.mayPrecede(site, set) {
				continue // written after this Set, on another path
			}
			if u.reset(site, k) {
				continue // total = 0; for ... { total += it.Price }: recomputed, not incremented
			}
			if !u.guarded(site, guard{key: k, elems: u.appendElems(site)}) {
				open = append(open, site)
			}
		}
		fresh := false
		for _, site := range open {
			if !reported[site] {
				fresh = true
			}
			reported[site] = true
		}
		if !fresh {
			continue // reported at an earlier Set
		}
		slices.SortFunc(open, func(a, b ast.Node) int { return int(a.Pos() - b.Pos()) })
		how, again := "incremented", "increments it again"
		if u.allAppends(open) {
			how, again = "appended to", "appends again"
		}
		what := "restate.Set of " + u.keys[k].display
		if site.via != nil {
			what = fmt.Sprintf("%s, a restate.Set of %s,", types.ExprString(set.Fun), u.keys[k].display)
		}
		suppress.Report(pass, analysis.Diagnostic{
			Pos: set.Pos(), End: set.End(),
			Message: fmt.Sprintf("%s stores a value %s from restate.Get of the same key, so every duplicate request (a client retry without an idempotency key is a new invocation) %s; have callers send an idempotency key, or record processed request IDs in state and return early on a repeat (%s)",
				what, how, again, url),
		})
	}
}

// appendElems returns the variables the elements appended at site are
// built from, for a membership check of the same element.
func (u *unit) appendElems(site ast.Node) map[*types.Var]bool {
	call, ok := site.(*ast.CallExpr)
	if !ok || !isBuiltin(u.info, call, "append") || len(call.Args) == 0 {
		return nil
	}
	elems := make(map[*types.Var]bool)
	for _, a := range call.Args[1:] {
		ast.Inspect(a, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := u.info.Uses[id].(*types.Var); ok && !v.IsField() {
					elems[v] = true
				}
			}
			return true
		})
	}
	return elems
}

func (u *unit) allAppends(sites []ast.Node) bool {
	for _, s := range sites {
		call, ok := s.(*ast.CallExpr)
		if !ok || !isBuiltin(u.info, call, "append") {
			return false
		}
	}
	return true
}
