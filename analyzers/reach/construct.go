package reach

import (
	"go/ast"
	"go/token"
	"go/types"
	"sync"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// walkNodes are the node types a walk visits: identifiers (objects),
// function literals (to skip their bodies), and the constructs that some
// rule's sink table lists (sinks.Classify).
var walkNodes = sync.OnceValue(func() []ast.Node {
	return append([]ast.Node{(*ast.Ident)(nil), (*ast.FuncLit)(nil)}, sinks.ConstructNodes()...)
})

// construct records the construct at c (a go statement, a channel
// send, ...) if a rule's table lists it: a direct effect of own, and a
// site when asked (f is a handler zone).
func (w *walker) construct(f, own *zones.Func, c inspector.Cursor, site bool) {
	captured := w.captured(f)
	s, name := sinks.Classify(w.pass.TypesInfo, c, captured)
	if s == nil {
		return
	}
	at := &Site{Func: f, Expr: c, Sink: s, Label: name}
	w.addDirect(own, Effect{Rule: s.Rule, Sink: name, Family: s.Family, Recv: s.OnReceiver(w.pass.TypesInfo, c.Node(), nil, nil, captured), from: at})
	if site {
		w.sites = append(w.sites, at)
	}
}

// Pos is where the site is: its identifier, or the construct's first
// token (the go, select or for keyword, the channel of a send, the arrow
// of a receive).
func (s *Site) Pos() token.Pos {
	if s.Ident != nil {
		return s.Ident.Pos()
	}
	return s.Expr.Node().Pos()
}

// Reaches returns the summary of fn, a function of this package or one
// the package's code refers to, or nil if it reaches nothing.
func (r *Result) Reaches(fn *types.Func) *Summary {
	return r.sums[fn.Origin()]
}
