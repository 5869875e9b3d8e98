// Package sinks holds, as data, what each restatelint rule looks for in
// code outside restatelint's view (the standard library and third-party
// modules): functions, methods and variables matched by import path,
// receiver type and name. Code in the analyzed modules is not listed here:
// the reach analyzer summarizes it from source.
//
// A table row matches an object, not a spelling, so import aliases, dot
// imports and user packages that happen to be named "time" or "rand" are
// handled by the type checker, not by us.
package sinks

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"
	"sync"

	"github.com/restatelint/restatelint/analyzers/internal/config"
)

// Condition narrows a row to some uses of the object.
type Condition uint8

const (
	Always Condition = iota
	// PkgLevelReceiver: a method called on a package-level variable
	// (rng.Intn where var rng = rand.New(...)): shared state that every
	// execution consumes differently.
	PkgLevelReceiver
	// SecondArgNotNil: ulid.New(ms, entropy) draws only from a non-nil
	// entropy source.
	SecondArgNotNil
	// ReturnsError: the function's last result is an error. It tells a
	// client library's API calls (stripe-go's charge.New) from its
	// constructors of the same name (client.New).
	ReturnsError
	// SharedReceiver: a method called on process memory every invocation
	// shares (a package-level variable, a field of a service's receiver):
	// counter.Add(1) where var counter atomic.Int64.
	SharedReceiver
	// FirstArgShared: the first argument points to such memory:
	// atomic.AddInt64(&requests, 1).
	FirstArgShared
	// NotStdStream: a method called on anything but os.Stdout or
	// os.Stderr, which a handler writes to for logging.
	NotStdStream
	// Called: only a call of the object, not a reference to it (an
	// injected clock is read where it is called; passing it on reads
	// nothing).
	Called
)

// Sink is one row of a table.
type Sink struct {
	Rule  string   // analyzer name: "walltime", "randomness", ...
	Pkg   string   // import path, e.g. "time"
	Recv  string   // receiver type name for methods (no '*'); "" otherwise
	Names []string // object names; nil means every exported name
	When  Condition
	// ValueOnly rows do harm only through the value they return (a clock
	// reading): a use that only logs it, or discards it, is quiet.
	ValueOnly bool
	// Fix names the rewrite the rule's analyzer offers for this row, ""
	// for none. The analyzers interpret it.
	Fix string
	// Construct makes the row match a kind of statement or expression (a
	// go statement, a channel send) instead of an object; Pkg, Recv and
	// Names are then unused. See Classify.
	Construct Construct
	// Family groups rows for documentation and messages ("net/http",
	// "environment", ...); the rule's analyzer interprets it.
	Family string
	// Param makes the row structural: it matches every function or method,
	// of any package, whose last parameter is variadic of type Pkg.Param
	// (generated gRPC clients: ...grpc.CallOption); Recv and Names are then
	// unused. A Pkg ending in "/..." matches the packages below it.
	Param string
	// Sig makes the row structural: it matches a call of code whose body
	// the analysis cannot see, with this signature (as types.TypeString
	// prints it, full import paths: "func() time.Time"). With Names nil:
	// a variable, parameter or struct field of that function type; with
	// Names: an interface method of one of those names. Pkg and Recv are
	// then unused. See lookupSig.
	Sig string
}

// Table is every row of every rule, in the order of rules.md. Rules add
// their rows in their own files of this package.
var Table []*Sink

func add(rows ...*Sink) { Table = append(Table, rows...) }

// key identifies an object for lookup.
type key struct{ pkg, recv, name string }

var (
	index    map[key]*Sink // exact rows
	wildcard map[key]*Sink // rows with Names == nil, keyed with name ""
	packages map[string]bool
)

// buildIndex runs once, after every file's init has added its rows.
var buildIndex = sync.OnceFunc(func() {
	index = make(map[key]*Sink)
	wildcard = make(map[key]*Sink)
	packages = make(map[string]bool)
	for _, s := range Table {
		if s.Construct != 0 {
			continue // matched by Classify
		}
		if s.Param != "" || s.Sig != "" || strings.HasSuffix(s.Pkg, "/...") {
			continue // matched by lookupMore
		}
		packages[s.Pkg] = true
		if s.Names == nil {
			wildcard[key{s.Pkg, s.Recv, ""}] = s
			continue
		}
		for _, n := range s.Names {
			index[key{s.Pkg, s.Recv, n}] = s
		}
	}
})

// Lookup returns the row matching obj, a function, method or package-level
// variable, or a variable or field of function type (rows with Sig), or
// nil.
func Lookup(obj types.Object) *Sink { return LookupIn(nil, obj) }

// LookupIn is Lookup with the sideeffect.sinks and sideeffect.allow
// options of set, the settings of the package whose code uses obj (nil:
// the driver's).
func LookupIn(set *config.Settings, obj types.Object) *Sink {
	buildIndex()
	if obj == nil || obj.Pkg() == nil {
		return nil
	}
	var s *Sink
	if packages[obj.Pkg().Path()] {
		s = lookupTable(obj)
	}
	if s == nil {
		s = lookupMore(set, obj) // prefix and structural rows, configured sinks
	}
	if s == nil {
		s = lookupSig(obj) // rows matching by signature (injected clocks)
	}
	if s != nil && s.Rule == SideEffect && AllowedIn(set, obj) {
		return nil
	}
	return s
}

