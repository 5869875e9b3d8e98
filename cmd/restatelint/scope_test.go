package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/internal/testkit"
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

// demoModFiles returns the demo's go.mod and go.sum: a module on the pinned
// SDK whose requirements the module cache holds, for tests to start from.
func demoModFiles(t *testing.T) (mod, sum []byte) {
	t.Helper()
	mod, err := os.ReadFile(filepath.Join("..", "..", "testdata", "demo", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err = os.ReadFile(filepath.Join("..", "..", "testdata", "demo", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	return mod, sum
}

// platformFiles is a helper module reached by the service's handler.
var platformFiles = map[string]string{
	"go.mod":         "module example.com/platform\n\ngo 1.26.0\n",
	"clock/clock.go": "package clock\n\nimport \"time\"\n\n// Stamp is reached code in another module.\nfunc Stamp() time.Time { return now() }\n\nfunc now() time.Time { return time.Now() }\n",
}

// twoModules lays out a service module that calls a helper in a second
// module, example.com/platform: replaced by the local directory
// ../platform (the team's own code), or, when versioned, a dependency
// v0.1.0 served by a file proxy into a fresh module cache, as a
// third-party module is.
func twoModules(t *testing.T, versioned bool) (svc string) {
	t.Helper()
	root := t.TempDir()
	demoMod, demoSum := demoModFiles(t)
	gomod := strings.Replace(string(demoMod), "module example.com/demo", "module example.com/svc", 1)
	if versioned {
		gomod += "\nrequire example.com/platform v0.1.0\n"
		serveModule(t, filepath.Join(root, "proxy"), "example.com/platform", "v0.1.0", platformFiles)
	} else {
		gomod += "\nrequire example.com/platform v0.0.0\n\nreplace example.com/platform => ../platform\n"
		for name, content := range platformFiles {
			writeFiles(t, root, map[string]string{"platform/" + name: content})
		}
	}
	writeFiles(t, root, map[string]string{
		"svc/go.mod": gomod,
		"svc/go.sum": string(demoSum),
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

// serveModule writes module path@version to a GOPROXY directory and points
// the go command at it, with a fresh module cache that takes every other
// module from the shared cache's download directory (no network).
func serveModule(t *testing.T, proxy, path, version string, files map[string]string) {
	t.Helper()
	testkit.WriteProxyModule(t, proxy, path, version, files)
	testkit.UseProxy(t, proxy, "-mod=mod -modcacherw")
}

// TestScope: a versioned dependency is described by the sink tables, not
// analyzed; -reach.scope brings it into the analysis, standalone and
// under go vet alike.
func TestScope(t *testing.T) {
	svc := twoModules(t, true)
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

// TestLocalReplace: a module replaced by a local directory is the team's
// own code, analyzed from source without configuration, standalone and
// under go vet alike.
func TestLocalReplace(t *testing.T) {
	svc := twoModules(t, false)
	const chain = "calls clock.Stamp → clock.now → time.Now"
	out, err := runIn(svc, binary, "./...")
	if exitCode(err) != 3 || !strings.Contains(out, chain) {
		t.Errorf("standalone: exit %d, want the chain %q\n%s", exitCode(err), chain, out)
	}
	if strings.Contains(out, "platform/clock") {
		t.Errorf("packages loaded only for their facts were reported on:\n%s", out)
	}
	out, err = runIn(svc, "go", "vet", "-vettool="+binary, "./...")
	if exitCode(err) != 1 || !strings.Contains(out, chain) {
		t.Errorf("go vet: exit %d, want the chain\n%s", exitCode(err), out)
	}
}

// TestWorkspace: modules of a go.work are main modules: analyzed without
// configuration.
func TestWorkspace(t *testing.T) {
	svc := twoModules(t, false)
	root := filepath.Dir(svc)
	writeFiles(t, root, map[string]string{"go.work": "go 1.26.0\n\nuse (\n\t./svc\n\t./platform\n)\n"})
	out, err := runIn(svc, binary, "./...")
	if exitCode(err) != 3 || !strings.Contains(out, "calls clock.Stamp → clock.now → time.Now") {
		t.Errorf("go.work: exit %d\n%s", exitCode(err), out)
	}
}

// TestDotlessModule: a module whose path has no dot ("myapp") is the
// user's code, not the standard library: an interface of it given the
// handler context is reported, and its helpers are analyzed, standalone
// and under go vet alike.
func TestDotlessModule(t *testing.T) {
	root := t.TempDir()
	demoMod, demoSum := demoModFiles(t)
	writeFiles(t, root, map[string]string{
		"go.mod": strings.Replace(string(demoMod), "module example.com/demo", "module myapp", 1),
		"go.sum": string(demoSum),
		"store/store.go": `package store

import (
	"context"
	"os"
)

type Store interface {
	Get(ctx context.Context, key string) (string, error)
}

func Token() string { return os.Getenv("TOKEN") }
`,
		"svc/svc.go": `package svc

import (
	restate "github.com/restatedev/sdk-go"

	"myapp/store"
)

type Svc struct{ st store.Store }

func (s Svc) Handle(ctx restate.ObjectContext, key string) (string, error) {
	_ = store.Token()
	return s.st.Get(ctx, key)
}
`,
	})
	want := []string{
		"svc/svc.go:12:6: calls store.Token → os.Getenv",
		"svc/svc.go:13:9: store.Store.Get is given a context but restatelint cannot see its body",
	}
	check := func(how, out string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: missing %q\n%s", how, w, out)
			}
		}
	}
	out, err := runIn(root, binary, "-sideeffect", "./...")
	if exitCode(err) != 3 {
		t.Errorf("standalone: exit %d, want 3", exitCode(err))
	}
	check("standalone", out)
	out, err = runIn(root, "go", "vet", "-vettool="+binary, "-sideeffect", "./...")
	if exitCode(err) != 1 {
		t.Errorf("go vet: exit %d, want 1", exitCode(err))
	}
	check("go vet", out)
}

// TestSDKReplacedLocally: the SDK's own examples and test services replace
// the SDK by its local checkout (replace github.com/restatedev/sdk-go =>
// ../). The SDK is still the SDK: described by its model, never followed
// from source (a journaled future's Done would reach the state machine's
// channels and wasm calls), standalone and under go vet alike.
func TestSDKReplacedLocally(t *testing.T) {
	root := t.TempDir()
	demoMod, demoSum := demoModFiles(t)
	var version string
	for _, line := range strings.Split(string(demoMod), "\n") {
		if f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require ")); len(f) == 2 && f[0] == "github.com/restatedev/sdk-go" {
			version = f[1]
		}
	}
	if version == "" {
		t.Fatal("testdata/demo/go.mod does not require github.com/restatedev/sdk-go")
	}
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	sdkDir := filepath.Join(strings.TrimSpace(string(modcache)), "github.com", "restatedev", "sdk-go@"+version)
	if err := os.CopyFS(filepath.Join(root, "sdk-go"), os.DirFS(sdkDir)); err != nil {
		t.Fatal(err)
	}
	gomod := strings.Replace(string(demoMod), "module example.com/demo", "module example.com/svc", 1) +
		"\nreplace github.com/restatedev/sdk-go => ../sdk-go\n"
	writeFiles(t, root, map[string]string{
		"svc/go.mod": gomod,
		"svc/go.sum": string(demoSum),
		"svc/handler.go": `package svc

import (
	"time"

	restate "github.com/restatedev/sdk-go"
)

type Svc struct{}

func (Svc) Wait(ctx restate.Context, in string) (string, error) {
	if err := restate.After(ctx, time.Second).Done(); err != nil {
		return "", err
	}
	return restate.Service[string](ctx, "Other", "Do").Request(in)
}
`,
	})
	svc := filepath.Join(root, "svc")
	out, err := runIn(svc, binary, "./...")
	if exitCode(err) != 0 {
		t.Errorf("standalone: exit %d, want 0 (the SDK's internals are not the handler's)\n%s", exitCode(err), out)
	}
	out, err = runIn(svc, "go", "vet", "-vettool="+binary, "./...")
	if exitCode(err) != 0 {
		t.Errorf("go vet: exit %d, want 0\n%s", exitCode(err), out)
	}
}

// retryFiles is a published library of Restate helpers: it imports the
// SDK, and Do runs the plain func given to it inside restate.RunVoid.
var retryFiles = map[string]string{
	"go.mod": "module example.com/retry\n\ngo 1.26.0\n\nrequire github.com/restatedev/sdk-go v1.2.0\n",
	"retry.go": `package retry

import (
	"time"

	restate "github.com/restatedev/sdk-go"
)

// Do runs fn inside restate.RunVoid.
func Do(ctx restate.Context, name string, fn func() error) error {
	ctx.Log().Info("step", "at", time.Now())
	return restate.RunVoid(ctx, func(restate.RunContext) error { return fn() }, restate.WithName(name))
}
`,
}

// TestPublishedWrapper: a Run wrapper in a versioned dependency that
// imports the SDK is followed without configuration (the library is
// analyzed from source for its facts, never reported on): the literal
// given to it is a run zone, standalone and under go vet alike.
func TestPublishedWrapper(t *testing.T) {
	root := t.TempDir()
	demoMod, demoSum := demoModFiles(t)
	serveModule(t, filepath.Join(root, "proxy"), "example.com/retry", "v0.1.0", retryFiles)
	svc := filepath.Join(root, "svc")
	writeFiles(t, svc, map[string]string{
		"go.mod": strings.Replace(string(demoMod), "module example.com/demo", "module example.com/svc", 1) +
			"\nrequire example.com/retry v0.1.0\n",
		"go.sum": string(demoSum),
		"handler.go": `package svc

import (
	"time"

	restate "github.com/restatedev/sdk-go"

	"example.com/retry"
)

func Ship(ctx restate.Context, id string) error {
	return retry.Do(ctx, "ship", func() error {
		time.Sleep(10 * time.Millisecond)
		return nil
	})
}
`,
	})
	out, err := runIn(svc, binary, "-walltime", "./...")
	if exitCode(err) != 0 {
		t.Errorf("standalone: exit %d, want 0 (time.Sleep runs inside restate.RunVoid)\n%s", exitCode(err), out)
	}
	out, err = runIn(svc, "go", "vet", "-vettool="+binary, "-walltime", "./...")
	if exitCode(err) != 0 {
		t.Errorf("go vet: exit %d, want 0\n%s", exitCode(err), out)
	}
}
