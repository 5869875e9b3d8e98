// Package reach is restatelint's reach engine: it finds, for every function
// of the analyzed modules, which sinks it reaches at any depth, across
// packages and modules, and exports that as a fact; and it lists, for every
// handler zone of the package, the sites every rule inspects (direct sinks,
// calls to functions with effects, Restate operations).
//
// It reports nothing itself. Its one option sets the analysis scope:
//
//	-reach.scope=example.com/platform,example.com/shared
//
// Functions of the user's own modules are analyzed from source: the main
// module(s), go.work modules, and modules replaced by a local directory
// (replace acme.local/notify => ./libs/notify); plus those under the
// listed module or package path prefixes. Everything else (the standard
// library, versioned third-party modules) is described by the sink
// tables, which keeps a standalone run close to the cost of
// type-checking. Where a package comes from is decided by its files (the
// standard library lies in GOROOT), never by the shape of its path: a
// module called "myapp" or "shopnexus-server" is the user's code.
package reach

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/internal/flow"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// Analyzer is the reach engine. It is listed among restatelint's analyzers
// only so that its scope option can be set like any analyzer flag.
var Analyzer = &analysis.Analyzer{
	Name:             "reach",
	Doc:              "summarize what functions reach at any depth, for the restatelint rules (reports nothing)",
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/configuration.md#reachscope",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, zones.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
	FactTypes:        []analysis.Fact{(*Summary)(nil), (*Seen)(nil), (*ObserverVar)(nil)},
	ResultType:       reflect.TypeFor[*Result](),
}

func init() {
	Analyzer.Flags.Var(config.Flag("reach.scope", &config.Scope), "scope",
		"comma-separated module or package path prefixes analyzed from source for reached code, besides the main and go.work modules and modules replaced by a local directory")
}

// Site is one place in a handler zone that a rule may report.
type Site struct {
	Func  *zones.Func      // innermost function containing the site
	Expr  inspector.Cursor // the call, or the reference when not called
	Ident *ast.Ident       // the name of the sink or callee; nil for a construct (Sink.Construct)
	Obj   types.Object     // the sink or callee; nil for a construct
	Call  *ast.CallExpr    // the call, nil for a reference (clock := time.Now)

	Sink *sinks.Sink // a direct sink; nil otherwise
	Uses *flow.Uses  // where the value goes, for called ValueOnly sinks and calls with a ResultOnly effect

	Effects []Effect // for a callee: what calling it reaches, chains starting at the callee
	Op      string   // for a Restate operation: its name ("restate.Set")
	Unseen  bool     // a call whose body can't be seen, given a context (UnseenRule)
	Label   string   // for a construct: how messages name it ("write to package-level variable n")
}

// Effect returns the site's effect for rule: its own sink or what its
// callee reaches.
func (s *Site) Effect(rule string) (Effect, bool) {
	if s.Sink != nil && s.Sink.Rule == rule {
		if s.Label != "" {
			return Effect{Rule: rule, Sink: s.Label, Family: s.Sink.Family}, true
		}
		return Effect{Rule: rule, Sink: s.sinkName(), Family: s.Sink.Family}, true
	}
	if s.Unseen && rule == UnseenRule {
		return Effect{Rule: rule, Sink: unseenName(s.Obj)}, true
	}
	for _, e := range s.Effects {
		if e.Rule == rule {
			return e, true
		}
	}
	return Effect{}, false
}

// Result is what the rules of one package consume.
type Result struct {
	Pkg   *types.Package
	Sites []*Site // sites in handler zones, in source order

	sums map[*types.Func]*Summary // this package's functions and the imported ones the walk met
}

// Render prints an effect for a message: "stampOrder → time.Now".
func (r *Result) Render(e Effect) string { return render(e, r.Pkg.Path()) }

