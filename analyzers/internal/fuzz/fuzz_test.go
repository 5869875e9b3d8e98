package fuzz_test

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/txtar"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/internal/fixcheck"
	"github.com/restatelint/restatelint/internal/fixapply"
)

var checkFixes = flag.Bool("fixcheck", false, "also require that fixes keep a well-typed input well-typed")

// universe is what every input is type-checked against: the export data
// of the packages listed in testdata/imports.txtar and their
// dependencies, loaded once per process.
type universe struct {
	fset  *token.FileSet
	pkgs  map[string]*packages.Package // by import path
	sizes types.Sizes
	dir   string // where inputs are written (pass.ReadFile reads them)
}

func load(f *testing.F) *universe {
	dir := analyzertest.Module(f, "testdata/imports.txtar")
	u := &universe{fset: token.NewFileSet(), pkgs: make(map[string]*packages.Package), dir: f.TempDir()}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedTypes | packages.NeedTypesSizes |
			packages.NeedImports | packages.NeedDeps | packages.NeedModule,
		Dir:  dir,
		Env:  append(os.Environ(), "GOPROXY=off"),
		Fset: u.fset,
	}
	roots, err := packages.Load(cfg, "./imports")
	if err != nil {
		f.Fatal(err)
	}
	if packages.PrintErrors(roots) > 0 {
		f.Fatal("the import universe does not load")
	}
	packages.Visit(roots, nil, func(p *packages.Package) {
		u.pkgs[p.PkgPath] = p
		if u.sizes == nil {
			u.sizes = p.TypesSizes
		}
	})
	return u
}

func (u *universe) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if p := u.pkgs[path]; p != nil && p.Types != nil && path != "example.com/fixture/imports" {
		return p.Types, nil
	}
	return nil, fmt.Errorf("package %q is not in the fuzz universe", path)
}

// checked is one input, parsed and type-checked, as go/packages would
// give it to a driver.
type checked struct {
	pkg  *packages.Package
	file *ast.File
	tf   *token.File
	errs int // parse and type errors
}

// check parses and type-checks src as the only file of package
// example.com/fixture/a of a main module. ok is false if the parser
// returned nothing or go/types itself panicked on the input.
func (u *universe) check(t *testing.T, src []byte) (c *checked, ok bool) {
	name := filepath.Join(u.dir, "a.go")
	if err := os.WriteFile(name, src, 0o644); err != nil {
		t.Fatal(err)
	}
	c = &checked{}
	base := u.fset.Base()
	file, err := parser.ParseFile(u.fset, name, src, parser.AllErrors|parser.ParseComments)
	// The parser adds the file to the set even when it gives up early and
	// returns an empty *ast.File (FileStart unset): find it by its base.
	c.tf = u.fset.File(token.Pos(base))
	if file == nil || c.tf == nil {
		if c.tf != nil {
			u.fset.RemoveFile(c.tf)
		}
		return nil, false
	}
	c.file = file
	pkg := &packages.Package{
		ID:              "example.com/fixture/a",
		Name:            file.Name.Name,
		PkgPath:         "example.com/fixture/a",
		GoFiles:         []string{name},
		CompiledGoFiles: []string{name},
		Fset:            u.fset,
		Syntax:          []*ast.File{file},
		TypesSizes:      u.sizes,
		Imports:         make(map[string]*packages.Package),
		Module:          &packages.Module{Path: "example.com/fixture", Main: true, GoVersion: "1.26.0"},
		TypesInfo: &types.Info{
			Types:        make(map[ast.Expr]types.TypeAndValue),
			Defs:         make(map[*ast.Ident]types.Object),
			Uses:         make(map[*ast.Ident]types.Object),
			Implicits:    make(map[ast.Node]types.Object),
			Instances:    make(map[*ast.Ident]types.Instance),
			Scopes:       make(map[ast.Node]*types.Scope),
			Selections:   make(map[*ast.SelectorExpr]*types.Selection),
			FileVersions: make(map[*ast.File]string),
		},
	}
	if err != nil {
		pkg.Errors = append(pkg.Errors, packages.Error{Msg: err.Error(), Kind: packages.ParseError})
	}
	for _, spec := range file.Imports {
		if path, err := strconv.Unquote(spec.Path.Value); err == nil {
			if p := u.pkgs[path]; p != nil && p.Types != nil {
				pkg.Imports[path] = p
			}
		}
	}
	conf := &types.Config{
		Importer:  u,
		Sizes:     u.sizes,
		GoVersion: "go1.26",
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				pkg.TypeErrors = append(pkg.TypeErrors, te)
			}
			pkg.Errors = append(pkg.Errors, packages.Error{Msg: err.Error(), Kind: packages.TypeError})
		},
	}
	func() {
		defer func() {
			if r := recover(); r != nil { // go/types' bug, not ours
				t.Logf("go/types panicked: %v", r)
				ok = false
			}
		}()
		pkg.Types, _ = conf.Check(pkg.PkgPath, u.fset, pkg.Syntax, pkg.TypesInfo)
		ok = true
	}()
	pkg.IllTyped = len(pkg.Errors) > 0
	c.pkg, c.errs = pkg, len(pkg.Errors)
	return c, ok
}

