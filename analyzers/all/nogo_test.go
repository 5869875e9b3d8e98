package all_test

// Bazel rules_go's nogo links analyzer packages, not analyzer values: each
// package in the nogo target's deps must export a variable named exactly
// Analyzer, and options reach an analyzer only through the config file's
// analyzer_flags, which nogo passes to Analyzer.Flags.Set (an unknown flag
// or an invalid value fails the build). These tests hold every analyzer
// to that shape (docs/integrations/bazel.md).

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/doctest"
)

// pkgPathOf returns the package that defines the analyzer's Run function:
// the analyzer's own package.
func pkgPathOf(a *analysis.Analyzer) string {
	name := runtime.FuncForPC(reflect.ValueOf(a.Run).Pointer()).Name()
	// name is "import/path.run" or "import/path.(*T).m" or "import/path.init.func1".
	slash := strings.LastIndex(name, "/")
	dot := strings.Index(name[slash+1:], ".")
	return name[:slash+1+dot]
}

func loadAnalyzerPackages(t *testing.T) map[string]*packages.Package {
	t.Helper()
	cfg := &packages.Config{Mode: packages.LoadSyntax | packages.NeedModule}
	pkgs, err := packages.Load(cfg, "github.com/restatelint/restatelint/analyzers/...")
	if err != nil {
		t.Fatal(err)
	}
	byPath := make(map[string]*packages.Package)
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("%s: %v", p.PkgPath, p.Errors)
		}
		byPath[p.PkgPath] = p
	}
	return byPath
}

// TestNogoShape: every analyzer lives in its own package, which exports
// `var Analyzer = &analysis.Analyzer{Name: <its name>, ...}`; names are
// unique, also ignoring case (golangci-lint lowercases setting keys).
func TestNogoShape(t *testing.T) {
	pkgs := loadAnalyzerPackages(t)
	seenPkg := make(map[string]string)
	seenName := make(map[string]string)
	for _, a := range all.Analyzers() {
		path := pkgPathOf(a)
		if other, ok := seenPkg[path]; ok {
			t.Errorf("%s and %s are both in package %s: nogo takes one Analyzer per package", a.Name, other, path)
		}
		seenPkg[path] = a.Name
		if other, ok := seenName[strings.ToLower(a.Name)]; ok {
			t.Errorf("analyzer names %s and %s collide", a.Name, other)
		}
		seenName[strings.ToLower(a.Name)] = a.Name

		p := pkgs[path]
		if p == nil {
			t.Errorf("%s: package %s not found under analyzers/", a.Name, path)
			continue
		}
		obj, ok := p.Types.Scope().Lookup("Analyzer").(*types.Var)
		if !ok {
			t.Errorf("%s: package %s has no package variable named Analyzer", a.Name, path)
			continue
		}
		if got := types.TypeString(obj.Type(), nil); got != "*golang.org/x/tools/go/analysis.Analyzer" {
			t.Errorf("%s: %s.Analyzer has type %s", a.Name, path, got)
		}
		if name := declaredName(p, obj); name != a.Name {
			t.Errorf("%s: %s.Analyzer is declared with Name %q, not %q: nogo would link another analyzer", a.Name, path, name, a.Name)
		}
	}
}

// declaredName returns the constant Name field of the composite literal
// that initializes v, or "".
func declaredName(p *packages.Package, v *types.Var) string {
	for _, f := range p.Syntax {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gd.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				for i, id := range vs.Names {
					if p.TypesInfo.Defs[id] != v || i >= len(vs.Values) {
						continue
					}
					e := vs.Values[i]
					if u, ok := e.(*ast.UnaryExpr); ok {
						e = u.X
					}
					lit, ok := e.(*ast.CompositeLit)
					if !ok {
						return ""
					}
					for _, elt := range lit.Elts {
						kv, ok := elt.(*ast.KeyValueExpr)
						if !ok {
							continue
						}
						if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Name" {
							if tv := p.TypesInfo.Types[kv.Value]; tv.Value != nil && tv.Value.Kind() == constant.String {
								return constant.StringVal(tv.Value)
							}
						}
					}
				}
			}
		}
	}
	return ""
}

