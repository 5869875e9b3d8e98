// Package idempotencykey reports idempotency keys that do not identify
// one logical request, and ingress requests retried without a key, in
// any code: handlers, clients, main.
//
// Restate deduplicates requests that carry the same idempotency key
// (restate.WithIdempotencyKey) within the service's retention period: the
// second request gets the first one's result and does not run. A
// request without a key, or with a new key, is a new invocation and runs
// again; a request with another request's key is silently dropped.
//
// Reported, at the restate.WithIdempotencyKey call:
//
//   - a constant key (a literal, a constant, a local variable only ever
//     set to constants, a function returning one): every request after
//     the first is dropped as a duplicate;
//   - a key built from a package-level counter (a variable incremented
//     with ++, +=, sync/atomic): the counter restarts with the process and
//     differs between replicas, so keys repeat (new requests are dropped)
//     or a retry by another process gets another key (it runs twice);
//   - in a handler zone, a key that differs on every execution: built
//     from the wall clock or a random source (time.Now, uuid.New,
//     rand.Int, ...) outside restate.Run, directly or through the
//     functions it calls, or from ctx.Request().AttemptHeaders. A replay
//     sends the call with another key, a journal mismatch;
//   - a key generated afresh inside a retry loop (below) around the
//     ingress request it is passed to: every attempt is a new invocation.
//
// Reported at the call: an ingress Request or Send (of a requester from
// ingress.Service, ingress.Object, ServiceSend, ObjectSend, or one whose
// origin is unknown) repeated by a retry loop without an idempotency key:
// an attempt that reached Restate before it failed (a timeout, a dropped
// connection, a 5xx from a proxy) runs again.
//
// A retry loop around a call is an enclosing for statement (in the same
// function) that sends the same request again after the call fails:
//
//   - the call's error is assigned to a variable (not discarded);
//   - the loop ends when the call succeeds: an if that tests err == nil
//     breaks out of the loop or returns; or an if that tests err != nil
//     (or errors.Is/As of it) continues the loop and the statements after
//     it leave the loop; or the loop's condition tests the error, or a
//     variable the success branch sets;
//   - the loop does not always end when the call fails: no if err != nil
//     that returns or breaks unconditionally;
//   - the request's input is the same in every iteration: it uses none of
//     the loop's own variables (the for clause's variables, range keys and
//     values) nor variables assigned in the loop from them or from a
//     channel receive.
//
// So a loop over distinct items (for _, item := range items { send(item) }),
// which moves on after a success, is not a retry loop.
//
// Quiet on: keys from restate.Key(ctx), restate.UUID(ctx) or
// restate.Rand(ctx), request fields, hashes of the request, values stored
// with the request; one key made before a retry loop; random keys in
// client code outside a retry loop (one logical request, one key); batch
// loops over distinct items; submissions to a workflow (a requester from
// ingress.Workflow or ingress.WorkflowSend: the workflow ID deduplicates
// them); single calls without a key; calls whose options are passed as a
// slice (opts...), which may hold a key.
//
// No automatic fix: the right key depends on what identifies the request.
//
// Suppress one finding with //restatelint:ignore idempotencykey <reason>.
package idempotencykey

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
	"github.com/restatelint/restatelint/analyzers/reach"
)

const name = "idempotencykey"

// Analyzer reports idempotency keys that do not identify one logical
// request, and ingress requests retried without a key.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report bad idempotency keys and ingress requests retried without one

A constant key drops every request after the first; a key from a package-level
counter repeats after a restart; a key that differs per execution in a handler
breaks replay; a key made afresh inside a retry loop, or no key at all, lets
every retry run as a new invocation. Derive the key from the request, once.`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/idempotencykey.md",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, reach.Analyzer, zones.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

// checker holds what one package's checks share.
type checker struct {
	pass     *analysis.Pass
	reach    *reach.Result
	zones    *zones.Zones
	in       *inspector.Inspector
	counters map[*types.Var]bool // package-level counters, computed on first use
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	if !sdk.Imported(pass.Pkg) {
		return nil, nil // no WithIdempotencyKey, no ingress call
	}
	ck := &checker{
		pass:  pass,
		reach: pass.ResultOf[reach.Analyzer].(*reach.Result),
		zones: pass.ResultOf[zones.Analyzer].(*zones.Zones),
		in:    pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
	}
	for c := range ck.in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		fn := sdk.Callee(pass.TypesInfo, call)
		switch {
		case fn == nil:
		case sdk.IsFunc(fn, "WithIdempotencyKey") && len(call.Args) == 1:
			ck.checkKey(c, call)
		case isIngressCall(fn):
			ck.checkRetried(c, call, fn)
		}
	}
	return nil, nil
}

func (ck *checker) report(n ast.Node, msg string) {
	suppress.Report(ck.pass, analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Message: msg})
}
