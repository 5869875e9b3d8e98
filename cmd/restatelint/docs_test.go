package main_test

// TestIntegrationDocs runs the commands of docs/integrations/*.md (the
// blocks marked run, workflow and pre-commit; internal/doctest explains
// the markers) in a copy of the demo module, with the restatelint built by
// TestMain on PATH. The module is not on the module proxy from here, so
// the copy gets a replace directive pointing github.com/restatelint/restatelint
// at this checkout: `go get -tool github.com/restatelint/restatelint/cmd/restatelint@latest`
// then resolves to it, as it resolves to the latest release for users.
// Every page's workflow and pre-commit commands use `go tool restatelint`,
// so each page runs after the tool directive is added.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/internal/doctest"
)

func TestIntegrationDocs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command of docs/integrations")
	}
	blocks := doctest.Blocks(t, doctest.Dir(t))
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	pathEnv := "PATH=" + filepath.Dir(binary) + string(os.PathListSeparator) + os.Getenv("PATH")
	// GOPROXY=off: the demo's modules are in the module cache (TestMain), and
	// the proxy answers 403, not 404, for this unpublished module.
	// GONOSUMDB: go get -tool adds go.sum lines for modules already verified
	// into the module cache; the checksum database need not be reachable.
	env := []string{pathEnv, "GOFLAGS=" + os.Getenv("GOFLAGS") + " -mod=mod", "GOWORK=off", "GOPROXY=off", "GONOSUMDB=*"}

	pages := make(map[string][]doctest.Block)
	var order []string
	for _, b := range blocks {
		switch b.Kind {
		case "run", "workflow", "pre-commit":
			if pages[b.Page] == nil {
				order = append(order, b.Page)
			}
			pages[b.Page] = append(pages[b.Page], b)
		}
	}
	if len(order) < 5 {
		t.Fatalf("only %d pages with commands", len(order))
	}
	for _, page := range order {
		t.Run(strings.TrimSuffix(page, ".md"), func(t *testing.T) {
			for _, b := range pages[page] {
				// A fresh module per block: blocks may apply fixes.
				dir := copyDemo(t)
				doctest.Run(t, dir, env, doctest.Command{Line: "go mod edit -replace github.com/restatelint/restatelint=" + root})
				doctest.Run(t, dir, env, doctest.Command{Line: "go get -tool github.com/restatelint/restatelint/cmd/restatelint"})
				doctest.WriteFiles(t, blocks, page, dir)
				var cmds []doctest.Command
				switch b.Kind {
				case "run":
					cmds = doctest.Commands(b)
				case "workflow":
					cmds = doctest.WorkflowCommands(b)
					for i := range cmds {
						cmds[i].Exit = b.Exit()
					}
				case "pre-commit":
					cmds = doctest.PreCommitCommands(b)
				}
				if len(cmds) == 0 {
					t.Errorf("%s: no command found", b)
				}
				for _, c := range cmds {
					t.Logf("%s: %s", b, c.Line)
					doctest.Run(t, dir, env, c)
				}
				if b.Kind == "workflow" && strings.Contains(b.Body, "-sarif") {
					data, err := os.ReadFile(filepath.Join(dir, "restatelint.sarif"))
					if err != nil {
						t.Fatal(err)
					}
					validateSARIF(t, data)
					if !strings.Contains(b.Body, "github/codeql-action/upload-sarif@v4") {
						t.Errorf("%s: the SARIF workflow does not upload with github/codeql-action/upload-sarif@v4", b)
					}
				}
			}
		})
	}
}
