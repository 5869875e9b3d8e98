package randomness_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/randomness"
)

func TestSDKv1(t *testing.T)   { analyzertest.Run(t, "testdata/v1.txtar", randomness.Analyzer) }
func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v0.24.txtar", randomness.Analyzer) }

// Issue 11: samber/lo helpers drawing from the global source.
func TestLo(t *testing.T)        { analyzertest.Run(t, "testdata/lo.txtar", randomness.Analyzer) }
func TestLoSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v0.24-lo.txtar", randomness.Analyzer) }

// A draw that only sizes a durable timer or is only logged is quiet
// (restatedev/examples' parallelizework jitter).
func TestTimer(t *testing.T) { analyzertest.Run(t, "testdata/timer.txtar", randomness.Analyzer) }
