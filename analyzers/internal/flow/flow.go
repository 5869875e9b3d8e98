// Package flow follows where a value goes inside one function: into a
// logging, metrics or tracing call, into a return statement, or anywhere
// else. Rules use it to stay quiet on values that cannot change the
// journal (a clock reading that is only logged or observed by a
// histogram) and to find the returns a value reaches.
//
// It follows the value through arithmetic, conversions, method calls on
// it, composite literals, local variables it is assigned to, struct fields
// and elements it is stored into (conf.At = v; return conf), and into the
// parameters of helpers declared in the same package, into every
// variable a call's results are assigned to, and through the conditions
// of if and switch statements into what their branches decide
// (decide.go). A value kept by a recorder (a collector's method keeping
// it in its receiver, record.go) is observed, unless the recorder is a
// local, which then holds it; code under `if x.f != nil` on a field no
// code sets never runs (unset.go).
//
// Inputs asks the backward question: whether a value depends only on a
// function's inputs.
package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// Uses is where a value ends up.
type Uses struct {
	Observed bool               // passed to a logging, metrics or tracing call
	Returns  []inspector.Cursor // return statements returning it
	Out      []OutStore         // stores into memory the function's parameters point to (out.go)
	Other    []inspector.Cursor // any other use: stored, compared, passed on
}

// OnlyObserved reports whether every use is logging, metrics or tracing
// (or there is none).
func (u Uses) OnlyObserved() bool {
	return len(u.Other) == 0 && len(u.Returns) == 0 && len(u.Out) == 0
}

// Add adds v's uses to u.
func (u *Uses) Add(v Uses) {
	u.Observed = u.Observed || v.Observed
	u.Returns = append(u.Returns, v.Returns...)
	u.Out = append(u.Out, v.Out...)
	u.Other = append(u.Other, v.Other...)
}

// Decls returns the declaration (an *ast.FuncDecl cursor) of a function
// of the package being analyzed, or a zero Cursor when it has none. Of
// follows a value into the parameters of the functions it finds.
type Decls func(*types.Func) inspector.Cursor

// maxHelperDepth bounds how many helpers deep a value is followed.
const maxHelperDepth = 4

// transparent reports whether a call's result carries its argument's value
// on: time arithmetic and formatting, conversions.
func transparent(info *types.Info, call *ast.CallExpr) bool {
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return true // conversion
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "time":
		return true
	case "fmt":
		return strings.HasPrefix(fn.Name(), "Sprint") || fn.Name() == "Errorf"
	case "strconv":
		return true
	}
	return false
}

// Of returns the uses of the value of the expression at c. decls may be
// nil: helpers are then not followed.
func Of(info *types.Info, c inspector.Cursor, decls Decls) Uses {
	return OfIn(info, c, Env{Decls: decls})
}

// Env is what Of may know beyond the syntax of the package.
type Env struct {
	Decls Decls // declarations of the package's functions, to follow helpers; may be nil
	// ObserverVar reports whether calling a variable of function type only
	// observes its arguments (a logger package's var Debug = slog.Debug);
	// may be nil.
	ObserverVar func(*types.Var) bool
	// PassThrough reports whether a call of fn, a function whose body
	// flow cannot follow, only computes its results from its arguments
	// (jwt.NewNumericDate(now), jwt.NewWithClaims(m, claims)): the
	// result carries the value on, as for a conversion. May be nil.
	PassThrough func(*types.Func) bool
	// Recorder reports whether fn, a function whose body flow cannot
	// follow, only keeps what it is given in its own memory (its
	// receiver's, its package's): a library's or another package's
	// metrics collector (m.RecordInvocation(name, op, d, err)). Flow
	// checks the call itself (record.go). May be nil.
	Recorder func(*types.Func) bool
	// Unset is the package's fields that no code sets (UnsetFields):
	// what a branch under `x.f != nil` on one of them does never
	// happens. May be nil.
	Unset map[*types.Var]bool
}

// OfIn is Of with everything env knows.
func OfIn(info *types.Info, c inspector.Cursor, env Env) Uses {
	t := newTracer(info, env)
	var u Uses
	t.follow(c, nil, &u, 0)
	return u
}

func newTracer(info *types.Info, env Env) *tracer {
	return &tracer{info: info, decls: env.Decls, observerVar: env.ObserverVar, passThrough: env.PassThrough, recorder: env.Recorder, unset: env.Unset, seen: make(map[seenKey]bool)}
}

