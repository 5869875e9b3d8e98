package statecounter

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
)

// guard is what a guard protects: the increment of one key, and for an
// append the variables the appended elements are built from.
type guard struct {
	key   key
	elems map[*types.Var]bool
}

// guarded reports whether n (a Set call or an increment site) runs only
// for requests that are not duplicates: after an early exit (return,
// panic, or continue in the enclosing loop) taken when the request is
// already recorded in state or has no idempotency key, or inside the
// branch taken when it is not recorded / has a key.
func (u *unit) guarded(n ast.Node, g guard) bool {
	c, ok := u.cur[n]
	if !ok {
		return false
	}
	for cur := c; cur.Valid() && cur.Node() != u.root.Node; cur = cur.Parent() {
		parent := cur.Parent()
		if !parent.Valid() {
			break
		}
		var list []ast.Stmt
		switch p := parent.Node().(type) {
		case *ast.BlockStmt:
			list = p.List
		case *ast.CaseClause:
			list = p.Body
		case *ast.CommClause:
			list = p.Body
		case *ast.IfStmt:
			exit, ok := u.polarity(p, p.Cond, g, 0)
			if ok && ((cur.Node() == p.Body && !exit) || (cur.Node() == p.Else && exit)) {
				return true
			}
		}
		for _, s := range list {
			if s == cur.Node() {
				break
			}
			if u.guardStmt(s, g) {
				return true
			}
		}
	}
	return false
}

// guardStmt reports whether s, which runs before the protected node,
// exits early for duplicates: an if (possibly inside a loop over the
// recorded IDs) whose exiting branch is taken for a duplicate request.
func (u *unit) guardStmt(s ast.Stmt, g guard) bool {
	found := false
	var walk func(n ast.Node, loops int)
	walk = func(n ast.Node, loops int) {
		ast.Inspect(n, func(x ast.Node) bool {
			if found || x == nil {
				return false
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				if x != n {
					walk(x, loops+1)
					return false
				}
			case *ast.IfStmt:
				exit, ok := u.polarity(x, x.Cond, g, 0)
				if ok && exit && exits(x.Body, loops) {
					found = true
				} else if ok && !exit && x.Else != nil && exits(x.Else, loops) {
					found = true
				} else if u.statusGuard(x, loops) {
					found = true
				}
			case *ast.SwitchStmt:
				if u.statusGuard(x, loops) {
					found = true
				}
			}
			return true
		})
	}
	_, isLoop := s.(*ast.ForStmt)
	_, isRange := s.(*ast.RangeStmt)
	loops := 0
	if isLoop || isRange {
		loops = 1
	}
	walk(s, loops)
	return found
}

// exits reports whether n contains a return, a panic, or (outside any
// loop nested in the guard) a continue.
func exits(n ast.Node, loops int) bool {
	found := false
	var walk func(n ast.Node, loops int)
	walk = func(n ast.Node, loops int) {
		ast.Inspect(n, func(x ast.Node) bool {
			if found || x == nil {
				return false
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				if x != n {
					walk(x, loops+1)
					return false
				}
			case *ast.ReturnStmt:
				found = true
			case *ast.BranchStmt:
				if x.Tok == token.CONTINUE && x.Label == nil && loops == 0 {
					found = true
				}
			case *ast.CallExpr:
				if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "panic" {
					found = true
				}
			}
			return true
		})
	}
	walk(n, loops)
	return found
}

// polarity classifies a condition: exit is true when the condition holds
// for a request that must not increment (already recorded in state, or
// without idempotency key), false when it holds only for one that may. ok
// is false for conditions that say neither. ifs is the if statement, for
// a helper called in its init.
func (u *unit) polarity(ifs *ast.IfStmt, e ast.Expr, g guard, depth int) (exit, ok bool) {
	if depth > 8 {
		return false, false
	}
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.UnaryExpr:
		if x.Op == token.NOT {
			exit, ok := u.polarity(ifs, x.X, g, depth+1)
			return !exit, ok
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case token.LOR:
			for _, y := range []ast.Expr{x.X, x.Y} {
				if exit, ok := u.polarity(ifs, y, g, depth+1); ok && exit {
					return true, true
				}
			}
			return false, false
		case token.LAND:
			for _, y := range []ast.Expr{x.X, x.Y} {
				if exit, ok := u.polarity(ifs, y, g, depth+1); ok && !exit {
					return false, true
				}
			}
			for _, y := range []ast.Expr{x.X, x.Y} {
				if exit, ok := u.polarity(ifs, y, g, depth+1); ok {
					return exit, true
				}
			}
			return false, false
		}
	}
	if missing, ok := u.keyMissing(e); ok {
		return missing, true
	}
	if ifs != nil && u.refusedByHelper(ifs, e) {
		return true, true
	}
	return u.recorded(e, g, depth)
}

