package statecounter_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/statecounter"
)

func TestSDKv1(t *testing.T) { analyzertest.Run(t, "testdata/v1.txtar", statecounter.Analyzer) }

func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v024.txtar", statecounter.Analyzer) }

func TestFieldContext(t *testing.T) {
	analyzertest.Run(t, "testdata/fieldctx.txtar", statecounter.Analyzer)
}

func TestFieldContextSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/fieldctx_v024.txtar", statecounter.Analyzer)
}
