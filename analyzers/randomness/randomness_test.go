package randomness_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/randomness"
)

func TestSDKv1(t *testing.T)   { analyzertest.Run(t, "testdata/v1.txtar", randomness.Analyzer) }
func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v0.24.txtar", randomness.Analyzer) }
