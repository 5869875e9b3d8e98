package fixes

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// CtxAt returns the name of the handler context a fix may use at pos in
// f: a named handler-context parameter of f's handler zone that is not
// shadowed at pos.
func CtxAt(pass *File, f *zones.Func, pos token.Pos) (string, bool) {
	ctx := f.HandlerCtx()
	if ctx == nil {
		return "", false
	}
	scope := pass.Pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		return "", false
	}
	if _, obj := scope.LookupParent(ctx.Name(), pos); obj != ctx {
		return "", false
	}
	return ctx.Name(), true
}

// Statement is the statement before which a fix may insert new statements
// so that they run exactly where the expression at c ran: the statement
// containing c directly in a block or case body, reached without crossing
// a loop header, a short-circuit operand or a function literal.
func Statement(c inspector.Cursor) (stmt inspector.Cursor, ok bool) {
	for cur := c; ; {
		parent := cur.Parent()
		if !parent.Valid() {
			return inspector.Cursor{}, false
		}
		kind, _ := cur.ParentEdge()
		switch kind {
		case edge.BlockStmt_List, edge.CaseClause_Body, edge.CommClause_Body:
			if _, isLabeled := cur.Node().(*ast.LabeledStmt); isLabeled {
				return inspector.Cursor{}, false
			}
			return cur, true
		case edge.ForStmt_Cond, edge.ForStmt_Post, edge.ForStmt_Init, edge.ForStmt_Body,
			edge.RangeStmt_Body, edge.FuncLit_Body, edge.CommClause_Comm, edge.SelectStmt_Body,
			edge.SwitchStmt_Body, edge.TypeSwitchStmt_Body, edge.IfStmt_Body, edge.IfStmt_Else,
			edge.CaseClause_List:
			return inspector.Cursor{}, false
		case edge.BinaryExpr_Y:
			if op := parent.Node().(*ast.BinaryExpr).Op; op == token.LAND || op == token.LOR {
				return inspector.Cursor{}, false
			}
		}
		cur = parent
	}
}

// Signature returns the signature of f.
func Signature(info *types.Info, f *zones.Func) *types.Signature {
	if f.Obj != nil {
		return f.Obj.Signature()
	}
	sig, _ := info.TypeOf(f.Node.(*ast.FuncLit)).(*types.Signature)
	return sig
}

var errorType = types.Universe.Lookup("error").Type()

// ReturnsError reports whether f's last result is error.
func ReturnsError(info *types.Info, f *zones.Func) bool {
	sig := Signature(info, f)
	if sig == nil || sig.Results().Len() == 0 {
		return false
	}
	return types.Identical(sig.Results().At(sig.Results().Len()-1).Type(), errorType)
}

// ReturnErr returns "return <zero values>, <errName>" for f's results,
// or ok == false when f does not return an error or a zero value cannot be
// spelled in file.
func ReturnErr(file *File, f *zones.Func, errName string) (string, bool) {
	sig := Signature(file.Pass.TypesInfo, f)
	if sig == nil || !ReturnsError(file.Pass.TypesInfo, f) {
		return "", false
	}
	var vals []string
	for i := 0; i < sig.Results().Len()-1; i++ {
		z, ok := ZeroValue(file, sig.Results().At(i).Type())
		if !ok {
			return "", false
		}
		vals = append(vals, z)
	}
	vals = append(vals, errName)
	return "return " + strings.Join(vals, ", "), true
}

// IfErr returns "if <errName> != nil {\n\t<ret>\n}".
func IfErr(errName, ret string) string {
	return fmt.Sprintf("if %s != nil {\n\t%s\n}", errName, ret)
}

// ZeroValue spells the zero value of t in file.
func ZeroValue(file *File, t types.Type) (string, bool) {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false", true
		case u.Info()&types.IsString != 0:
			return `""`, true
		case u.Info()&types.IsNumeric != 0:
			if _, named := types.Unalias(t).(*types.Named); named {
				s, ok := file.TypeString(t)
				return s + "(0)", ok
			}
			return "0", true
		case u.Kind() == types.UnsafePointer:
			return "nil", true
		}
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature:
		return "nil", true
	case *types.Interface:
		if _, isParam := types.Unalias(t).(*types.TypeParam); isParam {
			s, ok := file.TypeString(t)
			return "*new(" + s + ")", ok
		}
		return "nil", true
	case *types.Struct, *types.Array:
		s, ok := file.TypeString(t)
		return s + "{}", ok
	}
	return "", false
}

// Names allocates fresh identifiers for the fixes of one function, so
// that fixes applied together never declare the same name twice.
type Names struct {
	used map[string]bool
}

// NewNames records every identifier spelled in root (the outermost
// function) as taken.
func NewNames(root ast.Node) *Names {
	n := &Names{used: make(map[string]bool)}
	ast.Inspect(root, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok {
			n.used[id.Name] = true
		}
		return true
	})
	return n
}

// Fresh returns base, base2, base3, ... whichever is first unused in the
// function and not visible at pos, and marks it used.
func (n *Names) Fresh(file *File, base string, pos token.Pos) string {
	name := base
	for i := 2; n.used[name] || file.Taken(name, pos); i++ {
		name = base + strconv.Itoa(i)
	}
	n.used[name] = true
	return name
}

// ErrName picks the error variable for "v, err := restate.Run(...)"
// inserted before stmt in block scope. restate.Run's error result is
// restate.TerminalError on SDK v1, so a new err declared by := has that
// type, and a later "x, err := f()" in the same block that returns a plain
// error would stop compiling. "err" is used only when no later statement
// of the block redeclares or assigns an err that would now be ours; else a
// fresh name.
func ErrName(file *File, names *Names, stmt inspector.Cursor, runErr types.Type) string {
	info := file.Pass.TypesInfo
	pos := stmt.Node().Pos()
	scope := file.Pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		return names.Fresh(file, "runErr", pos)
	}
	_, existing := scope.LookupParent("err", pos)
	if existing != nil && existing.Parent() == scope {
		// err := ... earlier in this block: "v, err :=" assigns to it.
		if types.AssignableTo(runErr, existing.Type()) {
			return "err"
		}
		return names.Fresh(file, "runErr", pos)
	}
	block := stmt.Parent()
	for c := range block.Preorder((*ast.Ident)(nil)) {
		id := c.Node().(*ast.Ident)
		if id.Name != "err" || id.Pos() < stmt.Node().End() {
			continue
		}
		if obj := info.Defs[id]; obj != nil && obj.Parent() == scope {
			if !types.Identical(obj.Type(), runErr) {
				return names.Fresh(file, "runErr", pos) // a later err := would reuse ours
			}
			continue
		}
		if obj := info.Uses[id]; obj != nil && obj == existing && isAssigned(c) {
			return names.Fresh(file, "runErr", pos) // a later err = would assign to ours
		}
	}
	return "err"
}

func isAssigned(c inspector.Cursor) bool {
	kind, _ := c.ParentEdge()
	return kind == edge.AssignStmt_Lhs
}
