package reach

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/flow"
)

// ObserverVar is the fact of a package-level variable of function type
// bound, at its declaration and nowhere else in its package, to a
// logging, metrics or tracing function (flow.IsObserver): a project's
// logger package re-exporting slog (var Debug = slog.Debug) to keep the
// caller's source position. Calling it only observes its arguments.
type ObserverVar struct{}

// AFact marks ObserverVar as an analysis fact.
func (*ObserverVar) AFact() {}

func (*ObserverVar) String() string { return "observer" }

// observerVars finds the package's variables bound to an observer and
// exports facts for the exported ones.
func (w *walker) observerVars() {
	info := w.pass.TypesInfo
	w.observers = make(map[*types.Var]bool)
	for _, file := range w.pass.Files {
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gd.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok || len(vs.Names) != len(vs.Values) {
					continue
				}
				for i, id := range vs.Names {
					v, ok := info.Defs[id].(*types.Var)
					if !ok || !isFuncTyped(v) {
						continue
					}
					if fn := boundFunc(info, vs.Values[i]); fn != nil && flow.IsObserver(fn) {
						w.observers[v] = true
					}
				}
			}
		}
	}
	if len(w.observers) == 0 {
		return
	}
	// Assigned elsewhere in the package: bound to something else at times.
	root := w.inspector().Root()
	for c := range root.Preorder((*ast.Ident)(nil)) {
		v, ok := info.Uses[c.Node().(*ast.Ident)].(*types.Var)
		if !ok || !w.observers[v] {
			continue
		}
		if k, _ := c.ParentEdge(); k == edge.AssignStmt_Lhs || k == edge.UnaryExpr_X {
			delete(w.observers, v)
		}
	}
	for v := range w.observers {
		if v.Exported() {
			w.pass.ExportObjectFact(v, new(ObserverVar))
		}
	}
}

// boundFunc returns the declared function (not a method value) e names.
func boundFunc(info *types.Info, e ast.Expr) *types.Func {
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return nil
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok || fn.Signature().Recv() != nil {
		return nil
	}
	return fn
}

// isObserverVar reports whether calling v only observes its arguments.
func (w *walker) isObserverVar(v *types.Var) bool {
	if v.Pkg() == w.pass.Pkg {
		return w.observers[v]
	}
	return v.Pkg() != nil && w.pass.ImportObjectFact(v, new(ObserverVar))
}

func (w *walker) inspector() *inspector.Inspector {
	return w.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
}
