package gen

import (
	"fmt"
	"strings"
)

// ctxKind is the Restate context a handler receives.
type ctxKind int

const (
	ckService ctxKind = iota
	ckObjectShared
	ckObject
	ckWorkflowShared
	ckWorkflow
)

var ctxTypes = [...]string{"Context", "ObjectSharedContext", "ObjectContext", "WorkflowSharedContext", "WorkflowContext"}

func (k ctxKind) keyed() bool     { return k != ckService }
func (k ctxKind) exclusive() bool { return k == ckObject || k == ckWorkflow }

// inShape and outShape are a handler's input and output types.
type inShape int

const (
	inRequest inShape = iota // Request
	inItem                   // the domain's Item
	inNone                   // nothing (restate.Void for func literals)
	inString                 // a string
)

type outShape int

const (
	outReply   outShape = iota // Reply
	outSummary                 // the domain's Summary
	outBool                    // bool
)

// handler is a generated Restate handler that other services may call.
type handler struct {
	owner *pkg
	recv  string // "Service", "Object", "Workflow" or "Hooks"
	name  string
	ck    ctxKind
	in    inShape
	out   outShape
}

// nameConst is the constant holding the Restate name of h's service.
func (h *handler) nameConst() string {
	if h.recv == "Hooks" {
		return "HooksName"
	}
	return h.recv + "Name"
}

var (
	serviceHandlerNames = []string{"Process", "Quote", "Submit", "Check", "Price", "Notify",
		"Reconcile", "Import", "Export", "Settle", "Preview", "Estimate", "Schedule", "Verify",
		"Audit", "Route", "Forecast", "Sync"}
	objectHandlerNames = []string{"Add", "Update", "Cancel", "Close", "Reopen", "Assign",
		"Approve", "Reject", "Refresh", "Expire", "Archive", "Adjust", "Charge", "Reserve", "Release"}
	sharedHandlerNames  = []string{"Get", "Status", "Peek", "Describe", "Balance", "History", "Lookup"}
	workflowSharedNames = []string{"Progress", "Inspect", "Report"}
	workflowSignalNames = []string{"Approve", "Confirm", "Signal"}
	runLabels           = []string{"charge", "reserve", "lookup", "price", "notify", "persist", "fetch", "publish"}
	intVarNames         = []string{"fee", "cost", "price", "score", "weight", "delta"}
	strVarNames         = []string{"receipt", "token", "ref", "code", "ack"}
	callVarNames        = []string{"peer", "res", "answer", "upstream"}
	stateVarNames       = []string{"count", "seen", "visits", "version"}
)

// pRequestReply is the share of Request -> Reply handlers among the
// Service handlers; the others take an Item and return a Summary.
const pRequestReply = 0.8

// svcGen generates one service package.
type svcGen struct {
	p                      *pkg
	b                      *builder
	hasObject, hasWorkflow bool
	hasLedger, hasHooks    bool
	// cycle: the first exclusive Object handler and the Ledger's Append
	// await each other (the deadlock rule's cycle); cycleObject is that
	// Object handler once generated.
	cycle       bool
	cycleObject *handler
	counts
}

// Shares of the hazards of the newer rules: a package whose Object and
// Ledger await each other (deadlock), a handler counting its requests in
// a package-level variable (memstate), a handler rejecting its input with
// a plain error (terminalerror).
const (
	pDeadlockCycle = 0.25
	pMemstate      = 0.02
	pTerminalError = 0.03
)

