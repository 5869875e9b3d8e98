package deadlock

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// definition is a handler defined in this package, before its calls are
// known: fn is the function whose invocation it is.
type definition struct {
	service, name string
	kind          Kind
	exclusive     bool
	fn            *types.Func  // a declared function or method
	lit           *ast.FuncLit // or an inline literal
}

// contextKind tells what a handler's context type makes it: the SDK's
// five handler contexts, exactly (restate.Reflect accepts no other).
func contextKind(t types.Type) (kind Kind, exclusive, ok bool) {
	n, isNamed := types.Unalias(t).(*types.Named)
	if !isNamed || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != sdk.Path {
		return 0, false, false
	}
	switch n.Obj().Name() {
	case "Context":
		return Service, false, true
	case "ObjectContext":
		return Object, true, true
	case "ObjectSharedContext":
		return Object, false, true
	case "WorkflowContext":
		return Workflow, true, true
	case "WorkflowSharedContext":
		return Workflow, false, true
	}
	return 0, false, false
}

// reflected returns the handlers of the types declared in pkg that
// restate.Reflect would register: exported methods whose first parameter
// is a handler context, under the type's name or the constant its
// ServiceName() method returns. A type that is never given to Reflect
// defines no service anyone calls by its name, so no Reflect call is
// required (it may be in another package, such as main).
func reflected(pkg *types.Package, files []*ast.File, info *types.Info) []definition {
	var out []definition
	for _, name := range pkg.Scope().Names() {
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		if _, isIface := tn.Type().Underlying().(*types.Interface); isIface {
			continue
		}
		mset := types.NewMethodSet(types.NewPointer(tn.Type()))
		var defs []definition
		service := tn.Name()
		for m := range mset.Methods() {
			fn, ok := m.Obj().(*types.Func)
			if !ok {
				continue
			}
			if fn.Name() == "ServiceName" {
				s, ok := constantReturn(files, info, fn)
				if !ok {
					defs, service = nil, ""
					break // a computed name: the service can't be matched
				}
				service = s
				continue
			}
			sig := fn.Type().(*types.Signature)
			if !fn.Exported() || sig.Params().Len() == 0 {
				continue
			}
			kind, excl, ok := contextKind(sig.Params().At(0).Type())
			if !ok {
				continue
			}
			defs = append(defs, definition{name: fn.Name(), kind: kind, exclusive: excl, fn: fn})
		}
		if service == "" {
			continue
		}
		for _, d := range defs {
			d.service = service
			out = append(out, d)
		}
	}
	return out
}

// constantReturn returns the string constant fn's body returns, when its
// body is one return of a constant.
func constantReturn(files []*ast.File, info *types.Info, fn *types.Func) (string, bool) {
	for _, f := range files {
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || info.Defs[d.Name] != fn || d.Body == nil || len(d.Body.List) != 1 {
				continue
			}
			ret, ok := d.Body.List[0].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				return "", false
			}
			tv := info.Types[ret.Results[0]]
			if tv.Value == nil {
				return "", false
			}
			cf := callFinder{info: info}
			return cf.constString(ret.Results[0])
		}
	}
	return "", false
}

// handlerFuncs maps the SDK's handler constructors to what they make.
var handlerFuncs = map[string]struct {
	kind      Kind
	exclusive bool
}{
	"NewServiceHandler":        {Service, false},
	"NewObjectHandler":         {Object, true},
	"NewObjectSharedHandler":   {Object, false},
	"NewWorkflowHandler":       {Workflow, true},
	"NewWorkflowSharedHandler": {Workflow, false},
}

// routerFuncs make a service definition that handlers are added to.
var routerFuncs = map[string]Kind{"NewService": Service, "NewObject": Object, "NewWorkflow": Workflow}

// registered returns the handlers added with
// restate.NewObject("Cart").Handler("Hold", restate.NewObjectHandler(fn))
// and its service and workflow forms (also through a variable holding
// the definition, as generated servers write it).
func registered(in *inspector.Inspector, cf *callFinder) []definition {
	var out []definition
	for c := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Handler" || len(call.Args) != 2 {
			continue
		}
		m := sdk.Callee(cf.info, call)
		if m == nil || m.Pkg() == nil || !sdk.InSDK(m.Pkg().Path()) {
			continue
		}
		name, ok := cf.constString(call.Args[0])
		if !ok {
			continue
		}
		service, _, ok := cf.router(sel.X, 0)
		if !ok {
			continue
		}
		hcall, ok := ast.Unparen(call.Args[1]).(*ast.CallExpr)
		if !ok || len(hcall.Args) == 0 {
			continue
		}
		hfn := sdk.Callee(cf.info, hcall)
		what, ok := handlerFuncs[nameOf(hfn)]
		if !ok || !sdk.IsFunc(hfn, hfn.Name()) {
			continue
		}
		d := definition{service: service, name: name, kind: what.kind, exclusive: what.exclusive}
		switch arg := ast.Unparen(hcall.Args[0]).(type) {
		case *ast.FuncLit:
			d.lit = arg
		default:
			d.fn = funcOf(cf.info, arg)
		}
		if d.lit != nil || d.fn != nil {
			out = append(out, d)
		}
	}
	return out
}

func nameOf(fn *types.Func) string {
	if fn == nil {
		return ""
	}
	return fn.Name()
}

// funcOf returns the declared function or method an expression names
// (f, pkg.F, svc.Method, (*T).Method), generic ones reduced to their
// origin, or nil for other function values.
func funcOf(info *types.Info, e ast.Expr) *types.Func {
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	case *ast.IndexExpr:
		return funcOf(info, x.X)
	case *ast.IndexListExpr:
		return funcOf(info, x.X)
	}
	if id == nil {
		return nil
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok {
		return nil
	}
	if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
		if _, isIface := recv.Type().Underlying().(*types.Interface); isIface {
			return nil // an interface method: the body is not known here
		}
	}
	return fn.Origin()
}

// router resolves the service definition an expression denotes:
// restate.NewObject("Cart"), a chain of .Handler calls on one, or a
// variable assigned one.
func (cf *callFinder) router(e ast.Expr, depth int) (string, Kind, bool) {
	if depth > 6 {
		return "", 0, false
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		fn := sdk.Callee(cf.info, x)
		if fn == nil {
			return "", 0, false
		}
		if kind, ok := routerFuncs[fn.Name()]; ok && sdk.IsFunc(fn, fn.Name()) && len(x.Args) > 0 {
			name, ok := cf.constString(x.Args[0])
			return name, kind, ok
		}
		if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && fn.Name() == "Handler" {
			return cf.router(sel.X, depth+1)
		}
	case *ast.Ident:
		v, ok := cf.info.Uses[x].(*types.Var)
		if !ok {
			return "", 0, false
		}
		for _, a := range cf.assigned[v] {
			if a == nil {
				continue
			}
			if name, kind, ok := cf.router(a, depth+1); ok {
				return name, kind, true
			}
		}
	}
	return "", 0, false
}
