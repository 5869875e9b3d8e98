package lsp

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"maps"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/analyzers/deadlock"
	"github.com/restatelint/restatelint/analyzers/wholeprogram"
	"github.com/restatelint/restatelint/internal/configfile"
	"github.com/restatelint/restatelint/internal/driver"
	"github.com/restatelint/restatelint/internal/lsp/protocol"
	"github.com/restatelint/restatelint/internal/runner"
)

// A view is one build: a module, or the modules of a go.work, loaded once
// with go/packages as the standalone driver loads them (the view's
// packages and the -reach.scope packages from source, everything else from
// export data) and analyzed once. After that an edit costs one package:
//
//   - the edited file is re-parsed; if its package clause, build
//     constraints or cgo use changed, or it is a file the view does not
//     know, the view is reloaded instead;
//   - every package containing the file (the package, its test variant) is
//     marked dirty, and so are the packages that import them, transitively;
//   - a dirty package is cleaned on demand: its dirty dependencies first,
//     then it is type-checked with go/types against its dependencies'
//     current *types.Package (no go list, no export data) and analyzed with
//     its dependencies' cached facts (analyzeNode).
//
// Only packages with open files are cleaned after an edit; the files just
// edited are published first. A dirty package that no open file needs
// waits until one does. Export data packages never change, so the
// universe of types stays consistent: every source package is checked
// against the same objects its dependents see.
type view struct {
	root string // directory of the go.work or go.mod; go list runs here
	work bool   // root is a go.work's directory
	s    *server

	fset     *token.FileSet
	nodes    map[string]*node      // by package ID
	order    []*node               // dependencies first
	files    map[string]*fileState // compiled Go files of source packages
	ignored  map[string]string     // files excluded by build constraints -> their constraint lines
	cgoFiles map[string]bool       // Go files that cgo rewrites: editing one needs a reload
	blocked  map[string]bool       // open files go list must see first: new, or with a new package clause or build constraints; analyzed once saved
	missing  map[string]bool       // import paths an edit added that cannot be imported
	facts    *runner.Store

	pkgsByPath map[string]*types.Package // see universe

	loaded bool // a load succeeded
	stale  bool // reload before the next use

	// Statistics of the last load and the last incremental update.
	loadTime, updateTime time.Duration
	rechecked            int // packages re-checked by the last update
}

// node is one package of the view.
type node struct {
	id       string
	p        *packages.Package // Syntax, Types, TypesInfo, errors are replaced on each re-check
	source   bool              // analyzed from source (else from export data)
	reported bool              // matched by the view's pattern (not only loaded for -reach.scope)
	files    []string          // compiled Go files, in order (source packages)
	imports  map[string]*node  // by import path
	rdeps    map[*node]bool    // packages importing this one
	dirty    bool

	diags []diag
	errs  []string
}

// fileState is the parsed content of one compiled Go file.
type fileState struct {
	content []byte
	version int32 // of the open document parsed; -1 when read from disk
	ast     *ast.File
	errs    []packages.Error // parse errors
	nodes   []*node          // source packages compiling it
}

// fileChange is the new content of a file: an open document or disk.
type fileChange struct {
	content []byte
	version int32 // -1: from disk
	deleted bool
	saved   bool // the document was just saved
}

const parseMode = parser.AllErrors | parser.ParseComments // what go/packages uses

func newView(s *server, root string, work bool) *view {
	return &view{root: root, work: work, s: s}
}

// useConfigFiles checks the restatelint.toml files of the view's packages
// (a bad one fails the load, as it fails the command line) and makes the
// files of every view the run's: their reach.scope decides which
// dependencies are analyzed from source (configfile.Run). With several
// views that is the union of their scopes.
func (v *view) useConfigFiles(roots []*packages.Package) error {
	if v.s.checkConfig == nil {
		return nil
	}
	files, err := driver.ConfigFiles(roots, v.s.checkConfig)
	if err != nil {
		return err
	}
	v.s.runMu.Lock()
	defer v.s.runMu.Unlock()
	if v.s.runFiles == nil {
		v.s.runFiles = make(map[string][]*configfile.File)
	}
	v.s.runFiles[v.root] = files
	var all []*configfile.File
	for _, root := range slices.Sorted(maps.Keys(v.s.runFiles)) {
		all = append(all, v.s.runFiles[root]...)
	}
	configfile.SetRun(all)
	return nil
}

