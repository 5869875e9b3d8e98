package reach

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// UnseenRule is the pseudo-rule of calls whose body the analysis cannot
// see (an interface method, a function value, a function of a package
// outside the analysis) and that receive a context.Context: database, HTTP
// and RPC clients take one. Calls sinks.NotIO knows to be quiet (logging,
// tracing, context helpers, the SDK, the sideeffect.allow option) are
// not recorded. sideeffect reports these; no rule reports them by
// themselves.
const UnseenRule = "unseen"

// Seen marks a package whose functions were analyzed from source: a
// function of it without a Summary fact reaches nothing.
type Seen struct{}

// AFact marks Seen as an analysis fact.
func (*Seen) AFact() {}

func (*Seen) String() string { return "seen" }

// Unseen kinds, for messages.
const (
	UnseenInterface = "an interface method"
	UnseenFuncValue = "a function value"
	UnseenOutside   = "a function outside the analysis"
)

// UnseenKind says why site's callee body cannot be seen.
func UnseenKind(obj types.Object) string {
	switch obj := obj.(type) {
	case *types.Var:
		return UnseenFuncValue
	case *types.Func:
		if zones.IsAbstract(obj) {
			return UnseenInterface
		}
	}
	return UnseenOutside
}

// unseen records the call at site as an UnseenRule effect when its body
// cannot be seen and it receives a context. s is the call's own row, if
// any: a sink is reported as such, never as unseen too.
func (w *walker) unseen(own *zones.Func, site *Site) {
	if site.Call == nil || site.Op != "" || !w.bodyUnknown(site.Obj) ||
		!passesContext(w.pass.TypesInfo, site.Call) || sinks.NotIO(site.Obj) {
		return
	}
	var via *Via
	if fn, ok := site.Obj.(*types.Func); ok && zones.IsAbstract(fn) {
		var quiet bool
		if quiet, via = w.unseenVia(fn); quiet {
			return // every implementation this package sees is analyzed and quiet
		}
	}
	site.Unseen = true
	w.addDirect(own, Effect{Rule: UnseenRule, Sink: unseenName(site.Obj), from: site, Via: via})
}

// bodyUnknown reports whether calling obj runs code the analysis has no
// summary of. The standard library is described by the sink tables, and
// functions of packages analyzed from source have summaries.
func (w *walker) bodyUnknown(obj types.Object) bool {
	switch obj := obj.(type) {
	case *types.Var:
		return !w.litVars[obj]
	case *types.Func:
		pkg := obj.Pkg()
		if pkg == nil || w.isStd(obj) {
			return false
		}
		if zones.IsAbstract(obj) {
			return true
		}
		return pkg != w.pass.Pkg && !w.seen(pkg)
	}
	return false
}

func (w *walker) seen(pkg *types.Package) bool {
	s, ok := w.seenPkgs[pkg]
	if !ok {
		s = w.pass.ImportPackageFact(pkg, new(Seen))
		if w.seenPkgs == nil {
			w.seenPkgs = make(map[*types.Package]bool)
		}
		w.seenPkgs[pkg] = s
	}
	return s
}

// passesContext reports whether call hands a value to a parameter of type
// context.Context or restate.RunContext.
func passesContext(info *types.Info, call *ast.CallExpr) bool {
	if len(call.Args) == 0 {
		return false
	}
	t := info.TypeOf(call.Fun)
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok {
		return false
	}
	params := sig.Params()
	for i, arg := range call.Args {
		var pt types.Type
		switch {
		case sig.Variadic() && i >= params.Len()-1:
			pt = params.At(params.Len() - 1).Type()
			if s, ok := pt.(*types.Slice); ok && !call.Ellipsis.IsValid() {
				pt = s.Elem()
			}
		case i < params.Len():
			pt = params.At(i).Type()
		default:
			return false
		}
		if !sinks.IsContext(pt) && !sdk.IsRunContext(pt) {
			continue
		}
		if tv, ok := info.Types[arg]; ok && tv.IsNil() {
			continue
		}
		return true
	}
	return false
}

// unseenName names an unseen callee in chains: "db.Querier.GetUser", or a
// function value's variable name.
func unseenName(obj types.Object) string {
	if v, ok := obj.(*types.Var); ok {
		return v.Name()
	}
	return sinks.Display(obj)
}

