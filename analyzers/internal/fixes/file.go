// Package fixes builds the SuggestedFixes of every restatelint rule: it
// names things the way the file does (its own import names, aliases, dot
// imports), adds and removes imports, finds the handler context a rewrite
// may use, picks names that cannot collide, and writes the error return
// that fits the enclosing function. Each helper declines (ok == false)
// rather than produce a fix that might not compile.
package fixes

import (
	"bytes"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// File is the file a fix edits.
type File struct {
	Pass *analysis.Pass
	AST  *ast.File
	Tok  *token.File
	src  []byte
}

// FileOf returns the file containing pos, or nil.
func FileOf(pass *analysis.Pass, pos token.Pos) *File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			tf := pass.Fset.File(pos)
			src, err := pass.ReadFile(tf.Name())
			if err != nil || len(src) != tf.Size() {
				return nil // file changed on disk or unreadable: no fix
			}
			return &File{Pass: pass, AST: f, Tok: tf, src: src}
		}
	}
	return nil
}

// Text returns the source text of n.
func (f *File) Text(n ast.Node) string {
	return string(f.src[f.Tok.Offset(n.Pos()):f.Tok.Offset(n.End())])
}

// Indent returns the leading white space of the line containing pos.
func (f *File) Indent(pos token.Pos) string {
	off := f.Tok.Offset(f.Tok.LineStart(f.Tok.Line(pos)))
	end := off
	for end < len(f.src) && (f.src[end] == ' ' || f.src[end] == '\t') {
		end++
	}
	return string(f.src[off:end])
}

// TrailingComment reports whether the line that end is on goes on with
// nothing but a // comment: the comment's start and the end of its line.
func (f *File) TrailingComment(end token.Pos) (comment, lineEnd token.Pos, ok bool) {
	i := f.Tok.Offset(end)
	for i < len(f.src) && (f.src[i] == ' ' || f.src[i] == '\t') {
		i++
	}
	if !bytes.HasPrefix(f.src[i:], []byte("//")) {
		return token.NoPos, token.NoPos, false
	}
	j := i
	for j < len(f.src) && f.src[j] != '\n' && f.src[j] != '\r' {
		j++
	}
	return f.Tok.Pos(i), f.Tok.Pos(j), true
}

// Reindent prefixes every line of text but the first with indent.
func Reindent(text, indent string) string {
	return strings.ReplaceAll(text, "\n", "\n"+indent)
}

// importSpec returns the file's import of path, if any.
func (f *File) importSpec(path string) *ast.ImportSpec {
	for _, spec := range f.AST.Imports {
		if p, _ := strconv.Unquote(spec.Path.Value); p == path {
			return spec
		}
	}
	return nil
}

// ImportName returns the name under which the file refers to the package
// path: its explicit name, or the package's own name; "" for a dot import
// (members are unqualified). ok is false when the file does not import it
// or imports it blank.
func (f *File) ImportName(path string) (name string, ok bool) {
	spec := f.importSpec(path)
	if spec == nil {
		return "", false
	}
	if spec.Name != nil {
		switch spec.Name.Name {
		case "_":
			return "", false
		case ".":
			return "", true
		}
		return spec.Name.Name, true
	}
	if pn, ok := f.Pass.TypesInfo.Implicits[spec].(*types.PkgName); ok {
		return pn.Imported().Name(), true
	}
	return "", false
}

// Qualifier returns a types.Qualifier that spells packages as the file
// does; it records in *missing any package the file does not import.
func (f *File) Qualifier(missing *bool) types.Qualifier {
	return func(p *types.Package) string {
		if p == f.Pass.Pkg {
			return ""
		}
		name, ok := f.ImportName(p.Path())
		if !ok {
			*missing = true
		}
		return name
	}
}

// TypeString spells t as the file would; ok is false if it names a
// package the file does not import.
func (f *File) TypeString(t types.Type) (string, bool) {
	missing := false
	s := types.TypeString(t, f.Qualifier(&missing))
	return s, !missing
}

// Qualify returns "name." for an imported package, "" for a dot import.
func Qualify(name string) string {
	if name == "" {
		return ""
	}
	return name + "."
}