// TestOptionsAreFlags: every option is a flag that nogo can set from a
// string (its own default round-trips through Set); every exported
// setting of analyzers/internal/config that is a flag.Value is bound as
// some analyzer's flag; and no analyzer package reads the environment,
// which nogo's analyzer_flags could not set.
func TestOptionsAreFlags(t *testing.T) {
	for _, a := range all.Analyzers() {
		a.Flags.VisitAll(func(f *flag.Flag) {
			if err := a.Flags.Set(f.Name, f.DefValue); err != nil {
				t.Errorf("%s.%s: nogo could not set the default %q: %v", a.Name, f.Name, f.DefValue, err)
			}
			if strings.HasPrefix(f.Name, "-") || strings.ContainsAny(f.Name, " =") {
				t.Errorf("%s.%s: not a valid analyzer_flags key", a.Name, f.Name)
			}
			if f.Usage == "" {
				t.Errorf("%s.%s: no usage text for docs/configuration.md", a.Name, f.Name)
			}
		})
	}

	pkgs := loadAnalyzerPackages(t)
	cfg := pkgs["github.com/restatelint/restatelint/analyzers/internal/config"]
	if cfg == nil {
		t.Fatal("analyzers/internal/config not loaded")
	}
	flagValue := flagValueInterface(t, cfg)
	// The packages linked into the analyzers.
	linked := make(map[*packages.Package]bool)
	packages.Visit([]*packages.Package{pkgs["github.com/restatelint/restatelint/analyzers/all"]}, nil, func(q *packages.Package) {
		if q.Module != nil && q.Module.Path == "github.com/restatelint/restatelint" {
			linked[pkgs[q.PkgPath]] = true
		}
	})
	bound := make(map[types.Object]bool)
	for p := range linked {
		if p == nil {
			continue
		}
		for id, obj := range p.TypesInfo.Uses {
			if obj.Pkg() == cfg.Types && isFlagsVarArg(p, id) {
				bound[obj] = true
			}
		}
		for id, obj := range p.TypesInfo.Uses {
			if fn, ok := obj.(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "os" &&
				(fn.Name() == "Getenv" || fn.Name() == "LookupEnv" || fn.Name() == "Environ") &&
				!strings.HasSuffix(p.Fset.Position(id.Pos()).Filename, "_test.go") {
				t.Errorf("%s: %s reads the environment: configuration must be an analyzer flag", p.Fset.Position(id.Pos()), p.PkgPath)
			}
		}
	}
	scope := cfg.Types.Scope()
	for _, name := range scope.Names() {
		v, ok := scope.Lookup(name).(*types.Var)
		if !ok || !v.Exported() {
			continue
		}
		if types.Implements(types.NewPointer(v.Type()), flagValue) && !bound[v] {
			t.Errorf("config.%s is a flag.Value that no analyzer binds with Flags.Var: it cannot be set from the command line, golangci-lint or nogo", name)
		}
	}
}

func flagValueInterface(t *testing.T, p *packages.Package) *types.Interface {
	t.Helper()
	var iface *types.Interface
	packages.Visit([]*packages.Package{p}, nil, func(q *packages.Package) {
		if q.PkgPath == "flag" {
			iface = q.Types.Scope().Lookup("Value").Type().Underlying().(*types.Interface)
		}
	})
	if iface == nil {
		// config does not import flag: build the interface by hand.
		str := types.NewSignatureType(nil, nil, nil, nil, types.NewTuple(types.NewVar(0, nil, "", types.Typ[types.String])), false)
		errType := types.Universe.Lookup("error").Type()
		set := types.NewSignatureType(nil, nil, nil, types.NewTuple(types.NewVar(0, nil, "", types.Typ[types.String])), types.NewTuple(types.NewVar(0, nil, "", errType)), false)
		iface = types.NewInterfaceType([]*types.Func{
			types.NewFunc(0, nil, "String", str),
			types.NewFunc(0, nil, "Set", set),
		}, nil).Complete()
	}
	return iface
}

// isFlagsVarArg reports whether id is used as &id (or &pkg.id) in the
// first argument of a call to (*flag.FlagSet).Var.
func isFlagsVarArg(p *packages.Package, id *ast.Ident) bool {
	for _, f := range p.Syntax {
		if f.Pos() > id.Pos() || id.Pos() >= f.End() {
			continue
		}
		found := false
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || found || len(call.Args) == 0 {
				return !found
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Var" {
				return true
			}
			if s := p.TypesInfo.Selections[sel]; s == nil || !strings.HasSuffix(types.TypeString(s.Recv(), nil), "flag.FlagSet") {
				return true
			}
			arg := call.Args[0]
			if arg.Pos() <= id.Pos() && id.End() <= arg.End() {
				found = true
			}
			return true
		})
		return found
	}
	return false
}

