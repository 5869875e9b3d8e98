package sinks

import (
	"go/ast"
	"go/token"
	"go/types"
	"sync"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Construct is a kind of statement or expression that is a sink by
// itself, whatever objects it involves. A rule lists the constructs it
// looks for as rows with Construct set; the reach analyzer classifies the
// nodes of every body it walks with Classify, so constructs in reached
// code propagate like calls to object sinks.
type Construct uint8

const (
	GoStmt     Construct = iota + 1 // go f()
	ChanSend                        // ch <- v, outside a select case
	ChanRecv                        // <-ch, outside a select case
	SelectStmt                      // select { ... }
	RangeChan                       // for v := range ch
	StateWrite                      // x = v, x op= v, x++ to process memory shared by invocations (memstate)
)

var constructNames = [...]string{
	GoStmt:     "go statement",
	ChanSend:   "channel send",
	ChanRecv:   "channel receive",
	SelectStmt: "select statement",
	RangeChan:  "range over a channel",
	StateWrite: "write to shared memory",
}

func (c Construct) String() string {
	if int(c) < len(constructNames) {
		return constructNames[c]
	}
	return "construct"
}

var (
	constructRows  map[Construct]*Sink
	constructNodes []ast.Node
)

var buildConstructs = sync.OnceFunc(func() {
	constructRows = make(map[Construct]*Sink)
	seen := make(map[ast.Node]bool)
	for _, s := range Table {
		if s.Construct == 0 || constructRows[s.Construct] != nil {
			continue
		}
		constructRows[s.Construct] = s
		var n ast.Node
		switch s.Construct {
		case GoStmt:
			n = (*ast.GoStmt)(nil)
		case ChanSend:
			n = (*ast.SendStmt)(nil)
		case ChanRecv:
			n = (*ast.UnaryExpr)(nil)
		case SelectStmt:
			n = (*ast.SelectStmt)(nil)
		case RangeChan:
			n = (*ast.RangeStmt)(nil)
		case StateWrite:
			for _, n := range []ast.Node{(*ast.AssignStmt)(nil), (*ast.IncDecStmt)(nil)} {
				if !seen[n] {
					seen[n] = true
					constructNodes = append(constructNodes, n)
				}
			}
		}
		if n != nil && !seen[n] {
			seen[n] = true
			constructNodes = append(constructNodes, n)
		}
	}
})

// ConstructNodes returns the node types Classify may match, for an
// inspector's type filter: only those of constructs some rule lists.
func ConstructNodes() []ast.Node {
	buildConstructs()
	return constructNodes
}

// Classify returns the row of the construct at c, or nil, and how
// messages name it ("go statement", "write to package-level variable
// cache"). A send or receive that is the communication of a select case
// belongs to the select; a receive from, or range over, the result of a
// call to an object sink (<-time.After(d)) is that sink's finding, not a
// second one. captured tells which local variables are shared memory to
// the code at c (StateWrite; nil: none).
func Classify(info *types.Info, c inspector.Cursor, captured Captured) (*Sink, string) {
	buildConstructs()
	var kind Construct
	switch n := c.Node().(type) {
	case *ast.GoStmt:
		kind = GoStmt
	case *ast.SelectStmt:
		kind = SelectStmt
	case *ast.SendStmt:
		if k, _ := c.ParentEdge(); k == edge.CommClause_Comm {
			return nil, ""
		}
		kind = ChanSend
	case *ast.UnaryExpr:
		if n.Op != token.ARROW || inSelectComm(c) || fromSinkCall(info, n.X) {
			return nil, ""
		}
		kind = ChanRecv
	case *ast.RangeStmt:
		if !isChan(info.TypeOf(n.X)) || fromSinkCall(info, n.X) {
			return nil, ""
		}
		kind = RangeChan
	case *ast.AssignStmt, *ast.IncDecStmt:
		if constructRows[StateWrite] == nil {
			return nil, ""
		}
		k, name := classifyWrite(info, c, captured)
		if k == 0 {
			return nil, ""
		}
		return constructRows[k], name
	default:
		return nil, ""
	}
	s := constructRows[kind]
	if s == nil {
		return nil, ""
	}
	return s, kind.String()
}

// inSelectComm reports whether the receive at c is the communication of
// a select case: "case <-ch:", "case v := <-ch:", "case v, ok = <-ch:".
func inSelectComm(c inspector.Cursor) bool {
	for p := c; ; p = p.Parent() {
		k, _ := p.ParentEdge()
		switch k {
		case edge.ParenExpr_X:
			continue
		case edge.ExprStmt_X, edge.AssignStmt_Rhs:
			k2, _ := p.Parent().ParentEdge()
			return k2 == edge.CommClause_Comm
		}
		return false
	}
}

// fromSinkCall reports whether x is a call to a function or method that
// has a row of its own.
func fromSinkCall(info *types.Info, x ast.Expr) bool {
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok {
		return false
	}
	return Lookup(typeutil.Callee(info, call)) != nil
}

// isChan reports whether t is a channel, or a type parameter whose type
// set holds only channels.
func isChan(t types.Type) bool {
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		iface, _ := tp.Constraint().Underlying().(*types.Interface)
		if iface == nil {
			return false
		}
		found := false
		for i := 0; i < iface.NumEmbeddeds(); i++ {
			u, ok := iface.EmbeddedType(i).(*types.Union)
			if !ok {
				if !isChan(iface.EmbeddedType(i)) {
					return false
				}
				found = true
				continue
			}
			for j := 0; j < u.Len(); j++ {
				if !isChan(u.Term(j).Type()) {
					return false
				}
				found = true
			}
		}
		return found
	}
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}
