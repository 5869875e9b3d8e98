package ignoredirective_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/ignoredirective"
	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
)

func TestDirectives(t *testing.T) {
	analyzertest.Run(t, "testdata/v1.txtar", ignoredirective.Analyzer)
}
