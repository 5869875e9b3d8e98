package maporder_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/maporder"
)

func TestSDKv1(t *testing.T)   { analyzertest.Run(t, "testdata/v1.txtar", maporder.Analyzer) }
func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v024.txtar", maporder.Analyzer) }
