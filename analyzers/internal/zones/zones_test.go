package zones_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// show reports the zone of every function, so a fixture can state each
// with a // want comment.
var show = &analysis.Analyzer{
	Name:     "showzones",
	Doc:      "report the zone of every function",
	Requires: []*analysis.Analyzer{zones.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.ResultOf[zones.Analyzer].(*zones.Zones).Funcs {
			pos := f.Node.Pos()
			if d, ok := f.Node.(*ast.FuncDecl); ok {
				pos = d.Name.Pos()
			}
			msg := f.Kind.String()
			if ctx := f.HandlerCtx(); ctx != nil {
				msg += " ctx=" + ctx.Name()
			}
			if f.CtxField != nil {
				msg += " field=" + f.CtxField.Name()
			}
			pass.Reportf(pos, "%s", msg)
		}
		return nil, nil
	},
}

func TestZones(t *testing.T) {
	analyzertest.Run(t, "testdata/zones.txtar", show)
}

func TestWrappers(t *testing.T) {
	analyzertest.Run(t, "testdata/wrappers.txtar", show)
}

func TestWrappersSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/wrappers_v024.txtar", show)
}

// TestPublishedWrappers: Run wrappers of a published library that imports
// the SDK (out of scope) make run zones.
func TestPublishedWrappers(t *testing.T) {
	analyzertest.Run(t, "testdata/published.txtar", show)
}

func TestPublishedWrappersSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/published_v024.txtar", show)
}

// TestFuncSlices: functions stored in a slice given to a wrapper that runs
// each element inside a run zone are run zones.
func TestFuncSlices(t *testing.T) { analyzertest.Run(t, "testdata/funcslice.txtar", show) }

func TestFuncSlicesSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/funcslice_v024.txtar", show)
}