// load (re)loads the whole view from disk and analyzes every package.
// Open documents are not overlays: go/packages treats any overlay as
// invalidating all export data and type-checks every dependency from
// source (exportDataInvalid in go/packages), 10× the cost. They are
// applied afterwards with update, like edits.
func (v *view) load() error {
	start := time.Now()
	fset := token.NewFileSet()
	var mu sync.Mutex
	parsed := make(map[string][]byte)
	cfg := &packages.Config{
		Mode:       packages.LoadSyntax | packages.NeedModule,
		Dir:        v.root,
		Env:        v.s.env(),
		BuildFlags: v.s.buildFlags(),
		Tests:      v.s.tests(),
		Fset:       fset,
		ParseFile: func(fset *token.FileSet, name string, src []byte) (*ast.File, error) {
			mu.Lock()
			parsed[name] = src
			mu.Unlock()
			return parser.ParseFile(fset, name, src, parseMode)
		},
	}
	patterns, err := v.patterns()
	if err != nil {
		return err
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return err
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if e.Kind == packages.ListError {
				v.s.logf(protocol.MessageWarning, "%s: %s", p.ID, e)
			}
		}
	}
	reported := make(map[string]bool)
	for _, p := range pkgs {
		if !strings.HasSuffix(p.ID, ".test") { // generated test mains
			reported[p.ID] = true
		}
	}
	if err := v.useConfigFiles(pkgs); err != nil {
		return err
	}
	if extra := driver.MissingSourceDeps(pkgs, v.s.sourceDeps); len(extra) > 0 {
		if pkgs, err = packages.Load(cfg, append(patterns, extra...)...); err != nil {
			return err
		}
	}
	roots := make(map[*packages.Package]bool)
	for _, p := range pkgs {
		roots[p] = true
	}

	v.fset = fset
	v.nodes = make(map[string]*node)
	v.order = nil
	v.files = make(map[string]*fileState)
	v.ignored = make(map[string]string)
	v.cgoFiles = make(map[string]bool)
	v.blocked = make(map[string]bool)
	v.missing = make(map[string]bool)
	v.pkgsByPath = nil
	v.facts = runner.NewStore()
	byPkg := make(map[*packages.Package]*node)
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		n := &node{id: p.ID, p: p, source: roots[p], reported: reported[p.ID], imports: make(map[string]*node), rdeps: make(map[*node]bool)}
		for path, ip := range p.Imports {
			d := byPkg[ip]
			n.imports[path] = d
			d.rdeps[n] = true
		}
		byPkg[p] = n
		v.nodes[p.ID] = n
		v.order = append(v.order, n)
		if !n.source {
			return
		}
		for _, f := range p.Syntax {
			name := fset.File(f.FileStart).Name()
			n.files = append(n.files, name)
			fs := v.files[name]
			if fs == nil {
				fs = &fileState{content: parsed[name], version: -1, ast: f}
				for _, e := range p.Errors {
					if e.Kind == packages.ParseError && strings.HasPrefix(e.Pos, name+":") {
						fs.errs = append(fs.errs, e)
					}
				}
				v.files[name] = fs
			}
			fs.nodes = append(fs.nodes, n)
		}
		for _, f := range p.IgnoredFiles {
			if _, ok := v.ignored[f]; !ok {
				data, _ := readDisk(f)
				v.ignored[f] = constraintsOf(data)
			}
		}
		for _, f := range p.GoFiles {
			if !slices.Contains(p.CompiledGoFiles, f) {
				v.cgoFiles[f] = true
			}
		}
	})
	analyzeAll(v.order, v.analyze)
	v.loaded, v.stale = true, false
	v.loadTime = time.Since(start)
	return nil
}

