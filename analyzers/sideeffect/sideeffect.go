// Package sideeffect reports external I/O in Restate handlers outside
// restate.Run.
//
// A handler runs again from the top whenever Restate replays its journal
// (after a crash, a retry or a suspension), and a duplicate request runs
// it again from scratch. Only what the journal records is done once: state
// writes, calls, sends, and the results of restate.Run. An HTTP request, a
// database write, a message sent to a broker or a file written outside
// restate.Run runs again on every execution (a second charge, a second
// e-mail), and what it reads (a row, an environment variable) can differ
// from what the first execution saw.
//
// Reported, in handler zones and in code they reach at any depth (the
// latter at the handler's call site, with the call chain):
//
//   - the calls of the sink table in docs/rules/sideeffect.md: net/http
//     clients, net dials and DNS lookups, net/smtp, database/sql, os file
//     reads and writes and process/environment reads, os/exec, the SDK's
//     ingress client, and client libraries (gRPC connections and generated
//     clients, pgx, go-redis, mongo, sqlx, gorm, AWS SDK v2, Google Cloud,
//     Kafka, NATS, Stripe, SendGrid, Slack, Twilio, OpenAI-style SDKs);
//   - the functions listed in the sideeffect.sinks option;
//   - a call whose body restatelint cannot see (an interface method such
//     as a sqlc Querier or a repository interface, a function value, a
//     function of a package outside the analysis) that is given a
//     context.Context: database, HTTP and RPC clients take one.
//
// Quiet on: restate.Run closures and code reached only from them; fmt,
// log, log/slog (also slog.InfoContext(ctx, ...)), ctx.Log() and other
// logging libraries; tracing and metrics (Tracer.Start(ctx, ...)); the
// context package (context.WithTimeout(ctx, ...)) and other helpers that
// derive a context or read a value from one; restate.WithValue,
// restate.WrapContext and the rest of the SDK; request building without
// I/O (http.NewRequest, http.Header.Set); pure standard library
// (strings, encoding/json, net.ParseIP, ...); files embedded with embed;
// a function taking a context.Context whose body is known and does no
// I/O; writes to os.Stdout and os.Stderr (logging); and the functions
// listed in the sideeffect.allow option. A call is reported once: the
// os.Open, not the later f.Close(). Reads and writes through an open
// *os.File (f.Write, f.Read, f.Sync, ...) are reported too, without a fix:
// the open and every write belong in one restate.Run.
//
// Options (analyzer flags, golangci-lint settings, nogo analyzer_flags):
//
//	-sideeffect.sinks=example.com/pay.Client.Charge,example.com/mail.Send
//	-sideeffect.allow=example.com/app/cache.Store.Get,example.com/app.Validator.*
//
// Each entry is import/path.Func, import/path.Type.Method (also
// import/path.(*Type).Method), import/path.Type.* or import/path.*; quote
// a path whose last element has a dot: "gopkg.in/mail.v2".Dialer.DialAndSend.
// A malformed entry is an error.
//
// Fix, offered where a named handler context is in scope and not shadowed
// and the call's results can round-trip through the journal (JSON): the
// call is wrapped in restate.Run (or restate.RunVoid), its closure
// parameter named like the handler context so that the call now receives
// the RunContext:
//
//	user, err := q.GetUser(ctx, id)
//	→
//	user, err := restate.Run(ctx, func(ctx restate.RunContext) (db.User, error) {
//		return q.GetUser(ctx, id)
//	})
//
// No fix where the result cannot be journaled (*http.Response, *sql.Rows,
// channels, functions, io.Reader, structs whose data is all unexported):
// the message says so.
//
// Suppress one finding with //restatelint:ignore sideeffect <reason>.
package sideeffect

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
	"github.com/restatelint/restatelint/analyzers/reach"
)

const name = sinks.SideEffect

// Analyzer reports external I/O in Restate handlers outside restate.Run.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report external I/O in Restate handlers outside restate.Run

