package zones

import (
	"go/types"
)

// Durable-execution abstraction layers hide restate.Run behind an
// interface the core code calls, with one adapter per engine:
//
//	type WorkflowRuntime interface {
//		Run(ctx context.Context, name string, fn func(context.Context) ([]byte, error)) ([]byte, error)
//	}
//	_, err := b.wf.Run(ctx, "dlq", func(ctx context.Context) ([]byte, error) { ... time.Now() ... })
//
// The restate adapter runs fn inside restate.Run; an in-process adapter
// calls it directly. Which one runs is decided where the handler is
// wired, so a parameter of an interface method is run-only for a package
// when every implementation that package can see is run-only there
// (their Params facts), and there is at least one. The core package,
// which sees none, leaves the question open (reach.Via carries it to
// the packages that see the adapters).

// ifaceClass is the class of parameter j of the interface method m for
// this package: runOnly when every visible implementation has it
// run-only (and there is one), other otherwise.
func (r *resolver) ifaceClass(m *types.Func, j int) class {
	if ok, _ := r.implsRunOnly(m, j); ok {
		return runOnly
	}
	return other
}

// implsRunOnly reports whether every implementation of the interface
// method m that this package can see has parameter j run-only, and how
// many it sees.
func (r *resolver) implsRunOnly(m *types.Func, j int) (bool, int) {
	impls := r.implementations(m)
	for _, impl := range impls {
		// A method promoted from an embedded interface (a struct
		// embedding restate.Context) is abstract itself: what runs is not
		// known here, and asking it again would not end.
		if IsAbstract(impl) || r.paramClass(impl, j) != runOnly {
			return false, len(impls)
		}
	}
	return len(impls) > 0, len(impls)
}

// implementations returns the methods implementing the interface method
// m among the types this package can see. It looks in m's package, this
// package, and the packages of the import closure that import m's
// package directly: an adapter names the interface it implements (in an
// assertion, a constructor's result) in practice. Generic types are
// left out (they implement nothing uninstantiated).
func (r *resolver) implementations(m *types.Func) []*types.Func {
	if impls, ok := r.impls[m]; ok {
		return impls
	}
	var impls []*types.Func
	iface, _ := m.Signature().Recv().Type().Underlying().(*types.Interface)
	if iface != nil && m.Pkg() != nil {
		for _, pkg := range r.implementers(m.Pkg()) {
			scope := pkg.Scope()
			for _, name := range scope.Names() {
				tn, ok := scope.Lookup(name).(*types.TypeName)
				if !ok || tn.IsAlias() || types.IsInterface(tn.Type()) {
					continue
				}
				if named, ok := tn.Type().(*types.Named); ok && named.TypeParams().Len() > 0 {
					continue
				}
				ptr := types.NewPointer(tn.Type())
				if !types.Implements(ptr, iface) {
					continue
				}
				obj, _, _ := types.LookupFieldOrMethod(ptr, false, m.Pkg(), m.Name())
				if impl, ok := obj.(*types.Func); ok {
					impls = append(impls, impl.Origin())
				}
			}
		}
	}
	if r.impls == nil {
		r.impls = make(map[*types.Func][]*types.Func)
	}
	r.impls[m] = impls
	return impls
}

// implementers lists the packages that may implement an interface of
// pkg for this package: pkg, this package, and the packages of this
// package's import closure that import pkg directly.
func (r *resolver) implementers(pkg *types.Package) []*types.Package {
	out := []*types.Package{pkg}
	if r.pass.Pkg != pkg {
		out = append(out, r.pass.Pkg)
	}
	seen := map[*types.Package]bool{pkg: true, r.pass.Pkg: true}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		for _, imp := range p.Imports() {
			if seen[imp] {
				continue
			}
			seen[imp] = true
			for _, ii := range imp.Imports() {
				if ii == pkg {
					out = append(out, imp)
					break
				}
			}
			visit(imp)
		}
	}
	visit(r.pass.Pkg)
	return out
}

// Implementations returns the methods implementing the interface method m
// among the types this package can see (see resolver.implementations).
func (z *Zones) Implementations(m *types.Func) []*types.Func {
	return z.res.implementations(m)
}

// IfaceRunOnly reports, for the interface method m, whether every
// implementation this package can see runs parameter j only inside a run
// zone, and how many implementations it sees.
func (z *Zones) IfaceRunOnly(m *types.Func, j int) (runOnly bool, impls int) {
	return z.res.implsRunOnly(m, j)
}

// IsAbstract reports whether fn is a method of an interface (also one
// called on a type parameter).
func IsAbstract(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && types.IsInterface(recv.Type())
}
