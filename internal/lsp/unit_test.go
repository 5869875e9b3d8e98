package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/driver"
	"github.com/restatelint/restatelint/internal/fixapply"
	"github.com/restatelint/restatelint/internal/lsp/lsptest"
	"github.com/restatelint/restatelint/internal/lsp/protocol"
)

func TestDiffEdits(t *testing.T) {
	a := "package p\n\nimport \"fmt\"\n\nfunc f() {\n\tfmt.Println()\n\tx()\n}\n"
	b := "package p\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\nfunc f() {\n\tfmt.Println()\n\ty(time.Now())\n}\n"
	edits := diffEdits([]byte(a), []byte(b), protocol.NewMapper([]byte(a)))
	if got := lsptest.ApplyEdits(a, edits); got != b {
		t.Errorf("edits %+v give\n%s", edits, got)
	}
	if len(edits) != 2 {
		t.Errorf("want 2 separate hunks, got %+v", edits)
	}
}

func TestIgnoreEdit(t *testing.T) {
	src := "func f() {\n\t//restatelint:ignore walltime the clock is only logged\n\tx := time.Now()\n\ty := rand.Int()\n}\n"
	m := protocol.NewMapper([]byte(src))
	at := strings.Index(src, "time.Now")
	if got := lsptest.ApplyEdits(src, []protocol.TextEdit{ignoreEdit([]byte(src), m, at, "randomness")}); !strings.Contains(got, "//restatelint:ignore walltime,randomness the clock") {
		t.Errorf("not added to the existing directive:\n%s", got)
	}
	at = strings.Index(src, "rand.Int")
	if got := lsptest.ApplyEdits(src, []protocol.TextEdit{ignoreEdit([]byte(src), m, at, "randomness")}); !strings.Contains(got, "\t//restatelint:ignore randomness "+fixapply.IgnoreReason+"\n\ty := rand.Int()") {
		t.Errorf("directive not inserted above:\n%s", got)
	}
}

// TestProtocolErrors: framing, requests before initialize, unknown
// methods, invalid initializationOptions, exit without shutdown.
func TestProtocolErrors(t *testing.T) {
	var in bytes.Buffer
	w := protocol.NewWriter(&in)
	w.Request(1, "textDocument/codeAction", map[string]any{})
	w.Request(2, "initialize", map[string]any{"initializationOptions": map[string]any{"flags": []string{"-nosuch"}}})
	w.Request(3, "initialize", map[string]any{"initializationOptions": map[string]any{"flags": []string{"-walltime=false"}}})
	w.Request(4, "workspace/symbol", map[string]any{})
	in.WriteString("Content-Length: 5\r\n\r\n{nope")
	w.Notify("exit", nil)
	var out bytes.Buffer
	s, err := configure(driver.Options{}, nil, all.Analyzers(), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if code := s.serve(&in); code != 1 {
		t.Errorf("exit without shutdown: code %d, want 1", code)
	}
	r := bufio.NewReader(&out)
	want := map[string]int{"1": protocol.CodeServerNotInitialized, "2": protocol.CodeInvalidParams, "3": 0, "4": protocol.CodeMethodNotFound, "null": protocol.CodeParseError}
	for range want {
		msg, err := protocol.ReadMessage(r)
		if err != nil {
			t.Fatal(err)
		}
		id := "null"
		if msg.ID != nil {
			id = string(*msg.ID)
		}
		code := 0
		if msg.Error != nil {
			code = msg.Error.Code
		}
		if code != want[id] {
			t.Errorf("response %s: error %+v, want code %d", id, msg.Error, want[id])
		}
		if id == "3" {
			var res protocol.InitializeResult
			if err := json.Unmarshal(msg.Result, &res); err != nil || res.Capabilities.TextDocumentSync.Change != protocol.SyncIncremental {
				t.Errorf("initialize result %s: %v", msg.Result, err)
			}
		}
	}
}
