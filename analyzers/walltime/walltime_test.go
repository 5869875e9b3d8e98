package walltime_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/walltime"
)

func TestSDKv1(t *testing.T) { analyzertest.Run(t, "testdata/v1.txtar", walltime.Analyzer) }
