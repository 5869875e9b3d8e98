package deadlock_test

import (
	"testing"

	"github.com/restatelint/restatelint/analyzers/deadlock"
	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
)

func TestSDKv1(t *testing.T)   { analyzertest.Run(t, "testdata/v1.txtar", deadlock.Analyzer) }
func TestSDKv024(t *testing.T) { analyzertest.Run(t, "testdata/v024.txtar", deadlock.Analyzer) }

func TestGeneratedServerSDKv1(t *testing.T) {
	analyzertest.Run(t, "testdata/servers_v1.txtar", deadlock.Analyzer)
}

func TestGeneratedServerSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/servers_v024.txtar", deadlock.Analyzer)
}
