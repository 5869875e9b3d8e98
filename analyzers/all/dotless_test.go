package all_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/analyzers/internal/analyzertest"
)

// TestDotlessModule runs every rule's main fixture again in a module whose
// path has no dot ("myapp", as shopnexus-server or ai-reviewer are):
// such a module is the user's code, not the standard library, so every
// rule must report exactly what it reports in example.com/fixture. The
// sideeffect fixtures of both SDK lines call the project's own interfaces
// with the handler context, which a dot-based test of "standard library"
// silently dropped.
func TestDotlessModule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every rule's fixture again")
	}
	for _, a := range all.Analyzers() {
		cases := []string{"v1.txtar"}
		if a.Name == "sideeffect" {
			cases = append(cases, "v0.txtar")
		}
		for _, c := range cases {
			archive := filepath.Join("..", a.Name, "testdata", c)
			if _, err := os.Stat(archive); err != nil {
				continue // reach, ignoredirective: no rule fixture of this name
			}
			t.Run(a.Name+"/"+c, func(t *testing.T) {
				analyzertest.RunAs(t, "myapp", archive, a)
			})
		}
	}
}