// walker holds the state of one package's walk.
type walker struct {
	pass     *analysis.Pass
	settings *config.Settings // restatelint.toml and flags for this package
	zones    *zones.Zones
	imported map[*types.Func]*Summary // facts of other packages' functions, nil if none
	direct   map[*zones.Func][]Effect // per owner: direct and imported effects
	edges    map[*zones.Func][]callEdge
	sites    []*Site                // in handler zones
	litVars  map[*types.Var]bool    // locals assigned a function literal
	bindings map[*types.Var]binding // locals of function type and their one binding, if any (bound.go)
	// boundLits are the literals calls through a variable are followed
	// into, with that variable; litSums their summaries (bound.go).
	boundLits map[*zones.Func]*types.Var
	litSums   map[*zones.Func]*Summary
	captures  map[*types.Var]string       // locals captured by handler code: the function declaring them, "" if not shared (bound.go)
	seenPkgs  map[*types.Package]bool     // packages analyzed from source (Seen facts)
	stdPkgs   map[*types.Package]bool     // packages from GOROOT (isStd)
	unset     map[*types.Var]bool         // fields no code of the package sets (flow.UnsetFields), once flow needs them
	visible   map[string]*types.Package   // packages the analyzed one can see, by path (lazily)
	ifaces    map[*types.Func]*sinks.Sink // interface methods resolved by sinks.Implemented
	impls     map[*types.Func]impl        // interface methods resolved to their one implementation
	genFiles  map[*token.File]bool        // generated files of the package (lazily)

	// Dual-mode functions (dispatch.go): per function with a dispatch
	// guard or a context.Context parameter, the guard, the direct effects
	// when that parameter holds a handler context, and whether it passes
	// the parameter on to another package's dispatching function.
	guards   map[*zones.Func]*guard
	vdirect  map[*zones.Func][]Effect
	forwards map[*zones.Func]bool

	observers map[*types.Var]bool // package-level variables bound to an observer (observerVars)

	vias    map[*zones.Func]*Via // conditions of effects found in literals (via.go)
	viaRuns map[Via]bool         // conditions resolved to a run zone

	callMemo map[callUsesKey]*flow.Uses // what callers do with a call's value (out.go)
}

// callEdge is a call of a function of this package, at site.
type callEdge struct {
	to   *zones.Func
	site *Site
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{Pkg: pass.Pkg}
	settings, err := config.For(pass)
	if err != nil {
		return res, nil // the rules return the error (suppress.Stop)
	}
	if !config.InScope(pass) {
		return res, nil
	}
	if err := config.CheckScope(settings, importPaths(pass.Pkg), func(path string) bool {
		return pass.ImportPackageFact(importOf(pass.Pkg, path), new(Seen))
	}); err != nil {
		config.SetPackageErr(pass.Pkg, err) // the rules return it (suppress.Stop)
		return res, nil
	}
	pass.ExportPackageFact(new(Seen))
	w := &walker{
		pass:     pass,
		settings: settings,
		zones:    pass.ResultOf[zones.Analyzer].(*zones.Zones),
		imported: make(map[*types.Func]*Summary),
		direct:   make(map[*zones.Func][]Effect),
		edges:    make(map[*zones.Func][]callEdge),
		guards:   make(map[*zones.Func]*guard),
		vdirect:  make(map[*zones.Func][]Effect),
		forwards: make(map[*zones.Func]bool),
	}
	for _, f := range w.zones.Funcs {
		if f.Obj != nil && f.Body != nil {
			if g := findGuard(pass.TypesInfo, f); g != nil {
				w.guards[f] = g
			}
		}
	}
	w.observerVars()
	w.noteBoundLits()
	for _, f := range w.zones.Funcs {
		if f.Kind != zones.Run && f.Body != nil {
			w.walk(f, owner(f))
			// A literal bound to a variable has a summary of its own too,
			// for the calls through the variable (bound.go).
			for _, lit := range w.boundLitsAround(f) {
				w.walk(f, lit)
			}
		}
	}
	sums := w.propagate()
	for fn, s := range sums {
		// Other packages can only name exported functions and methods:
		// facts for the rest would be copied into every importer for nothing.
		if !fn.Exported() {
			continue
		}
		if g := w.zones.Declared(fn); g != nil && g.CtxField != nil {
			// A handler through a struct field: importers cannot tell, so
			// the fact holds only what its callers see (liftAll).
			s = &Summary{Effects: slices.DeleteFunc(slices.Clone(s.Effects), func(e Effect) bool { return e.Rule != OpRule })}
		}
		if len(s.Effects) > 0 {
			pass.ExportObjectFact(fn, s.exported())
		}
	}
	// Callee sites learn what their callee reaches.
	for _, s := range w.sites {
		if s.Sink == nil {
			if effects := w.calleeEffects(s, sums); effects != nil {
				s.Effects = effects
				if s.Call != nil && slices.ContainsFunc(effects, func(e Effect) bool { return e.ResultOnly }) {
					var args, recv bool
					for _, e := range effects {
						args = args || e.ResultOnly && e.OutArgs
						recv = recv || e.ResultOnly && e.OutRecv
					}
					s.Uses = w.callUses(s, args, recv)
				}
			}
		}
	}
	w.relocate(sums)
	w.sites = slices.DeleteFunc(w.sites, func(s *Site) bool {
		return s.Sink == nil && s.Op == "" && len(s.Effects) == 0 && !s.Unseen
	})
	slices.SortStableFunc(w.sites, func(a, b *Site) int { return int(a.Pos() - b.Pos()) })
	res.Sites = w.sites
	res.sums = sums
	for fn, s := range w.imported {
		if s != nil && sums[fn] == nil {
			sums[fn] = s
		}
	}
	return res, nil
}

