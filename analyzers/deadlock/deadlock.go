// Package deadlock reports request-response calls between Restate
// handlers that wait on themselves.
//
// An exclusive handler of a Virtual Object (one taking restate.ObjectContext)
// holds its key's lock until it returns, and a workflow's run handler runs
// once per workflow ID. A handler that awaits a call which needs that same
// lock never gets an answer: the callee waits for the caller's lock and
// the caller for the callee. Restate cannot break the cycle; an operator
// has to cancel the invocations by hand.
//
// Reported, at the awaited call (Request, or the Response of a
// RequestFuture):
//
//   - an exclusive handler calling an exclusive handler of its own object
//     with its own key (restate.Key(ctx), or a variable holding it);
//   - a workflow's run handler calling run of its own workflow ID;
//   - every call of a cycle of awaited calls between exclusive handlers of
//     different services, Cart.Checkout → Inventory.Reserve → Cart.Hold,
//     with the cycle in the message.
//
// Services and handlers are matched by their names: the string constants
// of restate.Service/Object/Workflow(ctx, "Cart", key, "Hold"), the names
// restate.Reflect gives (the type's name, or the constant its ServiceName
// method returns, and the method names), restate.NewObject("Cart").
// Handler("Hold", restate.NewObjectHandler(fn)) and its service and
// workflow forms, generated protoc-gen-go-restate clients, and generated
// servers: the names and kinds the generated NewCartServer(srv CartServer)
// registers, defined by every type implementing CartServer (the
// implementation bound with NewCartServer(&cart{})) with its methods.
// Calls made by helpers that take the handler's context count as the
// handler's.
//
// Which driver finds what: every driver (go vet -vettool, golangci-lint,
// nogo) finds a cycle when the package of a call imports, directly or
// not, the packages that define the services on the cycle. Services
// usually call each other by name across packages that never import each
// other: the restatelint command and its language server also run a
// whole-program step that finds cycles across every analyzed package.
//
// Quiet on: Send (one-way); calls to shared handlers (ObjectSharedContext,
// WorkflowSharedContext) and plain services; a key that differs from the
// caller's for a call to its own object; calls from shared handlers and
// plain services; names that resolve to no handler in the analyzed code.
//
// No automatic fix: make the callee a shared handler, call it with Send,
// or restructure so that the work does not need both locks.
//
// Suppress one finding with //restatelint:ignore deadlock <reason>.
package deadlock

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

const name = "deadlock"

// Analyzer reports request-response calls between handlers that wait on
// themselves.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report request-response calls between Restate handlers that wait on themselves

