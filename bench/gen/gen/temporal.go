package gen

// The Temporal shape of the benchmark code base, for the peer benchmark
// (issue 8): the same plan, platform, domain and store packages as
// Generate (byte-identical for the same seed), and service packages of
// the same size, handler mix and planted hazards written against
// go.temporal.io/sdk: every handler is a workflow function (a FuncDecl
// whose first parameter is workflow.Context, which is what workflowcheck
// checks), restate.Run closures are workflow.SideEffect closures, calls
// and sends are child workflows and external signals, state is read and
// written through activities, and the server binaries run a worker.

import (
	"bytes"
	_ "embed"
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/tools/txtar"
)

//go:embed temporal_mod.txtar
var temporalModule []byte

// Temporal SDK import paths.
const (
	tWorkflow = "go.temporal.io/sdk/workflow"
	tTemporal = "go.temporal.io/sdk/temporal"
	tWorker   = "go.temporal.io/sdk/worker"
	tClient   = "go.temporal.io/sdk/client"
)

// GenerateTemporal writes the Temporal shape of the code base cfg
// describes (see the comment at the top of temporal.go). cfg.SDKArchive is
// ignored: go.mod and go.sum come from temporal_mod.txtar.
func GenerateTemporal(cfg Config) (Stats, error) {
	if cfg.Packages == 0 {
		cfg.Packages = DefaultPackages
	}
	if cfg.Lines == 0 {
		cfg.Lines = DefaultLines
	}
	if cfg.Packages < 5 {
		return Stats{}, fmt.Errorf("need at least 5 packages, got %d", cfg.Packages)
	}
	if err := prepareDir(cfg.Dir); err != nil {
		return Stats{}, err
	}
	for _, f := range txtar.Parse(temporalModule).Files {
		if err := writeFile(filepath.Join(cfg.Dir, f.Name), f.Data); err != nil {
			return Stats{}, err
		}
	}
	pkgs := plan(cfg.Packages, cfg.Seed)
	var st Stats
	remaining, left := cfg.Lines, 0
	for _, p := range pkgs {
		if p.layer != layerCmd {
			left++
		}
	}
	remaining -= 60 * (len(pkgs) - left)
	for _, p := range pkgs {
		target := 0
		if p.layer != layerCmd {
			target = remaining / max(left, 1)
			left--
		}
		var files []*file
		var c counts
		switch p.layer {
		case layerService:
			files, c = genTemporalService(p, target)
		case layerCmd:
			files = genTemporalCmd(p)
		default:
			files, c = generatePackage(p, target)
		}
		st.Packages++
		st.Handlers += c.handlers
		st.ImpureHandlers += c.impure
		st.MapOrderHandlers += c.mapOrder
		for i, n := range c.bySource {
			if n > 0 {
				if st.ImpureBySource == nil {
					st.ImpureBySource = make(map[string]int)
				}
				st.ImpureBySource[sourceNames[i]] += n
			}
		}
		for _, f := range files {
			src, err := f.source()
			if err != nil {
				return st, err
			}
			if err := writeFile(filepath.Join(cfg.Dir, p.path, f.name), src); err != nil {
				return st, err
			}
			n := bytes.Count(src, []byte("\n"))
			st.Files++
			st.Lines += n
			if p.layer != layerCmd {
				remaining -= n
			}
		}
	}
	return st, nil
}

// tsvcGen generates one Temporal service package.
type tsvcGen struct {
	svcGen
	workflows []string // "Recv{}.Name", for Register
}

func genTemporalService(p *pkg, target int) ([]*file, counts) {
	g := &tsvcGen{svcGen: svcGen{
		p: p, b: newBuilder(p, "handlers.go", "more.go", "admin.go"),
		hasObject:   p.chance(0.65),
		hasWorkflow: p.chance(0.35),
		hasLedger:   p.chance(0.5),
		hasHooks:    p.chance(0.3),
	}}
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
		obj.printf("// Object holds the %sObject workflows, keyed by workflow ID.\ntype Object struct{}\n\n", p.title)
		g.method(obj, "Object", ckObject, inRequest, outReply)
	}
	if g.hasWorkflow {
		wf = g.b.open("workflow.go")
		wf.printf("// Workflow is the %sWorkflow: one run per record ID, waiting for an\n// approval signal.\ntype Workflow struct{}\n\n", p.title)
		wf.printf("// approvalSignal is the signal the Run workflow waits on.\nconst approvalSignal = \"approval\"\n\n")
		g.method(wf, "Workflow", ckWorkflow, inRequest, outReply)
	}
	defs := g.b.open("definitions.go")
	if g.hasLedger {
		defs.printf("// Ledger holds the %sLedger workflows.\ntype Ledger struct{}\n\n", p.title)
		g.method(defs, "Ledger", ckObject, inItem, outSummary)
		g.method(defs, "Ledger", ckObjectShared, inNone, outSummary)
	}
	if g.hasHooks {
		defs.printf("// Hooks holds the webhook entry point of this package.\ntype Hooks struct{}\n\n")
		g.method(defs, "Hooks", ckService, inRequest, outReply)
	}
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
	g.register(defs)
	return g.b.files, g.counts
}

