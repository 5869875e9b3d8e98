// Package maporder reports range loops over Go maps in Restate handlers
// whose body performs Restate operations.
//
// Go randomizes map iteration order on every range. When a loop over a
// map issues Restate operations (state writes, calls, sends, Run, sleeps,
// awakeables, restate.Rand and restate.UUID draws), the journal records
// them in this execution's order; a replay iterates in another order and
// issues the same operations with other arguments, which is a journal
// mismatch (the invocation is stuck retrying), or draws the deterministic
// random values for other entries.
//
// Reported, at the for keyword: a range over a map, over maps.Keys,
// maps.Values or maps.All of a map, or over a value of a type parameter
// whose type set holds only maps, in a handler zone, when the loop body
// performs a Restate operation directly or through the code it calls (at
// any depth, across packages). ctx.Request().AttemptHeaders and
// Headers.ToMap() are plain maps.
//
// Quiet on: ranges whose body performs no Restate operation; loops that
// name neither key nor value (for range m: every iteration is the same);
// slices.Sorted(maps.Keys(m)) and any other slice of keys; Headers.Iter()
// (sorted); lookup loops, whose Restate operations all lie in one branch
// taken when the range key equals a loop-invariant value and ending in
// break or return (a match on the range value counts only when the branch
// does not use the key, values may repeat, or when the value is a Restate
// future, each held once: the completed future mapped back to its step
// name); run zones and code reached only from them; code no handler
// reaches. A loop that only collects keys into a slice that a later loop
// uses is quiet too: sort that slice.
//
// Fix, for maps whose key type is ordered (integers, floats, strings) in
// files whose Go version is at least go1.23 (slices.Sorted and maps.Keys):
//
//	for id, sub := range desired {
//	→
//	for _, id := range slices.Sorted(maps.Keys(desired)) {
//		sub := desired[id]
//
// keeping the value variable's name and adding the slices and maps
// imports. No fix where the map expression cannot be evaluated again
// (a call), where the body deletes other entries of the map, or for
// assignment (=) range clauses.
//
// Suppress one finding with //restatelint:ignore maporder <reason>.
package maporder

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
	"github.com/restatelint/restatelint/analyzers/reach"
)

const name = "maporder"

// Analyzer reports range loops over maps that issue Restate operations.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report range loops over maps whose body performs Restate operations

Map iteration order differs between executions, so a replay issues the loop's
state writes, calls and sends in another order than the journal recorded.
Range over slices.Sorted(maps.Keys(m)) and index the map.`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/maporder.md",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, reach.Analyzer, zones.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	res := pass.ResultOf[reach.Analyzer].(*reach.Result)
	if len(res.Sites) == 0 {
		return nil, nil
	}
	z := pass.ResultOf[zones.Analyzer].(*zones.Zones)
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	fx := newFixer(pass)
	for c := range in.Root().Preorder((*ast.RangeStmt)(nil)) {
		rs := c.Node().(*ast.RangeStmt)
		f := z.Enclosing(c)
		if f == nil || f.Kind != zones.Handler {
			continue
		}
		r, ok := rangedMap(pass.TypesInfo, rs)
		if !ok || (r.key == nil && r.value == nil) {
			continue
		}
		op, ok := firstOp(res, rs.Body)
		if !ok || lookup(pass.TypesInfo, res, rs, r) {
			continue
		}
		d := analysis.Diagnostic{
			Pos: rs.For, End: rs.X.End(),
			Message: fmt.Sprintf("range over %s %s in map order, which differs between executions, so a replay issues them in another order than the journal recorded; %s",
				describe(rs.X, r), op, remedy(r)),
		}
		if fix, ok := fx.fix(f, rs, r); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		suppress.Report(pass, d)
	}
	return nil, nil
}

// firstOp describes the first Restate operation in body, direct or
// reached: "calls restate.Set", "calls applyOne → restate.Set".
func firstOp(res *reach.Result, body *ast.BlockStmt) (string, bool) {
	for _, s := range sitesIn(res, body) {
		if s.Op != "" {
			return "performs Restate operations (" + s.Op + ")", true
		}
		if e, ok := s.Effect(reach.OpRule); ok {
			return "performs Restate operations (calls " + res.Render(e) + ")", true
		}
	}
	return "", false
}

// sitesIn returns the handler sites inside body, in source order.
func sitesIn(res *reach.Result, body *ast.BlockStmt) []*reach.Site {
	i, _ := slices.BinarySearchFunc(res.Sites, body.Lbrace, func(s *reach.Site, p token.Pos) int { return int(s.Pos() - p) })
	j := i
	for j < len(res.Sites) && res.Sites[j].Pos() < body.Rbrace {
		j++
	}
	return res.Sites[i:j]
}

// describe names the ranged expression for a message.
func describe(x ast.Expr, r ranged) string {
	if r.via != "" {
		return types.ExprString(x) + " of a map"
	}
	return "map " + types.ExprString(x)
}

// remedy says what to range over instead.
func remedy(r ranged) string {
	if !ordered(r.keyType) {
		return "range over a sorted slice of its keys and index the map"
	}
	return fmt.Sprintf("range over slices.Sorted(maps.Keys(%s)) and index the map", types.ExprString(r.m))
}
