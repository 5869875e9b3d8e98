package maporder

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/restatelint/restatelint/analyzers/internal/fixes"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// minVersion is the first Go version with slices.Sorted and maps.Keys.
const minVersion = "go1.23"

// fixer builds maporder's fixes for one package.
type fixer struct {
	pass  *analysis.Pass
	names map[*zones.Func]*fixes.Names // per outermost function
}

func newFixer(pass *analysis.Pass) *fixer {
	return &fixer{pass: pass, names: make(map[*zones.Func]*fixes.Names)}
}

func (fx *fixer) namesFor(f *zones.Func) *fixes.Names {
	for f.Parent != nil {
		f = f.Parent
	}
	if fx.names[f] == nil {
		fx.names[f] = fixes.NewNames(f.Node)
	}
	return fx.names[f]
}

// fix rewrites the loop to range over the map's sorted keys:
//
//	for k, v := range m {        for _, k := range slices.Sorted(maps.Keys(m)) {
//	                         →           v := m[k]
func (fx *fixer) fix(f *zones.Func, rs *ast.RangeStmt, r ranged) (analysis.SuggestedFix, bool) {
	no := analysis.SuggestedFix{}
	if _, ok := rs.Key.(*ast.Ident); !ok || rs.Tok != token.DEFINE || !ordered(r.keyType) {
		return no, false
	}
	file := fixes.FileOf(fx.pass, rs.Pos())
	if file == nil || !fx.versionOK(file.AST) {
		return no, false
	}
	mText := file.Text(r.m)
	if r.value != nil && (!reevaluable(fx.pass.TypesInfo, r.m) || mentions(r.m, r.key, r.value) || !multiline(file, rs.Body)) {
		return no, false
	}
	if deletesOthers(fx.pass.TypesInfo, rs.Body, mText, r.key, file) {
		return no, false
	}
	if r.value != nil {
		// "v := m[k]" opens the body: a v the body declares itself
		// (for k, v := range m { v := f(v) }) would be declared twice.
		if body := fx.pass.TypesInfo.Scopes[rs.Body]; body == nil || body.Lookup(r.value.Name) != nil {
			return no, false
		}
	}
	slicesName, edits, ok := file.EnsureImport("slices", "slices", rs.Pos())
	if !ok {
		return no, false
	}
	mapsName, more, ok := file.EnsureImport("maps", "maps", rs.Pos())
	if !ok {
		return no, false
	}
	if len(edits) == 1 && len(more) == 1 && edits[0].Pos == more[0].Pos && edits[0].End == more[0].End && edits[0].End > edits[0].Pos {
		// Both imports turn the file's single ungrouped import into a
		// group: one group with both, or the two edits overlap.
		edits, more = mergeImportGroups(edits[0], more[0]), nil
	}
	edits = joinInserts(append(edits, more...))

	key := ""
	if r.key != nil {
		key = r.key.Name
	} else {
		key = fx.namesFor(f).Fresh(file, "k", rs.Body.Lbrace+1)
	}
	header := fmt.Sprintf("_, %s := range %sSorted(%sKeys(%s))", key, fixes.Qualify(slicesName), fixes.Qualify(mapsName), mText)
	edits = append(edits, analysis.TextEdit{Pos: rs.Key.Pos(), End: rs.X.End(), NewText: []byte(header)})
	if r.value != nil {
		// On a line of its own after the for line (and its comment).
		at := file.Tok.LineStart(file.Tok.Line(rs.Body.Lbrace) + 1)
		line := fmt.Sprintf("%s\t%s := %s[%s]\n", file.Indent(rs.For), r.value.Name, mText, key)
		edits = append(edits, analysis.TextEdit{Pos: at, End: at, NewText: []byte(line)})
	}
	return analysis.SuggestedFix{Message: "Range over the sorted keys", TextEdits: edits}, true
}

