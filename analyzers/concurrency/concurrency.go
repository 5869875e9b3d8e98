// Package concurrency reports goroutines, channel operations and select
// statements in Restate handlers.
//
// A handler's context is not goroutine-safe, and the journal records
// Restate operations in the order the handler issues them. Work started
// on goroutines issues its operations in whatever order the scheduler
// picks, which differs between the first execution and a replay: the
// replay trips a journal mismatch, or two goroutines corrupt the context's
// state machine outright. Channels and select coordinate such work, and a
// select picks among ready cases at random.
//
// Reported, in handler zones and in code they reach at any depth (the
// latter at the handler's call site, with the call chain): go statements
// (at the go keyword), channel sends, channel receives, select statements
// (at the select keyword; the sends and receives of its cases are part of
// it), for range over a channel (at the for), sync.WaitGroup.Go,
// errgroup.Group.Go and TryGo, and the Go methods of
// github.com/sourcegraph/conc's WaitGroup and pools.
//
// Quiet on: restate.Run, RunAsync and RunVoid closures and code reached
// only from them; restate.RunAsync futures collected with restate.Wait,
// WaitFirst or WaitIter (ranging over restate.Wait is ranging over an
// iterator, not a channel); sync.Mutex, sync.RWMutex, sync.Once,
// sync/atomic; WaitGroup.Wait, Group.Wait, Add and Done (the starts are
// reported); make and close of a channel; a receive from a call that
// another rule reports (<-time.After(d) is walltime's finding).
//
// No automatic fix: run the concurrent work as futures,
//
//	var futs []restate.Future
//	for _, item := range items {
//		futs = append(futs, restate.RunAsync(ctx, func(ctx restate.RunContext) (Result, error) {
//			return process(ctx, item)
//		}))
//	}
//	for fut, err := range restate.Wait(ctx, futs...) {
//		...
//	}
//
// (calls to other handlers are futures already: RequestFuture).
//
// Suppress one finding with //restatelint:ignore concurrency <reason>.
package concurrency

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/reach"
)

const name = "concurrency"

// Analyzer reports goroutines, channel operations and select in Restate
// handlers.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report goroutines, channel operations and select in Restate handlers

The handler context is not goroutine-safe, and work run on goroutines journals
its operations in a racy order that a replay does not reproduce. Run concurrent
work as restate.RunAsync futures and collect them with restate.Wait.`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/concurrency.md",
	Requires:         []*analysis.Analyzer{reach.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

// remedy is the rewrite every message points to.
const remedy = "run the work as futures instead: futs = append(futs, restate.RunAsync(ctx, work)), then for fut, err := range restate.Wait(ctx, futs...)"

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	res := pass.ResultOf[reach.Analyzer].(*reach.Result)
	for _, site := range res.Sites {
		e, ok := site.Effect(name)
		if !ok {
			continue
		}
		var msg string
		if site.Sink == nil {
			msg = fmt.Sprintf("calls %s, which %s, so the journal order of the concurrent work is racy and a replay can mismatch; %s",
				res.Render(e), what(e.Sink), remedy)
		} else {
			msg = fmt.Sprintf("%s in a handler: %s; %s", e.Sink, why(site.Sink, performsOps(pass, res, site)), remedy)
		}
		n := site.Expr.Node()
		suppress.Report(pass, analysis.Diagnostic{Pos: n.Pos(), End: headEnd(n), Message: msg, Related: res.Related(site, e)})
	}
	return nil, nil
}

// why says what goes wrong with a construct or start in a handler; ops
// tells whether a started goroutine performs Restate operations.
func why(s *sinks.Sink, ops bool) string {
	switch s.Construct {
	case sinks.ChanSend, sinks.ChanRecv, sinks.RangeChan:
		return "channels coordinate concurrent work, whose Restate operations journal in a racy order that a replay does not reproduce"
	case sinks.SelectStmt:
		return "select picks a ready case at random and waits on concurrent work, so a replay can take another path than the journal recorded"
	}
	if !ops {
		return "work on a goroutine is not journaled, so it runs again whenever the handler is replayed or retried, and what it hands back reaches the handler in an order a replay does not reproduce"
	}
	return "the Restate context is not goroutine-safe and the goroutine's Restate operations journal in a racy order that a replay does not reproduce"
}

// performsOps reports whether the goroutine a site starts (the function of
// a go statement, or the function given to WaitGroup.Go, Group.Go, ...)
// performs Restate operations, directly or in what it calls. A function
// the analysis cannot see counts as performing them.
func performsOps(pass *analysis.Pass, res *reach.Result, site *reach.Site) bool {
	var fun ast.Expr
	switch n := site.Expr.Node().(type) {
	case *ast.GoStmt:
		fun = n.Call.Fun
	default:
		if site.Call == nil || len(site.Call.Args) == 0 {
			return true
		}
		fun = site.Call.Args[len(site.Call.Args)-1]
	}
	switch fun := ast.Unparen(fun).(type) {
	case *ast.FuncLit:
		for _, s := range res.Sites {
			if s.Pos() < fun.Pos() || s.Pos() >= fun.End() {
				continue
			}
			if _, ok := s.Effect(reach.OpRule); ok || s.Op != "" {
				return true
			}
		}
		return false
	case *ast.Ident, *ast.SelectorExpr:
		var id *ast.Ident
		if sel, ok := fun.(*ast.SelectorExpr); ok {
			id = sel.Sel
		} else {
			id = fun.(*ast.Ident)
		}
		fn, ok := pass.TypesInfo.Uses[id].(*types.Func)
		if !ok {
			return true // a function value
		}
		if sum := res.Reaches(fn); sum != nil {
			_, ops := sum.Get(reach.OpRule)
			return ops
		}
		// No summary: a function that reaches nothing, or one outside the
		// analysis, which can only operate through a handler context.
		sig := fn.Signature()
		for i := 0; i < sig.Params().Len(); i++ {
			if sdk.IsHandlerContext(sig.Params().At(i).Type()) {
				return true
			}
		}
		return false
	}
	return true
}

// what says what a sink does, for messages about reached code.
func what(sink string) string {
	switch sink {
	case sinks.ChanSend.String():
		return "sends on a channel"
	case sinks.ChanRecv.String():
		return "receives from a channel"
	case sinks.RangeChan.String():
		return "receives from a channel in a range loop"
	case sinks.SelectStmt.String():
		return "waits in a select statement"
	}
	return "starts a goroutine"
}

// headEnd is where the highlighted range of a finding ends: the range
// clause of a for, the select keyword, the whole of anything else.
func headEnd(n ast.Node) token.Pos {
	switch n := n.(type) {
	case *ast.RangeStmt:
		return n.X.End()
	case *ast.SelectStmt:
		return n.Select + token.Pos(len("select"))
	}
	return n.End()
}
