package runcapture_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/runcapture"
)

func TestSDKv1(t *testing.T) { analyzertest.Run(t, "testdata/v1.txtar", runcapture.Analyzer) }

func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v024.txtar", runcapture.Analyzer) }

func TestWrappers(t *testing.T) { analyzertest.Run(t, "testdata/wrappers.txtar", runcapture.Analyzer) }

func TestWrappersSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/wrappers_v024.txtar", runcapture.Analyzer)
}

func TestFuncSlices(t *testing.T) {
	analyzertest.Run(t, "testdata/funcslice.txtar", runcapture.Analyzer)
}

func TestFuncSlicesSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/funcslice_v024.txtar", runcapture.Analyzer)
}