// owner is the declared function whose summary f's body contributes to:
// f itself, or for a literal the function it is nested in. A literal with
// its own handler-context parameter (a handler registered inline) runs
// only when invoked by Restate: it contributes to nobody.
func owner(f *zones.Func) *zones.Func {
	for g := f; g != nil; g = g.Parent {
		if g.Obj != nil {
			return g
		}
		if g.HasCtxParam || g.Parent == nil || g.Parent.Kind != g.Kind {
			return nil
		}
	}
	return nil
}

// walk visits the identifiers of f's body, not those of nested literals
// (they are functions of their own), recording what it finds as effects
// of own (owner(f), or a bound literal enclosing f) and, in a handler
// zone, as sites.
func (w *walker) walk(f, own *zones.Func) {
	info := w.pass.TypesInfo
	sites := f.Kind == zones.Handler // bound literals, walked again, are never handler code
	f.Cursor.Inspect(walkNodes(), func(c inspector.Cursor) bool {
		if _, ok := c.Node().(*ast.FuncLit); ok {
			if c.Node() != f.Node {
				w.noteLiteral(c)
			}
			return c.Node() == f.Node
		}
		id, ok := c.Node().(*ast.Ident)
		if !ok {
			w.construct(f, own, c, sites)
			return true
		}
		obj := info.Uses[id]
		switch obj := obj.(type) {
		case *types.Func:
		case *types.Var:
			if !isPkgLevel(obj) && !isFuncTyped(obj) {
				return true // a local value or field: neither a sink nor a callee
			}
		default:
			return true
		}
		expr, sel, callCur := useContext(c)
		var call *ast.CallExpr
		if callCur.Valid() {
			call = callCur.Node().(*ast.CallExpr)
			expr = callCur
		} else if w.zones.RunValue(expr) {
			return true // restate.Run(ctx, fetch), RunAWS(ctx, s.describe, ...): runs in a run zone
		}
		// A call through a variable bound once to a literal or a declared
		// function runs that body (bound.go).
		var lit *zones.Func
		if v, ok := obj.(*types.Var); ok && call != nil {
			if fn := w.boundFn(v); fn != nil {
				obj = fn
			} else {
				lit = w.boundLit(v)
			}
		}
		site := &Site{Func: f, Expr: expr, Ident: id, Obj: obj, Call: call}
		resolved := false // the callee's body is known (an implementation followed)
		if call != nil {
			if op, ok := sdk.Operation(info, call); ok {
				site.Op = op
				w.addDirect(own, Effect{Rule: OpRule, Sink: op, from: site})
			}
		}
		var s *sinks.Sink
		if lit == nil {
			s = w.lookup(f, obj)
			if s == nil {
				s = w.implemented(obj)
			}
		}
		captured := w.captured(f)
		if s != nil {
			if s.HoldsWith(info, sel, call, captured) && !w.quiet(s, site) {
				site.Sink = s
				w.addDirect(own, Effect{Rule: s.Rule, Sink: site.sinkName(), Family: s.Family, from: site,
					Recv:       s.OnReceiver(info, nil, sel, call, captured),
					ResultOnly: site.Uses != nil && w.resultOnly(own, site),
					OutArgs:    site.Uses != nil && outArgs(site.Uses), OutRecv: site.Uses != nil && outRecv(site.Uses)})
			}
		} else if lit != nil {
			if own != nil {
				w.edges[own] = append(w.edges[own], callEdge{lit, site})
			}
			resolved = true
		} else if fn, ok := obj.(*types.Func); ok {
			fn = fn.Origin()
			site.Obj = fn
			if fn.Pkg() == w.pass.Pkg {
				if g := w.zones.Declared(fn); g != nil && g.Body != nil && own != nil {
					w.edges[own] = append(w.edges[own], callEdge{g, site})
				}
			} else if sum := w.importedSummary(fn); sum != nil {
				w.addCallee(own, site, sum, func(effects []Effect) []Effect { return w.lift(effects, fn, site) })
			} else if impl, sum := w.implementation(fn); impl != nil && call != nil {
				// sqlc's Querier: the call runs the one implementation.
				site.Effects = w.addCallee(own, site, sum, func(effects []Effect) []Effect { return w.onReceiver(w.liftVia(effects, impl, fn), impl, site) })
				resolved = true
			}
		}
		if s == nil && site.Effects == nil && !resolved {
			w.unseen(own, site)
		}
		if sites {
			w.sites = append(w.sites, site) // empty sites are dropped once callees are known
		}
		return true
	})
}

