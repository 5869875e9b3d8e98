package reach

import (
	"go/ast"
	"go/types"

	"github.com/restatelint/restatelint/analyzers/internal/sinks"
)

// onReceiver decides, at a call of the method callee at site, the effects
// that write memory reached from callee's receiver (Effect.Recv): they
// hold when the receiver value the caller passes is memory every
// invocation shares (a package-level variable: they hold whatever the
// caller is; the caller's own receiver: they stay relative to it), and
// are dropped when it is not (a local the invocation allocated, such as a
// compensation stack made by compensation.New() in the handler, a
// parameter, a call result), as a direct write through it would be.
// Without a receiver expression (a method expression) they are kept.
func (w *walker) onReceiver(effects []Effect, callee *types.Func, site *Site) []Effect {
	recv := callee.Signature().Recv()
	if recv == nil || site == nil || !hasRecvEffect(effects) {
		return effects
	}
	info := w.pass.TypesInfo
	x := receiverExpr(info, site)
	if x == nil {
		return effects
	}
	viaPointer := !isPointerOrIface(recv.Type()) || isPointerOrIface(info.TypeOf(x))
	var captured sinks.Captured
	if site.Func != nil {
		captured = w.captured(site.Func)
	}
	onRecv, shared := sinks.ReceiverShared(info, x, viaPointer, captured)
	out := make([]Effect, 0, len(effects))
	for _, e := range effects {
		if e.Recv {
			if !shared {
				continue
			}
			e.Recv = onRecv
		}
		out = append(out, e)
	}
	return out
}

func hasRecvEffect(effects []Effect) bool {
	for _, e := range effects {
		if e.Recv {
			return true
		}
	}
	return false
}

// receiverExpr returns x of the method call or method value x.M at site
// (through an instantiation x.M[T]), or nil.
func receiverExpr(info *types.Info, site *Site) ast.Expr {
	var e ast.Expr
	if site.Call != nil {
		e = site.Call.Fun
	} else if x, ok := site.Expr.Node().(ast.Expr); ok {
		e = x
	}
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
			continue
		case *ast.IndexExpr:
			e = x.X
			continue
		case *ast.IndexListExpr:
			e = x.X
			continue
		case *ast.SelectorExpr:
			if sel := info.Selections[x]; sel != nil && sel.Kind() == types.MethodVal {
				return x.X
			}
		}
		return nil
	}
}

func isPointerOrIface(t types.Type) bool {
	if t == nil {
		return true
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return true
	}
	return false
}
