// Package doctest runs the commands of the integration pages
// (docs/integrations/*.md), so that what the documentation tells users to
// run is what the tests run.
//
// Every fenced code block of a page is preceded, on the line before its
// opening fence, by a marker saying what checks it:
//
//	<!-- test: run [exit=N] -->       each command is run (cmd/restatelint)
//	<!-- test: run-golangci [exit=N] -->  the same, with the custom golangci-lint (golangci)
//	<!-- test: file NAME -->          the block is file NAME, written before the page's commands run
//	<!-- test: golangci-fragment NAME -->  part of the page's golangci-lint config file NAME: merged into it and run (golangci)
//	<!-- test: workflow -->           GitHub Actions YAML: its run: steps are run as commands
//	<!-- test: pre-commit [exit=N] -->  pre-commit config: each hook's entry and args are run
//	<!-- test: nogo-build -->         the nogo BUILD target, checked against the analyzers (analyzers/all)
//	<!-- test: nogo-config -->        nogo config JSON, applied as nogo applies it (analyzers/all)
//	<!-- test: none: REASON -->       not run, for the reason given
//
// A command's expected exit status is 0 unless the marker says exit=N or
// the command line ends in a comment "# exit N..." (which readers see too).
package doctest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Block is one fenced code block of a page.
type Block struct {
	Page string // file name, e.g. "go-vet.md"
	Line int    // line of the opening fence
	Kind string // marker kind: run, run-golangci, file, workflow, pre-commit, nogo-build, nogo-config, none
	Arg  string // the marker's argument: a file name, exit=N, or a reason
	Body string
}

func (b Block) String() string { return fmt.Sprintf("%s:%d", b.Page, b.Line) }

// Exit returns the marker's exit=N, or 0.
func (b Block) Exit() int {
	for _, f := range strings.Fields(b.Arg) {
		if v, ok := strings.CutPrefix(f, "exit="); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return 0
}

var (
	markerRE = regexp.MustCompile(`^<!-- test: ([a-z-]+):?\s*(.*?)\s*-->$`)
	kinds    = []string{"run", "run-golangci", "file", "golangci-fragment", "workflow", "pre-commit", "nogo-build", "nogo-config", "none"}
)

// Dir returns the absolute path of docs/integrations, from a package
// directory of this module.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "docs", "integrations")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Blocks parses every page of dir, in file name order; a block without a
// valid marker fails the test.
func Blocks(t testing.TB, dir string) []Block {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(pages)
	var out []Block
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(page)
		lines := strings.Split(string(data), "\n")
		for i := 0; i < len(lines); i++ {
			if !strings.HasPrefix(lines[i], "```") {
				continue
			}
			start := i
			var body []string
			for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
				body = append(body, lines[i])
			}
			b := Block{Page: name, Line: start + 1, Body: strings.Join(body, "\n") + "\n"}
			prev := ""
			if start > 0 {
				prev = strings.TrimSpace(lines[start-1])
			}
			m := markerRE.FindStringSubmatch(prev)
			if m == nil || !slices.Contains(kinds, m[1]) {
				t.Errorf("%s: code block without a <!-- test: KIND --> marker on the line above (kinds: %s)", b, strings.Join(kinds, ", "))
				continue
			}
			b.Kind, b.Arg = m[1], m[2]
			if (b.Kind == "none" || b.Kind == "file" || b.Kind == "golangci-fragment") && b.Arg == "" {
				t.Errorf("%s: marker %q needs an argument", b, b.Kind)
			}
			out = append(out, b)
		}
	}
	return out
}

// Command is one command line of a block.
type Command struct {
	Line string
	Exit int
}

var exitRE = regexp.MustCompile(`#\s*exit (\d+)`)

// Commands splits a shell block into commands: backslash continuations
// joined, blank and comment-only lines dropped.
func Commands(b Block) []Command {
	var out []Command
	var cur string
	sc := bufio.NewScanner(strings.NewReader(b.Body))
	for sc.Scan() {
		line := sc.Text()
		if c, ok := strings.CutSuffix(line, `\`); ok {
			cur += c
			continue
		}
		line = cur + line
		cur = ""
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		c := Command{Line: line, Exit: b.Exit()}
		if m := exitRE.FindStringSubmatch(line); m != nil {
			c.Exit, _ = strconv.Atoi(m[1])
		}
		out = append(out, c)
	}
	return out
}

// WorkflowCommands returns the commands of a GitHub Actions workflow's
// run: steps (single-line or block scalars).
func WorkflowCommands(b Block) []Command {
	var out []Command
	lines := strings.Split(b.Body, "\n")
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[i]), "- "))
		v, ok := strings.CutPrefix(t, "run:")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if v != "|" && v != ">" {
			out = append(out, Command{Line: v})
			continue
		}
		indent := -1
		var body []string
		for i+1 < len(lines) {
			l := lines[i+1]
			n := len(l) - len(strings.TrimLeft(l, " "))
			if strings.TrimSpace(l) != "" && (indent >= 0 && n < indent || indent < 0 && n <= strings.Index(lines[i], "run:")) {
				break
			}
			if indent < 0 && strings.TrimSpace(l) != "" {
				indent = n
			}
			body = append(body, strings.TrimPrefix(l, strings.Repeat(" ", max(indent, 0))))
			i++
		}
		out = append(out, Commands(Block{Body: strings.Join(body, "\n")})...)
	}
	return out
}

// PreCommitCommands returns "entry args..." of each hook of a pre-commit
// configuration.
func PreCommitCommands(b Block) []Command {
	var out []Command
	var entry string
	flush := func(args string) {
		args = strings.Trim(strings.TrimSpace(args), "[]")
		var parts []string
		for _, a := range strings.Split(args, ",") {
			if a = strings.Trim(strings.TrimSpace(a), `"'`); a != "" {
				parts = append(parts, a)
			}
		}
		out = append(out, Command{Line: strings.TrimSpace(entry + " " + strings.Join(parts, " ")), Exit: b.Exit()})
		entry = ""
	}
	for _, l := range strings.Split(b.Body, "\n") {
		t, _, _ := strings.Cut(strings.TrimSpace(l), " #")
		if v, ok := strings.CutPrefix(t, "entry:"); ok {
			entry = strings.Trim(strings.TrimSpace(v), `"'`)
		} else if v, ok := strings.CutPrefix(t, "args:"); ok && entry != "" {
			flush(v)
		}
	}
	if entry != "" {
		flush("")
	}
	return out
}

// Run runs a command with bash in dir and checks its exit status.
func Run(t testing.TB, dir string, env []string, c Command) string {
	t.Helper()
	cmd := exec.Command("bash", "-o", "pipefail", "-c", c.Line)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", c.Line, err)
	}
	if code != c.Exit {
		s := out.String()
		if len(s) > 4000 {
			s = s[:4000] + "\n[...]"
		}
		t.Errorf("%q: exit %d, want %d\n%s", c.Line, code, c.Exit, s)
	}
	return out.String()
}

// WriteFiles writes the page's file blocks into dir.
func WriteFiles(t testing.TB, blocks []Block, page, dir string) {
	t.Helper()
	for _, b := range blocks {
		if b.Page == page && b.Kind == "file" {
			path := filepath.Join(dir, filepath.FromSlash(b.Arg))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(b.Body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