HTTP requests, database queries, file and environment reads, processes, the
ingress client and client libraries run again whenever Restate replays or
retries a handler. So does a call whose body restatelint cannot see that is
given a context.Context. Wrap them in restate.Run so they run once and their
result is journaled.`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/sideeffect.md",
	Requires:         []*analysis.Analyzer{reach.Analyzer, zones.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

func init() {
	Analyzer.Flags.Var(config.Flag("sideeffect.sinks", &config.ExtraSinks), "sinks",
		"comma-separated functions and methods treated as external I/O besides the built-in table: "+
			"import/path.Func, import/path.Type.Method, import/path.Type.* (e.g. example.com/pay.Client.Charge,example.com/mail.Send)")
	Analyzer.Flags.Var(config.Flag("sideeffect.allow", &config.Allow), "allow",
		"comma-separated functions and methods never treated as external I/O, in the syntax of -sideeffect.sinks")
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	res := pass.ResultOf[reach.Analyzer].(*reach.Result)
	fx := newFixer(pass)
	for _, site := range res.Sites {
		d := analysis.Diagnostic{Pos: site.Expr.Node().Pos(), End: site.Expr.Node().End()}
		switch {
		case site.Sink != nil && site.Sink.Rule == name:
			d.Message = directMessage(site)
		case site.Unseen:
			d.Message = unseenMessage(site)
		default:
			if e, ok := site.Effect(name); ok {
				d.Related = res.Related(site, e)
				if e.Family == sinks.FamEnv {
					d.Message = fmt.Sprintf("calls %s, which reads the process environment outside restate.Run, so a replay or retry on another process or deployment can see a different value; read configuration at startup and pass it in, or call it inside restate.Run",
						res.Render(e))
				} else {
					d.Message = fmt.Sprintf("calls %s, which %s outside restate.Run, so it runs again whenever the handler is replayed or retried; call it inside restate.Run",
						res.Render(e), what(e.Family))
				}
			} else if e, ok := site.Effect(reach.UnseenRule); ok {
				d.Related = res.Related(site, e)
				d.Message = fmt.Sprintf("calls %s, whose body restatelint cannot see but which is given a context, so it likely performs I/O that runs again whenever the handler is replayed or retried; call it inside restate.Run, or list %s in -sideeffect.allow if it does no I/O",
					res.Render(e), e.Sink)
			}
			if d.Message != "" {
				suppress.Report(pass, d)
			}
			continue
		}
		fix, why := fx.fix(site)
		if fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		} else if why != "" {
			d.Message += " (no automatic fix: " + why + ")"
		}
		suppress.Report(pass, d)
	}
	return nil, nil
}

// familyWhat says what a row's calls do, by family.
var familyWhat = map[string]string{
	sinks.FamHTTP:    "sends an HTTP request",
	sinks.FamNet:     "uses the network",
	sinks.FamSMTP:    "sends mail",
	sinks.FamSQL:     "talks to a database",
	sinks.FamPgx:     "talks to a database",
	sinks.FamSQLLibs: "talks to a database",
	sinks.FamRedis:   "talks to Redis",
	sinks.FamMongo:   "talks to a database",
	sinks.FamFiles:   "touches the file system",
	sinks.FamExec:    "runs an external process",
	sinks.FamGRPC:    "makes a remote call",
	sinks.FamAWS:     "calls a cloud API",
	sinks.FamGCP:     "calls a cloud API",
	sinks.FamKafka:   "talks to a message broker",
	sinks.FamNATS:    "talks to a message broker",
	sinks.FamAPIs:    "calls an external API",
}

// directMessage explains a sink called in a handler zone.
func directMessage(site *reach.Site) string {
	call := sinks.Display(site.Obj)
	switch site.Sink.Family {
	case sinks.FamEnv:
		return fmt.Sprintf("%s reads the process environment outside restate.Run, so a replay or retry on another process or deployment can see a different value; read configuration at startup and pass it in, or read it inside restate.Run", call)
	case sinks.FamIngress:
		return fmt.Sprintf("%s calls Restate through the ingress client from a handler, which is not journaled, so the request is sent again whenever the handler is replayed or retried; call the handler with restate.Service, restate.Object or restate.Workflow on the handler context instead", call)
	case sinks.FamFiles:
		if site.Sink.Fix == "" { // a method of an open file
			return fmt.Sprintf("%s touches the file system outside restate.Run, so it runs again whenever the handler is replayed or retried; move the whole work with the file (opening, reading or writing, closing) into one restate.Run and return from it only the data you need", call)
		}
	case sinks.FamConfigured:
		return fmt.Sprintf("%s is external I/O (configured in sideeffect.sinks) outside restate.Run, so it runs again whenever the handler is replayed or retried; wrap it in restate.Run so it runs once and its result is journaled", call)
	}
	return fmt.Sprintf("%s %s outside restate.Run, so it runs again whenever the handler is replayed or retried; wrap it in restate.Run so it runs once and its result is journaled", call, what(site.Sink.Family))
}

// what says what a family's calls do.
func what(family string) string {
	if w := familyWhat[family]; w != "" {
		return w
	}
	return "performs external I/O"
}

// unseenMessage explains a call in a handler zone whose body cannot be
// seen and that is given a context.
func unseenMessage(site *reach.Site) string {
	e, _ := site.Effect(reach.UnseenRule)
	return fmt.Sprintf("%s is given a context but restatelint cannot see its body (%s), so it likely performs I/O, which runs again whenever the handler is replayed or retried; wrap it in restate.Run, or list it in -sideeffect.allow if it does no I/O",
		e.Sink, reach.UnseenKind(site.Obj))
}
