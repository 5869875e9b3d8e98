package memstate_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/memstate"
)

func TestSDKv1(t *testing.T) { analyzertest.Run(t, "testdata/v1.txtar", memstate.Analyzer) }

func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v024.txtar", memstate.Analyzer) }

// TestQuietOption: a type named by -memstate.quiet silences writes to
// values of it and through it; other types of its package still report.
func TestQuietOption(t *testing.T) {
	if err := memstate.Analyzer.Flags.Set("quiet", "example.com/fixture/telemetry.Stats"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { memstate.Analyzer.Flags.Set("quiet", "") })
	analyzertest.Run(t, "testdata/quiet.txtar", memstate.Analyzer)
}

// TestCaptured: variables of init or of a registering function captured
// by handler literals.
func TestCapturedV1(t *testing.T) {
	analyzertest.Run(t, "testdata/captured_v1.txtar", memstate.Analyzer)
}

func TestCapturedV024(t *testing.T) {
	analyzertest.Run(t, "testdata/captured_v024.txtar", memstate.Analyzer)
}