// observes reports whether call only observes its arguments: a logging,
// metrics or tracing function, or a variable bound to one.
func (t *tracer) observes(call *ast.CallExpr) bool {
	switch obj := typeutil.Callee(t.info, call).(type) {
	case *types.Func:
		return IsObserver(obj)
	case *types.Var:
		return t.observerVar != nil && t.observerVar(obj)
	}
	return false
}

// passesThrough reports whether the call at c only computes its result
// from its arguments (Env.PassThrough) and that result is used: a call
// whose result is dropped kept the value for something else, if anything.
func (t *tracer) passesThrough(c inspector.Cursor) bool {
	if t.passThrough == nil {
		return false
	}
	fn, _ := typeutil.Callee(t.info, c.Node().(*ast.CallExpr)).(*types.Func)
	if fn == nil || !t.passThrough(fn.Origin()) {
		return false
	}
	_, dropped := c.Parent().Node().(*ast.ExprStmt)
	return !dropped
}

// tracer holds the state of one Of.
type tracer struct {
	info        *types.Info
	decls       Decls
	observerVar func(*types.Var) bool
	passThrough func(*types.Func) bool
	recorder    func(*types.Func) bool
	unset       map[*types.Var]bool
	seen        map[seenKey]bool // variables already followed, with the path followed

	decided map[ast.Node]bool // if and switch statements whose branches were followed
	after   ast.Node          // AfterCall's call: reads inside it are what the callee was given

	recorders []*types.Var             // receivers of the helpers being followed that record what they keep (record.go)
	recorded  int                      // stores into a recorder's memory seen so far
	helpers   map[seenKey]helperAnswer // helper parameters already followed (helper.go)
	orders    map[ast.Node]*Order      // by function, for the reads of its locals
}

type seenKey struct {
	v    *types.Var
	path string
}

