package lsptest

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/restatelint/restatelint/internal/lsp/protocol"
)

// CLIFindings runs the restatelint binary with -json in dir and returns "file:line:col:
// analyzer: message" for every finding in file (relative to dir), columns
// in bytes as go/analysis prints them.
func CLIFindings(t testing.TB, binary, dir, file string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(binary, append(append([]string{"-json"}, args...), "./...")...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("restatelint -json: %v\n%s", err, out)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(out, &tree); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	abs, _ := filepath.Abs(filepath.Join(dir, file))
	var got []string
	for _, byAnalyzer := range tree {
		for name, raw := range byAnalyzer {
			var diags []struct {
				Posn    string `json:"posn"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(raw, &diags); err != nil {
				t.Fatalf("%s: %v: %s", name, err, raw)
			}
			for _, d := range diags {
				if !strings.HasPrefix(d.Posn, abs+":") {
					continue
				}
				f := fmt.Sprintf("%s: %s: %s", strings.TrimPrefix(d.Posn, abs+":"), name, d.Message)
				if !slices.Contains(got, f) {
					got = append(got, f)
				}
			}
		}
	}
	slices.Sort(got)
	return got
}

// Findings renders published diagnostics like CLIFindings, converting
// the UTF-16 start column back to a byte column.
func Findings(text string, diags []protocol.Diagnostic) []string {
	lines := strings.Split(text, "\n")
	var out []string
	for _, d := range diags {
		line := lines[d.Range.Start.Line]
		col := len(string(utf16.Decode(utf16.Encode([]rune(line))[:d.Range.Start.Character]))) + 1
		out = append(out, fmt.Sprintf("%d:%d: %s: %s", d.Range.Start.Line+1, col, d.Code, d.Message))
	}
	slices.Sort(out)
	return out
}