// lookupTable looks obj up among the rows of its own package.
func lookupTable(obj types.Object) *Sink {
	recv := ""
	switch obj := obj.(type) {
	case *types.Func:
		if r := obj.Origin().Signature().Recv(); r != nil {
			recv = typeName(r.Type())
			if recv == "" {
				return nil
			}
		}
	case *types.Var:
		if obj.IsField() || obj.Parent() != obj.Pkg().Scope() {
			return nil
		}
	default:
		return nil
	}
	k := key{obj.Pkg().Path(), recv, obj.Name()}
	if s := index[k]; s != nil {
		return s
	}
	if obj.Exported() {
		k.name = ""
		return wildcard[k]
	}
	return nil
}

func typeName(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// Display is how messages name obj: "time.Now", "rand.Intn",
// "http.Client.Do".
func Display(obj types.Object) string {
	name := obj.Name()
	if v, ok := obj.(*types.Var); ok && (v.IsField() || v.Pkg() != nil && v.Parent() != v.Pkg().Scope()) {
		return name // a field or local of function type (an injected clock): its own name
	}
	if fn, ok := obj.(*types.Func); ok {
		if r := fn.Signature().Recv(); r != nil {
			if t := typeName(r.Type()); t != "" {
				name = t + "." + name
			}
		}
	}
	if obj.Pkg() == nil {
		return name
	}
	return obj.Pkg().Name() + "." + name
}

// Name is how messages name the sink a use of obj matched: Display(obj),
// or the construct ("go statement").
func (s *Sink) Name(obj types.Object) string {
	if s.Construct != 0 {
		return s.Construct.String()
	}
	return Display(obj)
}

// Holds reports whether the row's condition holds for a use of its object
// through sel (nil for a bare identifier) in call (nil for a reference that
// is not called).
func (s *Sink) Holds(info *types.Info, sel *ast.SelectorExpr, call *ast.CallExpr) bool {
	return s.HoldsWith(info, sel, call, nil)
}

// HoldsWith is Holds where captured tells which local variables are
// memory every invocation shares (SharedReceiver, FirstArgShared).
func (s *Sink) HoldsWith(info *types.Info, sel *ast.SelectorExpr, call *ast.CallExpr, captured Captured) bool {
	switch s.When {
	case PkgLevelReceiver:
		if sel == nil {
			return false
		}
		root := rootIdent(sel.X)
		if root == nil {
			return false
		}
		v, ok := info.Uses[root].(*types.Var)
		return ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
	case SharedReceiver:
		if sel == nil {
			return false
		}
		_, ok := sharedTarget(info, sel.X, captured)
		return ok
	case FirstArgShared:
		if call == nil || len(call.Args) == 0 {
			return false
		}
		_, ok := sharedTarget(info, call.Args[0], captured)
		return ok
	case SecondArgNotNil:
		if call == nil || len(call.Args) < 2 {
			return call == nil // a reference to the function: can't tell
		}
		tv, ok := info.Types[call.Args[1]]
		return !ok || !tv.IsNil()
	case NotStdStream:
		if sel == nil {
			return true
		}
		recv := sel.X
		if tv, ok := info.Types[recv]; ok && tv.IsType() {
			// (*os.File).Write(os.Stdout, p): the receiver is the first argument.
			if call == nil || len(call.Args) == 0 {
				return true
			}
			recv = call.Args[0]
		}
		return !isStdStream(info, recv)
	case Called:
		return call != nil
	case ReturnsError:
		var fun ast.Expr
		switch {
		case call != nil:
			fun = call.Fun
		case sel != nil:
			fun = sel
		default:
			return true // a dot-imported reference: can't tell
		}
		sig, ok := info.TypeOf(fun).(*types.Signature)
		if !ok || sig.Results().Len() == 0 {
			return !ok
		}
		return types.Identical(sig.Results().At(sig.Results().Len()-1).Type(), types.Universe.Lookup("error").Type())
	}
	return true
}

// isStdStream reports whether e is os.Stdout or os.Stderr.
func isStdStream(info *types.Info, e ast.Expr) bool {
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		id = e.Sel
	case *ast.Ident: // dot import
		id = e
	default:
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "os" && v.Parent() == v.Pkg().Scope() &&
		(v.Name() == "Stdout" || v.Name() == "Stderr")
}

// rootIdent returns x for x, x.f, x.f.g, (*x), &x.
func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.UnaryExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// Rules returns the names of the rules that have rows.
func Rules() []string {
	var out []string
	for _, s := range Table {
		if !slices.Contains(out, s.Rule) {
			out = append(out, s.Rule)
		}
	}
	return out
}

// Describe renders a row for documentation: "time.Now, time.Since".
func (s *Sink) Describe() string {
	if s.Construct != 0 {
		return s.Construct.String()
	}
	if s.Param != "" {
		return "any method taking ..." + s.Pkg + "." + s.Param
	}
	if s.Sig != "" {
		if s.Names == nil {
			return "any " + s.Sig + " value"
		}
		return "any interface method " + strings.Join(s.Names, ", ") + " of type " + s.Sig
	}
	prefix := s.Pkg
	if s.Recv != "" {
		prefix += "." + s.Recv
	}
	if s.Names == nil {
		return prefix + ".*"
	}
	parts := make([]string, len(s.Names))
	for i, n := range s.Names {
		parts[i] = prefix + "." + n
	}
	return strings.Join(parts, ", ")
}