// EnsureImport returns how to refer to the package path (default name
// defName) at pos, adding an import if the file lacks one.
func (f *File) EnsureImport(path, defName string, pos token.Pos) (name string, edits []analysis.TextEdit, ok bool) {
	if name, ok := f.ImportName(path); ok {
		if name != "" && !f.refersTo(name, path, pos) {
			return "", nil, false // a local declaration shadows the import at pos
		}
		return name, nil, true
	}
	name = defName
	for i := 1; f.Taken(name, pos); i++ {
		name = defName + "sdk"
		if i > 1 {
			name += strconv.Itoa(i)
		}
	}
	spec := strconv.Quote(path)
	if name != defName {
		spec = name + " " + spec
	}
	var decl *ast.GenDecl
	for _, d := range f.AST.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			decl = g
		}
	}
	switch {
	case decl != nil && decl.Lparen.IsValid():
		// A group of its own at the end: gofmt sorts within groups only.
		return name, []analysis.TextEdit{{Pos: decl.Rparen, End: decl.Rparen, NewText: []byte("\n\t" + spec + "\n")}}, true
	case decl != nil && len(decl.Specs) == 1:
		// import "time" becomes a group: import ("time"; <blank line>; spec).
		text := "import (\n\t" + f.Text(decl.Specs[0]) + "\n\n\t" + spec + "\n)"
		return name, []analysis.TextEdit{{Pos: decl.Pos(), End: decl.End(), NewText: []byte(text)}}, true
	case decl != nil:
		return name, []analysis.TextEdit{{Pos: decl.End(), End: decl.End(), NewText: []byte("\nimport " + spec)}}, true
	default:
		end := f.AST.Name.End()
		return name, []analysis.TextEdit{{Pos: end, End: end, NewText: []byte("\n\nimport " + spec)}}, true
	}
}

// refersTo reports whether name, at pos, is the file's import of path.
func (f *File) refersTo(name, path string, pos token.Pos) bool {
	scope := f.Pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		return false
	}
	_, obj := scope.LookupParent(name, pos)
	pn, ok := obj.(*types.PkgName)
	return ok && pn.Imported().Path() == path
}

// Taken reports whether name resolves to anything at pos, or is declared
// at package level (which a new import name would clash with).
func (f *File) Taken(name string, pos token.Pos) bool {
	if f.Pass.Pkg.Scope().Lookup(name) != nil {
		return true
	}
	scope := f.Pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		scope = f.Pass.TypesInfo.Scopes[f.AST]
	}
	if scope == nil {
		return true
	}
	_, obj := scope.LookupParent(name, pos)
	return obj != nil
}

// RemoveImportIfLastUse returns an edit deleting the import of path when
// every reference to it in the file lies inside one of the replaced
// ranges, so that the fix alone leaves the file compiling.
func (f *File) RemoveImportIfLastUse(path string, replaced ...ast.Node) []analysis.TextEdit {
	spec := f.importSpec(path)
	if spec == nil || (spec.Name != nil && (spec.Name.Name == "_" || spec.Name.Name == ".")) {
		return nil
	}
	inReplaced := func(p token.Pos) bool {
		for _, n := range replaced {
			if n.Pos() <= p && p < n.End() {
				return true
			}
		}
		return false
	}
	for id, obj := range f.Pass.TypesInfo.Uses {
		pn, ok := obj.(*types.PkgName)
		if !ok || pn.Imported().Path() != path || id.Pos() < f.AST.FileStart || id.Pos() > f.AST.FileEnd {
			continue
		}
		if !inReplaced(id.Pos()) {
			return nil
		}
	}
	// Delete the spec's whole line, or the whole declaration if it is the
	// only spec.
	for _, d := range f.AST.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		for _, s := range g.Specs {
			if s != spec {
				continue
			}
			if len(g.Specs) == 1 {
				return []analysis.TextEdit{f.deleteLines(g.Pos(), g.End())}
			}
			return []analysis.TextEdit{f.deleteLines(spec.Pos(), spec.End())}
		}
	}
	return nil
}

// deleteLines deletes [pos, end) with the rest of its last line, and the
// leading white space of its first line.
func (f *File) deleteLines(pos, end token.Pos) analysis.TextEdit {
	start := f.Tok.LineStart(f.Tok.Line(pos))
	off := f.Tok.Offset(end)
	if i := bytes.IndexByte(f.src[off:], '\n'); i >= 0 {
		off += i + 1
	} else {
		off = len(f.src)
	}
	return analysis.TextEdit{Pos: start, End: f.Tok.Pos(off)}
}