// keyMissing classifies comparisons of the request's idempotency key with
// "" (or its length with 0): missing is true when the condition holds for
// a request without a key.
func (u *unit) keyMissing(e ast.Expr) (missing, ok bool) {
	b, isBin := e.(*ast.BinaryExpr)
	if !isBin {
		return false, false
	}
	x, y := ast.Unparen(b.X), ast.Unparen(b.Y)
	if u.isZero(x) {
		x, y = y, x
	}
	if !u.isZero(y) {
		return false, false
	}
	if call, ok := x.(*ast.CallExpr); ok && isBuiltin(u.info, call, "len") && len(call.Args) == 1 {
		x = ast.Unparen(call.Args[0])
	}
	if !u.isIdemKey(x) {
		return false, false
	}
	switch b.Op {
	case token.EQL, token.LEQ:
		return true, true
	case token.NEQ, token.GTR:
		return false, true
	}
	return false, false
}

func (u *unit) isIdemKey(e ast.Expr) bool {
	if f, ok := sdk.RequestField(u.info, e); ok && f == "IdempotencyKey" {
		return true
	}
	if id, ok := e.(*ast.Ident); ok {
		v, _ := u.info.Uses[id].(*types.Var)
		return v != nil && u.idemKeys[v]
	}
	return false
}

// refusedByHelper recognizes "if err := requireIdempotencyKey(ctx); err
// != nil": the if's init calls a function of this package that refuses
// requests without an idempotency key, and the condition tests the error.
func (u *unit) refusedByHelper(ifs *ast.IfStmt, cond ast.Expr) bool {
	b, ok := cond.(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ || !(u.isNil(b.X) || u.isNil(b.Y)) {
		return false
	}
	var calls []*ast.CallExpr
	if ifs.Init != nil {
		ast.Inspect(ifs.Init, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				calls = append(calls, c)
			}
			return true
		})
	} else {
		if c, ok := ast.Unparen(b.X).(*ast.CallExpr); ok {
			calls = append(calls, c)
		}
	}
	for _, c := range calls {
		fn := sdk.Callee(u.info, c)
		if fn == nil {
			continue
		}
		f := u.z.Declared(fn)
		if f == nil || f.Body == nil {
			continue
		}
		helper := &unit{info: u.info, z: u.z, idemKeys: make(map[*types.Var]bool)}
		refuses := false
		ast.Inspect(f.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i, l := range n.Lhs {
						if fld, ok := sdk.RequestField(u.info, n.Rhs[i]); ok && fld == "IdempotencyKey" {
							if id, ok := l.(*ast.Ident); ok {
								if v, ok := u.info.ObjectOf(id).(*types.Var); ok {
									helper.idemKeys[v] = true
								}
							}
						}
					}
				}
			case *ast.IfStmt:
				if missing, ok := helper.keyMissing(ast.Unparen(n.Cond)); ok && missing && exits(n.Body, 0) {
					refuses = true
				}
			}
			return !refuses
		})
		if refuses {
			return true
		}
	}
	return false
}

// recorded classifies a test of whether the request is already recorded
// in state: dup is true when the condition holds for a duplicate.
func (u *unit) recorded(e ast.Expr, g guard, depth int) (dup, ok bool) {
	switch x := e.(type) {
	case *ast.IndexExpr:
		if u.lookup(x, g) {
			return true, true // seen[id]
		}
	case *ast.Ident:
		v, _ := u.info.Uses[x].(*types.Var)
		if v == nil {
			return false, false
		}
		if ix, ok := u.lookups[v]; ok {
			if ix, ok := ix.(*ast.IndexExpr); ok && u.lookup(ix, g) {
				return true, true // _, ok := seen[id]; ok
			}
		}
		if u.existence(x, g) {
			return true, true // done, _ := restate.Get[bool](ctx, "done:"+id)
		}
		if rhs, ok := u.single[v]; ok && u.assigned[v] == 1 {
			return u.polarity(nil, rhs, g, depth+1) // found := slices.Contains(ids, id)
		}
		if u.foundFlag(v, g, depth) {
			return true, true // found := false; for ... { if sub == id { found = true } }
		}
	case *ast.CallExpr:
		if isBool(u.info.TypeOf(x)) && u.membership(x, g) {
			return true, true // slices.Contains(ids, id), set.Has(id)
		}
	case *ast.BinaryExpr:
		return u.compare(x, g)
	}
	return false, false
}