// patterns returns the go list patterns of the view's packages: ./... of
// the module, or of every module of the go.work (whose directory need
// not contain any package itself).
func (v *view) patterns() ([]string, error) {
	if !v.work {
		return []string{"./..."}, nil
	}
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}")
	cmd.Dir = v.root
	cmd.Env = v.s.env()
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			err = fmt.Errorf("go list -m: %v: %s", err, ee.Stderr)
		}
		return nil, err
	}
	var patterns []string
	for _, dir := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		patterns = append(patterns, filepath.ToSlash(dir)+"/...")
	}
	return patterns, nil
}

// inRoot reports whether path is below the view's root.
func (v *view) inRoot(path string) bool {
	rel, err := filepath.Rel(v.root, path)
	return err == nil && !strings.HasPrefix(rel, "..")
}

// analyze analyzes n and keeps its diagnostics.
func (v *view) analyze(n *node, ready func()) {
	n.diags, n.errs = analyzeNode(n, v.s.plan, v.facts, v.readFile, ready)
	for _, e := range n.errs {
		v.s.logf(protocol.MessageWarning, "%s", e)
	}
}

// readFile serves pass.ReadFile: the content parsed, which for an open
// document is the editor's unsaved text.
func (v *view) readFile(name string) ([]byte, error) {
	if fs := v.files[name]; fs != nil && fs.content != nil {
		return fs.content, nil
	}
	return readDisk(name)
}

// update applies file changes: open documents' text, or the disk's. It
// returns the packages whose syntax changed (now dirty, with their
// importers), and the files whose change only go list can interpret: a
// file the view does not know, a changed package clause, build constraint
// or cgo use, a deleted file, an import that must be analyzed from source,
// an import cycle. For those the caller reloads the view.
func (v *view) update(changes map[string]fileChange) (touched []*node, reload []string) {
	paths := make([]string, 0, len(changes))
	for p := range changes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	changedNodes := make(map[*node][]string)
	for _, path := range paths {
		c := changes[path]
		if v.blocked[path] {
			if c.saved || c.version < 0 {
				reload = append(reload, path) // go list sees it now
			}
			continue
		}
		fs := v.files[path]
		if fs == nil {
			if cons, ok := v.ignored[path]; ok {
				if !c.deleted && constraintsOf(c.content) != cons {
					reload = append(reload, path) // the file may build now
				}
				continue
			}
			if !c.deleted && v.inRoot(path) && (v.s.tests() || !strings.HasSuffix(path, "_test.go")) {
				reload = append(reload, path) // a new file
			}
			continue
		}
		if c.deleted || v.cgoFiles[path] {
			reload = append(reload, path)
			continue
		}
		if bytes.Equal(fs.content, c.content) {
			fs.version = c.version
			continue
		}
		f, err := parser.ParseFile(v.fset, path, c.content, parseMode)
		if f == nil || structural(fs.ast, f) {
			reload = append(reload, path)
			continue
		}
		if tf := v.fset.File(fs.ast.FileStart); tf != nil {
			v.fset.RemoveFile(tf) // nothing refers to it once its packages are re-checked; keeps the FileSet from growing with every edit
		}
		fs.ast, fs.content, fs.version, fs.errs = f, c.content, c.version, parseErrors(err)
		for _, n := range fs.nodes {
			changedNodes[n] = append(changedNodes[n], path)
		}
	}
	for _, n := range v.order {
		paths, ok := changedNodes[n]
		if !ok {
			continue
		}
		if !v.relink(n) || !v.markDirty(n) {
			reload = append(reload, paths...)
			continue
		}
		touched = append(touched, n)
	}
	return touched, reload
}

