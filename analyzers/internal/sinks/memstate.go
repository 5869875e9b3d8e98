package sinks

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"sync"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// Rows of the memstate rule: state kept in process memory. Writes
// (assignments, op=, ++ and --) are the StateWrite construct; these rows
// are the mutating methods of the standard library's concurrent
// containers, on a package-level variable or a field of a service's
// receiver (SharedReceiver). Methods that only read (Load, Range) are
// absent, and so is LoadOrStore: a memo cache (the first value stays, as
// with sync.Once) is lazy initialisation, and so are metrics and tracing instruments (their values do not
// flow back into handler logic) and loggers.
func init() {
	add(&Sink{Rule: "memstate", Construct: StateWrite})
	mutators := []string{"Add", "Store", "Swap", "CompareAndSwap", "And", "Or"}
	for _, t := range []string{"Int32", "Int64", "Uint32", "Uint64", "Uintptr", "Bool", "Pointer", "Value"} {
		add(&Sink{Rule: "memstate", Pkg: "sync/atomic", Recv: t, Names: mutators, When: SharedReceiver})
	}
	add(
		&Sink{Rule: "memstate", Pkg: "sync", Recv: "Map", Names: []string{"Store", "LoadAndDelete", "Delete", "Swap", "CompareAndSwap", "CompareAndDelete", "Clear"}, When: SharedReceiver},
		&Sink{Rule: "memstate", Pkg: "sync/atomic", Names: atomicFuncs(), When: FirstArgShared},
	)
}

// atomicFuncs are sync/atomic's functions that write through their first
// argument: AddInt64(&n, 1), StoreUint32, SwapPointer, ...
func atomicFuncs() []string {
	var out []string
	for _, op := range []string{"Add", "Store", "Swap", "CompareAndSwap", "And", "Or"} {
		for _, t := range []string{"Int32", "Int64", "Uint32", "Uint64", "Uintptr", "Pointer"} {
			out = append(out, op+t)
		}
	}
	return out
}

// memstateQuiet are the packages whose values a handler may keep in
// package-level variables or service fields without holding state:
// loggers, metrics and tracing instruments (matched by path prefix). The
// memstate.quiet option adds types (config.MemstateQuiet).
var memstateQuiet = []string{
	"log", "log/slog", "expvar",
	"go.uber.org/zap", "github.com/rs/zerolog", "github.com/sirupsen/logrus",
	"github.com/prometheus/client_golang", "go.opentelemetry.io/otel",
}

// Captured tells which local variables, as the code being classified
// sees them, are memory every invocation shares: a variable of a function
// that is no handler zone (init, a function registering handlers, its
// parameters too) captured by a handler literal nested in it lives as
// long as the process, like a package-level variable. It returns how
// messages name the function declaring v ("init"). A nil Captured: no
// local variable is shared (code outside handler zones, where a local of
// the enclosing function may be one call's own).
type Captured func(v *types.Var) (declaredIn string, ok bool)

// sharedTarget describes the process memory a write or a mutating call
// changes: "package-level variable cache", "field hits of service
// Counter", a variable captured from init; ok is false for memory of the
// invocation (locals, the handler's copy of state, a value receiver's
// own fields).
func sharedTarget(info *types.Info, e ast.Expr, captured Captured) (string, bool) {
	target, _, ok := sharedRoot(info, e, false, captured)
	return target, ok
}

// sharedRoot is sharedTarget that also says whether the memory is reached
// from a method's receiver (onRecv) rather than a package-level or
// captured variable; throughPointer is whether e is already known to be
// reached through a pointer (the receiver of a method whose write goes
// through one).
func sharedRoot(info *types.Info, e ast.Expr, throughPointer bool, captured Captured) (target string, onRecv, ok bool) {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := info.Uses[x].(*types.Var)
			if !ok || v.Pkg() == nil || quietType(v.Type()) {
				return "", false, false
			}
			if v.Parent() == v.Pkg().Scope() {
				return "package-level variable " + v.Name(), false, true
			}
			if captured != nil && !v.IsField() {
				if fn, ok := captured(v); ok {
					return "variable " + v.Name() + " of " + fn + " (captured by the handler, one value shared by every invocation)", false, true
				}
			}
			if v.Kind() == types.RecvVar && throughPointer && isService(v.Type()) {
				return "a field of the service " + typeName(v.Type()) + " (one value shared by every invocation)", true, true
			}
			return "", false, false
		case *ast.SelectorExpr:
			if sel := info.Selections[x]; sel == nil || sel.Kind() != types.FieldVal {
				return "", false, false // a qualified identifier or a method value
			}
			if quietType(info.TypeOf(x)) {
				return "", false, false // s.stats.Requests++: a field holding an instrument
			}
			if isPointer(info.TypeOf(x.X)) {
				throughPointer = true
			}
			e = x.X
		case *ast.IndexExpr:
			t := info.TypeOf(x.X)
			if t == nil {
				return "", false, false // broken code, or an instantiation
			}
			switch t.Underlying().(type) {
			case *types.Map, *types.Slice, *types.Pointer:
				throughPointer = true
			}
			e = x.X
		case *ast.StarExpr:
			throughPointer = true
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return "", false, false
			}
			e = x.X
		default:
			return "", false, false
		}
	}
}