// versionOK reports whether file may use slices.Sorted and maps.Keys.
func (fx *fixer) versionOK(file *ast.File) bool {
	v := fx.pass.TypesInfo.FileVersions[file]
	if v == "" && fx.pass.Module != nil {
		v = fx.pass.Module.GoVersion
		if v != "" && !strings.HasPrefix(v, "go") {
			v = "go" + v
		}
	}
	return v == "" || version.Compare(v, minVersion) >= 0
}

// reevaluable reports whether e may be evaluated once per iteration with
// the same result and no effect: a variable, a field path, or
// ctx.Request() on a handler context.
func reevaluable(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		_, ok := info.Uses[e].(*types.Var)
		return ok
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[e]; ok {
			return sel.Kind() == types.FieldVal && reevaluable(info, e.X)
		}
		_, ok := info.Uses[e.Sel].(*types.Var) // pkg.Var
		return ok
	case *ast.StarExpr:
		return reevaluable(info, e.X)
	case *ast.CallExpr:
		fn := typeutil.Callee(info, e)
		sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr)
		return ok && fn != nil && fn.Name() == "Request" && len(e.Args) == 0 &&
			sdk.IsHandlerContext(info.TypeOf(sel.X)) && reevaluable(info, sel.X)
	}
	return false
}

// mentions reports whether e spells the name of one of the loop's
// variables, which would shadow it inside the body.
func mentions(e ast.Expr, vars ...*ast.Ident) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			for _, v := range vars {
				if v != nil && v.Name == id.Name {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// multiline reports whether the body's first statement (or its closing
// brace) starts on a line of its own, so a statement can be inserted
// before it gofmt-clean.
func multiline(file *fixes.File, body *ast.BlockStmt) bool {
	next := body.Rbrace
	if len(body.List) > 0 {
		next = body.List[0].Pos()
	}
	return file.Tok.Line(next) > file.Tok.Line(body.Lbrace)
}

// deletesOthers reports whether body deletes entries of the map other
// than the current key, or clears it: a range over the map would not
// visit them, a range over a snapshot of its keys would.
func deletesOthers(info *types.Info, body *ast.BlockStmt, mText string, key *ast.Ident, file *fixes.File) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		b, ok := typeutil.Callee(info, call).(*types.Builtin)
		if !ok || len(call.Args) == 0 || file.Text(call.Args[0]) != mText {
			return true
		}
		switch b.Name() {
		case "clear":
			found = true
		case "delete":
			id, ok := ast.Unparen(call.Args[len(call.Args)-1]).(*ast.Ident)
			found = !ok || key == nil || info.Uses[id] != info.Defs[key]
		}
		return !found
	})
	return found
}

// joinInserts merges insertions at the same position (two imports added
// to one import declaration) into one edit, so the imports land in one
// group.
// mergeImportGroups merges two fixes.EnsureImport edits that replace the
// same single import with a group, "import (\n\tOLD\n\n\tNEW\n)", the
// first adding slices and the second maps: the result adds both, sorted.
func mergeImportGroups(slicesEdit, mapsEdit analysis.TextEdit) []analysis.TextEdit {
	s := string(slicesEdit.NewText)
	i := strings.LastIndex(s, "\n\t")
	slicesLine := strings.TrimSuffix(s[i:], "\n)")
	merged := strings.TrimSuffix(string(mapsEdit.NewText), "\n)") + slicesLine + "\n)"
	return []analysis.TextEdit{{Pos: mapsEdit.Pos, End: mapsEdit.End, NewText: []byte(merged)}}
}

func joinInserts(edits []analysis.TextEdit) []analysis.TextEdit {
	var out []analysis.TextEdit
	for _, e := range edits {
		if n := len(out); n > 0 && out[n-1].Pos == e.Pos && out[n-1].End == e.Pos && e.End == e.Pos {
			prev := string(out[n-1].NewText)
			next := string(e.NewText)
			if strings.HasSuffix(prev, "\n") {
				next = strings.TrimPrefix(next, "\n")
			}
			out[n-1].NewText = []byte(prev + next)
			continue
		}
		out = append(out, e)
	}
	return out
}