// compare classifies comparisons that test membership or equality with
// recorded data.
func (u *unit) compare(b *ast.BinaryExpr, g guard) (dup, ok bool) {
	x, y := ast.Unparen(b.X), ast.Unparen(b.Y)
	// seen[id] != nil, counts[id] > 0, results[id] == "".
	for _, pair := range [][2]ast.Expr{{x, y}, {y, x}} {
		a, z := pair[0], pair[1]
		if !u.isZero(z) {
			continue
		}
		if ix, ok := a.(*ast.IndexExpr); ok && u.lookup(ix, g) {
			return zeroTest(b.Op, pair[0] == x)
		}
		if call, ok := a.(*ast.CallExpr); ok && isBuiltin(u.info, call, "len") && len(call.Args) == 1 {
			a = ast.Unparen(call.Args[0])
		}
		if u.existence(a, g) {
			return zeroTest(b.Op, pair[0] == x)
		}
	}
	// slices.Index(ids, id) >= 0, != -1, < 0.
	for _, pair := range [][2]ast.Expr{{x, y}, {y, x}} {
		call, ok := pair[0].(*ast.CallExpr)
		tv := u.info.Types[pair[1]]
		if !ok || tv.Value == nil || !isInt(u.info.TypeOf(call)) || !u.membership(call, g) {
			continue
		}
		c, exact := constant.Int64Val(tv.Value)
		if !exact {
			continue
		}
		op := b.Op
		if pair[0] != x {
			op = mirror(op)
		}
		switch {
		case (op == token.GEQ && c == 0) || (op == token.GTR && c == -1) || (op == token.NEQ && c == -1):
			return true, true
		case (op == token.LSS && c == 0) || (op == token.EQL && c == -1) || (op == token.LEQ && c == -1):
			return false, true
		}
	}
	// e.ID == event.ID over recorded events, st.LastID == req.ID.
	if b.Op == token.EQL || b.Op == token.NEQ {
		tx, ty := u.info.Types[x], u.info.Types[y]
		if tx.Value == nil && ty.Value == nil &&
			((u.state(x) && u.keyish(y, g)) || (u.state(y) && u.keyish(x, g))) {
			return b.Op == token.EQL, true
		}
	}
	return false, false
}

// zeroTest classifies "v op zero" where v is present when non-zero.
func zeroTest(op token.Token, valueLeft bool) (dup, ok bool) {
	if !valueLeft {
		op = mirror(op)
	}
	switch op {
	case token.NEQ, token.GTR:
		return true, true
	case token.EQL, token.LEQ:
		return false, true
	}
	return false, false
}

func mirror(op token.Token) token.Token {
	switch op {
	case token.LSS:
		return token.GTR
	case token.GTR:
		return token.LSS
	case token.LEQ:
		return token.GEQ
	case token.GEQ:
		return token.LEQ
	}
	return op
}

// lookup reports whether ix looks request data up in a value read from
// state: seen[req.ID].
func (u *unit) lookup(ix *ast.IndexExpr, g guard) bool {
	return u.state(ix.X) && u.keyish(ix.Index, g)
}

// membership reports whether a call tests request data against a value
// read from state: slices.Contains(ids, id), slices.IndexFunc(evs, func),
// set.Has(id).
func (u *unit) membership(call *ast.CallExpr, g guard) bool {
	args := call.Args
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := u.info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			args = append([]ast.Expr{sel.X}, args...)
		}
	}
	for i, a := range args {
		if !u.state(a) {
			continue
		}
		for j, b := range args {
			if i != j && u.keyish(b, g) {
				return true
			}
		}
	}
	return false
}