// services caches sdk.IsServiceType by type name: receiver writes are
// common in every package, and a method set costs an allocation.
var services sync.Map // *types.TypeName -> bool

func isService(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	if v, ok := services.Load(n.Obj()); ok {
		return v.(bool)
	}
	is := sdk.IsServiceType(n)
	services.Store(n.Obj(), is)
	return is
}

func isPointer(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := types.Unalias(t).Underlying().(*types.Pointer)
	return ok
}

// quietType reports whether t (or what it points to) is a logger, a
// metric or a tracing type: of a package of memstateQuiet, or named by
// the memstate.quiet option.
func quietType(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	path := n.Obj().Pkg().Path()
	for _, q := range memstateQuiet {
		if path == q || strings.HasPrefix(path, q+"/") {
			return true
		}
	}
	return config.MemstateQuiet.Match(path, n.Obj().Name())
}

// classifyWrite classifies an assignment or ++/-- at c as StateWrite when
// one of its targets is shared process memory, and names the target.
func classifyWrite(info *types.Info, c inspector.Cursor, captured Captured) (Construct, string) {
	var lhs []ast.Expr
	switch n := c.Node().(type) {
	case *ast.AssignStmt:
		if n.Tok == token.DEFINE {
			return 0, ""
		}
		lhs = n.Lhs
	case *ast.IncDecStmt:
		lhs = []ast.Expr{n.X}
	}
	for _, l := range lhs {
		target, ok := sharedTarget(info, l, captured)
		if !ok || lazyInit(info, c, l) {
			continue
		}
		return StateWrite, "write to " + target
	}
	return 0, ""
}

// lazyInit reports whether the write at c initialises its target once:
// inside a function given to sync.Once.Do, sync.OnceFunc, OnceValue or
// OnceValues, or guarded by "if target == nil".
func lazyInit(info *types.Info, c inspector.Cursor, target ast.Expr) bool {
	want := types.ExprString(target)
	for p := c.Parent(); p.Valid(); p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.FuncLit:
			k, _ := p.ParentEdge()
			if k != edge.CallExpr_Args {
				return false
			}
			fn, ok := calleeObj(info, p.Parent().Node().(*ast.CallExpr)).(*types.Func)
			return ok && fn.Pkg() != nil && fn.Pkg().Path() == "sync" &&
				(fn.Name() == "Do" || strings.HasPrefix(fn.Name(), "Once"))
		case *ast.FuncDecl:
			return false
		case *ast.IfStmt:
			if b, ok := ast.Unparen(n.Cond).(*ast.BinaryExpr); ok && b.Op == token.EQL &&
				(isNil(info, b.Y) && types.ExprString(b.X) == want || isNil(info, b.X) && types.ExprString(b.Y) == want) {
				return true
			}
		}
	}
	return false
}

func isNil(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.IsNil()
}

func calleeObj(info *types.Info, call *ast.CallExpr) types.Object {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return info.Uses[f]
	case *ast.SelectorExpr:
		return info.Uses[f.Sel]
	}
	return nil
}

// OnReceiver reports whether every shared target of the memstate site of
// row s (an assignment or ++/-- at n; sel.X of a SharedReceiver call; the
// first argument of a FirstArgShared call) is reached from the enclosing
// method's receiver, none from a package-level or captured variable:
// whether the write touches memory every invocation shares then depends
// on the receiver value a caller passes (a service's one value, or one
// the invocation allocated).
func (s *Sink) OnReceiver(info *types.Info, n ast.Node, sel *ast.SelectorExpr, call *ast.CallExpr, captured Captured) bool {
	var targets []ast.Expr
	switch {
	case s.Construct == StateWrite:
		switch n := n.(type) {
		case *ast.AssignStmt:
			targets = n.Lhs
		case *ast.IncDecStmt:
			targets = []ast.Expr{n.X}
		}
	case s.When == SharedReceiver && sel != nil:
		targets = []ast.Expr{sel.X}
	case s.When == FirstArgShared && call != nil && len(call.Args) > 0:
		targets = call.Args[:1]
	}
	found := false
	for _, t := range targets {
		if _, onRecv, ok := sharedRoot(info, t, false, captured); ok {
			if !onRecv {
				return false
			}
			found = true
		}
	}
	return found
}

// ReceiverShared reports whether x, the receiver of a call x.M() whose
// method writes memory reached from its receiver (OnReceiver), is memory
// every invocation shares: a package-level variable, a variable captured
// from outside the handler zones (captured), or a service's receiver, or
// what they reach (onRecv: through the caller's own receiver, so shared
// only if the caller's receiver is). A local, a parameter or a call
// result is not: a value the invocation allocated (compensation.New()) or
// was given. viaPointer is whether the method's writes reach through a
// pointer whatever x is (x is a pointer or an interface, or the method
// has a value receiver).
func ReceiverShared(info *types.Info, x ast.Expr, viaPointer bool, captured Captured) (onRecv, shared bool) {
	_, onRecv, shared = sharedRoot(info, x, viaPointer, captured)
	return onRecv, shared
}