// relink updates n's syntax and imports after an edit of its files.
func (v *view) relink(n *node) bool {
	want := make(map[string]bool)
	for _, name := range n.files {
		for _, spec := range v.files[name].ast.Imports {
			if path, err := strconv.Unquote(spec.Path.Value); err == nil {
				want[path] = true
			}
		}
	}
	for path, d := range n.imports {
		if !want[path] {
			delete(n.imports, path)
			if !slices.Contains(slices.Collect(maps.Values(n.imports)), d) {
				delete(d.rdeps, n)
			}
		}
	}
	for path := range want {
		if n.imports[path] != nil || path == "C" {
			continue
		}
		d := v.testVariant(n, path)
		if d == nil {
			var reload bool
			if d, reload = v.importable(path); reload {
				v.s.logf(protocol.MessageLog, "%s: new import %q must be analyzed from source: reloading", n.id, path)
				return false
			}
			if d == nil {
				continue // the type checker reports it
			}
		}
		if reaches(d, n) {
			return false // an import cycle: let go list report it
		}
		n.imports[path] = d
		d.rdeps[n] = true
	}
	return true
}

// testVariant returns, for a test variant "p [q.test]", the variant of
// the package at path compiled for the same test, if there is one.
func (v *view) testVariant(n *node, path string) *node {
	if i := strings.Index(n.id, " ["); i >= 0 {
		return v.nodes[path+n.id[i:]]
	}
	return nil
}

// reaches reports whether target is from or one of its dependencies.
func reaches(from, target *node) bool {
	seen := make(map[*node]bool)
	var visit func(n *node) bool
	visit = func(n *node) bool {
		if n == target {
			return true
		}
		if seen[n] {
			return false
		}
		seen[n] = true
		for _, d := range n.imports {
			if visit(d) {
				return true
			}
		}
		return false
	}
	return visit(from)
}

// markDirty marks n and its importers, transitively, for re-checking. A
// package loaded from export data cannot be re-checked: if one imports n,
// it returns false (reload).
func (v *view) markDirty(n *node) bool {
	if n.dirty {
		return true
	}
	if !n.source {
		return false
	}
	n.dirty = true
	for r := range n.rdeps {
		if !v.markDirty(r) {
			return false
		}
	}
	return true
}

// clean re-checks n if it is dirty, its dirty dependencies first, and
// returns how many packages it re-checked.
func (v *view) clean(n *node) int {
	if !n.dirty {
		return 0
	}
	count := 0
	for _, d := range sortedImports(n) {
		count += v.clean(d)
	}
	v.typeCheck(n)
	v.analyze(n, nil)
	n.dirty = false
	return count + 1
}

// typeCheck type-checks n's current syntax against its dependencies'
// current types, as go/packages would.
func (v *view) typeCheck(n *node) {
	old := n.p
	p := *old
	p.Syntax = make([]*ast.File, len(n.files))
	p.Errors = nil
	for i, name := range n.files {
		fs := v.files[name]
		p.Syntax[i] = fs.ast
		p.Errors = append(p.Errors, fs.errs...)
	}
	p.Types = types.NewPackage(old.PkgPath, old.Name)
	p.TypesInfo = &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
	p.TypeErrors = nil
	cfg := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			d := n.imports[path]
			if d == nil || d.p.Types == nil {
				return nil, fmt.Errorf("could not import %s (no metadata)", path)
			}
			return d.p.Types, nil
		}),
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				p.TypeErrors = append(p.TypeErrors, te)
				p.Errors = append(p.Errors, packages.Error{Pos: te.Fset.Position(te.Pos).String(), Msg: te.Msg, Kind: packages.TypeError})
			}
		},
		Sizes: old.TypesSizes,
	}
	if m := old.Module; m != nil && m.GoVersion != "" {
		cfg.GoVersion = "go" + m.GoVersion
	}
	types.NewChecker(cfg, v.fset, p.Types, p.TypesInfo).Files(p.Syntax)
	p.IllTyped = len(p.Errors) > 0
	for _, d := range n.imports {
		if d.p.IllTyped {
			p.IllTyped = true
		}
	}
	v.facts.Drop(old.Types)
	n.p = &p
	if v.pkgsByPath != nil && n.id == p.PkgPath {
		v.pkgsByPath[p.PkgPath] = p.Types // export data read later must see the current package
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// diagnostics returns the findings in a file, without the duplicates that
// the test variant of its package repeats, cleaning its packages first.
func (v *view) diagnostics(path string) (*fileState, []diag, bool) {
	fs := v.files[path]
	if fs == nil || v.blocked[path] {
		return nil, nil, false
	}
	type key struct {
		pos, end token.Pos
		analyzer string
		message  string
	}
	seen := make(map[key]bool)
	var out []diag
	for _, n := range fs.nodes {
		if !n.reported {
			continue
		}
		v.rechecked += v.clean(n)
		for _, d := range n.diags {
			tf := v.fset.File(d.d.Pos)
			if tf == nil || tf.Name() != path {
				continue
			}
			k := key{d.d.Pos, d.d.End, d.analyzer.Name, d.d.Message}
			if !seen[k] {
				seen[k] = true
				out = append(out, d)
			}
		}
	}
	out = append(out, v.wholeProgram(fs, out)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].d.Pos < out[j].d.Pos })
	return fs, out, true
}