// follow follows the value of the expression at c. path says where the
// value lies inside it (nil: it is the whole value; ["At"]: it is the At
// field of a struct; ["[]", "At"]: the At field of an element).
func (t *tracer) follow(c inspector.Cursor, path []string, u *Uses, depth int) {
	info := t.info
	for {
		p := c.Parent()
		if !p.Valid() {
			u.Other = append(u.Other, c)
			return
		}
		kind, idx := c.ParentEdge()
		switch n := p.Node().(type) {
		case *ast.ParenExpr, *ast.StarExpr:
			c = p
			continue
		case *ast.BinaryExpr:
			if len(path) > 0 && (n.Op == token.EQL || n.Op == token.NEQ) && isPointer(info.TypeOf(c.Node().(ast.Expr))) {
				return // comparing a pointer compares addresses, not what it points to
			}
			c, path = p, nil
			continue
		case *ast.UnaryExpr:
			if n.Op != token.AND {
				path = nil // &v: a pointer to the value, read through like it
			}
			c = p
			continue
		case *ast.CompositeLit:
			if kind == edge.CompositeLit_Elts {
				c, path = p, prepend(elemStep(info, n, idx), path)
				continue
			}
		case *ast.KeyValueExpr:
			if lit, ok := p.Parent().Node().(*ast.CompositeLit); ok {
				step := "[]"
				if kind == edge.KeyValueExpr_Value && isStruct(info.TypeOf(lit)) {
					if id, ok := n.Key.(*ast.Ident); ok {
						step = id.Name
					}
				}
				c, path = p.Parent(), prepend(step, path)
				continue
			}
		case *ast.SelectorExpr:
			if kind != edge.SelectorExpr_X {
				break
			}
			// A method called on the value: t.Sub(x), d.Seconds().
			if call, ok := p.Parent().Node().(*ast.CallExpr); ok && call.Fun == n {
				c, path = p.Parent(), nil
				continue
			}
			if steps, ok := fieldSteps(info, n); ok {
				rest, overlaps := descend(path, steps)
				if !overlaps {
					return // another field: it does not hold the value
				}
				c, path = p, rest
				continue
			}
		case *ast.IndexExpr:
			if kind == edge.IndexExpr_X {
				rest, overlaps := descend(path, []string{"[]"})
				if !overlaps {
					return
				}
				c, path = p, rest
				continue
			}
		case *ast.SliceExpr:
			if kind == edge.SliceExpr_X {
				c = p
				continue
			}
		case *ast.CallExpr:
			if kind != edge.CallExpr_Args {
				break
			}
			if t.observes(n) || sdk.TimerDuration(info, n, idx) || t.hook(n) {
				u.Observed = true // logged, measured, sizing a durable timer, or given to a callback that cannot journal it
				return
			}
			if transparent(info, n) {
				c, path = p, nil
				continue
			}
			if b, ok := typeutil.Callee(info, n).(*types.Builtin); ok {
				switch b.Name() {
				case "append":
					if idx > 0 && !n.Ellipsis.IsValid() {
						path = prepend("[]", path)
					}
					c = p
					continue
				case "len", "cap":
					return // a length holds no value
				}
				break
			}
			switch t.helper(n, idx, path, u, depth) {
			case helperObserved:
				return
			case helperRecorded:
				t.recordedBy(p, u, depth)
				return
			case helperReturns:
				c, path = p, nil
				continue
			}
			if t.passesThrough(p) {
				c, path = p, nil
				continue
			}
			if t.opaqueRecorder(n, idx) {
				t.recordedBy(p, u, depth)
				return
			}
		case *ast.RangeStmt:
			if kind == edge.RangeStmt_X && t.ranged(p, n, path, u, depth) {
				return
			}
		case *ast.ReturnStmt:
			u.Returns = append(u.Returns, p)
			return
		case *ast.IfStmt:
			if kind == edge.IfStmt_Cond {
				t.decides(p, u, depth)
				return
			}
		case *ast.SwitchStmt:
			if kind == edge.SwitchStmt_Tag {
				t.decides(p, u, depth)
				return
			}
		case *ast.CaseClause:
			if kind == edge.CaseClause_List {
				if sw := p.Parent().Parent(); sw.Valid() {
					if _, ok := sw.Node().(*ast.SwitchStmt); ok {
						t.decides(sw, u, depth)
						return
					}
				}
			}
		case *ast.ExprStmt, *ast.DeferStmt, *ast.GoStmt:
			return // value discarded (a deferred or concurrent call's results are)
		case *ast.AssignStmt:
			if kind == edge.AssignStmt_Rhs && len(n.Lhs) == len(n.Rhs) {
				lhs := n.Lhs[idx]
				if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" {
					return
				}
				if n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
					path = nil // op=: the result derives from the whole value
				}
				if root, steps, ok := t.target(outermost(p), lhs); ok {
					t.followVar(p, root, append(steps, path...), u, depth)
					return
				}
				if t.records(lhs) {
					t.recorded++
					u.Observed = true // kept by a recorder helper in its receiver
					return
				}
				if depth == 0 {
					if root, steps, recv, ok := t.paramMemory(outermost(p), lhs); ok {
						u.Out = append(u.Out, OutStore{At: p, Recv: recv}) // handed back to the caller
						t.followVar(p, root, append(steps, path...), u, depth)
						return
					}
				}
			}
			if kind == edge.AssignStmt_Rhs && len(n.Rhs) == 1 && len(n.Lhs) > 1 && t.tuple(p, n, u, depth) {
				return
			}
		case *ast.ValueSpec:
			if kind == edge.ValueSpec_Values && len(n.Names) == len(n.Values) {
				if v, ok := t.local(n.Names[idx]); ok {
					t.followVar(p, v, path, u, depth)
					return
				}
			}
		}
		u.Other = append(u.Other, c)
		return
	}
}

// tuple follows the results of a call assigned to several variables
// (tok, err := sign(c)) into each of them: which result holds the value
// is not known. It returns false when one of them is not a local.
func (t *tracer) tuple(stmt inspector.Cursor, n *ast.AssignStmt, u *Uses, depth int) bool {
	type target struct {
		root  *types.Var
		steps []string
	}
	var targets []target
	for _, lhs := range n.Lhs {
		if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" {
			continue
		}
		root, steps, ok := t.target(outermost(stmt), lhs)
		if !ok {
			return false
		}
		targets = append(targets, target{root, steps})
	}
	for _, x := range targets {
		t.followVar(stmt, x.root, x.steps, u, depth)
	}
	return true
}

// followVar follows the reads of the local variable v, written at the
// statement at stmt, within the enclosing function; path says where the
// value lies inside v.
func (t *tracer) followVar(stmt inspector.Cursor, v *types.Var, path []string, u *Uses, depth int) {
	k := seenKey{v, pathKey(path) + "@" + strconv.Itoa(int(stmt.Node().Pos()))}
	if t.seen[k] {
		return
	}
	t.seen[k] = true
	scope := outermost(stmt)
	order := t.orderOf(stmt, v)
	for ic := range scope.Preorder((*ast.Ident)(nil)) {
		if t.info.Uses[ic.Node().(*ast.Ident)] != v || isWritten(ic) || !order.MayRunBefore(stmt.Node(), ic.Node()) || t.dead(ic) {
			continue
		}
		if t.after != nil && t.after.Pos() <= ic.Node().Pos() && ic.Node().End() <= t.after.End() {
			continue
		}
		t.follow(ic, path, u, depth)
	}
	t.bareReturns(scope, v, u)
}

