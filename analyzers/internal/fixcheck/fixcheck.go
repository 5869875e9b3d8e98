// Package fixcheck proves a suggested fix before it is offered: it applies
// the fix the way restatelint -fix does (internal/fixapply: the edits,
// then removal of the imports it made unused, then gofmt) and type-checks
// the edited file against the rest of its package and the package's
// imports. A fix that leaves the file ill-typed ("no new variables on left
// side of :=", "declared and not used", "goto jumps over variable
// declaration") is withheld; the finding is still reported.
//
// The fix builders in analyzers/internal/fixes try hard never to produce
// such a fix; this check is what makes "a fix never breaks the build" a
// guarantee rather than a hope. It costs one type check of the edited
// file per offered fix: the package's other files contribute their
// declarations only (function bodies left out), and imports come from
// the package's already loaded dependencies. A fix that adds an import of
// a package those do not include (maporder's slices and maps, where the
// export data of the dependencies does not mention them) cannot be checked
// here and is offered as built.
package fixcheck

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/internal/fixapply"
)

// Check applies fix alone to the files of pass and type-checks the result.
// It returns nil if every edited file is as well-typed as before (a
// package that already had type errors may keep them), or an error
// naming the first new type error.
func Check(pass *analysis.Pass, fix analysis.SuggestedFix) (err error) {
	defer func() {
		if r := recover(); r != nil { // go/types on odd input: never take the run down
			err = fmt.Errorf("the type checker failed: %v", r)
		}
	}()
	byFile := make(map[*ast.File][]analysis.TextEdit)
	for _, e := range fix.TextEdits {
		f := fileOf(pass, e.Pos)
		if f == nil {
			return errors.New("an edit lies outside the package's files")
		}
		byFile[f] = append(byFile[f], e)
	}
	if len(byFile) == 0 {
		return nil
	}
	for f, edits := range byFile {
		if err := checkFile(pass, f, edits); err != nil {
			return err
		}
	}
	return nil
}

func fileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// checkFile checks one edited file.
func checkFile(pass *analysis.Pass, file *ast.File, edits []analysis.TextEdit) error {
	tf := pass.Fset.File(file.FileStart)
	if tf == nil {
		return errors.New("no position information")
	}
	src, err := pass.ReadFile(tf.Name())
	if err != nil || len(src) != tf.Size() {
		return errors.New("the file changed on disk")
	}
	var fe []fixapply.Edit
	for _, e := range edits {
		end := e.End
		if !end.IsValid() {
			end = e.Pos
		}
		fe = append(fe, fixapply.Edit{File: tf.Name(), Start: tf.Offset(e.Pos), End: tf.Offset(end), New: string(e.NewText)})
	}
	slices.SortStableFunc(fe, func(a, b fixapply.Edit) int { return a.Start - b.Start })
	names := importNames(pass)
	fixed, err := fixapply.ApplyFile(src, fe, func(path string) string { return names[path] })
	if err != nil {
		return err
	}
	after, unresolved := typeErrors(pass, file, tf.Name(), fixed)
	if len(after) == 0 || unresolved {
		// unresolved: the fix adds an import (slices, maps) that the
		// package's loaded dependencies do not include, so the file cannot
		// be checked here; the fix is offered as built.
		return nil
	}
	// The package may not have compiled before the fix (an editor's
	// half-typed code): only errors the fix adds count.
	before, _ := typeErrors(pass, file, tf.Name(), src)
	for _, e := range after {
		if i := slices.IndexFunc(before, func(b typeError) bool { return b.msg == e.msg }); i >= 0 {
			before = slices.Delete(before, i, i+1)
			continue
		}
		return fmt.Errorf("%s:%d:%d: %s", shortName(tf.Name()), e.line, e.col, e.msg)
	}
	return nil
}

func shortName(name string) string {
	return name[strings.LastIndexAny(name, `/\`)+1:]
}

type typeError struct {
	line, col int
	msg       string
}

// typeErrors type-checks src in place of file and returns its errors in
// that file, in order, and whether an import could not be resolved. The
// other files of the package contribute their declarations without
// function bodies.
func typeErrors(pass *analysis.Pass, file *ast.File, name string, src []byte) (_ []typeError, unresolved bool) {
	// A file set holding the package's files, then the new one after them,
	// so that no position of an unedited file falls into the new file.
	fset := token.NewFileSet()
	var others []*ast.File
	for _, f := range pass.Files {
		if f == file {
			continue
		}
		if t := pass.Fset.File(f.FileStart); t != nil {
			fset.AddExistingFiles(t)
		}
		others = append(others, declarationsOnly(f))
	}
	edited, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return []typeError{{msg: "does not parse: " + err.Error()}}, false
	}
	etf := fset.File(edited.FileStart)
	var errs []typeError
	im := &importer{pass: pass}
	conf := types.Config{
		GoVersion: pass.Pkg.GoVersion(),
		Sizes:     pass.TypesSizes,
		Importer:  im,
		Error: func(err error) {
			te, ok := err.(types.Error)
			if !ok || fset.File(te.Pos) != etf {
				return
			}
			p := etf.Position(te.Pos)
			errs = append(errs, typeError{line: p.Line, col: p.Column, msg: te.Msg})
		},
		FakeImportC: slices.ContainsFunc(pass.Files, importsC),
	}
	conf.Check(pass.Pkg.Path(), fset, append(others, edited), nil)
	return errs, im.unresolved
}

// declarationsOnly returns a shallow copy of f whose function declarations
// have no bodies: what the edited file can refer to in f is declared
// outside bodies.
func declarationsOnly(f *ast.File) *ast.File {
	c := *f
	c.Decls = make([]ast.Decl, len(f.Decls))
	for i, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			stub := *fd
			stub.Body = nil
			d = &stub
		}
		c.Decls[i] = d
	}
	return &c
}

func importsC(f *ast.File) bool {
	for _, spec := range f.Imports {
		if spec.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

// importNames maps the import paths of the package's dependencies to
// their package names, as fixapply needs to find the imports a fix made
// unused.
func importNames(pass *analysis.Pass) map[string]string {
	m := make(map[string]string)
	for _, p := range pass.Pkg.Imports() {
		m[p.Path()] = p.Name()
	}
	return m
}

// importer resolves imports to the packages pass was type-checked
// against: an import path as the package's files spell it (a vendored
// path included), else any package of the import graph with that path
// (an import a fix adds, such as the SDK's or "slices").
type importer struct {
	pass       *analysis.Pass
	unresolved bool
}

func (im *importer) Import(path string) (*types.Package, error) {
	for _, f := range im.pass.Files {
		for _, spec := range f.Imports {
			if spec.Path.Value != `"`+path+`"` {
				continue
			}
			var pn *types.PkgName
			if spec.Name != nil {
				pn, _ = im.pass.TypesInfo.Defs[spec.Name].(*types.PkgName)
			} else {
				pn, _ = im.pass.TypesInfo.Implicits[spec].(*types.PkgName)
			}
			if pn != nil {
				return pn.Imported(), nil
			}
		}
	}
	seen := make(map[*types.Package]bool)
	queue := slices.Clone(im.pass.Pkg.Imports())
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		if p.Path() == path {
			return p, nil
		}
		queue = append(queue, p.Imports()...)
	}
	im.unresolved = true
	return nil, fmt.Errorf("package %s is not among the dependencies", path)
}

// Withheld starts the note a diagnostic's message gets when its fix is
// withheld. It is a restatelint bug; the tests fail on it.
const Withheld = "automatic fix withheld, please report this"