func (g *tsvcGen) core(f *file) {
	p := g.p
	for _, n := range []string{"ServiceName", "ObjectName", "WorkflowName", "LedgerName",
		"HooksName", "loadActivity", "saveActivity", "Request", "Reply", "Service", "Object",
		"Workflow", "Ledger", "Hooks", "Register", "approvalSignal", "activityOptions"} {
		p.names[n] = true
	}
	f.printf("// Temporal names of the workflow types in this package.\nconst (\n\tServiceName = %q\n", p.title+"Service")
	for _, x := range []struct {
		ok   bool
		name string
	}{{g.hasObject, "Object"}, {g.hasWorkflow, "Workflow"}, {g.hasLedger, "Ledger"}, {g.hasHooks, "Hooks"}} {
		if x.ok {
			f.printf("\t%sName = %q\n", x.name, p.title+x.name)
		}
	}
	f.printf(`)

// Activities that load and save the record of a keyed workflow.
const (
	loadActivity = %[1]q
	saveActivity = %[2]q
)

// activityOptions are the options of every activity this package starts.
var activityOptions = %[3]s.ActivityOptions{StartToCloseTimeout: %[4]s.Minute}

// Request is the input of most workflows in this package.
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

// Service holds the stateless %[5]sService workflows.
type Service struct{}

`, p.title+"Load", p.title+"Save", f.std(tWorkflow), f.std("time"), p.title)
}

