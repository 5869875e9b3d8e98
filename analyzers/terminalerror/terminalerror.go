// Package terminalerror reports Restate handlers that return a retryable
// error for a condition that no retry can change.
//
// Restate retries every error a handler returns, forever by default with
// exponential backoff, unless the error is terminal. A handler that
// rejects invalid input with errors.New or fmt.Errorf never succeeds: the
// invocation retries without end, and on a Virtual Object it holds the
// key's lock meanwhile, so every later request for that key waits behind
// it.
//
// Reported, at the error in the return statement of a handler (a
// restate.Reflect method, or a function given to restate.NewServiceHandler,
// NewObjectHandler, ...): an error made in the handler (errors.New,
// fmt.Errorf of values that are input, a sentinel error variable, the
// error of a helper the handler returns unchanged, such as req.Validate()
// or validate(ctx, req): a function of this or another analyzed package,
// whose results depend only on its arguments and receiver and that
// performs no I/O and no Restate operation; the project's error wrapper,
// which makes a terminal error only of one that is terminal already, is
// one; so is a function of a versioned dependency that cannot act: no
// sink row, plain values in and out, no import reaching a sink of a rule
// other than walltime) returned under conditions
// that depend only on the handler's input (its request parameter and the
// object's key), the service's configuration (unexported fields of the
// receiver that only the constructor's composite literal sets),
// constants and such pure functions, or unconditionally.
//
// Quiet on: errors that come from or wrap I/O, Restate operations
// (restate.Get, calls, Run results), time or randomness; terminal errors
// (v1: restate.TerminalErrorf, restate.ToTerminalError; v0.x:
// restate.TerminalError, restate.TerminalErrorf) and functions of the
// package that make them; errors returned inside restate.Run closures
// (Run retries them as configured); conditions on state or call results;
// helpers whose error may come from I/O, a Restate operation or package
// state; a call given a terminal error (it may return it, wrapped);
// functions of versioned dependencies that take or return clients,
// callbacks or other interfaces, or whose imports reach a sink.
//
// Fix, in the form the pinned SDK offers: wrap the error,
// restate.ToTerminalError(err, restate.WithErrorCode(400)) on v1.x,
// restate.TerminalError(err, 400) on v0.x.
//
// Suppress one finding with //restatelint:ignore terminalerror <reason>.
package terminalerror

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/internal/flow"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
	"github.com/restatelint/restatelint/analyzers/reach"
)

const name = "terminalerror"

// Analyzer reports handlers returning retryable errors for input that no
// retry can change.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report Restate handlers returning a retryable error for a condition that depends only on their input

