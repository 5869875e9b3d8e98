package sideeffect_test

import (
	"strings"
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/sideeffect"
)

func TestSDKv1(t *testing.T) { analyzertest.Run(t, "testdata/v1.txtar", sideeffect.Analyzer) }

func TestLibraries(t *testing.T) { analyzertest.Run(t, "testdata/libs.txtar", sideeffect.Analyzer) }

func TestSDKv0(t *testing.T) { analyzertest.Run(t, "testdata/v0.txtar", sideeffect.Analyzer) }

// TestOptions sets the options through the analyzer's flags, as every
// driver does.
func TestOptions(t *testing.T) {
	set := func(name, value string) {
		t.Helper()
		if err := sideeffect.Analyzer.Flags.Set(name, value); err != nil {
			t.Fatal(err)
		}
	}
	set("sinks", `example.com/fixture/pay.Client.Charge,example.com/fixture/mail.Send,"example.com/fixture/geo.v2".Lookup`)
	set("allow", "example.com/fixture/store.Cache.*, example.com/fixture/store.(*Repo).Audit, os.Getenv,example.com/fixture/a.readsFile")
	t.Cleanup(func() {
		config.ExtraSinks.SetRefs(nil)
		config.Allow.SetRefs(nil)
	})
	analyzertest.Run(t, "testdata/config.txtar", sideeffect.Analyzer)
}

func TestOptionErrors(t *testing.T) {
	for _, bad := range []string{"example.com/pay", "example.com/pay.Client.Charge.x", "example.com/pay.1x", `"example.com/pay.Client`, "pay/.X", "example.com/pay.(*Client.Charge"} {
		err := sideeffect.Analyzer.Flags.Set("sinks", bad)
		if err == nil || !strings.Contains(err.Error(), "invalid function") {
			t.Errorf("-sideeffect.sinks=%s: got %v, want an error", bad, err)
		}
	}
	if config.ExtraSinks.String() != "" {
		t.Errorf("a rejected value changed the option: %q", config.ExtraSinks.String())
	}
}

// TestSQLC: sqlc-shaped data access in a module whose path has no dot.
func TestSQLC(t *testing.T) { analyzertest.Run(t, "testdata/sqlc.txtar", sideeffect.Analyzer) }

// TestShapes: a database/sql sqlc DBTX, the most significant sink named in
// a chain, and a generated server delegating to hand-written code, in a
// module whose path has no dot, on both SDK lines.
func TestShapesSDKv1(t *testing.T) {
	analyzertest.Run(t, "testdata/shapes_v1.txtar", sideeffect.Analyzer)
}

func TestShapesSDKv0(t *testing.T) {
	analyzertest.Run(t, "testdata/shapes_v024.txtar", sideeffect.Analyzer)
}

// TestFileMethods: reads and writes of an open *os.File are reported (no
// fix), writes to os.Stdout and os.Stderr are not.
func TestFileMethods(t *testing.T) {
	analyzertest.Run(t, "testdata/osfile.txtar", sideeffect.Analyzer)
}

func TestWrappers(t *testing.T) { analyzertest.Run(t, "testdata/wrappers.txtar", sideeffect.Analyzer) }

func TestWrappersSDKv024(t *testing.T) {
	analyzertest.Run(t, "testdata/wrappers_v024.txtar", sideeffect.Analyzer)
}

// TestDualMode: helpers that take the journaled branch when given a
// handler context (shopnexus's restateclient.Call).
func TestDualMode(t *testing.T) {
	analyzertest.Run(t, "testdata/dualmode.txtar", sideeffect.Analyzer)
}

func TestDualModeV0(t *testing.T) {
	analyzertest.Run(t, "testdata/dualmode_v024.txtar", sideeffect.Analyzer)
}

// A durable-execution layer's runtime interface: steps run inside
// restate.Run where only the restate adapter is seen (zones/iface.go,
// reach/via.go).
func TestRuntimeInterface(t *testing.T) {
	analyzertest.Run(t, "testdata/runtimeiface.txtar", sideeffect.Analyzer)
}

// TestBoundFuncs: handler literals calling a local of their registering
// function bound once to a literal or a declared function.
func TestBoundFuncsV1(t *testing.T) {
	analyzertest.Run(t, "testdata/boundfunc_v1.txtar", sideeffect.Analyzer)
}

func TestBoundFuncsV024(t *testing.T) {
	analyzertest.Run(t, "testdata/boundfunc_v024.txtar", sideeffect.Analyzer)
}
