package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/configfile"
	"github.com/restatelint/restatelint/internal/options"
)

// TestConfigurationDocUpToDate: docs/configuration.md is what the
// analyzers' flags generate.
func TestConfigurationDocUpToDate(t *testing.T) {
	path := filepath.Join("..", "..", "..", "docs", "configuration.md")
	have, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := Generate(all.Analyzers())
	if !bytes.Equal(have, want) {
		t.Errorf("docs/configuration.md is out of date with the analyzers' flags; regenerate it with\n\tgo run ./internal/cmd/configdoc -w docs/configuration.md")
	}
	// Every key is documented, once.
	for _, key := range options.Keys(all.Analyzers()) {
		var n int
		if strings.Contains(key, ".") {
			n = strings.Count(string(want), "\n### "+key+"\n")
		} else {
			n = strings.Count(string(want), "\n| `"+key+"` |")
		}
		if n != 1 {
			t.Errorf("key %s documented %d times", key, n)
		}
	}
}

// TestConfigFileExample: the restatelint.toml the page shows parses and
// holds only valid keys and values.
func TestConfigFileExample(t *testing.T) {
	doc := string(Generate(all.Analyzers()))
	_, rest, ok := strings.Cut(doc, "```toml\n")
	body, _, ok2 := strings.Cut(rest, "```\n")
	if !ok || !ok2 {
		t.Fatal("no toml block")
	}
	f, err := configfile.Parse("restatelint.toml", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 3 {
		t.Errorf("entries: %+v", f.Entries)
	}
	if err := all.CheckConfig(f); err != nil {
		t.Error(err)
	}
}
