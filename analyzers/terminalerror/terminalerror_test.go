package terminalerror_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/terminalerror"
)

func TestSDKv1(t *testing.T) { analyzertest.Run(t, "testdata/v1.txtar", terminalerror.Analyzer) }

func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v024.txtar", terminalerror.Analyzer) }

func TestHelpersSDKv1(t *testing.T) {
	analyzertest.Run(t, "testdata/helpers_v1.txtar", terminalerror.Analyzer)
}

func TestHelpersSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/helpers_v024.txtar", terminalerror.Analyzer)
}

// Dates computed from the request (time.Date, Time's methods, time.UTC)
// are pure; a helper reading the clock is not (unkey's keyrefill).
func TestTimeDate(t *testing.T) {
	analyzertest.Run(t, "testdata/timedate.txtar", terminalerror.Analyzer)
}

// A helper whose error result is always nil never fails: returning its
// error is dead code (restatedev/examples' split).
func TestNeverFails(t *testing.T) {
	analyzertest.Run(t, "testdata/neverfails.txtar", terminalerror.Analyzer)
}

// An earlier if that may return successfully decides whether a retry
// reaches a later error (unkey's domain verification polling).
func TestEarlyReturn(t *testing.T) {
	analyzertest.Run(t, "testdata/earlyreturn.txtar", terminalerror.Analyzer)
}

// Errors of versioned dependencies that cannot act, of project helpers of
// other packages calling them, through the project's error wrapper
// (shopnexus' currency.Infer and sharedmodel.WrapErr).
func TestDependenciesSDKv1(t *testing.T) {
	analyzertest.Run(t, "testdata/deps_v1.txtar", terminalerror.Analyzer)
}

func TestDependenciesSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/deps_v024.txtar", terminalerror.Analyzer)
}

// A field of the service that only its constructor's composite literal
// sets is configuration: an early return on it decides the same way on
// every retry (unkey's deploy billing push, `if h.usage == nil`).
func TestSettledFieldsSDKv1(t *testing.T) {
	analyzertest.Run(t, "testdata/settled_v1.txtar", terminalerror.Analyzer)
}

func TestSettledFieldsSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/settled_v024.txtar", terminalerror.Analyzer)
}
