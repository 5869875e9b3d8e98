// Package flow follows where a value goes inside one function: into a
// logging call, into a return statement, or anywhere else. Rules use it to
// stay quiet on values that cannot change the journal (a clock reading
// that is only logged) and to find the returns a value reaches.
package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Uses is where a value ends up.
type Uses struct {
	Logged  bool               // passed to a logging call
	Returns []inspector.Cursor // return statements returning it
	Other   []inspector.Cursor // any other use: stored, compared, passed on
}

// OnlyLogged reports whether every use is logging (or there is none).
func (u Uses) OnlyLogged() bool { return len(u.Other) == 0 && len(u.Returns) == 0 }

// loggingPkgs are packages whose functions and methods only log (or build
// log attributes): their arguments change no journal entry.
var loggingPkgs = map[string]bool{
	"log": true, "log/slog": true,
	"go.uber.org/zap": true, "go.uber.org/zap/zapcore": true,
	"github.com/rs/zerolog": true, "github.com/rs/zerolog/log": true,
	"github.com/sirupsen/logrus": true, "github.com/go-logr/logr": true,
}

// IsLogging reports whether fn only logs: log, log/slog (also the
// *slog.Logger that ctx.Log() returns), common logging libraries, and
// fmt's Print and Fprint families.
func IsLogging(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	path := fn.Pkg().Path()
	if loggingPkgs[path] {
		return true
	}
	return path == "fmt" && (strings.HasPrefix(fn.Name(), "Print") || strings.HasPrefix(fn.Name(), "Fprint"))
}

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

// Of returns the uses of the value of the expression at c, following it
// through arithmetic, method calls on it, conversions, composite literals
// and local variables it is assigned to.
func Of(info *types.Info, c inspector.Cursor) Uses {
	var u Uses
	seen := make(map[types.Object]bool)
	follow(info, c, &u, seen)
	return u
}

func follow(info *types.Info, c inspector.Cursor, u *Uses, seen map[types.Object]bool) {
	for {
		p := c.Parent()
		if !p.Valid() {
			u.Other = append(u.Other, c)
			return
		}
		kind, idx := c.ParentEdge()
		switch n := p.Node().(type) {
		case *ast.ParenExpr, *ast.BinaryExpr, *ast.CompositeLit:
			c = p
			continue
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				u.Other = append(u.Other, c) // address taken: anything may happen
				return
			}
			c = p
			continue
		case *ast.KeyValueExpr:
			if kind == edge.KeyValueExpr_Value {
				c = p
				continue
			}
		case *ast.SelectorExpr:
			// A method called on the value: t.Sub(x), d.Seconds().
			if call, ok := p.Parent().Node().(*ast.CallExpr); ok && call.Fun == n {
				c = p.Parent()
				continue
			}
		case *ast.CallExpr:
			if kind == edge.CallExpr_Args {
				fn, _ := typeutil.Callee(info, n).(*types.Func)
				if IsLogging(fn) {
					u.Logged = true
					return
				}
				if transparent(info, n) {
					c = p
					continue
				}
			}
		case *ast.ReturnStmt:
			u.Returns = append(u.Returns, p)
			return
		case *ast.ExprStmt:
			return // value discarded
		case *ast.AssignStmt:
			if kind == edge.AssignStmt_Rhs && len(n.Lhs) == len(n.Rhs) {
				if id, ok := n.Lhs[idx].(*ast.Ident); ok {
					if id.Name == "_" {
						return
					}
					if followVar(info, p, id, u, seen) {
						return
					}
				}
			}
		case *ast.ValueSpec:
			if kind == edge.ValueSpec_Values && len(n.Names) == len(n.Values) {
				if followVar(info, p, n.Names[idx], u, seen) {
					return
				}
			}
		}
		u.Other = append(u.Other, c)
		return
	}
}

// followVar follows the reads of the local variable id (defined or
// assigned at the statement at stmt) within the enclosing function. It
// returns false when id is not a local variable.
func followVar(info *types.Info, stmt inspector.Cursor, id *ast.Ident, u *Uses, seen map[types.Object]bool) bool {
	obj := info.Defs[id]
	if obj == nil {
		obj = info.Uses[id]
	}
	v, ok := obj.(*types.Var)
	if !ok || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() || v.Parent() == nil {
		return false
	}
	if seen[v] {
		return true
	}
	seen[v] = true
	scope := stmt
	for f := range stmt.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		scope = f // outermost function: closures may read the variable
	}
	for ic := range scope.Preorder((*ast.Ident)(nil)) {
		if info.Uses[ic.Node().(*ast.Ident)] != v || isAssigned(ic) {
			continue
		}
		follow(info, ic, u, seen)
	}
	return true
}

// isAssigned reports whether the identifier at c is the target of an
// assignment (a write, not a read).
func isAssigned(c inspector.Cursor) bool {
	kind, _ := c.ParentEdge()
	return kind == edge.AssignStmt_Lhs
}
