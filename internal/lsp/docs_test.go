package lsp

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/driver"
)

// TestEditorsDoc checks the editor configurations of
// docs/integrations/editors.md, which no test can run: every flag they
// pass after "lsp" is a flag of restatelint lsp, and every JSON block with
// "flags" is accepted as initializationOptions.
func TestEditorsDoc(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "integrations", "editors.md"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		configure(driver.Options{}, []string{"-reach.scope="}, all.Analyzers(), io.Discard, io.Discard)
	})
	quoted := regexp.MustCompile(`"([^"]*)"|'([^']*)'`)
	blocks := strings.Split(string(data), "```")
	checked := 0
	for i := 1; i < len(blocks); i += 2 {
		lang, body, _ := strings.Cut(blocks[i], "\n")
		var flags []string
		afterLSP := false
		for _, m := range quoted.FindAllStringSubmatch(body, -1) {
			tok := m[1] + m[2]
			switch {
			case tok == "lsp":
				afterLSP = true
			case afterLSP && strings.HasPrefix(tok, "-") && !strings.HasPrefix(tok, "--"):
				flags = append(flags, tok)
			}
		}
		if len(flags) > 0 {
			checked++
			if _, err := configure(driver.Options{}, flags, all.Analyzers(), io.Discard, io.Discard); err != nil {
				t.Errorf("block %q: flags %q: %v", firstLine(body), flags, err)
			}
		}
		if lang == "json" && strings.Contains(body, `"flags"`) {
			checked++
			s, err := configure(driver.Options{}, nil, all.Analyzers(), io.Discard, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.applyOptions(json.RawMessage(body)); err != nil {
				t.Errorf("initializationOptions block %q: %v", firstLine(body), err)
			}
		}
	}
	if checked < 6 {
		t.Errorf("only %d editor configurations checked", checked)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
