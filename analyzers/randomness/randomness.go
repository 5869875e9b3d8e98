// Package randomness reports draws from global or OS random sources and
// random ID generators in Restate handlers.
//
// A handler runs again from the top whenever Restate replays its journal.
// A random number or ID drawn from math/rand, crypto/rand or a UUID
// library differs on every execution, so a state key, call payload or
// idempotency key built from it diverges from what the journal recorded
// (a journal mismatch, or a second order under a new ID). restate.Rand(ctx)
// and restate.UUID(ctx) are seeded from the invocation ID: they give the
// same sequence on every replay.
//
// Reported, in handler zones and in code they reach at any depth (the
// latter at the handler's call site, with the call chain): the top-level
// generators of math/rand and math/rand/v2 (Int, Intn, IntN, Float64,
// Perm, Shuffle, N, Read, ...); crypto/rand (Read, Int, Prime, Text, any
// use of rand.Reader); methods of a package-level *rand.Rand; random ID
// generators: github.com/google/uuid (New, NewString, NewRandom, NewV7,
// ...), github.com/gofrs/uuid (NewV4, NewV7, ...), github.com/oklog/ulid
// (Make, New with an entropy source), github.com/segmentio/ksuid (New),
// github.com/rs/xid (New), nanoid libraries; and library helpers that
// draw from the global source for the caller: github.com/samber/lo
// (Shuffle, Sample, Samples, RandomString) and lo/mutable (Shuffle).
//
// Quiet on: restate.Run closures and code reached only from them;
// restate.Rand(ctx), restate.RandSource(ctx), restate.UUID(ctx);
// generators built from a constant, the request or restate.RandSource
// (rand.New, NewSource, NewPCG, NewZipf draw nothing themselves; a
// clock-derived seed is walltime's finding); deterministic IDs
// (uuid.NewSHA1, uuid.NewMD5, gofrs NewV3/NewV5) and parsing.
//
// Fixes, offered where a named handler context is in scope and the SDK
// version the module pins offers the replacement (read from its types):
//
//	rand.Intn(n)     → restate.Rand(ctx).IntN(n)   (v1 names mapped to math/rand/v2: Intn→IntN, Int63→Int64, Int31n→Int32N, ...)
//	uuid.New()       → restate.UUID(ctx)            (restate.Rand(ctx).UUID() on SDKs without restate.UUID)
//	uuid.NewString() → restate.UUID(ctx).String()
//
// Suppress one finding with //restatelint:ignore randomness <reason>.
package randomness

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/sinks"
	"github.com/restatelint/restatelint/analyzers/internal/suppress"
	"github.com/restatelint/restatelint/analyzers/reach"
)

const name = "randomness"

// Analyzer reports non-deterministic random draws in Restate handlers.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: `report random draws and random IDs in Restate handlers

math/rand, crypto/rand and UUID/ULID/KSUID/xid/nanoid generators give a
different value when Restate replays a handler. Use restate.Rand(ctx) and
restate.UUID(ctx), which are seeded per invocation, or draw inside restate.Run.`,
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/randomness.md",
	Requires:         []*analysis.Analyzer{reach.Analyzer, suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	res := pass.ResultOf[reach.Analyzer].(*reach.Result)
	fx := newFixer(pass)
	for _, site := range res.Sites {
		e, ok := site.Effect(name)
		if !ok {
			continue
		}
		d := analysis.Diagnostic{Pos: site.Expr.Node().Pos(), End: site.Expr.Node().End()}
		if site.Sink == nil {
			d.Message = fmt.Sprintf("calls %s, which draws randomness outside restate.Run, so the handler gets a different value when replayed; use restate.Rand(ctx) or restate.UUID(ctx) in the handler, or move the draw into restate.Run",
				res.Render(e))
			d.Related = res.Related(site, e)
		} else {
			d.Message = message(site)
			if fix, ok := fx.fix(site); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		suppress.Report(pass, d)
	}
	return nil, nil
}

// message explains a direct draw, by the family of its source.
func message(site *reach.Site) string {
	sink := sinks.Display(site.Obj)
	s := site.Sink
	switch {
	case s.Recv == "Rand":
		return fmt.Sprintf("%s draws from a package-level generator shared by every invocation, so the handler gets a different value when replayed; use restate.Rand(ctx)", sink)
	case s.Pkg == "crypto/rand":
		return fmt.Sprintf("%s reads the OS random source, which differs when the handler is replayed; use restate.Rand(ctx), or draw inside restate.Run where cryptographic strength is needed", sink)
	case strings.HasPrefix(s.Pkg, "math/rand"), s.Family == sinks.FamGlobalSource:
		return fmt.Sprintf("%s draws from the global random source, which differs when the handler is replayed; use restate.Rand(ctx), which is seeded per invocation", sink)
	}
	return fmt.Sprintf("%s generates a random ID, which differs when the handler is replayed; use restate.UUID(ctx), or generate it inside restate.Run", sink)
}