// quiet reports whether a called ValueOnly sink's value only goes to
// logging, metrics, tracing or nowhere; it records where the value goes
// on the site.
func (w *walker) quiet(s *sinks.Sink, site *Site) bool {
	if !s.ValueOnly || site.Call == nil {
		return false
	}
	u := flow.OfIn(w.pass.TypesInfo, site.Expr, w.flowEnv())
	site.Uses = &u
	return u.OnlyObserved()
}

// resultOnly reports whether the value of the call or sink at site, in
// the body of own (not a literal nested in it), only reaches own's
// results (or is observed, or discarded). It records the uses on the
// site.
func (w *walker) resultOnly(own *zones.Func, site *Site) bool {
	if own == nil || site.Func != own || site.Call == nil {
		return false
	}
	if site.Uses == nil {
		u := flow.OfIn(w.pass.TypesInfo, site.Expr, w.flowEnv())
		site.Uses = &u
	}
	return w.onlyResults(own, site.Uses)
}

// onlyResults reports whether uses of a value in own's body are only
// own's returns, stores into memory own's parameters point to, logging
// or nothing.
func (w *walker) onlyResults(own *zones.Func, u *flow.Uses) bool {
	if len(u.Other) > 0 {
		return false
	}
	for _, r := range u.Returns {
		if w.zones.Enclosing(r) != own {
			return false
		}
	}
	for _, o := range u.Out {
		if w.zones.Enclosing(o.At) != own {
			return false
		}
	}
	return true
}

// flowEnv is what flow may know: the package's declarations, the
// variables bound to logging, metrics and tracing functions, other
// packages' functions that pass a value through or only record it, and
// the fields nobody sets.
func (w *walker) flowEnv() flow.Env {
	if w.unset == nil {
		w.unset = flow.UnsetFields(w.pass.Pkg, w.pass.Files, w.pass.TypesInfo)
	}
	return flow.Env{Decls: w.decl, ObserverVar: w.isObserverVar, PassThrough: w.passThrough, Recorder: w.recorder, Unset: w.unset}
}

// decl returns the declaration of a function of this package, for flow
// to follow values into helpers.
func (w *walker) decl(fn *types.Func) inspector.Cursor {
	if g := w.zones.Declared(fn); g != nil && g.Body != nil {
		return g.Cursor
	}
	return inspector.Cursor{}
}

// useContext returns the expression that uses the identifier at c (the
// identifier, its selector, or an instantiation of either), the selector
// if any, and the call whose function that expression is, if any.
func useContext(c inspector.Cursor) (expr inspector.Cursor, sel *ast.SelectorExpr, call inspector.Cursor) {
	expr = c
	if k, _ := c.ParentEdge(); k == edge.SelectorExpr_Sel {
		expr = c.Parent()
		sel = expr.Node().(*ast.SelectorExpr)
	}
	for {
		k, _ := expr.ParentEdge()
		if k == edge.IndexExpr_X || k == edge.IndexListExpr_X || k == edge.ParenExpr_X {
			expr = expr.Parent()
			continue
		}
		if k == edge.CallExpr_Fun {
			call = expr.Parent()
		}
		return expr, sel, call
	}
}

func (w *walker) importedSummary(fn *types.Func) *Summary {
	if s, ok := w.imported[fn]; ok {
		return s
	}
	var s *Summary
	if fn.Pkg() != nil {
		fact := new(Summary)
		if w.pass.ImportObjectFact(fn, fact) {
			s = fact
			// The fact is shared with every importer: resolve into copies.
			s.Effects = w.resolveVias(s.Effects)
			if s.Dispatch != nil {
				d := *s.Dispatch
				d.Effects = w.resolveVias(d.Effects)
				s.Dispatch = &d
			}
		}
	}
	w.imported[fn] = s
	return s
}

