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

// reflected returns the handlers of the types declared in pkg that
// restate.Reflect would register (sdk.ServiceMethods whose context is one
// of the SDK's five exactly), under the type's name or the constant its
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
		methods := sdk.ServiceMethods(tn.Type())
		if len(methods) == 0 {
			continue
		}
		service := tn.Name()
		if m, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), false, pkg, "ServiceName"); m != nil {
			fn, ok := m.(*types.Func)
			if !ok {
				continue
			}
			if service, ok = constantReturn(files, info, fn); !ok {
				continue // a computed name: the service can't be matched
			}
		}
		for _, fn := range methods {
			kind, ok := sdk.ContextKind(fn.Signature().Params().At(0).Type())
			if !ok {
				continue
			}
			out = append(out, definition{service: service, name: fn.Name(), kind: kind.Service, exclusive: kind.Exclusive, fn: fn})
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

// registered returns the handlers added with
// restate.NewObject("Cart").Handler("Hold", restate.NewObjectHandler(fn))
// and its service and workflow forms (also through a variable holding
// the definition, as generated servers write it). A handler given as a
// method of a value of an interface declared in pkg (a generated
// server's NewCounterServer(srv CounterServer) registering srv.Add) is
// returned as a server handler of that interface instead: the types
// implementing it define it (implementations).
func registered(in *inspector.Inspector, cf *callFinder, pkg *types.Package) ([]definition, map[*types.TypeName][]ServerHandler) {
	var out []definition
	servers := make(map[*types.TypeName][]ServerHandler)
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
		what, ok := sdk.HandlerConstructor(sdk.Callee(cf.info, hcall))
		if !ok {
			continue
		}
		d := definition{service: service, name: name, kind: what.Service, exclusive: what.Exclusive}
		if iface, method := serverMethod(cf.info, hcall.Args[0], pkg); iface != nil {
			servers[iface] = append(servers[iface], ServerHandler{Method: method, Service: service, Name: name, Kind: what.Service, Exclusive: what.Exclusive})
			continue
		}
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
	return out, servers
}

// funcOf returns the declared function or method an expression names
// (sdk.FuncNamed), or nil for an interface method (its body is not known
// here) and other function values.
func funcOf(info *types.Info, e ast.Expr) *types.Func {
	fn := sdk.FuncNamed(info, e)
	if fn == nil {
		return nil
	}
	if recv := fn.Signature().Recv(); recv != nil {
		if _, isIface := recv.Type().Underlying().(*types.Interface); isIface {
			return nil
		}
	}
	return fn
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
		if kind, ok := sdk.RouterConstructor(fn); ok && len(x.Args) > 0 {
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
