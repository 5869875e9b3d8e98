package walltime_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/walltime"
)

// Issue 11: a clock value that only decides the output, through helpers'
// results and through conditions choosing what is returned.
func TestResultOnly(t *testing.T) {
	analyzertest.Run(t, "testdata/resultonly.txtar", walltime.Analyzer)
}

func TestResultOnlySDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/v0.24-resultonly.txtar", walltime.Analyzer)
}

// Issue 11: a logger package's variables bound to slog functions.
func TestObserverVar(t *testing.T) {
	analyzertest.Run(t, "testdata/observervar.txtar", walltime.Analyzer)
}

func TestObserverVarSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/v0.24-observervar.txtar", walltime.Analyzer)
}
