package statecounter

import (
	"go/ast"

	"github.com/restatelint/restatelint/analyzers/internal/flow"
)

// A Set stores what its value holds when it runs: an increment written
// after it in the handler, on a path that never comes back to it, does
// not reach it (praxis' Prune resets the counter and returns early, and
// decrements it further down). The data flow is path-insensitive; this
// puts back the order of statements.

// mayPrecede reports whether the increment at site may run before the Set
// call set completes (flow.Order: before it in the source or in its
// arguments, a loop around both, a function literal, a goto).
func (u *unit) mayPrecede(site, set ast.Node) bool {
	if u.order == nil {
		u.order = flow.NewOrder(u.root.Node)
	}
	return u.order.MayRunBefore(site, set)
}