// helper emits a private helper: one that computes a side effect inside
// workflow.SideEffect and takes the workflow context, or a plain
// computation that workflows call directly (and which may, rarely, be
// impure).
func (g *tsvcGen) helper(f *file) {
	p := g.p
	u := p.unit(f)
	t := typeOf(f, p.domain)
	if p.chance(0.5) {
		name := p.uniqueFrom("charge", "reserve", "publish", "lookup", "persist")
		expr := u.call(kDomInt, p.domain, "v", "", pImpureRun, true)
		if expr == "" {
			expr = u.same(kInt, nil, "v.Total()", pImpureRun, true)
		}
		w := f.std(tWorkflow)
		f.printf(`// %[1]s performs the %[1]s side effect for v once: workflow.SideEffect
// records the result, so a replay reuses it.
func %[1]s(ctx %[2]s.Context, v %[3]s) (int64, error) {
	var n int64
	err := %[2]s.SideEffect(ctx, func(ctx %[2]s.Context) any {
		%[2]s.GetLogger(ctx).Info(%[1]q, "id", v.ID)
		return %[4]s
	}).Get(&n)
	return n, err
}

`, name, w, t, expr)
		p.helpers = append(p.helpers, name)
		return
	}
	name := p.uniqueFrom("feeFor", "riskOf", "weightOf", "budgetFor")
	expr := u.call(kDomInt, p.domain, "v", "v.Total()", pImpureHelper, false)
	f.printf(`// %[1]s derives a workflow input from v and the pricing tables.
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

// method emits a workflow method on recv.
func (g *tsvcGen) method(f *file, recv string, ck ctxKind, in inShape, out outShape) {
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
	params := "ctx " + f.std(tWorkflow) + ".Context"
	switch in {
	case inRequest:
		params += ", req Request"
	case inItem:
		params += ", in " + f.use(p.domain) + "Item"
	}
	bd := g.body(f, h)
	f.printf("// %s %s\nfunc (%s) %s(%s) (%s, error) {\n%s}\n\n",
		name, tHandlerDoc(h), recv, name, params, outType(f, h), bd)
	p.handlers = append(p.handlers, h)
	g.workflows = append(g.workflows, recv+"{}."+name)
}

func tHandlerDoc(h *handler) string {
	switch h.ck {
	case ckService:
		return "handles a request; Temporal retries its activities until they\n// succeed or fail with a non-retryable error."
	case ckObject:
		return "updates the record of the workflow's ID, loaded and saved by activities."
	case ckObjectShared:
		return "reads the record of the workflow's ID."
	case ckWorkflow:
		return "executes the workflow once per ID, waiting for approval."
	}
	return "reports the workflow's progress from its record."
}

// register emits Register, which binds every workflow to a worker.
func (g *tsvcGen) register(f *file) {
	f.printf("// Register registers the workflows of this package with a worker.\nfunc Register(r %s.Registry) {\n", f.std(tWorker))
	for _, w := range g.workflows {
		f.printf("\tr.RegisterWorkflow(%s)\n", w)
	}
	f.printf("}\n\n")
}

func (g *tsvcGen) body(f *file, h *handler) string {
	b := &tbody{body: body{p: g.p, f: f, h: h, u: g.p.unit(f), r: f.std(tWorkflow), q: f.use(g.p.domain), vars: map[string]bool{}}}
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
	return s
}

// tbody builds one workflow body; b.r is the workflow package's name.
type tbody struct{ body }

// fail returns from the workflow with err if it is not nil.
func (b *tbody) fail(expr string) {
	b.printf("if err := %s; err != nil {\nreturn %s, err\n}\n", expr, b.zero())
}

func (b *tbody) build() string {
	b.printf("ctx = %s.WithActivityOptions(ctx, activityOptions)\n", b.r)
	b.entry()
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
	return b.out.String()
}

func (b *tbody) entry() {
	h, w, q, t := b.h, b.r, b.q, typeOf(b.f, b.p.domain)
	nonRetryable := func() string { return b.f.std(tTemporal) + ".NewNonRetryableApplicationError" }
	switch {
	case h.ck.keyed():
		b.printf("key := %s.GetInfo(ctx).WorkflowExecution.ID\nvar v %s\n", w, t)
		b.fail(fmt.Sprintf("%s.ExecuteActivity(ctx, loadActivity, key).Get(ctx, &v)", w))
		name := "\"\""
		switch h.in {
		case inRequest:
			name = "req.Name"
		case inItem:
			name = "in.SKU"
		}
		if h.in == inNone {
			b.printf("if v.ID == \"\" {\nreturn %s, %s(key+\": not found\", \"NotFound\", nil)\n}\n", b.zero(), nonRetryable())
		} else {
			b.printf("if v.ID == \"\" {\nv = %sNew(key, %s)\n}\n", q, name)
		}
		switch h.in {
		case inRequest:
			b.printf("v.Amount += req.Amount\nv.Tags = append(v.Tags, req.Tags...)\n")
		case inItem:
			b.printf("v.Items = append(v.Items, in)\n")
		}
	case h.in == inItem:
		b.printf("v := %sNew(%s.GetInfo(ctx).WorkflowExecution.RunID, in.SKU)\nv.Items = append(v.Items, in)\n", q, w)
	default:
		b.printf("if req.ID == \"\" {\nreturn %s, %s(\"missing id\", \"InvalidRequest\", nil)\n}\n", b.zero(), nonRetryable())
		b.printf("v := %sNew(req.ID, req.Name)\nv.Amount = req.Amount\nv.Tags = append(v.Tags, req.Tags...)\n", q)
	}
}

func (b *tbody) exit() {
	if b.h.ck.exclusive() {
		b.fail(fmt.Sprintf("%s.ExecuteActivity(ctx, saveActivity, v).Get(ctx, nil)", b.r))
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

// step emits one random step, with the distribution of the Restate
// shape's body.step, and reports whether one applied.
func (b *tbody) step() bool {
	switch x := b.p.rng.IntN(100); {
	case x < 16:
		return b.sideEffectInt()
	case x < 25:
		return b.sideEffectStr()
	case x < 29:
		return b.activity()
	case x < 33:
		return b.activityAsync()
	case x < 45:
		return b.child()
	case x < 51:
		return b.signal()
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
		return b.waitSignal()
	}
}

func (b *tbody) sideEffectInt() bool {
	w := b.r
	kind := b.p.rng.IntN(4)
	name := b.fresh(intVarNames...)
	if kind == 2 {
		name = b.fresh("now", "stamp", "at")
	}
	b.printf("var %s int64\n", name)
	b.printf("if err := %s.SideEffect(ctx, func(ctx %s.Context) any {\n", w, w)
	switch kind {
	case 0:
		b.printf("data, _ := %s.Marshal(v)\nreturn int64(len(data)) + %s\n", b.f.std("encoding/json"), b.runExpr())
	case 1:
		sum := b.u.same(kInt, nil, "it.Price*it.Quantity", pImpureRun, true)
		b.printf("var sum int64\nfor _, it := range v.Items {\nsum += %s\n}\nreturn sum\n", sum)
	case 2:
		b.printf("return %s.Now().UnixMilli()\n", b.f.std("time"))
		b.printf("}).Get(&%s); err != nil {\nreturn %s, err\n}\n", name, b.zero())
		b.printf("v.Updated = %s\n", name)
		return true
	default:
		b.printf("return %s\n", b.runExpr())
	}
	b.printf("}).Get(&%s); err != nil {\nreturn %s, err\n}\n", name, b.zero())
	b.printf("v.Amount += %s\n", name)
	return true
}

func (b *tbody) sideEffectStr() bool {
	w := b.r
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
	b.printf("var %s string\n", name)
	b.printf("if err := %s.SideEffect(ctx, func(ctx %s.Context) any {\n%s.GetLogger(ctx).Debug(%q, \"id\", v.ID)\nreturn %s\n}).Get(&%s); err != nil {\nreturn %s, err\n}\n",
		w, w, w, label, expr, name, b.zero())
	b.printf("v.Tags = append(v.Tags, %s)\n", name)
	return true
}

func (b *tbody) activity() bool {
	label := pickT(b.p, runLabels...)
	b.fail(fmt.Sprintf("%s.ExecuteActivity(ctx, %q, v.Summary()).Get(ctx, nil)", b.r, b.p.title+camel(label)))
	return true
}

func (b *tbody) activityAsync() bool {
	fut := b.fresh("fut", "pending", "async")
	name := b.fresh(intVarNames...)
	label := pickT(b.p, runLabels...)
	b.printf("%s := %s.ExecuteActivity(ctx, %q, v.ID, v.Amount)\nvar %s int64\n", fut, b.r, b.p.title+camel(label), name)
	b.fail(fmt.Sprintf("%s.Get(ctx, &%s)", fut, name))
	b.printf("v.Amount = max(v.Amount, %s)\n", name)
	return true
}

// child runs a workflow of this package or an imported one as a child
// workflow: the counterpart of a Restate service call.
func (b *tbody) child() bool {
	ts := b.targets(func(h *handler) bool {
		return h.out == outReply && (h.recv == "Service" || h.recv == "Hooks" || h.recv == "Object")
	})
	if len(ts) == 0 {
		return false
	}
	h := ts[b.p.rng.IntN(len(ts))]
	q := b.f.use(h.owner)
	name := b.fresh(callVarNames...)
	b.printf("var %s %sReply\n", name, q)
	b.fail(fmt.Sprintf("%s.ExecuteChildWorkflow(ctx, %s%s+\".%s\",\n%sRequest{ID: v.ID, Name: v.Name, Amount: v.Amount}).Get(ctx, &%s)",
		b.r, q, h.nameConst(), h.name, q, name))
	b.printf("v.Amount += %s.Total\nv.Tags = append(v.Tags, %s.Status)\n", name, name)
	return true
}

// signal signals another workflow without waiting: the counterpart of a
// Restate one-way send.
func (b *tbody) signal() bool {
	ts := b.targets(func(h *handler) bool { return h.ck != ckWorkflowShared })
	if len(ts) == 0 {
		return false
	}
	h := ts[b.p.rng.IntN(len(ts))]
	q := b.f.use(h.owner)
	b.printf("%s.SignalExternalWorkflow(ctx, v.ID, \"\", %q,\n%sRequest{ID: v.ID, Name: v.Name})\n", b.r, h.name, q)
	return true
}

func (b *tbody) loop() bool {
	name := b.fresh("subtotal", "lineTotal", "itemsTotal")
	b.printf(`var %[1]s int64
for i, it := range v.Items {
if it.Quantity <= 0 {
return %[2]s, %[3]s.NewNonRetryableApplicationError(%[4]s.Sprintf("item %%d of %%s: quantity %%d", i, v.ID, it.Quantity), "InvalidItem", nil)
}
%[1]s += it.Price * it.Quantity
}
v.Amount += %[1]s
`, name, b.zero(), b.f.std(tTemporal), b.f.std("fmt"))
	return true
}

// state reads a counter kept by an activity.
func (b *tbody) state() bool {
	if !b.h.ck.keyed() {
		return false
	}
	name := b.fresh(stateVarNames...)
	b.printf("var %s int64\n", name)
	b.fail(fmt.Sprintf("%s.ExecuteActivity(ctx, %q, v.ID).Get(ctx, &%s)", b.r, b.p.title+"Counter", name))
	b.printf("v.Amount += %s\n", name)
	return true
}

func (b *tbody) sleep() bool {
	b.fail(fmt.Sprintf("%s.Sleep(ctx, %d*%s.Second)", b.r, 1+b.p.rng.IntN(30), b.f.std("time")))
	return true
}

// random draws randomness the replay-safe way: inside SideEffect.
func (b *tbody) random() bool {
	name := b.fresh("draw", "pick", "roll")
	if b.p.chance(0.5) {
		b.printf("var %s int64\n", name)
		b.fail(fmt.Sprintf("%s.SideEffect(ctx, func(%s.Context) any { return %s.Int64N(%d) }).Get(&%s)",
			b.r, b.r, b.f.std("math/rand/v2"), 10+b.p.rng.IntN(90), name))
		b.printf("v.Amount += %s\n", name)
	} else {
		b.printf("var %s string\n", name)
		b.fail(fmt.Sprintf("%s.SideEffect(ctx, func(%s.Context) any { return %s.NewString() }).Get(&%s)",
			b.r, b.r, b.f.std("github.com/google/uuid"), name))
		b.printf("v.Tags = append(v.Tags, \"ref-\"+%s)\n", name)
	}
	return true
}

func (b *tbody) json() bool {
	name := b.fresh("data", "blob", "snapshot")
	b.printf("%s, err := %s.Marshal(v)\nif err != nil {\nreturn %s, err\n}\n", name, b.f.std("encoding/json"), b.zero())
	b.printf("%s.GetLogger(ctx).Info(\"snapshot\", \"id\", v.ID, \"bytes\", len(%s))\n", b.r, name)
	return true
}

func (b *tbody) privateHelper() bool {
	if len(b.p.helpers) == 0 {
		return false
	}
	h := pickT(b.p, b.p.helpers...)
	name := b.fresh("charged", "reserved", "result")
	b.printf("%s, err := %s(ctx, v)\nif err != nil {\nreturn %s, err\n}\n", name, h, b.zero())
	b.printf("v.Amount += %s\n", name)
	return true
}

func (b *tbody) log() bool {
	b.printf("%s.GetLogger(ctx).Info(%q, \"id\", v.ID, \"status\", v.Status.String(), \"amount\", v.Amount)\n",
		b.r, pickT(b.p, "processing", "updated", "received", "checked"))
	return true
}

func (b *tbody) waitSignal() bool {
	if b.h.ck != ckWorkflow || b.vars["approval"] {
		return false
	}
	b.vars["approval"] = true
	b.printf("var approval string\n%s.GetSignalChannel(ctx, approvalSignal).Receive(ctx, &approval)\n", b.r)
	b.printf("v.Tags = append(v.Tags, \"approved:\"+approval)\n")
	return true
}

// mapRange signals in map iteration order, which differs between a run
// and its replay.
func (b *tbody) mapRange() {
	b.mapOrder = true
	if b.h.ck.exclusive() {
		b.printf("for k, val := range v.Attrs {\n%s.ExecuteActivity(ctx, %q, v.ID, k, val)\n}\n", b.r, b.p.title+"SetAttr")
		return
	}
	ts := b.targets(func(h *handler) bool { return h.recv == "Service" })
	if len(ts) == 0 {
		b.mapOrder = false
		return
	}
	h := ts[0]
	q := b.f.use(h.owner)
	b.printf("for k, val := range v.Attrs {\n%s.SignalExternalWorkflow(ctx, k, \"\", %q, %sRequest{ID: k, Name: val})\n}\n",
		b.r, h.name, q)
}

// genTemporalCmd emits a worker binary that registers the workflows of
// its deps.
func genTemporalCmd(p *pkg) []*file {
	f := newFile(p, "main.go")
	f.doc = strings.Replace(packageDoc(p), "Restate services", "Temporal workflows", 1)
	f.printf("func main() {\n\tc, err := %s.Dial(%s.Options{HostPort: %s.Getenv(\"TEMPORAL_ADDRESS\")})\n",
		f.std(tClient), f.std(tClient), f.std("os"))
	f.printf(`	if err != nil {
		%[1]s.Error("dial", "err", err)
		%[2]s.Exit(1)
	}
	defer c.Close()
	w := %[3]s.New(c, %[4]q, %[3]s.Options{})
`, f.std("log/slog"), f.std("os"), f.std(tWorker), p.name)
	for _, d := range p.deps {
		f.printf("\t%sRegister(w)\n", f.use(d))
	}
	f.printf(`	if err := w.Run(%[1]s.InterruptCh()); err != nil {
		%[2]s.Error("worker stopped", "err", err)
		%[3]s.Exit(1)
	}
}
`, f.std(tWorker), f.std("log/slog"), f.std("os"))
	return []*file{f}
}