// addDirect records e, found at e.from, as a direct effect of own, also in
// own's dispatch variant unless excluded there.
func (w *walker) addDirect(own *zones.Func, e Effect) {
	if own == nil {
		return
	}
	w.addFull(own, e)
	w.addVariant(own, e)
}

func (w *walker) addFull(own *zones.Func, e Effect) {
	e = w.withVia(e)
	effects := w.direct[own]
	merge(&effects, e)
	w.direct[own] = effects
}

// addCallee records what the call at site, in own, of a function of
// another package summarized by sum reaches, lifted by lift; it returns
// the effects of the call itself.
func (w *walker) addCallee(own *zones.Func, site *Site, sum *Summary, lift func([]Effect) []Effect) []Effect {
	effects := lift(w.effectsAt(sum, site))
	if own == nil {
		return effects
	}
	for _, e := range effects {
		e.from = site
		e = w.settle(own, site, e)
		w.addFull(own, e)
	}
	if variant, ok := w.variantOf(sum, site, own); ok && w.guards[own] != nil {
		for _, e := range lift(variant) {
			e.from = site
			e = w.settle(own, site, e)
			w.addVariant(own, e)
		}
		if d := sum.Dispatch; d != nil && w.argAt(site.Call, d.Param, own) == argForward {
			w.forwards[own] = true
		}
	}
	return effects
}

// propagate computes every declared function's summary: its direct
// effects plus its local callees' summaries, to a fixed point (the call
// graph may have cycles; merge keeps only strictly better chains, so it
// terminates). Dual-mode functions get their dispatch effects alongside:
// a call passing a handler context where the callee dispatches takes
// those (dispatch.go).
func (w *walker) propagate() map[*types.Func]*Summary {
	sums := make(map[*zones.Func]*Summary) // declared functions and bound literals
	var funcs []*zones.Func
	for _, f := range w.zones.Funcs {
		if f.Obj != nil && f.Body != nil || w.boundLits[f] != nil {
			funcs = append(funcs, f)
			sums[f] = &Summary{Effects: slices.Clone(w.direct[f])}
		}
	}
	dispatching := w.dispatching()
	variants := make(map[*zones.Func][]Effect)
	for f := range dispatching {
		variants[f] = slices.Clone(w.vdirect[f])
	}
	// calleeOf is what the edge from f reaches of its callee: in f's
	// summary (variant false) or in f's dispatch effects.
	calleeOf := func(f *zones.Func, e callEdge, variant bool) ([]Effect, bool) {
		g := e.to
		if sums[g] == nil {
			return nil, false
		}
		effects := sums[g].Effects
		if variant && w.guards[f].excludes(e.site.Pos()) {
			return nil, false
		}
		if g.Obj == nil {
			return w.liftLit(effects, g), true
		}
		if dispatching[g] {
			if kind := w.argAt(e.site.Call, w.guards[g].param, f); kind == argHandler || variant && kind == argForward {
				effects = variants[g]
			}
		}
		return w.lift(effects, g.Obj, e.site), true
	}
	for range len(funcs) + 1 {
		changed := false
		for _, f := range funcs {
			for _, edge := range w.edges[f] {
				effects, _ := calleeOf(f, edge, false)
				for _, e := range effects {
					e.from = edge.site
					e = w.withVia(e)
					e = w.settle(f, edge.site, e)
					if merge(&sums[f].Effects, e) {
						changed = true
					}
				}
				if !dispatching[f] {
					continue
				}
				effects, ok := calleeOf(f, edge, true)
				if !ok {
					continue
				}
				v := variants[f]
				for _, e := range effects {
					e.from = edge.site
					e = w.withVia(e)
					e = w.settle(f, edge.site, e)
					if merge(&v, e) {
						changed = true
					}
				}
				variants[f] = v
			}
		}
		if !changed {
			break
		}
	}
	for f := range dispatching {
		sums[f].Dispatch = &Dispatch{Param: w.guards[f].param, Effects: variants[f]}
	}
	out := make(map[*types.Func]*Summary, len(sums))
	for f, s := range sums {
		if f.Obj != nil {
			out[f.Obj] = s
		} else {
			if w.litSums == nil {
				w.litSums = make(map[*zones.Func]*Summary)
			}
			w.litSums[f] = s
		}
	}
	return out
}

