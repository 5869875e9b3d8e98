package lsp

import (
	"encoding/json"
	"fmt"
	"go/types"
	"os"
	"os/exec"

	"github.com/restatelint/restatelint/internal/lsp/protocol"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// Imports added by an edit. go/packages gives complete types only to the
// direct imports of source packages; a package the view reaches only
// indirectly has an incomplete *types.Package (the objects its importers'
// export data mention), and a package nobody imports has none. When an
// edit imports such a package, its export data is read into the view's
// universe of types (by path, as go/packages does), so every object keeps
// its identity: no reload, no re-check of anything else. Only a package
// that must be analyzed from source (a -reach.scope package) needs a reload.

// universe returns the view's packages by path, as export data reading
// needs them: the non-test variant of each package, complete or not.
func (v *view) universe() map[string]*types.Package {
	if v.pkgsByPath != nil {
		return v.pkgsByPath
	}
	v.pkgsByPath = make(map[string]*types.Package)
	for _, n := range v.order {
		if n.p.Types != nil && n.id == n.p.PkgPath {
			v.pkgsByPath[n.p.PkgPath] = n.p.Types
		}
	}
	for _, n := range v.order {
		if n.p.Types == nil {
			continue
		}
		for _, imp := range n.p.Types.Imports() {
			if _, ok := v.pkgsByPath[imp.Path()]; !ok {
				v.pkgsByPath[imp.Path()] = imp
			}
		}
	}
	return v.pkgsByPath
}

// importable returns the package for an import path that an edit added,
// reading its export data if the view has no complete types for it. It
// returns nil if the path cannot be imported (a typo, a module not
// required: the type checker reports it), and reload=true if the package
// must be analyzed from source.
func (v *view) importable(path string) (d *node, reload bool) {
	if d := v.nodes[path]; d != nil && d.p.Types != nil && (d.source || d.p.Types.Complete()) {
		return d, false
	}
	if v.missing[path] {
		return nil, false
	}
	cmd := exec.Command("go", append(append([]string{"list", "-e", "-export", "-json=ImportPath,Name,Export,Error,Module,Imports"}, v.s.buildFlags()...), "--", path)...)
	cmd.Dir = v.root
	cmd.Env = v.s.env()
	out, err := cmd.Output()
	var lp struct {
		ImportPath, Name, Export string
		Imports                  []string
		Error                    *struct{ Err string }
		Module                   *packages.Module
	}
	if err == nil {
		err = json.Unmarshal(out, &lp)
	}
	if err == nil && lp.Error != nil {
		err = fmt.Errorf("%s", lp.Error.Err)
	}
	if err == nil && lp.Export == "" {
		err = fmt.Errorf("no export data")
	}
	if err != nil {
		v.s.logf(protocol.MessageLog, "import %q: %v", path, err)
		v.missing[path] = true
		return nil, false
	}
	imports := make(map[string]*packages.Package, len(lp.Imports))
	for _, imp := range lp.Imports {
		imports[imp] = &packages.Package{PkgPath: imp}
	}
	if v.s.sourceDeps != nil && v.s.sourceDeps(&packages.Package{PkgPath: lp.ImportPath, Module: lp.Module, Imports: imports}) {
		return nil, true
	}
	f, err := os.Open(lp.Export)
	if err != nil {
		v.missing[path] = true
		return nil, false
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(f)
	if err == nil {
		var tpkg *types.Package
		tpkg, err = gcexportdata.Read(r, v.fset, v.universe(), lp.ImportPath)
		if err == nil {
			d = v.nodes[path]
			if d == nil {
				d = &node{id: path, imports: make(map[string]*node), rdeps: make(map[*node]bool)}
				d.p = &packages.Package{ID: path, PkgPath: lp.ImportPath, Name: lp.Name, Fset: v.fset, Module: lp.Module}
				v.nodes[path] = d
				v.order = append(v.order, d)
			}
			d.p.Types = tpkg
			if d.p.TypesSizes == nil && len(v.order) > 0 {
				d.p.TypesSizes = v.order[0].p.TypesSizes
			}
			v.analyze(d, nil) // the fact-producing analyzers, as on any dependency
			v.s.logf(protocol.MessageLog, "import %q: read %s", path, lp.Export)
			return d, false
		}
	}
	v.s.logf(protocol.MessageLog, "import %q: reading export data: %v", path, err)
	v.missing[path] = true
	return nil, false
}