// noteLiteral records the variable a nested function literal at c is
// assigned to (f := func(ctx context.Context) ...): calling it runs a body
// the walk attributes to the enclosing function, so the call is not
// unseen.
func (w *walker) noteLiteral(c inspector.Cursor) {
	var id *ast.Ident
	switch k, idx := c.ParentEdge(); k {
	case edge.AssignStmt_Rhs:
		a := c.Parent().Node().(*ast.AssignStmt)
		if len(a.Lhs) == len(a.Rhs) {
			id, _ = a.Lhs[idx].(*ast.Ident)
		}
	case edge.ValueSpec_Values:
		vs := c.Parent().Node().(*ast.ValueSpec)
		if len(vs.Names) == len(vs.Values) {
			id = vs.Names[idx]
		}
	}
	if id == nil {
		return
	}
	obj := w.pass.TypesInfo.Defs[id]
	if obj == nil {
		obj = w.pass.TypesInfo.Uses[id]
	}
	if v, ok := obj.(*types.Var); ok {
		if w.litVars == nil {
			w.litVars = make(map[*types.Var]bool)
		}
		w.litVars[v] = true
	}
}

// implemented returns the sideeffect row a call of obj stands for when obj
// is a method of an interface of the user's code or a third-party module
// that a client type of the tables satisfies (sinks.Implemented: a sqlc
// DBTX is a database handle). Standard-library interfaces are described
// by the tables themselves.
func (w *walker) implemented(obj types.Object) *sinks.Sink {
	fn, ok := obj.(*types.Func)
	if !ok || !zones.IsAbstract(fn) || fn.Pkg() == nil {
		return nil
	}
	fn = fn.Origin()
	if s, ok := w.ifaces[fn]; ok {
		return s
	}
	var s *sinks.Sink
	if !w.isStd(fn) && !sinks.NotIO(fn) {
		s = sinks.Implemented(sinks.SideEffect, fn, w.visiblePkg)
	}
	if w.ifaces == nil {
		w.ifaces = make(map[*types.Func]*sinks.Sink)
	}
	w.ifaces[fn] = s
	return s
}

// visiblePkg returns the package with import path path among those the
// analyzed package imports, directly or not.
func (w *walker) visiblePkg(path string) *types.Package {
	if w.visible == nil {
		w.visible = make(map[string]*types.Package)
		var add func(p *types.Package)
		add = func(p *types.Package) {
			if _, ok := w.visible[p.Path()]; ok {
				return
			}
			w.visible[p.Path()] = p
			for _, imp := range p.Imports() {
				add(imp)
			}
		}
		add(w.pass.Pkg)
	}
	return w.visible[path]
}

// implementation returns, for m, a method of an interface declared in a
// package analyzed from source in another package, the one type of that
// package implementing the interface and that type's method, with its
// summary, when that summary reaches I/O: a call of sqlc's generated
// Querier runs the generated *Queries. Nil when the package declares no
// implementation or several, or when the implementation reaches no I/O
// (then another implementation, a fake or a client elsewhere, may be what
// the program passes: the call stays unseen).
func (w *walker) implementation(m *types.Func) (*types.Func, *Summary) {
	if !zones.IsAbstract(m) || m.Pkg() == nil || m.Pkg() == w.pass.Pkg || !w.seen(m.Pkg()) {
		return nil, nil
	}
	if r, ok := w.impls[m]; ok {
		return r.fn, r.sum
	}
	// The implementations in the interface's own package (zones knows
	// those of the packages this one sees).
	var found impl
	var own []*types.Func
	for _, fn := range w.zones.Implementations(m) {
		if fn.Pkg() == m.Pkg() && !zones.IsAbstract(fn) {
			own = append(own, fn)
		}
	}
	if len(own) == 1 {
		if sum := w.importedSummary(own[0]); sum != nil && (hasRule(sum, sinks.SideEffect) || hasRule(sum, UnseenRule)) {
			found = impl{fn: own[0], sum: sum}
		}
	}
	if w.impls == nil {
		w.impls = make(map[*types.Func]impl)
	}
	w.impls[m] = found
	return found.fn, found.sum
}

type impl struct {
	fn  *types.Func
	sum *Summary
}

func hasRule(s *Summary, rule string) bool {
	_, ok := s.Get(rule)
	return ok
}

// isStd reports whether obj belongs to the standard library (it comes
// from GOROOT: config.IsStdObject), cached per package for this pass.
func (w *walker) isStd(obj types.Object) bool {
	pkg := obj.Pkg()
	if pkg == nil {
		return false
	}
	std, ok := w.stdPkgs[pkg]
	if !ok {
		std = config.IsStdObject(w.pass.Fset, obj)
		if w.stdPkgs == nil {
			w.stdPkgs = make(map[*types.Package]bool)
		}
		w.stdPkgs[pkg] = std
	}
	return std
}