// existence reports whether e is a value read from state under a key
// built from request data, other than the key being incremented: a
// record of the processed request ("result:"+req.ID). A per-customer
// counter tested against a limit reads the incremented key itself.
func (u *unit) existence(e ast.Expr, g guard) bool {
	for k := range u.eval(e) {
		if k != g.key && u.keys[k].byRequest {
			return true
		}
	}
	return false
}

// state reports whether e's value is derived from restate.Get.
func (u *unit) state(e ast.Expr) bool { return len(u.eval(e)) > 0 }

// keyish reports whether e identifies the request: request data, or the
// variables an appended element is built from.
func (u *unit) keyish(e ast.Expr, g guard) bool {
	if u.mentionsRequest(e) {
		return true
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := u.info.Uses[id].(*types.Var); ok && g.elems[v] {
				found = true
			}
		}
		return !found
	})
	return found
}

func (u *unit) isZero(e ast.Expr) bool {
	if u.isNil(e) {
		return true
	}
	tv, ok := u.info.Types[e]
	if !ok || tv.Value == nil {
		return false
	}
	switch tv.Value.Kind() {
	case constant.String:
		return constant.StringVal(tv.Value) == ""
	case constant.Int, constant.Float:
		return constant.Sign(tv.Value) == 0
	case constant.Bool:
		return !constant.BoolVal(tv.Value)
	}
	return false
}

func (u *unit) isNil(e ast.Expr) bool {
	tv, ok := u.info.Types[ast.Unparen(e)]
	return ok && tv.IsNil()
}

func isBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

func isBool(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := types.Unalias(t).Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

func isInt(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := types.Unalias(t).Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// foundFlag reports whether v is a "found" flag of a search through the
// value read from state: a local bool declared false (found := false, var
// found bool) and otherwise only set to true inside the branch taken when
// the request's element is recorded (if sub == id { found = true; break
// }). Any other assignment (found = false later, found = other) makes it
// no such flag.
func (u *unit) foundFlag(v *types.Var, g guard, depth int) bool {
	if !isBool(v.Type()) || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return false
	}
	decl, sets := false, 0
	ok := true
	u.root.Cursor.Inspect(nil, func(c inspector.Cursor) bool {
		if !ok {
			return false
		}
		var lhs, rhs []ast.Expr
		define := false
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			lhs, rhs, define = n.Lhs, n.Rhs, n.Tok == token.DEFINE
		case *ast.ValueSpec:
			for _, id := range n.Names {
				lhs = append(lhs, id)
			}
			rhs, define = n.Values, true
		case *ast.UnaryExpr:
			if n.Op == token.AND && u.rootVar(n.X) == v {
				ok = false // &found: written elsewhere
			}
			return true
		default:
			return true
		}
		for i, l := range lhs {
			id, isID := ast.Unparen(l).(*ast.Ident)
			if !isID || u.info.ObjectOf(id) != v {
				continue
			}
			var val ast.Expr
			if len(rhs) == len(lhs) {
				val = rhs[i]
			} else if len(rhs) != 0 {
				ok = false // found, err := f()
				return false
			}
			switch b, known := u.boolConst(val); {
			case define && (val == nil || known && !b) && !decl:
				decl = true
			case known && b && u.inRecordedBranch(c, g, depth):
				sets++
			default:
				ok = false
				return false
			}
		}
		return true
	})
	return ok && decl && sets > 0
}

// boolConst returns the value of a constant boolean expression; nil (a
// declaration without value) is false.
func (u *unit) boolConst(e ast.Expr) (val, ok bool) {
	if e == nil {
		return false, true
	}
	tv, isTV := u.info.Types[e]
	if !isTV || tv.Value == nil || tv.Value.Kind() != constant.Bool {
		return false, false
	}
	return constant.BoolVal(tv.Value), true
}

// inRecordedBranch reports whether the statement at c lies in the body of
// the nearest enclosing if whose condition holds for a duplicate (the
// element is already recorded in state).
func (u *unit) inRecordedBranch(c inspector.Cursor, g guard, depth int) bool {
	for cur := c; cur.Valid() && cur.Node() != u.root.Node; cur = cur.Parent() {
		switch p := cur.Parent().Node().(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if cur.Node() != p.Body {
				return false
			}
			dup, ok := u.polarity(p, p.Cond, g, depth+1)
			return ok && dup
		}
	}
	return false
}
