package walltime

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/restatelint/restatelint/analyzers/internal/flow"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
	"github.com/restatelint/restatelint/analyzers/reach"
)

// returnOnly reports whether a clock value is only returned by the handler
// itself (and perhaps logged), with no Restate operation on any path from
// the reading to those returns: the output is then written to the journal
// once, and a replay that completes returns the recorded output.
func returnOnly(pass *analysis.Pass, site *reach.Site) bool {
	u := site.Uses
	if len(u.Other) > 0 || len(u.Out) > 0 || len(u.Returns) == 0 {
		return false
	}
	z := pass.ResultOf[zones.Analyzer].(*zones.Zones)
	handler := site.Func
	if !handler.HasCtxParam || handler.Body == nil {
		return false // a nested literal's return value is not the handler's output
	}
	for _, r := range u.Returns {
		if z.Enclosing(r) != handler {
			return false
		}
	}
	g := cfg.New(handler.Body, func(*ast.CallExpr) bool { return true })
	start, startIdx := locate(g, site.Expr.Node())
	if start == nil {
		return false
	}
	var ends []*cfg.Block
	for _, r := range u.Returns {
		b, _ := locate(g, r.Node())
		if b == nil {
			return false
		}
		ends = append(ends, b)
	}
	fwd := reachable(start.Succs, func(b *cfg.Block) []*cfg.Block { return b.Succs })
	preds := predecessors(g)
	bwd := reachable(ends, func(b *cfg.Block) []*cfg.Block { return preds[b] })
	for _, b := range ends {
		bwd[b] = true
	}
	for _, b := range g.Blocks {
		onPath := (b == start || fwd[b]) && bwd[b]
		if !onPath {
			continue
		}
		from := 0
		if b == start && !fwd[b] {
			from = startIdx
		}
		for i, n := range b.Nodes[from:] {
			after := token.NoPos
			if b == start && !fwd[b] && i == 0 {
				// The reading's own statement: calls lexically before
				// it are evaluated before it (the spec's left-to-right
				// order), `return T{ID: restate.UUID(ctx).String(), At: time.Now()}`.
				after = site.Expr.Node().Pos()
			}
			if hasOperation(pass, n, after) {
				return false
			}
		}
	}
	return true
}

// locate returns the block and index of the CFG node containing n.
func locate(g *cfg.CFG, n ast.Node) (*cfg.Block, int) {
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		for i, m := range b.Nodes {
			if m.Pos() <= n.Pos() && n.End() <= m.End() {
				return b, i
			}
		}
	}
	return nil, 0
}

func reachable(from []*cfg.Block, next func(*cfg.Block) []*cfg.Block) map[*cfg.Block]bool {
	seen := make(map[*cfg.Block]bool)
	stack := append([]*cfg.Block(nil), from...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		stack = append(stack, next(b)...)
	}
	return seen
}

func predecessors(g *cfg.CFG) map[*cfg.Block][]*cfg.Block {
	preds := make(map[*cfg.Block][]*cfg.Block)
	for _, b := range g.Blocks {
		for _, s := range b.Succs {
			preds[s] = append(preds[s], b)
		}
	}
	return preds
}

// hasOperation reports whether n performs a Restate operation or hands
// the handler context to other code (which may perform one), in a call
// that ends after the position after (token.NoPos: anywhere in n).
func hasOperation(pass *analysis.Pass, n ast.Node, after token.Pos) bool {
	info := pass.TypesInfo
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if x.End() <= after {
				return false // evaluated before the reading
			}
			if _, ok := sdk.Operation(info, x); ok {
				found = true
				return false
			}
			fn := sdk.Callee(info, x)
			if fn != nil && fn.Pkg() != nil && sdk.InSDK(fn.Pkg().Path()) {
				return true // ctx.Log(), restate.Key(ctx): not operations
			}
			if flow.IsObserver(fn) {
				return true // trace.SpanFromContext(ctx), slog.InfoContext(ctx, ...)
			}
			for _, arg := range x.Args {
				if sdk.IsHandlerContext(info.TypeOf(arg)) {
					found = true
					return false
				}
			}
		}
		return true
	})
	return found
}
