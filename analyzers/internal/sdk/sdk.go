// Package sdk models the parts of the Restate Go SDK
// (github.com/restatedev/sdk-go) that restatelint reasons about, matched by
// import path and name so that restatelint never depends on the SDK and
// analyzes a project whatever SDK version it pins (v0.12 to v1.x).
package sdk

import (
	"go/ast"
	"go/types"
	"iter"
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"golang.org/x/tools/go/types/typeutil"
)

// Path is the import path of the SDK's root package ("restate").
const Path = "github.com/restatedev/sdk-go"

// IngressPath is the SDK's client for code outside handlers.
const IngressPath = Path + "/ingress"

// IsHelperLibrary reports whether pkg imports the SDK's root package and is
// not part of the SDK: a library of Restate helpers (the project's own, or
// a published one such as a module of Run wrappers), whose exported
// functions may run the functions given to them inside restate.Run.
func IsHelperLibrary(pkg *types.Package) bool {
	if pkg == nil {
		return false
	}
	return ImportsSDK(pkg.Path(), func(yield func(string) bool) {
		for _, imp := range pkg.Imports() {
			if !yield(imp.Path()) {
				return
			}
		}
	})
}

// ImportsSDK reports whether the package at path, importing the paths
// imports yields, imports the SDK's root package and is not part of the
// SDK. Drivers use it to load such dependencies from source (see
// IsHelperLibrary); it costs nothing for any other package.
func ImportsSDK(path string, imports iter.Seq[string]) bool {
	if path == Path || strings.HasPrefix(path, Path+"/") {
		return false
	}
	for imp := range imports {
		if imp == Path {
			return true
		}
	}
	return false
}

// IsHandlerContext reports whether t is a handler context: one of the SDK's
// five context types, an alias of one, an interface embedding one, or a type
// parameter constrained by such an interface.
func IsHandlerContext(t types.Type) bool {
	return isHandlerContext(t, 0)
}

