package deadlock

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// ServerOf is the fact of an interface whose methods a function of its
// package registers as handlers: protoc-gen-go-restate's server interface
// (CounterServer), which NewCounterServer(srv CounterServer) registers
// as restate.NewObject("helloworld.Counter").Handler("Add",
// restate.NewObjectHandler(srv.Add)). Every type implementing the
// interface defines those handlers with its methods.
type ServerOf struct{ Handlers []ServerHandler }

func (*ServerOf) AFact()         {}
func (*ServerOf) String() string { return "deadlock.ServerOf" }

// ServerHandler is one handler a server interface's method is registered
// as.
type ServerHandler struct {
	Method        string // the interface's method
	Service, Name string // the service and handler names it is registered under
	Kind          Kind
	Exclusive     bool
}

// serverMethod returns the interface declared in pkg and the method name
// when e is a method value of a value of that interface (srv.Add).
func serverMethod(info *types.Info, e ast.Expr, pkg *types.Package) (*types.TypeName, string) {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	if s := info.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
		return nil, ""
	}
	n, ok := types.Unalias(info.TypeOf(sel.X)).(*types.Named)
	if !ok || n.Obj().Pkg() != pkg {
		return nil, ""
	}
	if _, isIface := n.Underlying().(*types.Interface); !isIface {
		return nil, ""
	}
	return n.Obj(), sel.Sel.Name
}

// exportServers exports the package's server interfaces as facts.
func exportServers(pass *analysis.Pass, servers map[*types.TypeName][]ServerHandler) {
	for tn, hs := range servers {
		pass.ExportObjectFact(tn, &ServerOf{Handlers: hs})
	}
}

// implementations returns the handlers the package's types define by
// implementing a server interface of this package or of one it imports
// (the hand-written implementation of a generated server, bound with
// NewCounterServer(&counter{}) here or elsewhere, as with
// restate.Reflect). Types of generated files (the generator's
// UnimplementedCounterServer) and of test files (test doubles) define
// none.
func implementations(pass *analysis.Pass, own map[*types.TypeName][]ServerHandler) []definition {
	type server struct {
		iface    *types.Interface
		handlers []ServerHandler
	}
	var servers []server
	for _, tn := range slices.SortedFunc(maps.Keys(own), func(a, b *types.TypeName) int { return strings.Compare(a.Name(), b.Name()) }) {
		servers = append(servers, server{tn.Type().Underlying().(*types.Interface), own[tn]})
	}
	for _, f := range pass.AllObjectFacts() {
		so, ok := f.Fact.(*ServerOf)
		tn, isType := f.Object.(*types.TypeName)
		if !ok || !isType || tn.Pkg() == pass.Pkg {
			continue
		}
		if iface, ok := tn.Type().Underlying().(*types.Interface); ok {
			servers = append(servers, server{iface, so.Handlers})
		}
	}
	if len(servers) == 0 {
		return nil
	}
	skip := make(map[*token.File]bool) // generated and test files
	for _, f := range pass.Files {
		if tf := pass.Fset.File(f.Pos()); tf != nil && (ast.IsGenerated(f) || strings.HasSuffix(tf.Name(), "_test.go")) {
			skip[tf] = true
		}
	}
	var out []definition
	scope := pass.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || !tn.Pos().IsValid() || skip[pass.Fset.File(tn.Pos())] {
			continue
		}
		if _, isIface := tn.Type().Underlying().(*types.Interface); isIface {
			continue
		}
		ptr := types.NewPointer(tn.Type())
		for _, s := range servers {
			if !types.Implements(ptr, s.iface) {
				continue
			}
			for _, h := range s.handlers {
				m, _, _ := types.LookupFieldOrMethod(ptr, false, tn.Pkg(), h.Method)
				fn, ok := m.(*types.Func)
				if !ok {
					continue
				}
				out = append(out, definition{service: h.Service, name: h.Name, kind: h.Kind, exclusive: h.Exclusive, fn: fn.Origin()})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b definition) int { return strings.Compare(a.service+"."+a.name, b.service+"."+b.name) })
	return out
}
