// Package zones classifies every function of a package by what replay
// does to its body, as rules.md defines it:
//
//   - Handler: a function or method, declared or literal, with a parameter
//     whose type is a handler context (restate.Context, ObjectContext, ...,
//     an alias, an interface embedding one, or a type parameter constrained
//     by one), named or not, first or not; a declared function or method
//     that reaches a handler context through a struct field of its receiver
//     or parameters (a.ctx, an embedded context, s.saga.ctx); and every
//     function literal nested in a handler that is not itself a run zone.
//   - Run: a function value that runs only inside restate.Run, RunAsync or
//     RunVoid (a literal, or a local variable holding one): given to one of
//     them, or to a parameter of the project's own wrapper that invokes it
//     only inside a run zone (see Params), or stored into a slice of
//     functions such a wrapper runs element by element inside one
//     (funcslice.go), or, for a function whose only
//     context parameter is restate.RunContext, stored rather than called
//     (a saga compensation appended to a slice); code nested in it.
//   - None: everything else. Declared None functions are what handlers
//     reach; the reach analyzer summarizes them.
//
// The result is shared by every restatelint rule so the classification is
// computed once per package.
package zones

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// Analyzer computes the zones of a package. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:             "restatezones",
	Doc:              "classify functions into Restate handler, run and other zones",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
	FactTypes:        []analysis.Fact{(*Params)(nil)},
	ResultType:       reflect.TypeFor[*Zones](),
}

// Kind is what replay does to a function body.
type Kind uint8

const (
	None    Kind = iota // not a zone: reached code, main, init, ...
	Handler             // replayed: must be deterministic
	Run                 // journaled by restate.Run: may do anything
)

func (k Kind) String() string {
	switch k {
	case Handler:
		return "handler"
	case Run:
		return "run"
	}
	return "none"
}

// Func is one function of the package, declared or literal.
type Func struct {
	Node   ast.Node // *ast.FuncDecl or *ast.FuncLit
	Type   *ast.FuncType
	Body   *ast.BlockStmt // nil for declarations without body
	Kind   Kind
	Obj    *types.Func // declared functions and methods; nil for literals
	Parent *Func       // enclosing function of a literal
	Cursor inspector.Cursor

	// Ctx is this function's own handler-context parameter when it has a
	// usable name (not blank, not unnamed); nil otherwise.
	Ctx *types.Var
	// HasCtxParam reports whether a parameter has a handler-context type,
	// usable name or not.
	HasCtxParam bool
	// CtxField is, for a declared handler without a context parameter, the
	// struct field through which it reaches the handler context (a.ctx).
	// Fixes do not use it: HandlerCtx is nil in such functions.
	CtxField *types.Var
}

// Zones is the classification of one package's functions.
type Zones struct {
	Funcs  []*Func // in source order
	byNode map[ast.Node]*Func
	byObj  map[*types.Func]*Func
	res    *resolver
}

// Of returns the Func of a *ast.FuncDecl or *ast.FuncLit node.
func (z *Zones) Of(n ast.Node) *Func { return z.byNode[n] }

// Declared returns the Func declaring obj in this package, or nil.
func (z *Zones) Declared(obj *types.Func) *Func { return z.byObj[obj] }

// Enclosing returns the innermost function containing the node at c.
func (z *Zones) Enclosing(c inspector.Cursor) *Func {
	for p := range c.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		if f := z.byNode[p.Node()]; f != nil {
			return f
		}
	}
	return nil
}

// HandlerCtx returns the handler context a fix may use inside f: the
// innermost named handler-context parameter of f or of the handler
// functions enclosing it. It returns nil inside run zones, where the outer
// context must not be used.
func (f *Func) HandlerCtx() *types.Var {
	for g := f; g != nil; g = g.Parent {
		if g.Kind != Handler {
			return nil
		}
		if g.Ctx != nil {
			return g.Ctx
		}
		if g.HasCtxParam {
			return nil // unnamed or blank: no usable variable
		}
	}
	return nil
}

// Root returns the outermost function of the zone f belongs to: the
// declared handler for its nested literals.
func (f *Func) Root() *Func {
	for f.Parent != nil && f.Parent.Kind == f.Kind && !f.HasCtxParam {
		f = f.Parent
	}
	return f
}

// walkTypes are the nodes the one walk of a package visits: functions,
// and the calls and range statements that tell where function values go.
var walkTypes = []ast.Node{(*ast.FuncDecl)(nil), (*ast.FuncLit)(nil), (*ast.CallExpr)(nil), (*ast.RangeStmt)(nil)}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	z := &Zones{byNode: make(map[ast.Node]*Func), byObj: make(map[*types.Func]*Func)}
	info := pass.TypesInfo
	r := newResolver(pass, z)
	z.res = r

	var stack []*Func
	in.Root().Inspect(walkTypes, func(c inspector.Cursor) bool {
		switch n := c.Node().(type) {
		case *ast.CallExpr:
			r.noteCall(c, n)
			return true
		case *ast.RangeStmt:
			r.noteRange(n)
			return true
		}
		f := &Func{Node: c.Node(), Cursor: c}
		// Pop functions that do not contain this one.
		for len(stack) > 0 && !stack[len(stack)-1].Cursor.Contains(c) {
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			f.Parent = stack[len(stack)-1]
		}
		switch n := c.Node().(type) {
		case *ast.FuncDecl:
			f.Type, f.Body = n.Type, n.Body
			if obj, ok := info.Defs[n.Name].(*types.Func); ok {
				f.Obj = obj
				z.byObj[obj] = f
			}
		case *ast.FuncLit:
			f.Type, f.Body = n.Type, n.Body
		}
		f.Ctx, f.HasCtxParam = ctxParam(info, f.Type)
		z.Funcs = append(z.Funcs, f)
		z.byNode[f.Node] = f
		stack = append(stack, f)
		return true
	})

	// Context fields are the project's own code: found where reach
	// analyzes code from source, and nowhere else. Wrappers are found there
	// too, and in any library of Restate helpers (a package that imports
	// the SDK: rea.RunWithRetry(ctx, cfg, fn) of a published module), so
	// that the project's calls into them know which arguments run inside
	// restate.Run. Nothing is reported in such a library.
	inScope := config.InScope(pass)
	if inScope {
		for _, f := range z.Funcs {
			if f.Obj != nil && f.Body != nil && !f.HasCtxParam {
				f.CtxField = r.ctxField(f)
			}
		}
	}
	if inScope || sdk.IsHelperLibrary(pass.Pkg) {
		r.solve()
		r.export()
	}
	for _, f := range z.Funcs {
		switch {
		case r.runZone(f):
			f.Kind = Run
		case f.HasCtxParam || f.CtxField != nil:
			f.Kind = Handler
		case f.Parent != nil:
			f.Kind = f.Parent.Kind
		}
	}
	return z, nil
}

// ctxParam finds a handler-context parameter in ft.
func ctxParam(info *types.Info, ft *ast.FuncType) (*types.Var, bool) {
	if ft == nil || ft.Params == nil {
		return nil, false
	}
	for _, field := range ft.Params.List {
		t := info.TypeOf(field.Type)
		if !sdk.IsHandlerContext(t) {
			continue
		}
		for _, name := range field.Names {
			if name.Name == "_" {
				continue
			}
			if v, ok := info.Defs[name].(*types.Var); ok {
				return v, true
			}
		}
		return nil, true
	}
	return nil, false
}
