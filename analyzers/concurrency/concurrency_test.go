package concurrency_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/concurrency"
	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
)

func TestSDKv1(t *testing.T) { analyzertest.Run(t, "testdata/v1.txtar", concurrency.Analyzer) }

func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v024.txtar", concurrency.Analyzer) }