Restate retries every non-terminal error forever with backoff, and a
Virtual Object's key stays locked meanwhile. Reject invalid input with a
terminal error: restate.ToTerminalError(err, restate.WithErrorCode(400)).`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/terminalerror.md",
	Requires:         []*analysis.Analyzer{zones.Analyzer, reach.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
	FactTypes:        []analysis.Fact{(*Pure)(nil)},
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	z := pass.ResultOf[zones.Analyzer].(*zones.Zones)
	res := pass.ResultOf[reach.Analyzer].(*reach.Result)
	c := &checker{pass: pass, z: z, res: res}
	imported := sdk.Imported(pass.Pkg)
	if imported {
		// Only the SDK makes terminal errors: a package that does not
		// import it has no function making one.
		c.makers = terminalMakers(pass.TypesInfo, z)
	}
	c.pureHelpers() // also in packages without the SDK: validation packages
	if !imported {
		return nil, nil
	}
	c.nilErr = c.neverFail()
	registered := registeredFuncs(pass.TypesInfo, z)
	for _, f := range z.Funcs {
		if f.Kind == zones.Handler && f.Body != nil && isHandler(pass.TypesInfo, f, registered) {
			c.check(f)
		}
	}
	return nil, nil
}

type checker struct {
	pass    *analysis.Pass
	z       *zones.Zones
	res     *reach.Result
	makers  map[*types.Func]bool
	helpers map[*types.Func]bool // pureHelpers
	nilErr  map[*types.Func]bool // neverFail
	settled map[*types.Var]bool  // fields only composite literals set (flow.SettledFields), once a handler method needs them

	terminalVars map[*types.Var]bool // locals terminal answered for (a local's assignments do not change)

	screened map[*types.Package]bool // cannotAct, per package
	std      map[*types.Package]bool // isStdPkg, per package
}

// Pure is the fact of an exported function whose results depend only on
// its arguments and receiver, and that performs no I/O and no Restate
// operation (pureHelpers): a validation helper of another package.
type Pure struct{}

func (*Pure) AFact()         {}
func (*Pure) String() string { return "terminalerror.Pure" }

// check reports the handler's returns of input-only plain errors.
func (c *checker) check(f *zones.Func) {
	info := c.pass.TypesInfo
	sig := fixesSignature(info, f)
	if sig == nil || sig.Results().Len() == 0 || !types.Identical(sig.Results().At(sig.Results().Len()-1).Type(), errorType) {
		return
	}
	// The context is the same on every retry: what the handler reads
	// through it is decided by the calls that read it (restate.Key is
	// input, restate.Get is not), and a helper given it is followed.
	params := make(map[*types.Var]bool)
	for p := range sig.Params().Variables() {
		params[p] = true
	}
	in := flow.NewInputs(info, f.Body, params, c.pure, isKey(info))
	if recv := sig.Recv(); recv != nil {
		// The service's configuration, set by its constructor, is the
		// same on every retry.
		if c.settled == nil {
			c.settled = flow.SettledFields(c.pass.Pkg, c.pass.Files, info)
		}
		in.Recv, in.Settled = recv, c.settled
	}
	f.Cursor.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil)}, func(cur inspector.Cursor) bool {
		if lit, ok := cur.Node().(*ast.FuncLit); ok {
			return lit == f.Node
		}
		ret := cur.Node().(*ast.ReturnStmt)
		if len(ret.Results) != sig.Results().Len() {
			return true // a bare return, or one call returning every result
		}
		errExpr := ret.Results[len(ret.Results)-1]
		// Cheapest first: most returns hand back the error of an
		// operation, which is not input-only.
		if tv := info.Types[errExpr]; tv.IsNil() || !in.Only(errExpr) || c.terminal(errExpr, 0) || c.alwaysNil(f.Body, ret, errExpr) {
			return true
		}
		if !in.Conditions(cur, f.Node) {
			return true
		}
		c.report(f, errExpr)
		return true
	})
}

// pure reports whether a call computes its result from its arguments
// alone: the pure standard-library functions (pureStd), and the helpers
// found by pureHelpers, of this package or (through their Pure facts)
// of others.
func (c *checker) pure(call *ast.CallExpr) bool {
	fn := sdk.Callee(c.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	if pureStd(fn) || c.helpers[fn] {
		return true
	}
	return fn.Pkg() != c.pass.Pkg && c.pureElsewhere(fn)
}

// pureElsewhere reports whether fn, of another package, is pure: a
// helper found by pureHelpers there (its Pure fact), or a function of a
// versioned dependency that cannot act (dependencyPure).
func (c *checker) pureElsewhere(fn *types.Func) bool {
	return c.pass.ImportObjectFact(fn, new(Pure)) || c.dependencyPure(fn)
}

// pureHelpers finds the functions of the package whose results depend
// only on their arguments and receiver (flow.PureFuncs: validate(req)
// returning errors.New of the request), that perform no I/O and no
// Restate operation (nothing in their reach summary, which also rules
// out calls the analysis cannot see), and make no terminal error. Its
// exported ones are exported as Pure facts, so that a handler in another
// package follows their errors too.
func (c *checker) pureHelpers() {
	c.helpers = make(map[*types.Func]bool)
	if !config.InScope(c.pass) {
		return // no summaries: nothing is known pure
	}
	var decls []inspector.Cursor
	for _, f := range c.z.Funcs {
		if f.Obj != nil && f.Body != nil {
			decls = append(decls, f.Cursor)
		}
	}
	candidate := func(fn *types.Func) bool {
		if c.makers[fn] {
			return false
		}
		sum := c.res.Reaches(fn)
		return sum == nil || len(sum.Effects) == 0
	}
	other := func(call *ast.CallExpr) bool {
		fn := sdk.Callee(c.pass.TypesInfo, call)
		return fn != nil && fn.Pkg() != nil && (pureStd(fn) || sdkErrorFunc(fn) || fn.Pkg() != c.pass.Pkg && c.pureElsewhere(fn))
	}
	c.helpers = flow.PureFuncs(c.pass.TypesInfo, decls, candidate, other, isKey(c.pass.TypesInfo))
	for fn := range c.helpers {
		if fn.Exported() {
			c.pass.ExportObjectFact(fn, new(Pure))
		}
	}
}

// terminal reports whether e is a terminal error: made by the SDK's
// terminal constructors, by a function of the package that returns one,
// by a call given such an error, or a local variable assigned one.
func (c *checker) terminal(e ast.Expr, depth int) bool {
	if depth > 4 {
		return false
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		fn := sdk.Callee(c.pass.TypesInfo, x)
		if isTerminalCtor(fn) || c.makers[fn] {
			return true
		}
		// A function given a terminal error may return it, wrapped or
		// not (WrapErr(msg, err), fmt.Errorf("...: %w", err)): the SDK
		// finds a terminal error anywhere in the chain.
		for _, a := range x.Args {
			if t := c.pass.TypesInfo.TypeOf(a); t != nil && types.Identical(t, errorType) && c.terminal(a, depth+1) {
				return true
			}
		}
		return false
	case *ast.Ident:
		// err := restate.TerminalErrorf(...); return err
		v, ok := c.pass.TypesInfo.Uses[x].(*types.Var)
		if !ok {
			return false
		}
		if t, ok := c.terminalVars[v]; ok {
			return t
		}
		found := false
		if depth == 0 { // an answer deeper down may be cut short by the depth limit
			if c.terminalVars == nil {
				c.terminalVars = make(map[*types.Var]bool)
			}
			c.terminalVars[v] = false // while its assignments are looked at
			defer func() { c.terminalVars[v] = found }()
		}
		for _, f := range c.z.Funcs {
			if f.Body == nil || f.Body.Pos() > v.Pos() || v.Pos() > f.Body.End() {
				continue
			}
			ast.Inspect(f.Body, func(n ast.Node) bool {
				as, ok := n.(*ast.AssignStmt)
				if !ok || found {
					return !found
				}
				for i, l := range as.Lhs {
					if id, ok := l.(*ast.Ident); ok && (c.pass.TypesInfo.Defs[id] == v || c.pass.TypesInfo.Uses[id] == v) && i < len(as.Rhs) && len(as.Lhs) == len(as.Rhs) {
						if c.terminal(as.Rhs[i], depth+1) {
							found = true
						}
					}
				}
				return true
			})
			break
		}
		return found
	}
	return false
}

// report offers the fix in the pinned SDK's form.
func (c *checker) report(f *zones.Func, errExpr ast.Expr) {
	d := analysis.Diagnostic{
		Pos: errExpr.Pos(), End: errExpr.End(),
		Message: fmt.Sprintf("returns a plain error for a condition that depends only on the request: Restate retries it forever with backoff (and a Virtual Object's key stays locked meanwhile), and no retry can succeed; %s", remedy(c.pass.Pkg)),
	}
	if fix, ok := wrapFix(c.pass, errExpr); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	suppress.Report(c.pass, d)
}

// remedy names the terminal error the pinned SDK offers.
func remedy(pkg *types.Package) string {
	if sdk.FuncOf(sdk.Package(pkg), "ToTerminalError") != nil {
		return "return a terminal error: restate.ToTerminalError(err, restate.WithErrorCode(400)) or restate.TerminalErrorf(...)"
	}
	return "return a terminal error: restate.TerminalError(err, 400)"
}

// registeredFuncs are the package's functions given to
// restate.NewServiceHandler, NewObjectHandler, ... by name.
func registeredFuncs(info *types.Info, z *zones.Zones) map[*types.Func]bool {
	out := make(map[*types.Func]bool)
	for _, f := range z.Funcs {
		if f.Body == nil {
			continue
		}
		ast.Inspect(f.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 || !isHandlerCtor(sdk.Callee(info, call)) {
				return true
			}
			if fn := sdk.FuncNamed(info, call.Args[0]); fn != nil {
				out[fn] = true
			}
			return true
		})
	}
	return out
}

// isHandler reports whether f is invoked by Restate: an exported method
// of a service type, or a function given to a handler constructor (by
// name, or as a literal).
func isHandler(info *types.Info, f *zones.Func, registered map[*types.Func]bool) bool {
	if !f.HasCtxParam {
		return false
	}
	if f.Obj != nil {
		if registered[f.Obj] {
			return true
		}
		recv := f.Obj.Signature().Recv()
		return recv != nil && f.Obj.Exported() && sdk.IsServiceType(recv.Type())
	}
	k, idx := f.Cursor.ParentEdge()
	if k != edge.CallExpr_Args || idx != 0 {
		return false
	}
	call := f.Cursor.Parent().Node().(*ast.CallExpr)
	return isHandlerCtor(sdk.Callee(info, call))
}

func isHandlerCtor(fn *types.Func) bool {
	_, ok := sdk.HandlerConstructor(fn)
	return ok
}

func fixesSignature(info *types.Info, f *zones.Func) *types.Signature {
	if f.Obj != nil {
		return f.Obj.Signature()
	}
	sig, _ := info.TypeOf(f.Node.(*ast.FuncLit)).(*types.Signature)
	return sig
}

// isKey: restate.Key(ctx) is the object's key, part of the request.
func isKey(info *types.Info) func(*ast.CallExpr) bool {
	return func(call *ast.CallExpr) bool { return sdk.IsFunc(sdk.Callee(info, call), "Key") }
}

var terminalCtors = []string{"TerminalError", "TerminalErrorf", "ToTerminalError"}

func isTerminalCtor(fn *types.Func) bool { return sdk.IsFunc(fn, terminalCtors...) }

// terminalMakers are the functions of the package that return terminal
// errors they make (directly or through another such function): their
// errors are terminal already (err.Terminal(), NewValidationError(...)).
func terminalMakers(info *types.Info, z *zones.Zones) map[*types.Func]bool {
	calls := make(map[*types.Func][]*types.Func)
	makers := make(map[*types.Func]bool)
	for _, f := range z.Funcs {
		root := f
		for root.Obj == nil && root.Parent != nil {
			root = root.Parent
		}
		if root.Obj == nil || f.Body == nil {
			continue
		}
		decl, _ := root.Node.(*ast.FuncDecl)
		for cur := range f.Cursor.Preorder((*ast.CallExpr)(nil)) {
			fn := sdk.Callee(info, cur.Node().(*ast.CallExpr))
			switch {
			case isTerminalCtor(fn):
				// A wrapper making a terminal error only of one that is
				// terminal already makes none of its own (wrapper.go).
				if !guardedCtor(info, decl, cur) {
					makers[root.Obj] = true
				}
			case fn != nil:
				calls[root.Obj] = append(calls[root.Obj], fn)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for fn, callees := range calls {
			if !makers[fn] && slices.ContainsFunc(callees, func(g *types.Func) bool { return makers[g] }) {
				makers[fn] = true
				changed = true
			}
		}
	}
	return makers
}

var errorType = types.Universe.Lookup("error").Type()