// analyze runs every analyzer over c and fails t on an analysis error;
// a panic fails the fuzz target by itself. It returns the diagnostics.
func analyze(t *testing.T, c *checked) []analysis.Diagnostic {
	graph, err := checker.Analyze(all.Analyzers(), []*packages.Package{c.pkg}, &checker.Options{Sequential: true})
	if err != nil {
		t.Fatal(err)
	}
	var diags []analysis.Diagnostic
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
		}
		if act.IsRoot && act.Package == c.pkg {
			diags = append(diags, act.Diagnostics...)
		}
	}
	return diags
}

// FuzzAnalyzers: no input makes zones or an analyzer panic or fail.
func FuzzAnalyzers(f *testing.F) {
	for _, src := range fixtureSeeds(f) {
		f.Add(src)
	}
	u := load(f)
	f.Fuzz(func(t *testing.T, src string) {
		c, ok := u.check(t, []byte(src))
		if c != nil {
			defer u.fset.RemoveFile(c.tf)
		}
		if !ok {
			return
		}
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		diags := analyze(t, c)
		t.Logf("%d parse/type errors, %d diagnostics %v", c.errs, len(diags), c.pkg.Errors)
		if *checkFixes && c.errs == 0 {
			checkFixed(t, u, c, []byte(src), diags)
		}
	})
}

// checkFixed requires that no fix was withheld (fixcheck found that it
// would not compile), applies every fix as restatelint -fix does and
// requires that the result still type-checks and offers no further fix.
func checkFixed(t *testing.T, u *universe, c *checked, src []byte, diags []analysis.Diagnostic) {
	for _, d := range diags {
		if strings.Contains(d.Message, fixcheck.Withheld) {
			t.Errorf("a fix was withheld at %s: %s\n--- input\n%s", u.fset.Position(d.Pos), d.Message, src)
		}
	}
	fixes, err := fixapply.FromDiagnostics(u.fset, diags)
	if err != nil {
		t.Fatal(err)
	}
	if len(fixes) == 0 {
		return
	}
	byFile, _ := fixapply.Merge(fixes)
	edits := byFile[c.tf.Name()]
	if len(byFile) != 1 || len(edits) == 0 {
		t.Fatalf("fixes edit files other than the input: %v", byFile)
	}
	fixed, err := fixapply.ApplyFile(src, edits, func(path string) string {
		if p := u.pkgs[path]; p != nil {
			return p.Name
		}
		return ""
	})
	if err != nil {
		t.Fatalf("applying fixes: %v\n--- input\n%s", err, src)
	}
	fc, ok := u.check(t, fixed)
	if fc != nil {
		defer u.fset.RemoveFile(fc.tf)
	}
	if !ok {
		return
	}
	if fc.errs > 0 {
		t.Fatalf("fixed file does not type-check: %v\n--- input\n%s\n--- fixed\n%s", fc.pkg.Errors[0], src, fixed)
	}
	for _, d := range analyze(t, fc) {
		if len(d.SuggestedFixes) > 0 {
			t.Errorf("a second run still offers a fix at %s: %s\n--- fixed\n%s", u.fset.Position(d.Pos), d.Message, fixed)
		}
	}
}

// fixtureSeeds returns every Go file of the analyzers' fixture cases and
// of the demo: realistic handlers, each exercising what its rule looks at.
// Files of v0.24 cases are type-checked against SDK v1.2.0 like the rest:
// their type errors are inputs too.
func fixtureSeeds(f *testing.F) []string {
	root := filepath.Join("..", "..", "..")
	var seeds []string
	cases, _ := filepath.Glob(filepath.Join(root, "analyzers", "*", "testdata", "*.txtar"))
	more, _ := filepath.Glob(filepath.Join(root, "analyzers", "internal", "*", "testdata", "*.txtar"))
	for _, name := range append(cases, more...) {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			if strings.HasSuffix(file.Name, ".go") {
				seeds = append(seeds, string(file.Data))
			}
		}
	}
	err := filepath.WalkDir(filepath.Join(root, "testdata", "demo"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			seeds = append(seeds, string(data))
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	if len(seeds) < 20 {
		f.Fatalf("only %d fixture seeds found", len(seeds))
	}
	return seeds
}
