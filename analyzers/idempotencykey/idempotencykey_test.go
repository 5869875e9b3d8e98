package idempotencykey_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/idempotencykey"
	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
)

func TestSDKv1(t *testing.T)   { analyzertest.Run(t, "testdata/v1.txtar", idempotencykey.Analyzer) }
func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v024.txtar", idempotencykey.Analyzer) }
