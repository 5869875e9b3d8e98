// Package zones classifies every function of a package by what replay
// does to its body, as rules.md defines it:
//
//   - Handler: a function or method, declared or literal, with a parameter
//     whose type is a handler context (restate.Context, ObjectContext, ...,
//     an alias, an interface embedding one, or a type parameter constrained
//     by one), named or not, first or not; and every function literal nested
//     in a handler that is not itself a run zone.
//   - Run: the function given to restate.Run, RunAsync or RunVoid, as a
//     literal or as a local variable holding a literal; code nested in it.
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

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// Analyzer computes the zones of a package. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:             "restatezones",
	Doc:              "classify functions into Restate handler, run and other zones",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
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
}

// Zones is the classification of one package's functions.
type Zones struct {
	Funcs  []*Func // in source order
	byNode map[ast.Node]*Func
	byObj  map[*types.Func]*Func
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

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	z := &Zones{byNode: make(map[ast.Node]*Func), byObj: make(map[*types.Func]*Func)}
	info := pass.TypesInfo

	runLits := runClosures(in, info)

	var stack []*Func
	in.Root().Inspect([]ast.Node{(*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)}, func(c inspector.Cursor) bool {
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
		switch {
		case runLits[f.Node]:
			f.Kind = Run
		case f.HasCtxParam:
			f.Kind = Handler
		case f.Parent != nil:
			f.Kind = f.Parent.Kind
		}
		z.Funcs = append(z.Funcs, f)
		z.byNode[f.Node] = f
		stack = append(stack, f)
		return true
	})
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

// runClosures returns the function literals given to restate.Run, RunAsync
// and RunVoid, directly or through a local variable that holds a literal.
func runClosures(in *inspector.Inspector, info *types.Info) map[ast.Node]bool {
	lits := make(map[ast.Node]bool)
	var viaVar map[types.Object]bool
	for c := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		arg, ok := sdk.RunClosure(info, c.Node().(*ast.CallExpr))
		if !ok {
			continue
		}
		switch arg := ast.Unparen(arg).(type) {
		case *ast.FuncLit:
			lits[arg] = true
		case *ast.Ident:
			if v, ok := info.Uses[arg].(*types.Var); ok {
				if viaVar == nil {
					viaVar = make(map[types.Object]bool)
				}
				viaVar[v] = true
			}
		}
	}
	if viaVar == nil {
		return lits
	}
	// Literals assigned to those variables: v := func(...) ...; var v = func...
	for c := range in.Root().Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		var lhs []*ast.Ident
		var rhs []ast.Expr
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			for _, e := range n.Lhs {
				id, _ := e.(*ast.Ident)
				lhs = append(lhs, id)
			}
			rhs = n.Rhs
		case *ast.ValueSpec:
			lhs, rhs = n.Names, n.Values
		}
		if len(lhs) != len(rhs) {
			continue
		}
		for i, id := range lhs {
			if id == nil {
				continue
			}
			obj := info.Defs[id]
			if obj == nil {
				obj = info.Uses[id]
			}
			if lit, ok := ast.Unparen(rhs[i]).(*ast.FuncLit); ok && viaVar[obj] {
				lits[lit] = true
			}
		}
	}
	return lits
}