// genService emits a service package: a reflected Service, usually a
// virtual Object, sometimes a Workflow, and sometimes services built from
// handler constructors with func literals.
func genService(p *pkg, target int) ([]*file, counts) {
	g := &svcGen{
		p: p, b: newBuilder(p, "handlers.go", "more.go", "admin.go"),
		hasObject:   p.chance(0.65),
		hasWorkflow: p.chance(0.35),
		hasLedger:   p.chance(0.5),
		hasHooks:    p.chance(0.3),
	}
	g.cycle = g.hasObject && g.hasLedger && p.chance(pDeadlockCycle)
	svc := g.b.open("service.go")
	g.core(svc)
	helpers := g.b.open("helpers.go")
	for range 1 + p.rng.IntN(3) {
		g.helper(helpers)
	}
	g.method(svc, "Service", ckService, inRequest, outReply)
	var obj, wf *file
	if g.hasObject {
		obj = g.b.open("object.go")
		obj.printf("// Object is the %sObject virtual object, keyed by record ID.\ntype Object struct{}\n\n", p.title)
		obj.printf("// ServiceName implements restate's service namer.\nfunc (Object) ServiceName() string { return ObjectName }\n\n")
		g.method(obj, "Object", ckObject, inRequest, outReply)
	}
	if g.hasWorkflow {
		wf = g.b.open("workflow.go")
		wf.printf("// Workflow is the %sWorkflow: one run per record ID, waiting for an\n// approval signal.\ntype Workflow struct{}\n\n", p.title)
		wf.printf("// ServiceName implements restate's service namer.\nfunc (Workflow) ServiceName() string { return WorkflowName }\n\n")
		wf.printf("// approvalPromise is the durable promise the Run handler waits on.\nconst approvalPromise = \"approval\"\n\n")
		g.method(wf, "Workflow", ckWorkflow, inRequest, outReply)
		g.signal(wf)
	}
	defs := g.b.open("definitions.go")
	g.definitions(defs)
	g.b.cur = svc
	for g.b.lines() < target {
		x := p.rng.Float64()
		switch {
		case g.hasObject && x < 0.45:
			if p.chance(0.7) {
				in := pickT(p, inRequest, inRequest, inItem)
				g.method(obj, "Object", ckObject, in, pickT(p, outReply, outSummary))
			} else {
				g.method(obj, "Object", ckObjectShared, pickT(p, inNone, inRequest), pickT(p, outReply, outSummary))
			}
		case g.hasWorkflow && x >= 0.45 && x < 0.55:
			g.method(wf, "Workflow", ckWorkflowShared, inNone, outSummary)
		default:
			in, out := inRequest, outReply
			if !p.chance(pRequestReply) {
				in, out = inItem, outSummary
			}
			g.method(g.b.file(), "Service", ckService, in, out)
		}
	}
	if g.memstate > 0 {
		f := g.b.open("stats.go")
		f.printf("// requestsServed counts the requests this process has served.\nvar requestsServed int64\n\n")
	}
	return g.b.files, g.counts
}

func (g *svcGen) core(f *file) {
	p := g.p
	for _, n := range []string{"ServiceName", "ObjectName", "WorkflowName", "LedgerName",
		"HooksName", "stateKey", "Request", "Reply", "Service", "Object", "Workflow",
		"Definitions", "ledgerDefinition", "hooksDefinition", "approvalPromise"} {
		p.names[n] = true
	}
	f.printf("// Restate names of the services in this package.\nconst (\n\tServiceName = %q\n", p.title+"Service")
	if g.hasObject {
		f.printf("\tObjectName = %q\n", p.title+"Object")
	}
	if g.hasWorkflow {
		f.printf("\tWorkflowName = %q\n", p.title+"Workflow")
	}
	if g.hasLedger {
		f.printf("\tLedgerName = %q\n", p.title+"Ledger")
	}
	if g.hasHooks {
		f.printf("\tHooksName = %q\n", p.title+"Hooks")
	}
	f.printf(`)

// stateKey is the state entry holding the record of a keyed handler.
const stateKey = %[1]q

// Request is the input of most handlers in this package.
type Request struct {
	ID     string   `+"`json:\"id\"`"+`
	Name   string   `+"`json:\"name\"`"+`
	Amount int64    `+"`json:\"amount\"`"+`
	Tags   []string `+"`json:\"tags,omitempty\"`"+`
}

// Reply is what they return.
type Reply struct {
	ID      string `+"`json:\"id\"`"+`
	Status  string `+"`json:\"status\"`"+`
	Total   int64  `+"`json:\"total\"`"+`
	Message string `+"`json:\"message,omitempty\"`"+`
}

// Service is the stateless %[2]sService; bind it with restate.Reflect.
type Service struct{}

// ServiceName implements restate's service namer.
func (Service) ServiceName() string { return ServiceName }

`, p.domain.name, p.title)
}