// orderOf returns the Order of the function declaring v, a local written
// at stmt (remembered: every write of v asks).
func (t *tracer) orderOf(stmt inspector.Cursor, v *types.Var) *Order {
	var fn ast.Node = outermost(stmt).Node()
	for p := range stmt.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		if n := p.Node(); n.Pos() <= v.Pos() && v.Pos() < n.End() {
			fn = n
			break
		}
	}
	if o, ok := t.orders[fn]; ok {
		return o
	}
	if t.orders == nil {
		t.orders = make(map[ast.Node]*Order)
	}
	o := NewOrder(fn)
	t.orders[fn] = o
	return o
}

// bareReturns records the bare return statements that return v, when v
// is a named result of a function inside scope.
func (t *tracer) bareReturns(scope inspector.Cursor, v *types.Var, u *Uses) {
	for fc := range scope.Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var ft *ast.FuncType
		switch f := fc.Node().(type) {
		case *ast.FuncDecl:
			ft = f.Type
		case *ast.FuncLit:
			ft = f.Type
		}
		if !declares(t.info, ft.Results, v) {
			continue
		}
		fc.Inspect([]ast.Node{(*ast.ReturnStmt)(nil), (*ast.FuncLit)(nil)}, func(c inspector.Cursor) bool {
			switch n := c.Node().(type) {
			case *ast.FuncLit:
				return c == fc // a nested literal's returns are its own
			case *ast.ReturnStmt:
				if len(n.Results) == 0 {
					u.Returns = append(u.Returns, c)
				}
			}
			return true
		})
		return
	}
}

// declares reports whether the field list declares v.
func declares(info *types.Info, fields *ast.FieldList, v *types.Var) bool {
	if fields == nil {
		return false
	}
	for _, f := range fields.List {
		for _, id := range f.Names {
			if info.Defs[id] == v {
				return true
			}
		}
	}
	return false
}

// outermost returns the outermost function enclosing c: closures may read
// the variables of the functions they are nested in.
func outermost(c inspector.Cursor) inspector.Cursor {
	scope := c
	for f := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		scope = f
	}
	return scope
}

// followReads follows every read of v inside scope.
func (t *tracer) followReads(scope inspector.Cursor, v *types.Var, path []string, u *Uses, depth int) {
	for ic := range scope.Preorder((*ast.Ident)(nil)) {
		if t.info.Uses[ic.Node().(*ast.Ident)] != v || isWritten(ic) || t.dead(ic) {
			continue
		}
		t.follow(ic, path, u, depth)
	}
}

// local returns the local variable (not package-level) id declares or
// denotes.
func (t *tracer) local(id *ast.Ident) (*types.Var, bool) {
	obj := t.info.Defs[id]
	if obj == nil {
		obj = t.info.Uses[id]
	}
	v, ok := obj.(*types.Var)
	if !ok || v.Pkg() == nil || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return nil, false
	}
	return v, true
}

func pathKey(path []string) string { return strings.Join(path, ".") }

// prepend returns step followed by path.
func prepend(step string, path []string) []string {
	return append([]string{step}, path...)
}

// descend returns where the value lies inside x.f (x[i] for the step
// "[]"), given that it lies at path inside x, and whether x.f holds (part
// of) it at all. steps is the path from x to x.f: more than one step for a
// field promoted from an embedded struct.
func descend(path, steps []string) ([]string, bool) {
	for _, s := range steps {
		if len(path) == 0 {
			return nil, true // x.f is inside the value
		}
		if path[0] != s {
			return nil, false // x.f lies beside the value
		}
		path = path[1:]
	}
	return path, true
}

// elemStep is the path step of the idx'th element of a composite literal
// without keys: a struct field's name, or "[]" for an element.
func elemStep(info *types.Info, lit *ast.CompositeLit, idx int) string {
	if st, ok := underlyingStruct(info.TypeOf(lit)); ok && idx < st.NumFields() {
		return st.Field(idx).Name()
	}
	return "[]"
}

func isPointer(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

func isStruct(t types.Type) bool {
	_, ok := underlyingStruct(t)
	return ok
}

func underlyingStruct(t types.Type) (*types.Struct, bool) {
	if t == nil {
		return nil, false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}