// lift returns callee's effects as seen by the caller at site (liftAll),
// knowing which of the package's functions are handler zones without a
// context parameter (they reach it through a struct field), and deciding
// writes through callee's receiver by the receiver at site (onReceiver).
func (w *walker) lift(effects []Effect, callee *types.Func, site *Site) []Effect {
	g := w.zones.Declared(callee)
	return w.onReceiver(liftAll(effects, callee, g != nil && g.CtxField != nil, w.settings), callee, site)
}

// liftAll returns callee's effects as seen by its callers. A callee that
// takes a handler context, or is a handler zone otherwise (fieldCtx), is
// a handler zone reporting its own lines: only its Restate operations
// matter to callers. Facts of field-context handlers hold only those.
func liftAll(effects []Effect, callee *types.Func, fieldCtx bool, set *config.Settings) []Effect {
	takesCtx := fieldCtx || hasHandlerCtxParam(callee.Signature())
	allowed := sinks.AllowedIn(set, callee) // sideeffect.allow: never I/O
	step := StepOf(callee)
	var out []Effect
	for _, e := range effects {
		if takesCtx && e.Rule != OpRule || allowed && (e.Rule == sinks.SideEffect || e.Rule == UnseenRule) {
			continue
		}
		out = append(out, lift(e, step))
	}
	return out
}

// liftVia is liftAll for a call of the interface method iface that runs
// impl: the chain names the method the code calls.
func (w *walker) liftVia(effects []Effect, impl, iface *types.Func) []Effect {
	out := liftAll(effects, impl, false, w.settings)
	step := StepOf(iface)
	for i := range out {
		out[i].Chain[0] = step
	}
	return out
}

func hasHandlerCtxParam(sig *types.Signature) bool {
	for i := 0; i < sig.Params().Len(); i++ {
		if sdk.IsHandlerContext(sig.Params().At(i).Type()) {
			return true
		}
	}
	return false
}

// AnalyzedFromSource reports whether a package (of the user's own
// modules: main, workspace or locally replaced; or not) is analyzed from
// source for reached code; a standalone driver loads such dependencies
// from source so that their facts exist.
func AnalyzedFromSource(path string, ownModule bool) bool {
	return config.InScopePath(path, ownModule)
}

// importPaths lists the paths of the packages pkg imports.
func importPaths(pkg *types.Package) []string {
	var out []string
	for _, imp := range pkg.Imports() {
		out = append(out, imp.Path())
	}
	return out
}

func importOf(pkg *types.Package, path string) *types.Package {
	for _, imp := range pkg.Imports() {
		if imp.Path() == path {
			return imp
		}
	}
	return nil
}

// HelperLibrary reports whether a dependency at path, importing the paths
// imports yields, is a library of Restate helpers (it imports the SDK and
// is not part of it). Whatever the scope, a standalone driver loads such a
// package from source too, so that its Run wrappers have their facts
// (zones.Params); it is never reported on. Any other dependency costs
// nothing.
func HelperLibrary(path string, imports iter.Seq[string]) bool {
	return sdk.ImportsSDK(path, imports)
}

func isPkgLevel(v *types.Var) bool { return v.Pkg() != nil && v.Parent() == v.Pkg().Scope() }

func isFuncTyped(v *types.Var) bool {
	_, ok := v.Type().Underlying().(*types.Signature)
	return ok
}

// Related points a reached-code finding at the declaration of the function
// the handler calls, the first step of its chain, so editors can jump to
// it. Nil for direct sinks.
func (r *Result) Related(site *Site, e Effect) []analysis.RelatedInformation {
	if site.Sink != nil || len(e.Chain) == 0 || site.Obj == nil || !site.Obj.Pos().IsValid() {
		return nil
	}
	rest := e
	rest.Chain = e.Chain[1:]
	return []analysis.RelatedInformation{{
		Pos:     site.Obj.Pos(),
		Message: fmt.Sprintf("%s, declared here, reaches %s", e.Chain[0].Name, r.Render(rest)),
	}}
}

// IsSDKModule reports whether a module is the Restate SDK itself, which is
// never analyzed from source (config.IsSDKModule); drivers use it to load
// the SDK from export data even where it is replaced by a local directory.
func IsSDKModule(path string) bool { return config.IsSDKModule(path) }
