package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles writes name -> content under root.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// twoModules lays out a service module that calls a helper in a second
// module (example.com/platform), required through a replace directive so
// it is a versioned dependency, not a main module.
func twoModules(t *testing.T) (svc string) {
	t.Helper()
	root := t.TempDir()
	demoMod, err := os.ReadFile(filepath.Join("..", "..", "testdata", "demo", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	demoSum, err := os.ReadFile(filepath.Join("..", "..", "testdata", "demo", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	gomod := strings.Replace(string(demoMod), "module example.com/demo", "module example.com/svc", 1) +
		"\nrequire example.com/platform v0.0.0\n\nreplace example.com/platform => ../platform\n"
	writeFiles(t, root, map[string]string{
		"platform/go.mod":         "module example.com/platform\n\ngo 1.26.0\n",
		"platform/clock/clock.go": "package clock\n\nimport \"time\"\n\n// Stamp is reached code in another module.\nfunc Stamp() time.Time { return now() }\n\nfunc now() time.Time { return time.Now() }\n",
		"svc/go.mod":              gomod,
		"svc/go.sum":              string(demoSum),
		"svc/handler.go": `package svc

import (
	restate "github.com/restatedev/sdk-go"

	"example.com/platform/clock"
)

func Handle(ctx restate.ObjectContext) error {
	restate.Set(ctx, "at", clock.Stamp())
	return nil
}
`,
	})
	return filepath.Join(root, "svc")
}

// TestScope: a versioned dependency is described by the sink tables, not
// analyzed; -reach.scope brings it into the analysis, standalone and
// under go vet alike.
func TestScope(t *testing.T) {
	svc := twoModules(t)
	out, err := runIn(svc, binary, "./...")
	if exitCode(err) != 0 {
		t.Errorf("without scope: exit %d (want 0: the platform module is out of scope)\n%s", exitCode(err), out)
	}
	const chain = "calls clock.Stamp → clock.now → time.Now"
	out, err = runIn(svc, binary, "-reach.scope=example.com/platform", "./...")
	if exitCode(err) != 3 || !strings.Contains(out, chain) {
		t.Errorf("with scope: exit %d, want the chain %q\n%s", exitCode(err), chain, out)
	}
	if strings.Contains(out, "platform/clock") {
		t.Errorf("packages loaded only for scope were reported on:\n%s", out)
	}
	out, err = runIn(svc, "go", "vet", "-vettool="+binary, "-reach.scope=example.com/platform", "./...")
	if exitCode(err) != 1 || !strings.Contains(out, chain) {
		t.Errorf("go vet with scope: exit %d, want the chain\n%s", exitCode(err), out)
	}
}

// TestWorkspace: modules of a go.work are main modules: analyzed without
// configuration.
func TestWorkspace(t *testing.T) {
	svc := twoModules(t)
	root := filepath.Dir(svc)
	writeFiles(t, root, map[string]string{"go.work": "go 1.26.0\n\nuse (\n\t./svc\n\t./platform\n)\n"})
	out, err := runIn(svc, binary, "./...")
	if exitCode(err) != 3 || !strings.Contains(out, "calls clock.Stamp → clock.now → time.Now") {
		t.Errorf("go.work: exit %d\n%s", exitCode(err), out)
	}
}
