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

// ErrName picks the error variable for "v, err := restate.Run(...)" and
// the "if err != nil" after it, inserted before stmt (directly in a block
// or case clause): "err" when that changes the meaning of no other
// statement, else a fresh name (runErr, runErr2, ...). See errUsable.
func ErrName(file *File, names *Names, stmt inspector.Cursor, runErr types.Type) string {
	if errUsable(file, stmt, runErr) {
		return "err"
	}
	return names.Fresh(file, "runErr", stmt.Node().Pos())
}

// errUsable reports whether "v, err :=" before stmt leaves every other
// statement compiling and meaning what it meant. The := either assigns an
// err declared earlier in the same block, or declares a new err there.
//
// Assigning an earlier err (of a type runErr is assignable to) is safe
// when its old value is dead: the first reference after stmt overwrites
// it in a statement of the block itself, no bare return reads it (a named
// result) before that, and no function literal or pointer refers to it.
//
// Declaring a new err is safe when nothing later in the block refers to
// an outer err it would now capture (nor a bare return to a named result
// it would shadow), and every later declaration of err in the block is a
// := with another new variable on its left, whose value our err (of type
// runErr) can hold: it becomes an assignment.
func errUsable(file *File, stmt inspector.Cursor, runErr types.Type) bool {
	info := file.Pass.TypesInfo
	pos := stmt.Node().Pos()
	block := stmt.Parent()
	scope := blockScope(info, block)
	if scope == nil {
		return false
	}
	_, existing := scope.LookupParent("err", pos)
	reuse := existing != nil && existing.Parent() == scope
	if reuse {
		v, isVar := existing.(*types.Var)
		if !isVar || !types.AssignableTo(runErr, v.Type()) || escapes(file, stmt, v) {
			return false
		}
	}
	namedResult := existing != nil && isResult(existing)
	for c := range block.Preorder((*ast.Ident)(nil), (*ast.ReturnStmt)(nil)) {
		n := c.Node()
		if n.Pos() < pos {
			continue
		}
		switch n := n.(type) {
		case *ast.ReturnStmt:
			if len(n.Results) == 0 && namedResult && !inFuncLit(c, block) {
				return false // reads the named result, or it is shadowed
			}
		case *ast.Ident:
			if n.Name != "err" {
				continue
			}
			if obj := info.Defs[n]; obj != nil {
				if obj.Parent() == scope && !becomesAssignment(info, c, obj, runErr) {
					return false
				}
				continue
			}
			if existing == nil || info.Uses[n] != existing {
				continue
			}
			if !reuse {
				return false // would now refer to our err
			}
			// The first reference after stmt: an overwrite ends the search.
			return overwrites(info, c, block, existing)
		}
	}
	return true
}

// becomesAssignment reports whether the declaration of err at id, later in
// the block, stays valid once err is declared before it: a := with
// another new variable on its left, whose value for err an err of type
// runErr can hold.
func becomesAssignment(info *types.Info, id inspector.Cursor, obj types.Object, runErr types.Type) bool {
	if k, _ := id.ParentEdge(); k != edge.AssignStmt_Lhs {
		return false
	}
	a := id.Parent().Node().(*ast.AssignStmt)
	if a.Tok != token.DEFINE || !types.AssignableTo(obj.Type(), runErr) {
		return false
	}
	for _, l := range a.Lhs {
		if l, ok := l.(*ast.Ident); ok && l.Name != "err" && l.Name != "_" && info.Defs[l] != nil {
			return true
		}
	}
	return false
}

// overwrites reports whether the reference to v at id assigns it in a
// statement directly in block without reading it first.
func overwrites(info *types.Info, id inspector.Cursor, block inspector.Cursor, v types.Object) bool {
	if k, _ := id.ParentEdge(); k != edge.AssignStmt_Lhs {
		return false
	}
	as := id.Parent()
	if as.Parent() != block {
		return false
	}
	a := as.Node().(*ast.AssignStmt)
	if a.Tok != token.ASSIGN && a.Tok != token.DEFINE {
		return false // err += ... reads it
	}
	for _, r := range a.Rhs {
		reads := false
		ast.Inspect(r, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
				reads = true
			}
			return !reads
		})
		if reads {
			return false
		}
	}
	return true
}

// escapes reports whether v is referred to from a function literal or has
// its address taken anywhere in the function containing stmt: then its
// value may be read at any time.
func escapes(file *File, stmt inspector.Cursor, v types.Object) bool {
	root := stmt
	for p := stmt.Parent(); p.Node() != nil; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			root = p
		}
	}
	for c := range root.Preorder((*ast.Ident)(nil)) {
		if file.Pass.TypesInfo.Uses[c.Node().(*ast.Ident)] != v {
			continue
		}
		if k, _ := c.ParentEdge(); k == edge.UnaryExpr_X && c.Parent().Node().(*ast.UnaryExpr).Op == token.AND {
			return true
		}
		for p := c.Parent(); p.Node() != nil && p != root; p = p.Parent() {
			if _, ok := p.Node().(*ast.FuncLit); ok && v.Pos() < p.Node().Pos() {
				return true
			}
		}
	}
	return false
}

// inFuncLit reports whether c lies in a function literal inside block.
func inFuncLit(c, block inspector.Cursor) bool {
	for p := c.Parent(); p.Node() != nil && p != block; p = p.Parent() {
		if _, ok := p.Node().(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}

// isResult reports whether obj is a named result of its function.
func isResult(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	return ok && v.Kind() == types.ResultVar
}

// blockScope returns the scope of a block or case clause: a function's
// body shares its signature's scope.
func blockScope(info *types.Info, block inspector.Cursor) *types.Scope {
	if s := info.Scopes[block.Node()]; s != nil {
		return s
	}
	switch f := block.Parent().Node().(type) {
	case *ast.FuncDecl:
		return info.Scopes[f.Type]
	case *ast.FuncLit:
		return info.Scopes[f.Type]
	}
	return nil
}

// enclosingFunc returns the innermost function declaration or literal
// around c.
func enclosingFunc(c inspector.Cursor) inspector.Cursor {
	for p := c; p.Node() != nil; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return p
		}
	}
	return c
}

// JumpedOver reports whether a goto before stmt jumps to a label at or
// after it in the same block: a declaration inserted before stmt would
// then be jumped over, which does not compile.
func JumpedOver(stmt inspector.Cursor) bool {
	block := stmt.Parent()
	labels := make(map[string]bool)
	for c := range block.Children() {
		if l, ok := c.Node().(*ast.LabeledStmt); ok && l.Pos() >= stmt.Node().Pos() {
			labels[l.Label.Name] = true
		}
	}
	if len(labels) == 0 {
		return false
	}
	root := enclosingFunc(block)
	for c := range root.Preorder((*ast.BranchStmt)(nil)) {
		b := c.Node().(*ast.BranchStmt)
		if b.Tok == token.GOTO && b.Label != nil && labels[b.Label.Name] && b.Pos() < stmt.Node().Pos() {
			return true
		}
	}
	return false
}
