package runcontext_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/runcontext"
)

func TestSDKv1(t *testing.T) { analyzertest.Run(t, "testdata/v1.txtar", runcontext.Analyzer) }

func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v024.txtar", runcontext.Analyzer) }

func TestWrappers(t *testing.T) { analyzertest.Run(t, "testdata/wrappers.txtar", runcontext.Analyzer) }

func TestWrappersSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/wrappers_v024.txtar", runcontext.Analyzer)
}

func TestFuncSlices(t *testing.T) {
	analyzertest.Run(t, "testdata/funcslice.txtar", runcontext.Analyzer)
}

func TestFuncSlicesSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/funcslice_v024.txtar", runcontext.Analyzer)
}
