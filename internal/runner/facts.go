package runner

import (
	"fmt"
	"go/types"
	"reflect"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/deadlock"
)

// Facts are what the analyses of one package exported, and which of them
// failed there (what needs their facts fails on the importers too).
type Facts struct {
	objects  map[reflect.Type]map[types.Object]analysis.Fact // by fact type: a pass asks for its analyzer's alone
	packages map[reflect.Type]analysis.Fact
	failed   map[*analysis.Analyzer]bool
}

func newFacts() *Facts {
	return &Facts{
		objects:  make(map[reflect.Type]map[types.Object]analysis.Fact),
		packages: make(map[reflect.Type]analysis.Fact),
		failed:   make(map[*analysis.Analyzer]bool),
	}
}

// A Store holds every analyzed package's facts, keyed by its
// *types.Package. The language server keeps one across edits: a
// re-checked package has new types, so its old facts (about objects no
// longer reachable) go with the old key (Drop).
type Store struct {
	mu    sync.Mutex
	byPkg map[*types.Package]*Facts
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{byPkg: make(map[*types.Package]*Facts)}
}

func (s *Store) get(pkg *types.Package) *Facts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byPkg[pkg]
}

// set publishes a package's facts; they are not written after this.
func (s *Store) set(pkg *types.Package, f *Facts) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byPkg[pkg] = f
}

// Drop forgets pkg's facts.
func (s *Store) Drop(pkg *types.Package) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byPkg, pkg)
}

// Services returns the deadlock.Services facts of every package, in
// package path order: what the whole-program step reads.
func (s *Store) Services() []*deadlock.Services {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := reflect.TypeFor[*deadlock.Services]()
	var pkgs []*types.Package
	for pkg, f := range s.byPkg {
		if f.packages[key] != nil {
			pkgs = append(pkgs, pkg)
		}
	}
	slices.SortFunc(pkgs, func(a, b *types.Package) int { return strings.Compare(a.Path(), b.Path()) })
	out := make([]*deadlock.Services, len(pkgs))
	for i, pkg := range pkgs {
		out[i] = s.byPkg[pkg].packages[key].(*deadlock.Services)
	}
	return out
}

// failedOnImports returns "a@path" for each direct import of pkg on which
// a failed (a produces facts there).
func (s *Store) failedOnImports(pkg *types.Package, a *analysis.Analyzer) []string {
	var out []string
	for _, imp := range pkg.Imports() {
		if f := s.get(imp); f != nil && f.failed[a] {
			out = append(out, fmt.Sprintf("%s@%s", a.Name, imp.Path()))
		}
	}
	return out
}

// visible returns the facts of pkg (own, being built) and of every
// package it imports, transitively, that has facts in the store.
func (s *Store) visible(pkg *types.Package, own *Facts) map[*types.Package]*Facts {
	out := map[*types.Package]*Facts{pkg: own}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		for _, imp := range p.Imports() {
			if _, seen := out[imp]; seen {
				continue
			}
			f := s.get(imp)
			out[imp] = f // nil: no facts, but visited
			visit(imp)
		}
	}
	visit(pkg)
	for p, f := range out {
		if f == nil {
			delete(out, p)
		}
	}
	return out
}

// importable reports whether a fact about obj, exported by the analysis
// of obj's package, is seen by the packages importing it: the checker's
// rule (facts about what export data holds: exported functions, methods,
// fields, types, constants and the package's variables), so that the
// command sees the facts go vet does.
func importable(obj types.Object) bool {
	switch obj := obj.(type) {
	case *types.Func:
		return obj.Exported() || obj.Signature().Recv() != nil
	case *types.Var, *types.TypeName, *types.Const:
		return true
	}
	return false
}
