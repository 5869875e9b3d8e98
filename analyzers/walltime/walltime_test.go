package walltime_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/walltime"
)

func TestSDKv1(t *testing.T)   { analyzertest.Run(t, "testdata/v1.txtar", walltime.Analyzer) }
func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v0.24.txtar", walltime.Analyzer) }
func TestImportNames(t *testing.T) {
	analyzertest.Run(t, "testdata/dotimport.txtar", walltime.Analyzer)
}