// helper emits a private helper: either one that wraps a side effect in
// restate.Run and takes the handler context, or a plain computation that
// handlers call outside Run (and which may, rarely, be impure).
func (g *svcGen) helper(f *file) {
	p := g.p
	u := p.unit(f)
	t := typeOf(f, p.domain)
	if p.chance(0.5) {
		name := p.uniqueFrom("charge", "reserve", "publish", "lookup", "persist")
		expr := u.call(kDomInt, p.domain, "v", "", pImpureRun, true)
		if expr == "" {
			expr = u.same(kInt, nil, "v.Total()", pImpureRun, true)
		}
		r := f.restate()
		f.printf(`// %[1]s performs the %[1]s side effect for v exactly once: restate.Run
// journals the result, so a retried invocation reuses it.
func %[1]s(ctx %[2]s.Context, v %[3]s) (int64, error) {
	return %[2]s.Run(ctx, func(ctx %[2]s.RunContext) (int64, error) {
		ctx.Log().Info(%[1]q, "id", v.ID)
		return %[4]s, nil
	}, %[2]s.WithName(%[1]q))
}

`, name, r, t, expr)
		p.helpers = append(p.helpers, name)
		return
	}
	name := p.uniqueFrom("feeFor", "riskOf", "weightOf", "budgetFor")
	expr := u.call(kDomInt, p.domain, "v", "v.Total()", pImpureHelper, false)
	f.printf(`// %[1]s derives a handler input from v and the pricing tables.
func %[1]s(v %[2]s) int64 {
	n := %[3]s
	if k := len(v.Items); k > 10 {
		n += int64(k-10) * %[4]d
	}
	return n
}

`, name, t, expr, 1+p.rng.IntN(20))
	u.register(name, kDomInt, p.domain)
}

// method emits a reflected handler method on recv.
func (g *svcGen) method(f *file, recv string, ck ctxKind, in inShape, out outShape) {
	p := g.p
	var name string
	switch ck {
	case ckService:
		name = p.uniqueFrom(serviceHandlerNames...)
	case ckObject:
		name = p.uniqueFrom(objectHandlerNames...)
	case ckObjectShared:
		name = p.uniqueFrom(sharedHandlerNames...)
	case ckWorkflow:
		name = "Run"
		p.names[name] = true
	default:
		name = p.uniqueFrom(workflowSharedNames...)
	}
	h := &handler{owner: p, recv: recv, name: name, ck: ck, in: in, out: out}
	r := f.restate()
	params := "ctx " + r + "." + ctxTypes[ck]
	switch in {
	case inRequest:
		params += ", req Request"
	case inItem:
		params += ", in " + f.use(p.domain) + "Item"
	}
	var await string
	if g.cycle && g.cycleObject == nil && ck == ckObject && in == inRequest && out == outReply {
		// Awaits the Ledger's exclusive Append, which awaits this handler.
		g.cycleObject = h
		q := f.use(p.domain)
		await = fmt.Sprintf("if _, err := %[1]s.Object[%[2]sSummary](ctx, LedgerName, v.ID, \"Append\").Request(%[2]sItem{SKU: v.ID}); err != nil {\nreturn Reply{}, err\n}\n", r, q)
	}
	bd := g.bodyWith(f, h, await)
	f.printf("// %s %s\nfunc (%s) %s(%s) (%s, error) {\n%s}\n\n",
		name, handlerDoc(h), recv, name, params, outType(f, h), bd)
	p.handlers = append(p.handlers, h)
}

func handlerDoc(h *handler) string {
	switch h.ck {
	case ckService:
		return "handles a request statelessly; Restate retries it until it succeeds\n// or fails terminally."
	case ckObject:
		return "updates the record under the object's key; Restate runs at most one\n// exclusive handler per key at a time."
	case ckObjectShared:
		return "reads the record under the object's key without blocking writers."
	case ckWorkflow:
		return "executes the workflow once per ID, pausing for approval."
	}
	return "reports the workflow's progress from its state."
}

func outType(f *file, h *handler) string {
	switch h.out {
	case outSummary:
		return f.use(h.owner.domain) + "Summary"
	case outBool:
		return "bool"
	}
	return "Reply"
}

// signal emits the workflow's shared handler that resolves its promise.
func (g *svcGen) signal(f *file) {
	p := g.p
	name := p.uniqueFrom(workflowSignalNames...)
	r := f.restate()
	f.printf(`// %[1]s resolves the approval promise the Run handler waits on.
func (Workflow) %[1]s(ctx %[2]s.WorkflowSharedContext, note string) (bool, error) {
	if err := %[2]s.Promise[string](ctx, approvalPromise).Resolve(note); err != nil {
		return false, err
	}
	return true, nil
}

`, name, r)
	g.handlers++
}

