package flow

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Conditions reports whether every condition the node at cur is under,
// up to fn (the enclosing function's FuncDecl or FuncLit), depends only
// on the inputs: if and for conditions, switch tags and cases, type
// switch operands, ranged values, and the conditions of the ifs before it
// in its blocks that return (reaching it means they did not). A select
// depends on channels: never.
func (in *Inputs) Conditions(cur inspector.Cursor, fn ast.Node) bool {
	for c, p := cur, cur.Parent(); p.Valid() && p.Node() != fn; c, p = p, p.Parent() {
		// An earlier if of the same block that may return successfully
		// decides whether a retry gets here at all (`if verified { return
		// s.onSuccess(ctx) }; return nil, errNotVerified`). One that only
		// returns errors (`if err != nil { return "", err }`) does not:
		// a retry that takes it fails too.
		for _, s := range stmtList(p.Node()) {
			if s == c.Node() {
				break
			}
			if ifs, ok := s.(*ast.IfStmt); ok && in.Info != nil && mayReturnOK(in.Info, ifs) && !in.Only(ifs.Cond) {
				return false
			}
		}
		switch n := p.Node().(type) {
		case *ast.IfStmt:
			if !in.Only(n.Cond) {
				return false
			}
		case *ast.SwitchStmt:
			if !in.Only(n.Tag) {
				return false
			}
		case *ast.CaseClause:
			for _, e := range n.List {
				if !in.Only(e) {
					return false
				}
			}
		case *ast.TypeSwitchStmt:
			var x ast.Expr
			switch a := n.Assign.(type) {
			case *ast.ExprStmt:
				x = a.X
			case *ast.AssignStmt:
				x = a.Rhs[0]
			}
			if ta, ok := x.(*ast.TypeAssertExpr); !ok || !in.Only(ta.X) {
				return false
			}
		case *ast.RangeStmt:
			if !in.Only(n.X) {
				return false
			}
		case *ast.ForStmt:
			if !in.Only(n.Cond) {
				return false
			}
		case *ast.SelectStmt, *ast.CommClause:
			return false
		}
	}
	return true
}

// PureFuncs returns the functions among decls (cursors at *ast.FuncDecl)
// whose every result depends only on their parameters and receiver: at
// each return, the returned values and the conditions the return is
// under (Inputs, Conditions). A call of a function already found is pure
// (to a fixed point, so helpers calling helpers are found); pure decides
// the calls of other functions, input as in NewInputs. candidate rules
// out functions whatever their returns (one that performs I/O whose
// result it drops, one that makes terminal errors). A function without
// results, or with a bare return of named results, is never found.
//
// terminalerror asks it which helpers' errors a retry cannot change:
// validate(req) building errors.New from the request alone.
func PureFuncs(info *types.Info, decls []inspector.Cursor, candidate func(*types.Func) bool, pure, input func(*ast.CallExpr) bool) map[*types.Func]bool {
	found := make(map[*types.Func]bool)
	isPure := func(call *ast.CallExpr) bool {
		if fn := typeutil.StaticCallee(info, call); fn != nil && found[fn.Origin()] {
			return true
		}
		return pure(call)
	}
	// The first round tries every candidate; a later one only those that
	// call a function the round before found (nothing else changed for
	// the others).
	type cand struct {
		c       inspector.Cursor
		fn      *types.Func
		callees map[*types.Func]bool
	}
	var cands []cand
	for _, c := range decls {
		decl, ok := c.Node().(*ast.FuncDecl)
		if !ok || decl.Body == nil {
			continue
		}
		fn, ok := info.Defs[decl.Name].(*types.Func)
		if !ok || fn.Signature().Results().Len() == 0 || !candidate(fn) {
			continue
		}
		cands = append(cands, cand{c: c, fn: fn})
	}
	var fresh map[*types.Func]bool // found in the last round; nil: first round
	for {
		next := make(map[*types.Func]bool)
		for i := range cands {
			k := &cands[i]
			if found[k.fn] {
				continue
			}
			if fresh != nil {
				if k.callees == nil { // only the candidates the first round rejected need them
					k.callees = make(map[*types.Func]bool)
					for cc := range k.c.Preorder((*ast.CallExpr)(nil)) {
						if g := typeutil.StaticCallee(info, cc.Node().(*ast.CallExpr)); g != nil {
							k.callees[g.Origin()] = true
						}
					}
				}
				if !callsAny(k.callees, fresh) {
					continue
				}
			}
			if returnsInputs(info, k.c, k.fn.Signature(), isPure, input) {
				found[k.fn] = true
				next[k.fn] = true
			}
		}
		if len(next) == 0 {
			return found
		}
		fresh = next
	}
}

func callsAny(callees, fns map[*types.Func]bool) bool {
	for fn := range fns {
		if callees[fn] {
			return true
		}
	}
	return false
}

// returnsInputs reports whether every return of the function at c returns
// values that depend only on its parameters and receiver, under
// conditions that do too.
func returnsInputs(info *types.Info, c inspector.Cursor, sig *types.Signature, pure, input func(*ast.CallExpr) bool) bool {
	params := make(map[*types.Var]bool)
	if sig.Recv() != nil {
		params[sig.Recv()] = true
	}
	for p := range sig.Params().Variables() {
		params[p] = true
	}
	fn := c.Node()
	in := NewInputs(info, fn.(*ast.FuncDecl).Body, params, pure, input)
	only := true
	c.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil)}, func(cur inspector.Cursor) bool {
		if !only {
			return false
		}
		ret, ok := cur.Node().(*ast.ReturnStmt)
		if !ok {
			return false // a literal's returns are its own
		}
		if len(ret.Results) == 0 {
			only = false // a bare return of named results
			return false
		}
		for _, r := range ret.Results {
			if !in.Only(r) {
				only = false
				return false
			}
		}
		only = in.Conditions(cur, fn)
		return false
	})
	return only
}

// mayReturnOK reports whether a branch of ifs contains a return that may
// succeed: one whose last result is nil or that returns a call's results.
func mayReturnOK(info *types.Info, ifs *ast.IfStmt) bool {
	found := false
	ast.Inspect(ifs, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			switch {
			case len(n.Results) == 1:
				if _, call := ast.Unparen(n.Results[0]).(*ast.CallExpr); call && !isErrorExpr(info, n.Results[0]) {
					found = true // return f(...): its results
				} else if info.Types[n.Results[0]].IsNil() {
					found = true
				}
			case len(n.Results) > 1:
				found = info.Types[n.Results[len(n.Results)-1]].IsNil() || found
			}
		}
		return !found
	})
	return found
}

// isErrorExpr reports whether e has type error.
func isErrorExpr(info *types.Info, e ast.Expr) bool {
	t := info.TypeOf(e)
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}
