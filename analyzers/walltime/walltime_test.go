package walltime_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/walltime"
)

func TestSDKv1(t *testing.T)   { analyzertest.Run(t, "testdata/v1.txtar", walltime.Analyzer) }
func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v0.24.txtar", walltime.Analyzer) }

// Injected clocks, return-only through a struct and tracing in SDK v0.24.
func TestSDKv024Clocks(t *testing.T) {
	analyzertest.Run(t, "testdata/v0.24-clocks.txtar", walltime.Analyzer)
}
func TestImportNames(t *testing.T) {
	analyzertest.Run(t, "testdata/dotimport.txtar", walltime.Analyzer)
}

// TestFixSafety: code after the edit (later := of err or of the
// temporary's name, shadowing, named results, goto, labels) keeps
// compiling and meaning what it meant, on both SDK lines.
func TestFixSafetySDKv1(t *testing.T) {
	analyzertest.Run(t, "testdata/safety_v1.txtar", walltime.Analyzer)
}

func TestFixSafetySDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/safety_v024.txtar", walltime.Analyzer)
}

// Issue 12.4: return-only through a struct field or element.
func TestReturnStruct(t *testing.T) {
	analyzertest.Run(t, "testdata/returnstruct.txtar", walltime.Analyzer)
}

// rules.md 2026-12-05: logging, metrics and tracing are quiet uses.
func TestMetrics(t *testing.T) {
	analyzertest.Run(t, "testdata/metrics.txtar", walltime.Analyzer)
}

// Issue 17: injected clocks.
func TestInjectedClocks(t *testing.T) {
	analyzertest.Run(t, "testdata/clocks.txtar", walltime.Analyzer)
}

// A durable-execution layer's runtime interface (eventstore): the clock
// read in a step is quiet where only the restate adapter is seen.
func TestRuntimeInterface(t *testing.T) {
	analyzertest.Run(t, "testdata/runtimeiface.txtar", walltime.Analyzer)
}

// A library's constructors and encoders pass the clock value on to
// their results (shopnexus' jwt claims).
func TestPassThrough(t *testing.T) {
	analyzertest.Run(t, "testdata/passthrough.txtar", walltime.Analyzer)
}

// A clock value that only sizes a durable timer is quiet.
func TestTimer(t *testing.T) { analyzertest.Run(t, "testdata/timer.txtar", walltime.Analyzer) }

// A write in a function literal reaches the reads above it in the
// literal when the variable lives outside it (flow.Order).
func TestClosureOrder(t *testing.T) {
	analyzertest.Run(t, "testdata/closureorder.txtar", walltime.Analyzer)
}

func TestClosureOrderSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/v0.24-closureorder.txtar", walltime.Analyzer)
}

// In the reading's own statement, calls before it are evaluated before it.
func TestEvalOrder(t *testing.T) {
	analyzertest.Run(t, "testdata/evalorder.txtar", walltime.Analyzer)
}

// A project's own recorders (a metrics collector keeping durations in
// its maps, a tracer keeping spans) and callbacks in struct fields that
// return nothing and get no handler context only observe a clock value.
func TestRecorder(t *testing.T) {
	analyzertest.Run(t, "testdata/recorder.txtar", walltime.Analyzer)
}

func TestRecorderSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/v0.24-recorder.txtar", walltime.Analyzer)
}

// Recorders flow cannot look into (a published library's collector,
// another package's statistics) held by the service keep a clock value
// apart from the journal; a recorder or setter called on a local the
// handler then stores holds the value (the order it stamps is stored).
func TestRecorderLibrary(t *testing.T) {
	analyzertest.Run(t, "testdata/recorderlib.txtar", walltime.Analyzer)
}

func TestRecorderLibrarySDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/v0.24-recorderlib.txtar", walltime.Analyzer)
}

// An unexported field no code sets is nil: what a clock value does in a
// branch under `x.f != nil` never happens (PithomLabs' instrumentation
// wrapper, whose constructor leaves its tracer out).
func TestUnsetField(t *testing.T) {
	analyzertest.Run(t, "testdata/unsetfield.txtar", walltime.Analyzer)
}

func TestUnsetFieldSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/v0.24-unsetfield.txtar", walltime.Analyzer)
}

// A local declared without a value in a branch the clock decides holds
// its zero value (shopnexus' gateway URL decoded with json.Unmarshal).
func TestDecidedDeclaration(t *testing.T) {
	analyzertest.Run(t, "testdata/decided.txtar", walltime.Analyzer)
}

func TestDecidedDeclarationSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/v0.24-decided.txtar", walltime.Analyzer)
}

// A helper handing the clock back through memory its argument points to
// (stamp(&o), a tracer's EndSpan): the caller follows that memory.
func TestOutParam(t *testing.T) {
	analyzertest.Run(t, "testdata/outparam.txtar", walltime.Analyzer)
}

func TestOutParamSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/v0.24-outparam.txtar", walltime.Analyzer)
}

// TestBoundClock: locals of a registering function bound once to a
// literal or time.Now, called by handler literals.
func TestBoundClockV1(t *testing.T) {
	analyzertest.Run(t, "testdata/boundclock_v1.txtar", walltime.Analyzer)
}

func TestBoundClockV024(t *testing.T) {
	analyzertest.Run(t, "testdata/boundclock_v024.txtar", walltime.Analyzer)
}
