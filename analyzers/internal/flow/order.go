package flow

import (
	"go/ast"
	"go/token"
)

// An Order answers, without a control-flow graph, whether code at one
// node of a function body may run before code at another: err,
// reassigned by a Restate operation further down (cursor, err :=
// restate.Get(...)), still holds strconv.Atoi's error at an earlier
// return; an increment written after restate.Set, on a path that returns
// early, does not reach it (praxis' Prune). Both value flows ask it: the
// forward one (Of, which reads may see a write) and the backward one
// (Inputs, which assignments may reach a use), and so does statecounter.
type Order struct {
	body  ast.Node
	loops []ast.Node     // for and range statements of the body
	lits  []*ast.FuncLit // function literals nested in the body
	jumps bool           // the body has a goto
}

// NewOrder returns the order of body, a function (*ast.FuncDecl,
// *ast.FuncLit) or its block.
func NewOrder(body ast.Node) *Order {
	o := &Order{body: body}
	ast.Inspect(body, func(n ast.Node) bool {
		o.note(n)
		return true
	})
	return o
}

// note records what n tells about the order (for a walk of the body that
// does more, as assignedValues').
func (o *Order) note(n ast.Node) {
	switch n := n.(type) {
	case *ast.ForStmt, *ast.RangeStmt:
		o.loops = append(o.loops, n)
	case *ast.FuncLit:
		if ast.Node(n) != o.body {
			o.lits = append(o.lits, n)
		}
	case *ast.BranchStmt:
		if n.Tok == token.GOTO {
			o.jumps = true
		}
	}
}

// MayRunBefore reports whether first may run before then ends: first
// starts before then ends in the source, or a loop of the body holds both
// (the next iteration runs first again), or either lies in a function
// literal nested in the body (it runs whenever it is called, perhaps more
// than once), or the body jumps (goto).
func (o *Order) MayRunBefore(first, then ast.Node) bool {
	if o.jumps || first.Pos() < then.End() {
		return true
	}
	for _, lit := range o.lits {
		if within(first, lit) || within(then, lit) {
			return true
		}
	}
	for _, l := range o.loops {
		if within(first, l) && within(then, l) {
			return true
		}
	}
	return false
}

func within(n, outer ast.Node) bool { return outer.Pos() <= n.Pos() && n.End() <= outer.End() }