// wholeProgram returns the findings of the whole-program step in the
// file fs, beside the per-package diagnostics it has: deadlock cycles
// across packages that do not import each other, from the services
// facts of every analyzed package. Facts of packages edited but not yet
// re-analyzed are those of their last analysis.
func (v *view) wholeProgram(fs *fileState, have []diag) []diag {
	if !v.s.plan.Enabled(deadlock.Analyzer) || fs.ast == nil {
		return nil
	}
	findings := wholeprogram.Deadlocks(v.facts.Services())
	if len(findings) == 0 {
		return nil
	}
	var reported []analysis.Diagnostic
	for _, d := range have {
		if d.analyzer == deadlock.Analyzer {
			reported = append(reported, d.d)
		}
	}
	var out []diag
	for _, d := range wholeprogram.ForFiles(v.fset, []*ast.File{fs.ast}, reported, findings, v.readFile) {
		out = append(out, diag{analyzer: deadlock.Analyzer, d: d})
	}
	return out
}

// needsClean reports whether a package containing path is dirty.
func (v *view) needsClean(path string) bool {
	fs := v.files[path]
	return fs != nil && slices.ContainsFunc(fs.nodes, func(n *node) bool { return n.dirty })
}

// structural reports whether an edit changed what go list decided about a
// file: its package, its build constraints, its use of cgo.
func structural(old, new *ast.File) bool {
	if old.Name.Name != new.Name.Name {
		return true
	}
	if headerConstraints(old) != headerConstraints(new) {
		return true
	}
	return importsC(old) != importsC(new)
}

func headerConstraints(f *ast.File) string {
	var lines []string
	for _, g := range f.Comments {
		if g.Pos() >= f.Package {
			break
		}
		for _, c := range g.List {
			if constraint.IsGoBuild(c.Text) || constraint.IsPlusBuild(c.Text) {
				lines = append(lines, c.Text)
			}
		}
	}
	return strings.Join(lines, "\n")
}

// constraintsOf returns the build constraint lines of a file's content.
func constraintsOf(content []byte) string {
	f, err := parser.ParseFile(token.NewFileSet(), "", content, parser.PackageClauseOnly|parser.ParseComments)
	if f == nil || err != nil && f.Name == nil {
		return ""
	}
	return headerConstraints(f)
}

func importsC(f *ast.File) bool {
	for _, spec := range f.Imports {
		if spec.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

// parseErrors converts a parser error as go/packages does.
func parseErrors(err error) []packages.Error {
	var out []packages.Error
	if list, ok := err.(scanner.ErrorList); ok {
		for _, e := range list {
			out = append(out, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
		}
	} else if err != nil {
		out = append(out, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.ParseError})
	}
	return out
}
