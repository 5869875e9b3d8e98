package flow

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Inputs answers, inside one function, whether a value depends only on
// the function's inputs: its parameters, constants, and calls that
// compute their result from their arguments alone. It is the backward
// counterpart of Of (which follows where a value goes): terminalerror
// asks it whether an error condition can change on a retry.
type Inputs struct {
	Info *types.Info
	// Params are the function's input parameters (the request), not its
	// context.
	Params map[*types.Var]bool
	// Pure reports whether a call's result depends only on its arguments
	// and receiver (no I/O, no clock, no randomness, no Restate operation).
	Pure func(call *ast.CallExpr) bool
	// Input reports whether a call yields input by itself
	// (restate.Key(ctx): the object's key is part of the request).
	Input func(call *ast.CallExpr) bool
	// Recv is the function's receiver and Settled the package's fields
	// that only composite literals set (SettledFields): a settled field
	// read from the receiver is configuration, an input. Both may be nil.
	Recv    *types.Var
	Settled map[*types.Var]bool

	body     ast.Node
	assigned map[*types.Var][]assignment // a local's assigned values, once a local is asked about
	order    *Order
	visiting map[*types.Var]bool
}

// assignment is a value assigned to a local (nil: unknown) and the
// statement or expression that assigns it.
type assignment struct {
	value ast.Expr
	at    ast.Node
}

// NewInputs prepares the question for the function body.
func NewInputs(info *types.Info, body ast.Node, params map[*types.Var]bool, pure, input func(*ast.CallExpr) bool) *Inputs {
	return &Inputs{Info: info, Params: params, Pure: pure, Input: input, body: body, visiting: make(map[*types.Var]bool)}
}

// Only reports whether e depends only on the inputs.
func (in *Inputs) Only(e ast.Expr) bool {
	if e == nil {
		return true
	}
	if tv, ok := in.Info.Types[e]; ok && (tv.Value != nil || tv.IsNil() || tv.IsType()) {
		return true
	}
	switch x := e.(type) {
	case *ast.Ident:
		return in.ident(x)
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return in.Only(x.X)
	case *ast.SelectorExpr:
		if sel := in.Info.Selections[x]; sel == nil {
			return in.ident(x.Sel) // pkg.Name
		}
		if in.settledField(x) {
			return true
		}
		return in.Only(x.X)
	case *ast.IndexExpr:
		return in.Only(x.X) && in.Only(x.Index)
	case *ast.SliceExpr:
		return in.Only(x.X) && in.Only(x.Low) && in.Only(x.High) && in.Only(x.Max)
	case *ast.StarExpr:
		return in.Only(x.X)
	case *ast.UnaryExpr:
		return x.Op != token.ARROW && in.Only(x.X)
	case *ast.BinaryExpr:
		return in.Only(x.X) && in.Only(x.Y)
	case *ast.TypeAssertExpr:
		return in.Only(x.X)
	case *ast.KeyValueExpr:
		return in.Only(x.Value)
	case *ast.CompositeLit:
		for _, el := range x.Elts {
			if !in.Only(el) {
				return false
			}
		}
		return true
	case *ast.CallExpr:
		return in.call(x)
	}
	return false
}

func (in *Inputs) ident(id *ast.Ident) bool {
	switch obj := in.Info.Uses[id].(type) {
	case *types.Const, *types.Nil, *types.TypeName, *types.Func, *types.Builtin:
		return true
	case *types.Var:
		if in.Params[obj] {
			return true
		}
		if obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope() {
			// A package-level error is a sentinel, time.UTC a fixed
			// location; other package-level variables may be changed by
			// anyone.
			return types.Identical(obj.Type(), errorType) || obj.Pkg().Path() == "time" && obj.Name() == "UTC"
		}
		if in.assigned == nil {
			// Walked on the first question about a local: most functions
			// PureFuncs tries return parameters and constants.
			in.assigned, in.order = assignedValues(in.Info, in.body)
		}
		values, ok := in.assigned[obj]
		if !ok {
			return false // a receiver, a result, a closure's variable
		}
		if in.visiting[obj] {
			return true // a loop: x = f(x) is decided by the other values
		}
		in.visiting[obj] = true
		defer delete(in.visiting, obj)
		for _, v := range values {
			if v.at != nil && !in.order.MayRunBefore(v.at, id) { // nil: a write through a pointer, which reaches every use
				continue // assigned after this use, outside any loop around both
			}
			if v.value == nil || !in.Only(v.value) {
				return false
			}
		}
		return true
	}
	return false
}

var errorType = types.Universe.Lookup("error").Type()

func (in *Inputs) call(call *ast.CallExpr) bool {
	if tv, ok := in.Info.Types[call.Fun]; ok && tv.IsType() {
		return in.args(call) // a conversion
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if _, ok := in.Info.Uses[id].(*types.Builtin); ok {
			return in.args(call) // len, cap, min, max, append, ...
		}
	}
	if in.Input != nil && in.Input(call) {
		return true
	}
	if in.Pure == nil || !in.Pure(call) {
		return false
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && in.Info.Selections[sel] != nil {
		if !in.Only(sel.X) {
			return false // a method of a value that is not input
		}
	}
	return in.args(call)
}

func (in *Inputs) args(call *ast.CallExpr) bool {
	for _, a := range call.Args {
		if !in.Only(a) {
			return false
		}
	}
	return true
}

// assignedValues maps every local variable declared in body to the
// values assigned to it. A variable assigned one result of a call with
// several results maps to that call (its results depend on the same
// inputs); one assigned by a range maps to the ranged expression; one
// whose address is taken, or that is assigned by op= from something
// else, keeps what it is assigned too (op= adds its operand).
func assignedValues(info *types.Info, body ast.Node) (map[*types.Var][]assignment, *Order) {
	out := make(map[*types.Var][]assignment)
	ord := &Order{body: body}
	local := func(id ast.Expr) *types.Var {
		x, ok := ast.Unparen(id).(*ast.Ident)
		if !ok {
			return nil
		}
		obj := info.Defs[x]
		if obj == nil {
			obj = info.Uses[x]
		}
		v, ok := obj.(*types.Var)
		if !ok || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() || v.IsField() {
			return nil
		}
		return v
	}
	ast.Inspect(body, func(n ast.Node) bool {
		ord.note(n)
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				v := local(l)
				if v == nil {
					continue
				}
				switch {
				case len(n.Lhs) == len(n.Rhs):
					out[v] = append(out[v], assignment{n.Rhs[i], n})
				case len(n.Rhs) == 1:
					out[v] = append(out[v], assignment{n.Rhs[0], n})
				default:
					out[v] = append(out[v], assignment{nil, n})
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				v := local(id)
				if v == nil {
					continue
				}
				switch {
				case len(n.Values) == 0:
					if _, ok := out[v]; !ok {
						out[v] = []assignment{} // the zero value; later assignments count
					}
				case len(n.Names) == len(n.Values):
					out[v] = append(out[v], assignment{n.Values[i], n})
				default:
					out[v] = append(out[v], assignment{n.Values[0], n})
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if v := local(e); v != nil {
					out[v] = append(out[v], assignment{n.X, n})
				}
			}
		case *ast.UnaryExpr:
			if v := local(n.X); v != nil && n.Op == token.AND {
				// written through a pointer, at any later time: unknown
				out[v] = append(out[v], assignment{nil, nil})
			}
		}
		return true
	})
	return out, ord
}
