package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// configModule lays out a service module whose handler reads the clock
// and calls the team's mail.Send, which no sink table knows.
func configModule(t *testing.T, toml string) string {
	t.Helper()
	root := t.TempDir()
	demoMod, demoSum := demoModFiles(t)
	writeFiles(t, root, map[string]string{
		"go.mod":       strings.Replace(string(demoMod), "module example.com/demo", "module example.com/app", 1),
		"go.sum":       string(demoSum),
		"mail/mail.go": "package mail\n\n// Send hands a message to the mail relay.\nfunc Send(to, body string) error { return nil }\n",
		"svc/svc.go": `package svc

import (
	"time"

	restate "github.com/restatedev/sdk-go"

	"example.com/app/mail"
)

func Notify(ctx restate.ObjectContext, to string) error {
	restate.Set(ctx, "at", time.Now())
	return mail.Send(to, "hi")
}
`,
	})
	if toml != "" {
		writeFiles(t, root, map[string]string{"restatelint.toml": toml})
	}
	return root
}

const (
	clockFinding = "svc/svc.go:12:25: time.Now in a handler"
	mailFinding  = "svc/svc.go:13:9: mail.Send is external I/O (configured in sideeffect.sinks)"
)

// TestConfigFile: restatelint.toml turns a rule off and adds a sink,
// standalone and under go vet alike; flags override it; go vet's cache
// does not keep results of an older file.
func TestConfigFile(t *testing.T) {
	const toml = "# the team's settings\nwalltime = false\n\n[sideeffect]\nsinks = [\n  \"example.com/app/mail.Send\",  # the relay\n]\n"
	dir := configModule(t, toml)
	check := func(how, out string, want, notWant []string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: missing %q\n%s", how, w, out)
			}
		}
		for _, w := range notWant {
			if strings.Contains(out, w) {
				t.Errorf("%s: unexpected %q\n%s", how, w, out)
			}
		}
	}
	out, err := runIn(dir, binary, "./...")
	if exitCode(err) != 3 {
		t.Errorf("standalone: exit %d, want 3", exitCode(err))
	}
	check("standalone", out, []string{mailFinding}, []string{"time.Now"})
	out, err = runIn(dir, "go", "vet", "-vettool="+binary, "./...")
	if exitCode(err) != 1 {
		t.Errorf("go vet: exit %d, want 1", exitCode(err))
	}
	check("go vet", out, []string{mailFinding}, []string{"time.Now"})

	// Flags win over the file: -walltime enables it explicitly, an
	// explicit -sideeffect.sinks replaces the file's list.
	out, _ = runIn(dir, binary, "-walltime", "./...")
	check("-walltime", out, []string{clockFinding}, []string{"mail.Send"})
	out, _ = runIn(dir, binary, "-sideeffect.sinks=", "./...")
	check("-sideeffect.sinks=", out, nil, []string{"mail.Send", "time.Now"})
	out, _ = runIn(dir, "go", "vet", "-vettool="+binary, "-walltime", "./...")
	check("go vet -walltime", out, []string{clockFinding}, []string{"mail.Send"})

	// Without the file both analyzers keep their defaults.
	os.Remove(filepath.Join(dir, "restatelint.toml"))
	out, _ = runIn(dir, binary, "./...")
	check("no file", out, []string{clockFinding}, []string{"mail.Send"})

	// A clean run is cached by go vet; editing the file re-analyzes.
	writeFiles(t, dir, map[string]string{"restatelint.toml": "walltime = false\n"})
	if out, err := runIn(dir, "go", "vet", "-vettool="+binary, "./..."); err != nil {
		t.Errorf("go vet, walltime off: %v\n%s", err, out)
	}
	writeFiles(t, dir, map[string]string{"restatelint.toml": "walltime = true\n"})
	out, err = runIn(dir, "go", "vet", "-vettool="+binary, "./...")
	if exitCode(err) != 1 {
		t.Errorf("go vet after editing the file: exit %d, want 1 (a stale cached result?)", exitCode(err))
	}
	check("go vet, walltime only", out, []string{clockFinding}, []string{"mail.Send"})
}

// TestConfigFileErrors: an unknown key or a bad value is an error naming
// the file and line, and a non-zero exit, standalone and under go vet.
func TestConfigFileErrors(t *testing.T) {
	for _, tc := range []struct{ toml, want string }{
		{"walltime = false\n\n[sideeffect]\nsink = [\"example.com/app/mail.Send\"]\n", `restatelint.toml:4: unknown key "sideeffect.sink"`},
		{"[reach]\nscope = \"example.com/*\"\n", `restatelint.toml:2: invalid value "example.com/*" for reach.scope`},
		{"walltime = no\n", `restatelint.toml:1: walltime: want a string`},
		{"memstate = \"off\"\n", `restatelint.toml:1: memstate: want true or false, got "off"`},
	} {
		dir := configModule(t, tc.toml)
		out, err := runIn(dir, binary, "./...")
		if exitCode(err) != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("standalone with %q: exit %d, want 1 and %q\n%s", tc.toml, exitCode(err), tc.want, out)
		}
		out, err = runIn(dir, "go", "vet", "-vettool="+binary, "./...")
		if exitCode(err) == 0 || !strings.Contains(out, tc.want) {
			t.Errorf("go vet with %q: exit %d, want non-zero and %q\n%s", tc.toml, exitCode(err), tc.want, out)
		}
	}
}

// TestConfigFileScope: the file's reach.scope brings a versioned module
// into the analysis where the driver knows the run (standalone); go vet
// analyzes dependencies in the module cache, where the file does not
// apply, so it fails naming the file rather than ignoring the scope, and
// -reach.scope works there.
func TestConfigFileScope(t *testing.T) {
	svc := twoModules(t, true)
	writeFiles(t, svc, map[string]string{"restatelint.toml": "[reach]\nscope = [\"example.com/platform\"]\n"})
	const chain = "calls clock.Stamp → clock.now → time.Now"
	out, err := runIn(svc, binary, "./...")
	if exitCode(err) != 3 || !strings.Contains(out, chain) {
		t.Errorf("standalone: exit %d, want the chain %q\n%s", exitCode(err), chain, out)
	}
	out, err = runIn(svc, "go", "vet", "-vettool="+binary, "./...")
	if want := "restatelint.toml:2: reach.scope lists example.com/platform, but this driver did not analyze example.com/platform/clock from source"; exitCode(err) == 0 || !strings.Contains(out, want) {
		t.Errorf("go vet: exit %d, want an error %q\n%s", exitCode(err), want, out)
	}
	out, err = runIn(svc, "go", "vet", "-vettool="+binary, "-reach.scope=example.com/platform", "./...")
	if exitCode(err) != 1 || !strings.Contains(out, chain) {
		t.Errorf("go vet -reach.scope: exit %d, want the chain\n%s", exitCode(err), out)
	}
}