func isHandlerContext(t types.Type, depth int) bool {
	if t == nil || depth > 8 {
		return false
	}
	t = types.Unalias(t)
	if tp, ok := t.(*types.TypeParam); ok {
		return isHandlerContext(tp.Constraint(), depth+1)
	}
	if n, ok := t.(*types.Named); ok {
		obj := n.Obj()
		if _, ok := handlerContextKinds[obj.Name()]; ok && obj.Pkg() != nil && obj.Pkg().Path() == Path {
			return true // RunContext is not one: it is what a Run closure receives
		}
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for i := 0; i < iface.NumEmbeddeds(); i++ {
		if isHandlerContext(iface.EmbeddedType(i), depth+1) {
			return true
		}
	}
	return false
}

// IsServiceType reports whether t (or what it points to) is a named type
// with an exported method whose first parameter is a handler context: a
// service restate.Reflect registers, whose one value every invocation
// shares. (Reflect registers exported methods only; a helper type whose
// unexported methods take the context is not a service.) A type that keeps
// a handler context in its fields is not one either: Reflect registers its
// value before any invocation, so a value holding one invocation's context
// was made by that invocation (a saga or step object built in a handler).
// Nor is a type with an exported context method Reflect would refuse
// (it panics on more than one input after the context, or results other
// than [output,] error): an adapter whose Provision(ctx, key, spec, ...)
// handlers call.
func IsServiceType(t types.Type) bool {
	methods := ServiceMethods(t)
	if len(methods) == 0 || HoldsHandlerContext(t) {
		return false
	}
	for _, m := range methods {
		if !reflectable(m.Signature()) {
			return false
		}
	}
	return true
}

// reflectable reports whether restate.Reflect accepts sig, a method whose
// first parameter is a handler context, as a handler: at most one input
// after the context, and no result, one result, or a result and an error
// (the SDK's reflect.go panics on anything else).
func reflectable(sig *types.Signature) bool {
	if sig.Params().Len() > 2 {
		return false
	}
	switch res := sig.Results(); res.Len() {
	case 0, 1:
		return true
	case 2:
		return isError(res.At(1).Type())
	}
	return false
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// HoldsHandlerContext reports whether a value of type t keeps a handler
// context (holdsHandlerContext).
func HoldsHandlerContext(t types.Type) bool {
	return holdsHandlerContext(t, make(map[*types.Named]bool), 0)
}

// holdsHandlerContext reports whether a value of type t keeps a handler
// context: t is one, or a struct field holds one, directly, embedded or
// through a pointer to another struct. Slices, maps, channels and
// functions are not followed: a list of func(restate.ObjectContext) error
// holds no context.
func holdsHandlerContext(t types.Type, seen map[*types.Named]bool, depth int) bool {
	if t == nil || depth > 8 {
		return false
	}
	t = types.Unalias(t)
	if IsHandlerContext(t) {
		return true
	}
	switch x := t.(type) {
	case *types.Pointer:
		return holdsHandlerContext(x.Elem(), seen, depth+1)
	case *types.Named:
		if seen[x] {
			return false
		}
		seen[x] = true
		return holdsHandlerContext(x.Underlying(), seen, depth+1)
	case *types.Struct:
		for i := 0; i < x.NumFields(); i++ {
			if holdsHandlerContext(x.Field(i).Type(), seen, depth+1) {
				return true
			}
		}
	}
	return false
}

// ServiceMethods returns the methods restate.Reflect would register as
// handlers of t (or what it points to): the exported methods of the
// pointer's method set whose first parameter is a handler context, in
// the method set's order. Interfaces have none.
func ServiceMethods(t types.Type) []*types.Func {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return nil
	}
	if _, isIface := n.Underlying().(*types.Interface); isIface {
		return nil
	}
	var out []*types.Func
	for m := range types.NewMethodSet(types.NewPointer(n)).Methods() {
		fn, ok := m.Obj().(*types.Func)
		sig, isSig := m.Type().(*types.Signature)
		if ok && isSig && fn.Exported() && sig.Params().Len() > 0 && IsHandlerContext(sig.Params().At(0).Type()) {
			out = append(out, fn)
		}
	}
	return out
}

// IsExclusiveObjectContext reports whether t is restate.ObjectContext (or
// embeds it) but not a workflow context: the handlers whose state writes
// run once per request under the object's lock.
func IsExclusiveObjectContext(t types.Type) bool {
	return embedsNamed(t, "ObjectContext", 0) && !embedsNamed(t, "WorkflowContext", 0)
}

// IsWorkflowRunContext reports whether t is restate.WorkflowContext: the
// context of a workflow's run handler, which executes once per workflow ID.
func IsWorkflowRunContext(t types.Type) bool { return embedsNamed(t, "WorkflowContext", 0) }

func embedsNamed(t types.Type, name string, depth int) bool {
	if t == nil || depth > 8 {
		return false
	}
	t = types.Unalias(t)
	if tp, ok := t.(*types.TypeParam); ok {
		return embedsNamed(tp.Constraint(), name, depth+1)
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == Path && n.Obj().Name() == name {
		return true
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == Path {
		return false // another SDK context: don't look through its embeddings
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for i := 0; i < iface.NumEmbeddeds(); i++ {
		if embedsNamed(iface.EmbeddedType(i), name, depth+1) {
			return true
		}
	}
	return false
}

// IsRunContext reports whether t is restate.RunContext (declared in the
// root package on v0.12, an alias of an internal type since).
func IsRunContext(t types.Type) bool {
	if t == nil {
		return false
	}
	if a, ok := t.(*types.Alias); ok && a.Obj().Pkg() != nil && a.Obj().Pkg().Path() == Path && a.Obj().Name() == "RunContext" {
		return true
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == "RunContext" && n.Obj().Pkg() != nil && InSDK(n.Obj().Pkg().Path())
}

// InSDK reports whether path is the SDK's root package or one of its
// subpackages.
func InSDK(path string) bool { return path == Path || strings.HasPrefix(path, Path+"/") }

// Callee returns the function a call statically calls, generic functions
// and methods reduced to their origin; nil for dynamic calls and
// conversions.
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// IsFuture reports whether t is one of the SDK's future types (Future,
// ResponseFuture[T], AfterFuture, ...; v0.x's Selectable): the handle of
// one journal entry.
func IsFuture(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || !InSDK(n.Obj().Pkg().Path()) {
		return false
	}
	name := n.Obj().Name()
	return strings.HasSuffix(name, "Future") || name == "Selectable"
}

// FuncNamed returns the declared function or method a function-valued
// expression names (f, pkg.F, v.Method, (*T).Method, f[T]), reduced to
// its origin; nil for other function values. What handler constructors
// and Run are given.
func FuncNamed(info *types.Info, e ast.Expr) *types.Func {
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	case *ast.IndexExpr:
		return FuncNamed(info, x.X)
	case *ast.IndexListExpr:
		return FuncNamed(info, x.X)
	default:
		return nil
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok {
		return nil
	}
	return fn.Origin()
}

// IsFunc reports whether fn is one of the named package-level functions of
// the SDK's root package.
func IsFunc(fn *types.Func, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != Path {
		return false
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Recv() != nil {
		return false
	}
	return slices.Contains(names, fn.Name())
}

// timerFuncs take a durable timer's duration as second argument.
var timerFuncs = []string{"Sleep", "After"}

// TimerDuration reports whether argument i of call is the duration of a
// durable timer (restate.Sleep(ctx, d), restate.After(ctx, d)). Replay does
// not compare it (the timer's wake-up is in the journal), so a value that
// only sizes one changes no journal entry.
func TimerDuration(info *types.Info, call *ast.CallExpr, i int) bool {
	return i == 1 && IsFunc(Callee(info, call), timerFuncs...)
}

// runFuncs take the function whose body is a run zone as second argument.
var runFuncs = []string{"Run", "RunAsync", "RunVoid"}

// RunClosure returns the function argument of a restate.Run, RunAsync or
// RunVoid call.
func RunClosure(info *types.Info, call *ast.CallExpr) (ast.Expr, bool) {
	if len(call.Args) < 2 || !IsRun(Callee(info, call)) {
		return nil, false
	}
	return call.Args[1], true
}

// IsRun reports whether fn is restate.Run, RunAsync or RunVoid: the
// functions whose second argument is a run zone.
func IsRun(fn *types.Func) bool { return IsFunc(fn, runFuncs...) }

// pureFuncs are SDK functions taking a handler context that neither write
// the journal nor draw from the deterministic random source.
var pureFuncs = []string{"Key", "WithValue", "WrapContext", "WithMockContext"}

// randomFuncs draw from the invocation's deterministic random source: they
// are not journaled, but the draw order must not change between executions.
var randomFuncs = []string{"Rand", "RandSource", "UUID"}

// accessors are the methods of journal handles that hand back data fixed
// when the handle was created, with no journal entry and no wait: the
// awakeable ID (restate.Awakeable assigns it with the entry that creates
// it). Not GetInvocationId: a call's or send's invocation ID comes from
// the runtime, and reading it waits for that completion like a Result.
var accessors = []struct{ Type, Method string }{
	{"AwakeableFuture", "Id"},
}

// IsAccessor reports whether the method fn is a pure accessor of an SDK
// journal handle (see accessors): data, not a Restate operation, so
// reading it anywhere (inside a Run closure, in a loop) is safe.
func IsAccessor(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || !InSDK(fn.Pkg().Path()) {
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	for _, a := range accessors {
		if n.Obj().Name() == a.Type && fn.Name() == a.Method {
			return true
		}
	}
	return false
}

// Operation reports whether call is a Restate operation: an SDK function
// that takes a handler context and records or consumes a journal entry
// (state, calls, sends, Run, sleeps, awakeables, promises, signals) or
// draws from the deterministic random source, or a method of an SDK client,
// future or promise (Request, Send, Result, Resolve, ...) other than a
// pure accessor (IsAccessor: awakeable.Id()). The second
// result is a short name for messages, e.g. "restate.Set".
func Operation(info *types.Info, call *ast.CallExpr) (string, bool) {
	fn := Callee(info, call)
	if fn == nil || fn.Pkg() == nil || !InSDK(fn.Pkg().Path()) || strings.HasPrefix(fn.Pkg().Path(), IngressPath) {
		return "", false
	}
	sig := fn.Type().(*types.Signature)
	if recv := sig.Recv(); recv != nil {
		if isContextOrMap(recv.Type()) || !isJournalHandle(recv.Type()) || IsAccessor(fn) {
			return "", false // ctx.Log(), ctx.Request(), Headers.Iter(), err.Code(), codec.Marshal, awakeable.Id()
		}
		return fn.Name(), true
	}
	if fn.Pkg().Path() != Path || slices.Contains(pureFuncs, fn.Name()) {
		return "", false
	}
	if sig.Params().Len() == 0 || !IsHandlerContext(sig.Params().At(0).Type()) {
		return "", false
	}
	return "restate." + fn.Name(), true
}

// IsRandomDraw reports whether call is restate.Rand, RandSource or UUID.
func IsRandomDraw(info *types.Info, call *ast.CallExpr) bool {
	return IsFunc(Callee(info, call), randomFuncs...)
}

// isJournalHandle reports whether t is what an operation hands back to
// continue it (a client, future, promise, invocation): not an error value
// (TerminalError's methods read it) nor a codec or option type.
func isJournalHandle(t types.Type) bool {
	if types.Implements(t, errorInterface) {
		return false
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return true
	}
	path := n.Obj().Pkg().Path()
	return !strings.Contains(path, "/encoding") && !strings.Contains(path, "/options")
}

var errorInterface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

func isContextOrMap(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if IsHandlerContext(t) || IsRunContext(t) {
		return true
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	name := n.Obj().Name()
	return name == "Map" || strings.HasSuffix(name, "Context") || name == "Request"
}

// Package returns the SDK's root package as the analyzed package sees it
// (imported directly or indirectly), or nil. Fixes read what the pinned
// SDK version offers from it.
//
// The answer is remembered per package (several analyzers of every
// package ask, and the search visits the whole import closure when the
// SDK is not in it, as in most packages); an entry goes when its package
// is collected (the language server re-checks packages into new ones).
func Package(pkg *types.Package) *types.Package {
	key := weak.Make(pkg)
	if v, ok := sdkOf.Load(key); ok {
		return v.(*types.Package)
	}
	found := findPackage(pkg)
	if _, loaded := sdkOf.LoadOrStore(key, found); !loaded {
		runtime.AddCleanup(pkg, func(k weak.Pointer[types.Package]) { sdkOf.Delete(k) }, key)
	}
	return found
}

var sdkOf sync.Map // weak.Pointer[types.Package] -> *types.Package (nil: no SDK)

func findPackage(pkg *types.Package) *types.Package {
	seen := make(map[*types.Package]bool)
	queue := []*types.Package{pkg}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p.Path() == Path {
			return p
		}
		for _, imp := range p.Imports() {
			if !seen[imp] {
				seen[imp] = true
				queue = append(queue, imp)
			}
		}
	}
	return nil
}

// FuncOf returns the SDK package-level function name, or nil.
func FuncOf(sdkPkg *types.Package, name string) *types.Func {
	if sdkPkg == nil {
		return nil
	}
	fn, _ := sdkPkg.Scope().Lookup(name).(*types.Func)
	return fn
}

// Imported reports whether pkg imports the SDK or one of its packages
// directly: without that, its code can call no SDK function, and rules
// that look only at SDK calls can skip it.
func Imported(pkg *types.Package) bool {
	for _, imp := range pkg.Imports() {
		if InSDK(imp.Path()) {
			return true
		}
	}
	return false
}
