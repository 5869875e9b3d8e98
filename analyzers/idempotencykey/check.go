package idempotencykey

import (
	"fmt"
	"go/ast"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// checkKey checks the key given to the restate.WithIdempotencyKey call at
// c: constant, from a counter, per execution in a handler, or made afresh
// in a retry loop. One finding per call, in that order.
func (ck *checker) checkKey(c inspector.Cursor, call *ast.CallExpr) {
	o := ck.originOf(c, call.Args[0])
	f := ck.zones.Enclosing(c)
	switch {
	case o.constant():
		if tv, ok := ck.pass.TypesInfo.Types[call.Args[0]]; ok && tv.Value != nil && o.constVal == "" {
			return // "" sets no key
		}
		what := "a constant key"
		if o.constVal != "" {
			what = "the constant key " + strconv.Quote(o.constVal)
		}
		ck.report(call, fmt.Sprintf("restate.WithIdempotencyKey with %s: Restate deduplicates every later request with this key to the first one, so they are silently dropped; derive the key from what identifies the request (an order ID, restate.Key(ctx), a hash of the payload)", what))
	case o.counter != nil:
		ck.report(call, fmt.Sprintf("restate.WithIdempotencyKey with a key built from the package-level counter %s: the counter starts over when the process restarts and differs between replicas, so keys repeat (new requests are dropped as duplicates) or a retry gets another key (it runs twice); derive the key from what identifies the request", o.counter.Name()))
	case f != nil && f.Kind == zones.Handler && len(o.sources) > 0:
		ck.report(call, fmt.Sprintf("restate.WithIdempotencyKey with a key built from %s in a handler: the key differs when the handler is replayed, so the call no longer matches its journal entry, and a retried request sends a new key; use restate.Key(ctx), restate.UUID(ctx) or request fields, or make the key inside restate.Run", o.sources[0].what))
	case f == nil || f.Kind != zones.Handler:
		ck.checkFreshInLoop(c, call, o)
	}
}

// checkFreshInLoop reports a key generated inside the retry loop around
// the ingress request it is passed to.
func (ck *checker) checkFreshInLoop(c inspector.Cursor, call *ast.CallExpr, o *origin) {
	if len(o.sources) == 0 {
		return
	}
	req, ok := ck.requestOf(c)
	if !ok {
		return
	}
	loop, ok := ck.retryLoop(req, req.Node().(*ast.CallExpr))
	if !ok {
		return
	}
	for _, s := range o.sources {
		if loop.Node().Pos() <= s.pos && s.pos < loop.Node().End() {
			ck.report(call, fmt.Sprintf("restate.WithIdempotencyKey with a key from %s made inside the retry loop at line %d: every retry sends a new key, so an attempt that reached Restate before failing runs again as a new invocation; make the key once, before the loop",
				s.what, ck.pass.Fset.Position(loop.Node().Pos()).Line))
			return
		}
	}
}

// checkRetried reports an ingress Request or Send without an idempotency
// key that a retry loop sends again.
func (ck *checker) checkRetried(c inspector.Cursor, call *ast.CallExpr, fn *types.Func) {
	if len(call.Args) < 2 || ck.hasKey(call) || ck.isWorkflow(c, call) {
		return
	}
	loop, ok := ck.retryLoop(c, call)
	if !ok {
		return
	}
	ck.report(call, fmt.Sprintf("ingress %s without an idempotency key is sent again by the retry loop at line %d after it fails, so an attempt that reached Restate before failing (a timeout, a dropped connection) runs again as a new invocation; make one key per logical request before the loop and pass restate.WithIdempotencyKey(key)",
		fn.Name(), ck.pass.Fset.Position(loop.Node().Pos()).Line))
}