// definitions emits Definitions and the constructor-built services.
func (g *svcGen) definitions(f *file) {
	p := g.p
	r := f.restate()
	var list []string
	list = append(list, r+".Reflect(Service{})")
	if g.hasObject {
		list = append(list, r+".Reflect(Object{})")
	}
	if g.hasWorkflow {
		list = append(list, r+".Reflect(Workflow{})")
	}
	if g.hasLedger {
		list = append(list, "ledgerDefinition()")
	}
	if g.hasHooks {
		list = append(list, "hooksDefinition()")
	}
	f.printf("// Definitions returns the Restate services of this package, for\n// binding to a server.\nfunc Definitions() []%s.ServiceDefinition {\n\treturn []%s.ServiceDefinition{\n", r, r)
	for _, d := range list {
		f.printf("\t\t%s,\n", d)
	}
	f.printf("\t}\n}\n\n")
	if g.hasLedger {
		q := f.use(p.domain)
		add := &handler{owner: p, recv: "Ledger", name: "Append", ck: ckObject, in: inItem, out: outSummary}
		bal := &handler{owner: p, recv: "Ledger", name: "Balance", ck: ckObjectShared, in: inNone, out: outSummary}
		var await string
		if g.cycleObject != nil {
			// Closes the cycle: Object.<handler> → Ledger.Append → Object.<handler>.
			await = fmt.Sprintf("if _, err := %[1]s.Object[Reply](ctx, ObjectName, in.SKU, %[2]q).Request(Request{ID: in.SKU}); err != nil {\nreturn %[3]sSummary{}, err\n}\n", r, g.cycleObject.name, q)
			g.deadlockCycles++
		}
		f.printf(`// ledgerDefinition is bound with handler constructors rather than by reflection.
func ledgerDefinition() %[1]s.ServiceDefinition {
	return %[1]s.NewObject(LedgerName).
		Handler("Append", %[1]s.NewObjectHandler(func(ctx %[1]s.ObjectContext, in %[2]sItem) (%[2]sSummary, error) {
%[3]s})).
		Handler("Balance", %[1]s.NewObjectSharedHandler(func(ctx %[1]s.ObjectSharedContext, _ %[1]s.Void) (%[2]sSummary, error) {
%[4]s}))
}

`, r, q, g.bodyWith(f, add, await), g.body(f, bal))
	}
	if g.hasHooks {
		ping := &handler{owner: p, recv: "Hooks", name: "Ping", ck: ckService, in: inRequest, out: outReply}
		f.printf(`// hooksDefinition serves the webhook entry point of this package.
func hooksDefinition() %[1]s.ServiceDefinition {
	return %[1]s.NewService(HooksName).
		Handler("Ping", %[1]s.NewServiceHandler(func(ctx %[1]s.Context, req Request) (Reply, error) {
%[2]s}))
}

`, r, g.body(f, ping))
		p.handlers = append(p.handlers, ping)
	}
}

// body generates a handler body and counts the handler.
func (g *svcGen) body(f *file, h *handler) string { return g.bodyWith(f, h, "") }

// bodyWith is body with a statement (an awaited call) right after the
// record is read.
func (g *svcGen) bodyWith(f *file, h *handler, await string) string {
	b := &body{p: g.p, f: f, h: h, u: g.p.unit(f), r: f.restate(), q: f.use(g.p.domain), vars: map[string]bool{}, await: await}
	s := b.build()
	g.handlers++
	if b.u.sources != 0 {
		g.impure++
		for i := range g.bySource {
			if b.u.sources&(1<<i) != 0 {
				g.bySource[i]++
			}
		}
	}
	if b.mapOrder {
		g.mapOrder++
	}
	if b.counter {
		g.counters++
	}
	if b.memstate {
		g.memstate++
	}
	if b.terminal {
		g.terminalErrors++
	}
	return s
}

// body builds one handler body from a random sequence of steps.
type body struct {
	p    *pkg
	f    *file
	h    *handler
	u    *unit
	r, q string // qualifiers of the SDK and of the domain package
	out  strings.Builder
	vars map[string]bool

	errType    int // type of err so far: 0 none, 1 restate.TerminalError, 2 error
	needVarErr bool
	mapOrder   bool // journals in map order
	counter    bool // increments a state value it read
	await      string
	memstate   bool // counts requests in a package-level variable
	terminal   bool // rejects its input with a plain error
}

func (b *body) printf(format string, args ...any) { fmt.Fprintf(&b.out, format, args...) }

