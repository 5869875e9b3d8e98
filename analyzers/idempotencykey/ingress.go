package idempotencykey

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// isIngressCall reports whether fn is the Request or Send method of one
// of the ingress client's requesters.
func isIngressCall(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != sdk.IngressPath || fn.Signature().Recv() == nil {
		return false
	}
	return fn.Name() == "Request" || fn.Name() == "Send"
}

// workflowRequesters build requesters whose submissions the workflow ID
// deduplicates.
var workflowRequesters = []string{"Workflow", "WorkflowSend"}

// isWorkflow reports whether the requester call is made on comes from
// ingress.Workflow or ingress.WorkflowSend, directly or through a local
// variable.
func (ck *checker) isWorkflow(c inspector.Cursor, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	info := ck.pass.TypesInfo
	isWf := func(e ast.Expr) bool {
		inner, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		fn := sdk.Callee(info, inner)
		if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != sdk.IngressPath {
			return false
		}
		for _, n := range workflowRequesters {
			if fn.Name() == n {
				return true
			}
		}
		return false
	}
	if isWf(sel.X) {
		return true
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	wf := false
	for _, w := range ck.assignments(outermost(c), v) {
		if w.rhs != nil && isWf(w.rhs) {
			wf = true
		}
	}
	return wf
}

// hasKey reports whether the options of an ingress call may carry an
// idempotency key: a restate.WithIdempotencyKey value, an option of an
// interface type (unknown), or a spread slice.
func (ck *checker) hasKey(call *ast.CallExpr) bool {
	if call.Ellipsis.IsValid() {
		return true
	}
	for _, arg := range call.Args[min(2, len(call.Args)):] {
		t := ck.pass.TypesInfo.TypeOf(arg)
		if t == nil || types.IsInterface(t) {
			return true
		}
		if isKeyOption(t) {
			return true
		}
	}
	return false
}

// isKeyOption reports whether t is the type restate.WithIdempotencyKey
// returns.
func isKeyOption(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && sdk.InSDK(n.Obj().Pkg().Path()) && n.Obj().Name() == "withIdempotencyKey"
}

// requestOf returns the ingress call that the option built by the
// WithIdempotencyKey call at c is passed to: as an argument, or through
// a local variable.
func (ck *checker) requestOf(c inspector.Cursor) (inspector.Cursor, bool) {
	info := ck.pass.TypesInfo
	ingressArg := func(arg inspector.Cursor) (inspector.Cursor, bool) {
		p := arg.Parent()
		call, ok := p.Node().(*ast.CallExpr)
		if !ok || ast.Unparen(call.Fun) == arg.Node() {
			return inspector.Cursor{}, false
		}
		fn := sdk.Callee(info, call)
		if fn == nil || !isIngressCall(fn) {
			return inspector.Cursor{}, false
		}
		return p, true
	}
	if p, ok := ingressArg(c); ok {
		return p, true
	}
	// opt := restate.WithIdempotencyKey(key); r.Request(ctx, in, opt)
	assign, ok := c.Parent().Node().(*ast.AssignStmt)
	if !ok || len(assign.Lhs) != len(assign.Rhs) {
		return inspector.Cursor{}, false
	}
	var v *types.Var
	for i, rhs := range assign.Rhs {
		if rhs == c.Node() {
			if id, ok := assign.Lhs[i].(*ast.Ident); ok {
				v, _ = info.ObjectOf(id).(*types.Var)
			}
		}
	}
	if v == nil {
		return inspector.Cursor{}, false
	}
	for u := range outermost(c).Preorder((*ast.Ident)(nil)) {
		if info.Uses[u.Node().(*ast.Ident)] != v {
			continue
		}
		if p, ok := ingressArg(u); ok {
			return p, true
		}
	}
	return inspector.Cursor{}, false
}
