// Package runcontext reports the handler context, Restate operations and
// the invocation's random generators used inside a restate.Run closure.
//
// restate.Run, RunAsync and RunVoid execute their closure on another
// goroutine while the handler waits, record its result in the journal,
// and skip the closure on replay. The handler context is not safe to use
// there: it is not goroutine-safe, a Restate operation issued through it
// (restate.Get, a call, a sleep, a nested Run) interleaves with the Run's
// own journal entry, and the closure's work is not tied to the run's
// context. A generator from restate.Rand(ctx) or restate.RandSource(ctx)
// used inside the closure consumes the invocation's deterministic random
// sequence on the first execution only (the closure is skipped on replay),
// so every later draw in the handler differs between executions.
//
// Reported, on each offending line inside a run zone (the function given
// to restate.Run, RunAsync or RunVoid, and literals nested in it; also a
// function given to the project's own wrapper that runs it only inside
// Run, or stored into a slice of functions such a wrapper runs element by
// element inside RunAsync, as in FanOut(ctx, ops)): any
// reference to an enclosing handler context, also passed on as a
// context.Context and also through a variable that holds it (c :=
// context.Context(ctx), c, cancel := context.WithTimeout(ctx, d)); a
// Restate operation; a *rand.Rand or rand.Source obtained from
// restate.Rand or restate.RandSource outside the closure.
//
// Quiet on: the closure's own RunContext, however named, stored or
// wrapped (context.WithTimeout(runCtx, d)); plain values computed outside
// the closure (restate.Key(ctx), a restate.UUID(ctx) value, a
// restate.Rand(ctx).IntN(n) result); pure accessors of a handle created
// outside (awakeable.Id(): data fixed at creation, no journal entry); the
// ctx argument of restate.Run(ctx, ...) itself.
//
// Fix, where the outer context is used as a context.Context (passed to a
// parameter of an interface type the RunContext implements, or a method of
// RunContext called on it) and holds the handler context itself rather
// than a derived one:
//
//	restate.Run(ctx, func(runCtx restate.RunContext) ([]Row, error) {
//		return db.Query(ctx, q)     →     return db.Query(runCtx, q)
//	})
//
// naming the closure's parameter (runCtx) when it is blank or unnamed.
//
// Suppress one finding with //restatelint:ignore runcontext <reason>.
package runcontext

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

const name = "runcontext"

// Analyzer reports the handler context and Restate operations used inside
// restate.Run closures.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report the handler context, Restate operations and restate.Rand generators used inside restate.Run closures

A restate.Run closure runs on another goroutine and is skipped on replay.
Inside it, use only the closure's RunContext parameter; issue Restate
operations and draw from restate.Rand in the handler, before or after the Run.`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/runcontext.md",
	Requires:         []*analysis.Analyzer{zones.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

// kind orders the findings of one line: the first kind present is the
// one reported.
type kind int

const (
	opKind kind = iota
	randKind
	ctxKind
)

// finding is one offending use inside a run zone.
type finding struct {
	kind  kind
	node  ast.Node
	msg   string
	edits []analysis.TextEdit // ctxKind: the fix for this use, if any
	v     *types.Var          // ctxKind: the variable used
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	z := pass.ResultOf[zones.Analyzer].(*zones.Zones)
	c := newChecker(pass, z)
	var fs []finding
	for _, f := range z.Funcs {
		if !isRunRoot(f) {
			continue
		}
		fs = append(fs, c.check(f)...)
	}
	dropUnusing(pass, z, fs)
	report(pass, fs)
	return nil, nil
}

// dropUnusing drops the fixes that would replace every use of a local
// variable (c := context.Context(ctx) used only inside the closure): the
// fixed code would not compile ("declared and not used").
func dropUnusing(pass *analysis.Pass, z *zones.Zones, fs []finding) {
	fixed := make(map[*types.Var]int)
	for _, f := range fs {
		if f.edits != nil {
			fixed[f.v]++
		}
	}
	uses := make(map[*types.Var]int)
	for _, obj := range pass.TypesInfo.Uses {
		if v, ok := obj.(*types.Var); ok && fixed[v] > 0 {
			uses[v]++
		}
	}
	for i, f := range fs {
		if f.edits != nil && !isParam(z, f.v) && !f.v.IsField() && uses[f.v] <= fixed[f.v] {
			fs[i].edits = nil
		}
	}
}

// isParam reports whether v is a parameter (or receiver) of a function of
// the package: an unused parameter compiles.
func isParam(z *zones.Zones, v *types.Var) bool {
	for _, f := range z.Funcs {
		if f.Type.Params != nil && f.Type.Params.Pos() <= v.Pos() && v.Pos() < f.Type.Params.End() {
			return true
		}
		if d, ok := f.Node.(*ast.FuncDecl); ok && d.Recv != nil && d.Recv.Pos() <= v.Pos() && v.Pos() < d.Recv.End() {
			return true
		}
	}
	return false
}

// isRunRoot reports whether f is a run zone not nested in another one:
// nested ones are checked with their outermost run zone.
func isRunRoot(f *zones.Func) bool {
	if f.Kind != zones.Run || f.Body == nil {
		return false
	}
	_, lit := f.Node.(*ast.FuncLit)
	return lit && (f.Parent == nil || f.Parent.Kind != zones.Run)
}

// report reports one diagnostic per line: the first finding of the most
// important kind, with the fixes of every fixable context use on the line.
func report(pass *analysis.Pass, fs []finding) {
	slices.SortStableFunc(fs, func(a, b finding) int {
		if a.node.Pos() != b.node.Pos() {
			return int(a.node.Pos() - b.node.Pos())
		}
		return int(a.node.End() - b.node.End()) // restate.Service(...) before restate.Service(...).Request
	})
	type lineKey struct {
		file *token.File
		line int
	}
	byLine := make(map[lineKey][]finding)
	var order []lineKey
	for _, f := range fs {
		tf := pass.Fset.File(f.node.Pos())
		k := lineKey{tf, tf.Line(f.node.Pos())}
		if byLine[k] == nil {
			order = append(order, k)
		}
		byLine[k] = append(byLine[k], f)
	}
	for _, k := range order {
		line := byLine[k]
		best := line[0]
		for _, f := range line[1:] {
			if f.kind < best.kind {
				best = f
			}
		}
		d := analysis.Diagnostic{Pos: best.node.Pos(), End: best.node.End(), Message: best.msg}
		if best.kind == ctxKind {
			var edits []analysis.TextEdit
			for _, f := range line {
				if f.kind == ctxKind && f.edits != nil {
					edits = appendEdits(edits, f.edits)
				}
			}
			if len(edits) > 0 {
				d.SuggestedFixes = []analysis.SuggestedFix{{
					Message:   "Use the closure's RunContext instead of the handler context",
					TextEdits: edits,
				}}
			}
		}
		suppress.Report(pass, d)
	}
}

// appendEdits appends edits not already present (the edit naming the
// closure's parameter is shared by every use in the closure).
func appendEdits(list, more []analysis.TextEdit) []analysis.TextEdit {
	for _, e := range more {
		dup := false
		for _, x := range list {
			if x.Pos == e.Pos && x.End == e.End && string(x.NewText) == string(e.NewText) {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, e)
		}
	}
	return list
}