An exclusive handler of a Virtual Object holds its key's lock until it
returns. Awaiting a call that needs the same lock (its own object and key,
its own workflow's run, or a cycle of calls between exclusive handlers)
deadlocks the invocations. Make the callee a shared handler, use Send, or
restructure.`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/deadlock.md",
	Requires:         []*analysis.Analyzer{HandlersAnalyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

// HandlersAnalyzer finds the services and calls of a package and exports
// them as facts; it reports nothing. Its result is the handlers of the
// package and of every package it imports. It is separate from Analyzer
// so that the drivers' whole-program step (internal/wholeprogram) can
// read the handlers of every analyzed package from it.
var HandlersAnalyzer = &analysis.Analyzer{
	Name:             "deadlockservices",
	Doc:              "find Restate services, handlers and the calls between them (reports nothing)",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, zones.Analyzer},
	Run:              findServices,
	RunDespiteErrors: true,
	FactTypes:        []analysis.Fact{(*Services)(nil), (*Calls)(nil), (*ClientOf)(nil), (*ServerOf)(nil)},
	ResultType:       reflect.TypeFor[[]Handler](),
}

// Services is the package fact listing the handlers a package defines,
// with their calls; every importer sees them.
type Services struct{ Handlers []Handler }

func (*Services) AFact()         {}
func (*Services) String() string { return "deadlock.Services" }

// Calls is the fact of an exported function taking a handler context:
// the awaited calls an invocation makes by calling it.
type Calls struct{ Calls []Call }

func (*Calls) AFact()         {}
func (*Calls) String() string { return "deadlock.Calls" }

// ClientOf is the fact of an exported function (or interface method)
// returning a client of one handler: a generated client's method.
type ClientOf struct {
	Service, Handler string
	Kind             Kind
}

func (*ClientOf) AFact()         {}
func (*ClientOf) String() string { return "deadlock.ClientOf" }

// positioner turns nodes into positions facts can carry.
type positioner struct{ fset *token.FileSet }

func (p positioner) position(n ast.Node) token.Position { return p.fset.Position(n.Pos()) }

func findServices(pass *analysis.Pass) (any, error) {
	if !sdk.Imported(pass.Pkg) {
		return []Handler(nil), nil
	}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	z := pass.ResultOf[zones.Analyzer].(*zones.Zones)
	cf := &callFinder{info: pass.TypesInfo, assigned: assignments(in, pass.TypesInfo), imported: func(fn *types.Func) *target {
		var fact ClientOf
		if !pass.ImportObjectFact(fn, &fact) {
			return nil
		}
		return &target{service: fact.Service, handler: fact.Handler, kind: fact.Kind}
	}}
	cf.targets = clientTargets(pass, z, cf)
	pos := positioner{pass.Fset}

	calls := summarize(pass, z, cf, pos)

	var own []Handler
	byBuilder, servers := registered(in, cf, pass.Pkg)
	exportServers(pass, servers)
	defs := append(reflected(pass.Pkg, pass.Files, pass.TypesInfo), byBuilder...)
	defs = append(defs, implementations(pass, servers)...)
	for _, d := range defs {
		h := Handler{Service: d.service, Name: d.name, Kind: d.kind, Exclusive: d.exclusive}
		switch {
		case d.lit != nil:
			h.Calls = calls[z.Of(d.lit)]
		case d.fn != nil:
			if f := z.Declared(d.fn); f != nil {
				h.Calls = calls[f]
			} else {
				var fact Calls
				if pass.ImportObjectFact(d.fn, &fact) {
					h.Calls = fact.Calls
				}
			}
		}
		own = append(own, h)
	}
	if len(own) > 0 {
		pass.ExportPackageFact(&Services{Handlers: own})
	}
	// The handlers of this package and of every package it imports,
	// directly or not.
	all := slices.Clone(own)
	for _, pf := range pass.AllPackageFacts() {
		if s, ok := pf.Fact.(*Services); ok && pf.Package != pass.Pkg {
			all = append(all, s.Handlers...)
		}
	}
	return all, nil
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	all := pass.ResultOf[HandlersAnalyzer].([]Handler)
	if len(all) == 0 {
		return nil, nil
	}
	files := make(map[string]*token.File)
	for _, f := range pass.Files {
		if tf := pass.Fset.File(f.Pos()); tf != nil {
			files[tf.Name()] = tf
		}
	}
	for _, f := range Find(all) {
		tf := files[f.Pos.Filename]
		if tf == nil || f.Pos.Offset > tf.Size() {
			continue // a call in another package: reported there
		}
		suppress.Report(pass, analysis.Diagnostic{Pos: tf.Pos(f.Pos.Offset), Message: f.Message})
	}
	return nil, nil
}

// summarize returns, for every function of the package that runs with a
// handler context, the awaited calls an invocation makes in it or in the
// helpers taking the context that it calls (same package: to a fixed
// point; other packages: their Calls facts, positioned at the call of the
// helper). Exported functions' calls are exported as facts.
func summarize(pass *analysis.Pass, z *zones.Zones, cf *callFinder, pos positioner) map[*zones.Func][]Call {
	direct := make(map[*zones.Func][]Call)
	edges := make(map[*zones.Func][]*zones.Func)
	for _, f := range z.Funcs {
		if f.Kind != zones.Handler || f.Body == nil {
			continue
		}
		root := f.Root()
		direct[root] = append(direct[root], cf.directCalls(f, pos)...)
		f.Cursor.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.CallExpr)(nil)}, func(c inspector.Cursor) bool {
			if lit, ok := c.Node().(*ast.FuncLit); ok {
				return lit == f.Node
			}
			call := c.Node().(*ast.CallExpr)
			fn := sdk.Callee(pass.TypesInfo, call)
			if fn == nil || (fn.Pkg() != nil && sdk.InSDK(fn.Pkg().Path())) {
				return true
			}
			if g := z.Declared(fn); g != nil {
				if g.Kind == zones.Handler && g != root {
					edges[root] = append(edges[root], g)
				}
				return true
			}
			var fact Calls
			if pass.ImportObjectFact(fn, &fact) {
				for _, c := range fact.Calls {
					c.Pos = pos.position(call)
					direct[root] = append(direct[root], c)
				}
			}
			return true
		})
	}
	// Propagate through same-package helpers to a fixed point.
	out := make(map[*zones.Func][]Call)
	var visit func(f *zones.Func, seen map[*zones.Func]bool) []Call
	visit = func(f *zones.Func, seen map[*zones.Func]bool) []Call {
		if seen[f] {
			return nil
		}
		seen[f] = true
		calls := slices.Clone(direct[f])
		for _, g := range edges[f] {
			calls = append(calls, visit(g, seen)...)
		}
		return calls
	}
	for _, f := range z.Funcs {
		if f.Kind != zones.Handler || f.Root() != f {
			continue
		}
		calls := dedupe(visit(f, make(map[*zones.Func]bool)))
		if len(calls) == 0 {
			continue
		}
		out[f] = calls
		if f.Obj != nil && f.Obj.Exported() {
			pass.ExportObjectFact(f.Obj, &Calls{Calls: calls})
		}
	}
	return out
}

func dedupe(calls []Call) []Call {
	seen := make(map[Call]bool)
	return slices.DeleteFunc(calls, func(c Call) bool {
		if seen[c] {
			return true
		}
		seen[c] = true
		return false
	})
}

// clientTargets finds the functions of the package that return a client
// of one named handler (a generated client's methods, written
// return restate.WithRequestType[I](restate.Object[O](c.ctx, "Counter",
// c.key, "Add"))), and the interface methods such methods implement;
// other packages learn them through ClientOf facts.
func clientTargets(pass *analysis.Pass, z *zones.Zones, cf *callFinder) map[*types.Func]*target {
	out := make(map[*types.Func]*target)
	for _, f := range z.Funcs {
		if f.Obj == nil || f.Body == nil || len(f.Body.List) == 0 {
			continue
		}
		ret, ok := f.Body.List[len(f.Body.List)-1].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			continue
		}
		if t := cf.target(ret.Results[0], 0); t != nil {
			out[f.Obj] = &target{service: t.service, handler: t.handler, kind: t.kind}
		}
	}
	// Interface methods those methods implement (a generated client's
	// interface, implemented by its unexported struct).
	concrete := make(map[*types.Func]*target, len(out))
	for fn, t := range out {
		concrete[fn] = t
	}
	scope := pass.Pkg.Scope()
	for _, n := range scope.Names() {
		tn, ok := scope.Lookup(n).(*types.TypeName)
		if !ok {
			continue
		}
		iface, ok := tn.Type().Underlying().(*types.Interface)
		if !ok || iface.NumMethods() == 0 {
			continue
		}
		for m := range iface.Methods() {
			for impl, t := range concrete {
				recv := impl.Type().(*types.Signature).Recv()
				if recv != nil && impl.Name() == m.Name() && types.Implements(recv.Type(), iface) {
					out[m] = t
				}
			}
		}
	}
	for fn, t := range out {
		if fn.Exported() {
			pass.ExportObjectFact(fn, &ClientOf{Service: t.service, Handler: t.handler, Kind: t.kind})
		}
	}
	return out
}