// TestNogoDocs: the nogo target of docs/integrations/bazel.md lists every
// analyzer package, and its config applies cleanly the way nogo applies it
// (rules_go's setAnalyzerFlags: entries keyed by analyzer name, for the
// analyzers in deps and those they require; an unknown flag or a value
// Set rejects is an error), while a bad entry is rejected.
func TestNogoDocs(t *testing.T) {
	blocks := doctest.Blocks(t, doctest.Dir(t))
	var build, config string
	for _, b := range blocks {
		switch b.Kind {
		case "nogo-build":
			build = b.Body
		case "nogo-config":
			config = b.Body
		}
	}
	if build == "" || config == "" {
		t.Fatal("bazel.md has no nogo-build or nogo-config block")
	}

	var want []string
	for _, a := range all.Analyzers() {
		want = append(want, strings.TrimPrefix(pkgPathOf(a), "github.com/restatelint/restatelint/"))
	}
	slices.Sort(want)
	var got []string
	for _, m := range regexp.MustCompile(`"@com_github_restatelint_restatelint//([a-z/]+)"`).FindAllStringSubmatch(build, -1) {
		got = append(got, m[1])
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		var lines strings.Builder
		for _, p := range want {
			fmt.Fprintf(&lines, "        \"@com_github_restatelint_restatelint//%s\",\n", p)
		}
		t.Errorf("the nogo deps in docs/integrations/bazel.md are %v, want every analyzer package:\n%s", got, lines.String())
	}

	var cfg map[string]struct {
		AnalyzerFlags map[string]string `json:"analyzer_flags"`
	}
	if err := json.Unmarshal([]byte(config), &cfg); err != nil {
		t.Fatalf("nogo config in bazel.md: %v", err)
	}
	defer resetFlags()
	if err := nogoApply(all.Analyzers(), cfg); err != nil {
		t.Errorf("nogo config in bazel.md: %v", err)
	}
	for name := range cfg {
		if name != "_base" && !slices.ContainsFunc(all.Analyzers(), func(a *analysis.Analyzer) bool { return a.Name == name }) {
			t.Errorf("nogo config in bazel.md configures %q, which is no analyzer (nogo would ignore it)", name)
		}
	}
	for _, bad := range []string{
		`{"reach": {"analyzer_flags": {"nope": "x"}}}`,
		`{"reach": {"analyzer_flags": {"scope": "example.com/*"}}}`,
		`{"reach": {"analyzer_flags": {"-scope": "example.com/x"}}}`,
	} {
		var c map[string]struct {
			AnalyzerFlags map[string]string `json:"analyzer_flags"`
		}
		json.Unmarshal([]byte(bad), &c)
		if err := nogoApply(all.Analyzers(), c); err == nil {
			t.Errorf("nogo would accept %s", bad)
		}
	}
}

// nogoApply sets analyzer flags as rules_go's nogo does.
func nogoApply(analyzers []*analysis.Analyzer, cfg map[string]struct {
	AnalyzerFlags map[string]string `json:"analyzer_flags"`
}) error {
	set := func(a *analysis.Analyzer) error {
		c, ok := cfg[a.Name]
		if !ok {
			return nil
		}
		for k, v := range c.AnalyzerFlags {
			if strings.HasPrefix(k, "-") {
				return fmt.Errorf("%s: flag should not begin with '-': %s", a.Name, k)
			}
			if a.Flags.Lookup(k) == nil {
				return fmt.Errorf("%s: unrecognized flag: %s", a.Name, k)
			}
			if err := a.Flags.Set(k, v); err != nil {
				return fmt.Errorf("%s: invalid value for flag: %s=%s: %w", a.Name, k, v, err)
			}
		}
		return nil
	}
	for _, a := range analyzers {
		if err := set(a); err != nil {
			return err
		}
		for _, r := range a.Requires {
			if err := set(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// resetFlags sets every analyzer option back to its default.
func resetFlags() {
	for _, a := range all.Analyzers() {
		a.Flags.VisitAll(func(f *flag.Flag) { a.Flags.Set(f.Name, f.DefValue) })
	}
}