// fresh returns an unused local name from bases.
func (b *body) fresh(bases ...string) string {
	base := pickT(b.p, bases...)
	name := base
	for i := 2; b.vars[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	b.vars[name] = true
	return name
}

func (b *body) zero() string {
	switch b.h.out {
	case outSummary:
		return b.q + "Summary{}"
	case outBool:
		return "false"
	}
	return "Reply{}"
}

// check emits the error check after a statement that declared err with
// :=. A TerminalError-typed err cannot later receive a plain error, so
// such a sequence gets a "var err error" up front instead.
func (b *body) check(terminal bool) {
	switch {
	case b.errType == 0 && terminal:
		b.errType = 1
	case b.errType == 0:
		b.errType = 2
	case b.errType == 1 && !terminal:
		b.needVarErr = true
	}
	b.printf("if err != nil {\nreturn %s, err\n}\n", b.zero())
}

func (b *body) build() string {
	b.entry()
	b.out.WriteString(b.await)
	if b.p.chance(pMemstate) {
		// In-memory state: lost on a crash, different on every replica.
		b.memstate = true
		b.printf("requestsServed++\n")
	}
	n := 3 + b.p.rng.IntN(5)
	if b.p.chance(0.02) {
		b.direct()
	}
	for i := 0; i < n; {
		if b.step() {
			i++
		}
	}
	if b.p.chance(0.015) {
		b.mapRange()
	}
	b.exit()
	if b.needVarErr {
		return "var err error\n" + b.out.String()
	}
	return b.out.String()
}

func (b *body) entry() {
	h, r, q, t := b.h, b.r, b.q, typeOf(b.f, b.p.domain)
	switch {
	case h.ck.keyed():
		b.printf("v, err := %s.Get[%s](ctx, stateKey)\n", r, t)
		b.check(true)
		name := "\"\""
		switch h.in {
		case inRequest:
			name = "req.Name"
		case inItem:
			name = "in.SKU"
		}
		if h.in == inNone {
			b.printf("if v.ID == \"\" {\nreturn %s, %s.TerminalErrorf(\"%%s: not found\", %s.Key(ctx))\n}\n", b.zero(), r, r)
		} else {
			b.printf("if v.ID == \"\" {\nv = %sNew(%s.Key(ctx), %s)\n}\n", q, r, name)
		}
		switch h.in {
		case inRequest:
			b.printf("v.Amount += req.Amount\nv.Tags = append(v.Tags, req.Tags...)\n")
		case inItem:
			b.printf("v.Items = append(v.Items, in)\n")
		}
	case h.in == inItem:
		b.printf("v := %sNew(%s.UUID(ctx).String(), in.SKU)\nv.Items = append(v.Items, in)\n", q, r)
	default:
		if b.p.chance(0.5) {
			b.printf("if req.ID == \"\" {\nreturn %s, %s.TerminalErrorf(\"missing id\")\n}\n", b.zero(), r)
		} else {
			b.printf("if req.ID == \"\" {\nreturn %s, %s.ToTerminalError(%s.New(\"missing id\"), %s.WithErrorCode(400))\n}\n",
				b.zero(), r, b.f.std("errors"), r)
		}
		if b.p.chance(pTerminalError) {
			// A plain error for invalid input: retried forever.
			b.terminal = true
			b.printf("if req.Amount < 0 {\nreturn %s, %s.Errorf(\"negative amount %%d\", req.Amount)\n}\n", b.zero(), b.f.std("fmt"))
		}
		b.printf("v := %sNew(req.ID, req.Name)\nv.Amount = req.Amount\nv.Tags = append(v.Tags, req.Tags...)\n", q)
	}
}

func (b *body) exit() {
	if b.h.ck.exclusive() {
		b.printf("%s.Set(ctx, stateKey, v)\n", b.r)
	}
	switch b.h.out {
	case outSummary:
		b.printf("return v.Summary(), nil\n")
	case outBool:
		b.printf("return true, nil\n")
	default:
		msg := b.u.call(kDomStr, b.p.domain, "v", "v.Name", pImpureHandler, false)
		b.printf("return Reply{ID: v.ID, Status: v.Status.String(), Total: v.Total(), Message: %s}, nil\n", msg)
	}
}

// step emits one random step and reports whether one applied.
func (b *body) step() bool {
	switch x := b.p.rng.IntN(100); {
	case x < 16:
		return b.runInt()
	case x < 25:
		return b.runStr()
	case x < 29:
		return b.runVoid()
	case x < 33:
		return b.runAsync()
	case x < 45:
		return b.call()
	case x < 51:
		return b.send()
	case x < 62:
		return b.pure()
	case x < 67:
		return b.loop()
	case x < 74:
		return b.state()
	case x < 76:
		return b.sleep()
	case x < 80:
		return b.random()
	case x < 84:
		return b.json()
	case x < 89:
		return b.privateHelper()
	case x < 93:
		return b.log()
	case x < 96:
		return b.sortedAttrs()
	default:
		return b.promise()
	}
}

// runExpr is an int64 expression computed inside a Run closure, where
// nondeterminism is fine.
func (b *body) runExpr() string {
	if b.p.chance(0.6) {
		if e := b.u.call(kDomInt, b.p.domain, "v", "", pImpureRun, true); e != "" {
			return e
		}
	}
	return b.u.same(kInt, nil, "v.Total()", pImpureRun, true)
}

func (b *body) runInt() bool {
	r := b.r
	kind := b.p.rng.IntN(4)
	name := b.fresh(intVarNames...)
	if kind == 2 {
		name = b.fresh("now", "stamp", "at")
	}
	opts := ""
	if b.p.chance(0.5) {
		opts = fmt.Sprintf(", %s.WithName(%q)", r, pickT(b.p, runLabels...))
	}
	b.printf("%s, err := %s.Run(ctx, func(ctx %s.RunContext) (int64, error) {\n", name, r, r)
	switch kind {
	case 0:
		b.printf("data, err := %s.Marshal(v)\nif err != nil {\nreturn 0, err\n}\nreturn int64(len(data)) + %s, nil\n",
			b.f.std("encoding/json"), b.runExpr())
	case 1:
		sum := b.u.same(kInt, nil, "it.Price*it.Quantity", pImpureRun, true)
		b.printf("var sum int64\nfor _, it := range v.Items {\nsum += %s\n}\nreturn sum, nil\n", sum)
	case 2:
		b.printf("return %s.Now().UnixMilli(), nil\n", b.f.std("time"))
		b.printf("}%s)\n", opts)
		b.check(true)
		b.printf("v.Updated = %s\n", name)
		return true
	default:
		b.printf("return %s, nil\n", b.runExpr())
	}
	b.printf("}%s)\n", opts)
	b.check(true)
	b.printf("v.Amount += %s\n", name)
	return true
}

func (b *body) runStr() bool {
	r := b.r
	var expr string
	switch b.p.rng.IntN(3) {
	case 0:
		expr = b.f.std("github.com/google/uuid") + ".NewString()"
	case 1:
		expr = b.u.same(kStr, nil, "v.Name", pImpureRun, true)
	default:
		expr = b.u.call(kDomStr, b.p.domain, "v", "v.ID", pImpureRun, true)
	}
	name := b.fresh(strVarNames...)
	label := pickT(b.p, runLabels...)
	b.printf("%s, err := %s.Run(ctx, func(ctx %s.RunContext) (string, error) {\nctx.Log().Debug(%q, \"id\", v.ID)\nreturn %s, nil\n}, %s.WithName(%q))\n",
		name, r, r, label, expr, r, label)
	b.check(true)
	b.printf("v.Tags = append(v.Tags, %s)\n", name)
	return true
}

func (b *body) runVoid() bool {
	r := b.r
	label := pickT(b.p, runLabels...)
	b.printf(`if err := %[1]s.RunVoid(ctx, func(ctx %[1]s.RunContext) error {
data, err := %[2]s.Marshal(v.Summary())
if err != nil {
return err
}
ctx.Log().Info(%[3]q, "id", v.ID, "bytes", len(data))
return nil
}, %[1]s.WithName(%[3]q)); err != nil {
return %[4]s, err
}
`, r, b.f.std("encoding/json"), label, b.zero())
	return true
}

func (b *body) runAsync() bool {
	r := b.r
	fut := b.fresh("fut", "pending", "async")
	name := b.fresh(intVarNames...)
	b.printf("%s := %s.RunAsync(ctx, func(ctx %s.RunContext) (int64, error) {\nreturn %s, nil\n})\n", fut, r, r, b.runExpr())
	b.printf("%s, err := %s.Result()\n", name, fut)
	b.check(true)
	b.printf("v.Amount = max(v.Amount, %s)\n", name)
	return true
}

// targets lists handlers of this package and its service imports that
// accept a Request, filtered by ok.
func (b *body) targets(ok func(*handler) bool) []*handler {
	var out []*handler
	for _, h := range b.p.handlers {
		if h.in == inRequest && ok(h) {
			out = append(out, h)
		}
	}
	for _, d := range b.p.depsIn(layerService) {
		for _, h := range d.handlers {
			if h.in == inRequest && ok(h) {
				out = append(out, h)
			}
		}
	}
	return out
}

func (b *body) call() bool {
	ts := b.targets(func(h *handler) bool {
		return h.out == outReply && (h.recv == "Service" || h.recv == "Hooks" || h.recv == "Object")
	})
	if len(ts) == 0 {
		return false
	}
	h := ts[b.p.rng.IntN(len(ts))]
	r, q := b.r, b.f.use(h.owner)
	name := b.fresh(callVarNames...)
	var client string
	if h.recv == "Object" {
		client = fmt.Sprintf("%s.Object[%sReply](ctx, %s%s, v.ID, %q)", r, q, q, h.nameConst(), h.name)
	} else {
		client = fmt.Sprintf("%s.Service[%sReply](ctx, %s%s, %q)", r, q, q, h.nameConst(), h.name)
	}
	opts := ""
	if b.p.chance(0.3) {
		opts = fmt.Sprintf(", %s.WithIdempotencyKey(v.ID+%q)", r, "/"+h.name)
	}
	b.printf("%s, err := %s.\nRequest(%sRequest{ID: v.ID, Name: v.Name, Amount: v.Amount}%s)\n", name, client, q, opts)
	b.check(true)
	b.printf("v.Amount += %s.Total\nv.Tags = append(v.Tags, %s.Status)\n", name, name)
	return true
}

func (b *body) send() bool {
	ts := b.targets(func(h *handler) bool { return h.ck != ckWorkflowShared })
	if len(ts) == 0 {
		return false
	}
	h := ts[b.p.rng.IntN(len(ts))]
	r, q := b.r, b.f.use(h.owner)
	opts := ""
	if b.p.chance(0.4) {
		opts = fmt.Sprintf(", %s.WithDelay(%d*%s.Second)", r, 1+b.p.rng.IntN(60), b.f.std("time"))
	}
	switch h.recv {
	case "Object":
		b.printf("%s.ObjectSend(ctx, %s%s, v.ID, %q).", r, q, h.nameConst(), h.name)
	case "Workflow":
		b.printf("%s.WorkflowSend(ctx, %s%s, v.ID, %q).", r, q, h.nameConst(), h.name)
	default:
		b.printf("%s.ServiceSend(ctx, %s%s, %q).", r, q, h.nameConst(), h.name)
	}
	b.printf("\nSend(%sRequest{ID: v.ID, Name: v.Name}%s)\n", q, opts)
	return true
}

// pure calls helpers outside Run: deterministic unless a helper chain
// reaches a nondeterministic source, which happens rarely.
func (b *body) pure() bool {
	d := b.p.domain
	var lines []string
	if s := b.u.assign("v", kDomDom, d, "v", pImpureHandler, false); s != "" {
		lines = append(lines, s)
	}
	if b.p.chance(0.5) {
		if s := b.u.assign("v.Name", kStr, nil, "v.Name", pImpureHandler, false); s != "" {
			lines = append(lines, s)
		}
	}
	if e := b.u.call(kDomInt, d, "v", "", pImpureHandler, false); e != "" {
		lines = append(lines, "v.Amount += "+e+"\n")
	}
	if b.p.chance(0.5) {
		if e := b.u.call(kDomStr, d, "v", "", pImpureHandler, false); e != "" {
			lines = append(lines, "v.Tags = append(v.Tags, "+e+")\n")
		}
	}
	if len(lines) == 0 {
		return false
	}
	for _, l := range lines {
		b.out.WriteString(l)
	}
	return true
}

func (b *body) loop() bool {
	name := b.fresh("subtotal", "lineTotal", "itemsTotal")
	b.printf(`var %[1]s int64
for i, it := range v.Items {
if it.Quantity <= 0 {
return %[2]s, %[3]s.TerminalErrorf("item %%d of %%s: quantity %%d", i, v.ID, it.Quantity)
}
%[1]s += it.Price * it.Quantity
}
v.Amount += %[1]s
`, name, b.zero(), b.r)
	return true
}

// state reads (and in exclusive handlers writes) state besides the record.
// A few handlers keep a counter, incrementing what they read: the pattern
// the statecounter rule reports, since a duplicate request repeats it.
func (b *body) state() bool {
	if !b.h.ck.keyed() {
		return false
	}
	r := b.r
	switch {
	case b.h.ck.exclusive() && b.p.chance(0.15):
		b.counter = true
		name := b.fresh(stateVarNames...)
		key := pickT(b.p, "count", "seen", "attempts")
		b.printf("%s, err := %s.Get[int64](ctx, %q)\n", name, r, key)
		b.check(true)
		b.printf("%s.Set(ctx, %q, %s+1)\nv.Amount += %s\n", r, key, name, name)
	case b.h.ck.exclusive():
		name := b.fresh("last", "previous", "prior")
		key := pickT(b.p, "lastID", "lastRequest", "lastSeen")
		b.printf("%s, err := %s.Get[string](ctx, %q)\n", name, r, key)
		b.check(true)
		b.printf("if %[1]s != \"\" && %[1]s != v.ID {\nv.Tags = append(v.Tags, \"prev:\"+%[1]s)\n}\n%[2]s.Set(ctx, %[3]q, v.ID)\n", name, r, key)
	default:
		name := b.fresh(stateVarNames...)
		b.printf("%s, err := %s.Get[int64](ctx, %q)\n", name, r, pickT(b.p, "count", "version", "attempts"))
		b.check(true)
		b.printf("v.Amount += %s\n", name)
	}
	return true
}

func (b *body) sleep() bool {
	b.printf("if err := %s.Sleep(ctx, %d*%s.Second); err != nil {\nreturn %s, err\n}\n",
		b.r, 1+b.p.rng.IntN(30), b.f.std("time"), b.zero())
	return true
}

// random uses the SDK's deterministic randomness.
func (b *body) random() bool {
	if b.p.chance(0.5) {
		b.printf("v.Amount += %s.Rand(ctx).Int64N(%d)\n", b.r, 10+b.p.rng.IntN(90))
	} else {
		b.printf("v.Tags = append(v.Tags, \"ref-\"+%s.UUID(ctx).String())\n", b.r)
	}
	return true
}

func (b *body) json() bool {
	name := b.fresh("data", "blob", "snapshot")
	b.printf("%s, err := %s.Marshal(v)\n", name, b.f.std("encoding/json"))
	b.check(false)
	b.printf("ctx.Log().Info(\"snapshot\", \"id\", v.ID, \"bytes\", len(%s))\n", name)
	return true
}

func (b *body) privateHelper() bool {
	if len(b.p.helpers) == 0 {
		return false
	}
	h := pickT(b.p, b.p.helpers...)
	name := b.fresh("charged", "reserved", "result")
	b.printf("%s, err := %s(ctx, v)\n", name, h)
	b.check(false)
	b.printf("v.Amount += %s\n", name)
	return true
}

func (b *body) log() bool {
	b.printf("ctx.Log().Info(%q, \"id\", v.ID, \"status\", v.Status.String(), \"amount\", v.Amount)\n",
		pickT(b.p, "processing", "updated", "received", "checked"))
	return true
}

func (b *body) sortedAttrs() bool {
	b.printf("for _, k := range %s.Sorted(%s.Keys(v.Attrs)) {\nv.Tags = append(v.Tags, k+\"=\"+v.Attrs[k])\n}\n",
		b.f.std("slices"), b.f.std("maps"))
	return true
}

func (b *body) promise() bool {
	if b.h.ck != ckWorkflow {
		return false
	}
	if b.vars["approval"] {
		return false
	}
	b.vars["approval"] = true
	b.printf("approval, err := %s.Promise[string](ctx, approvalPromise).Result()\n", b.r)
	b.check(true)
	b.printf("v.Tags = append(v.Tags, \"approved:\"+approval)\n")
	return true
}

// direct reads the clock, randomness, the environment or a fresh UUID in
// the handler itself: the simplest finding.
func (b *body) direct() {
	switch b.p.rng.IntN(4) {
	case 0:
		b.u.sources |= srcClock
		b.printf("v.Updated = %s.Now().UnixMilli()\n", b.f.std("time"))
	case 1:
		b.u.sources |= srcEnv
		b.printf("if %s.Getenv(\"FAST_PATH\") == \"1\" {\nv.Amount /= 2\n}\n", b.f.std("os"))
	case 2:
		b.u.sources |= srcUUID
		b.printf("v.Tags = append(v.Tags, \"id-\"+%s.NewString())\n", b.f.std("github.com/google/uuid"))
	default:
		b.u.sources |= srcRand
		b.printf("v.Amount += %s.Int64N(10)\n", b.f.std("math/rand/v2"))
	}
}

// mapRange journals in map iteration order, which differs between a run
// and its replay.
func (b *body) mapRange() {
	b.mapOrder = true
	if b.h.ck.exclusive() {
		b.printf("for k, val := range v.Attrs {\n%s.Set(ctx, \"attr:\"+k, val)\n}\n", b.r)
		return
	}
	ts := b.targets(func(h *handler) bool { return h.recv == "Service" })
	if len(ts) == 0 {
		b.mapOrder = false
		return
	}
	h := ts[0]
	q := b.f.use(h.owner)
	b.printf("for k, val := range v.Attrs {\n%s.ServiceSend(ctx, %s%s, %q).Send(%sRequest{ID: k, Name: val})\n}\n",
		b.r, q, h.nameConst(), h.name, q)
}
