package doctest

import (
	"slices"
	"testing"
)

// TestPagesAreMarked: every code block of docs/integrations says which
// test runs or checks it, and the kinds the tests consume all occur.
func TestPagesAreMarked(t *testing.T) {
	blocks := Blocks(t, Dir(t))
	seen := make(map[string]bool)
	for _, b := range blocks {
		seen[b.Kind] = true
	}
	for _, k := range []string{"run", "run-golangci", "file", "golangci-fragment", "workflow", "pre-commit", "nogo-build", "nogo-config"} {
		if !seen[k] {
			t.Errorf("no block of kind %s in docs/integrations", k)
		}
	}
}

func TestParsers(t *testing.T) {
	cmds := Commands(Block{Arg: "exit=1", Body: "# comment\nfoo \\\n  bar   # exit 3: x\n\nbaz\n"})
	if want := []Command{{"foo   bar   # exit 3: x", 3}, {"baz", 1}}; !slices.Equal(cmds, want) {
		t.Errorf("Commands: %+v", cmds)
	}
	wf := WorkflowCommands(Block{Body: `jobs:
  x:
    steps:
      - uses: actions/checkout@v4
      - run: echo one
      - name: two
        run: |
          echo two
          echo three
      - uses: x/y@v1
        with:
          a: b
`})
	if want := []Command{{"echo one", 0}, {"echo two", 0}, {"echo three", 0}}; !slices.Equal(wf, want) {
		t.Errorf("WorkflowCommands: %+v", wf)
	}
	pc := PreCommitCommands(Block{Arg: "exit=3", Body: "      - id: a\n        entry: go tool x\n        args: [./..., \"-v\"]  # comment\n"})
	if want := []Command{{"go tool x ./... -v", 3}}; !slices.Equal(pc, want) {
		t.Errorf("PreCommitCommands: %+v", pc)
	}
}
