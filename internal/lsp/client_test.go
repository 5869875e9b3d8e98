package lsp

// A scripted LSP client for the tests and benchmarks: it talks to the
// server over a byte stream (the built binary's stdin/stdout, or pipes to
// an in-process server), answers the server's requests, and records every
// publishDiagnostics.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"
)

type client struct {
	t  testing.TB
	w  *writer
	mu sync.Mutex
	// Guarded by mu:
	nextID    int
	waiting   map[string]chan *message // by request ID
	diags     map[DocumentURI][]PublishDiagnosticsParams
	logs      []string
	changed   chan struct{} // closed and replaced on every publish
	readErr   error
	readerEOF chan struct{}
}

func newClient(t testing.TB, in io.Reader, out io.Writer) *client {
	c := &client{
		t:         t,
		w:         &writer{w: out},
		waiting:   make(map[string]chan *message),
		diags:     make(map[DocumentURI][]PublishDiagnosticsParams),
		changed:   make(chan struct{}),
		readerEOF: make(chan struct{}),
	}
	go c.read(bufio.NewReader(in))
	return c
}

func (c *client) read(r *bufio.Reader) {
	defer close(c.readerEOF)
	for {
		msg, err := readMessage(r)
		if err != nil {
			c.mu.Lock()
			c.readErr = err
			c.mu.Unlock()
			return
		}
		switch {
		case msg.isRequest(): // client/registerCapability
			c.w.reply(msg.ID, nil, nil)
		case msg.Method == "textDocument/publishDiagnostics":
			var p PublishDiagnosticsParams
			if err := json.Unmarshal(msg.Params, &p); err != nil {
				panic(err)
			}
			c.mu.Lock()
			c.diags[p.URI] = append(c.diags[p.URI], p)
			close(c.changed)
			c.changed = make(chan struct{})
			c.mu.Unlock()
		case msg.Method == "window/logMessage":
			var p LogMessageParams
			json.Unmarshal(msg.Params, &p)
			c.mu.Lock()
			c.logs = append(c.logs, p.Message)
			c.mu.Unlock()
		case msg.ID != nil:
			c.mu.Lock()
			ch := c.waiting[string(*msg.ID)]
			delete(c.waiting, string(*msg.ID))
			c.mu.Unlock()
			if ch != nil {
				ch <- msg
			}
		}
	}
}

// call sends a request and decodes its result into result (may be nil).
func (c *client) call(method string, params, result any) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan *message, 1)
	c.waiting[fmt.Sprint(id)] = ch
	c.mu.Unlock()
	if err := c.w.request(id, method, params); err != nil {
		return err
	}
	select {
	case msg := <-ch:
		if msg.Error != nil {
			return msg.Error
		}
		if result != nil {
			return json.Unmarshal(msg.Result, result)
		}
		return nil
	case <-c.readerEOF:
		return fmt.Errorf("%s: server closed the connection", method)
	case <-time.After(2 * time.Minute):
		return fmt.Errorf("%s: no response", method)
	}
}

func (c *client) notify(method string, params any) {
	if err := c.w.notify(method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// waitDiagnostics waits until the latest publication for uri satisfies ok
// and returns it.
func (c *client) waitDiagnostics(uri DocumentURI, timeout time.Duration, ok func(PublishDiagnosticsParams) bool) (PublishDiagnosticsParams, error) {
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		list := c.diags[uri]
		changed := c.changed
		c.mu.Unlock()
		if len(list) > 0 && ok(list[len(list)-1]) {
			return list[len(list)-1], nil
		}
		select {
		case <-changed:
		case <-c.readerEOF:
			return PublishDiagnosticsParams{}, fmt.Errorf("server closed the connection while waiting for diagnostics of %s", uri)
		case <-deadline:
			return PublishDiagnosticsParams{}, fmt.Errorf("no diagnostics for %s within %v (server log:\n%s)", uri, timeout, c.log())
		}
	}
}

// publications returns how many times diagnostics were published for uri.
func (c *client) publications(uri DocumentURI) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.diags[uri])
}

// version matches a publication of the given document version.
func version(v int32) func(PublishDiagnosticsParams) bool {
	return func(p PublishDiagnosticsParams) bool { return p.Version != nil && *p.Version == v }
}

func (c *client) log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var s string
	for _, l := range c.logs {
		s += l + "\n"
	}
	return s
}

// initialize performs the handshake with rootDir as the workspace folder.
func (c *client) initialize(rootDir string, initOptions any) InitializeResult {
	c.t.Helper()
	params := map[string]any{
		"processId":        nil,
		"rootUri":          pathToURI(rootDir),
		"workspaceFolders": []WorkspaceFolder{{URI: pathToURI(rootDir), Name: "root"}},
		"capabilities": map[string]any{
			"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}},
		},
	}
	if initOptions != nil {
		params["initializationOptions"] = initOptions
	}
	var res InitializeResult
	if err := c.call("initialize", params, &res); err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	c.notify("initialized", struct{}{})
	return res
}

func (c *client) open(path string, version int32, text string) DocumentURI {
	uri := pathToURI(path)
	c.notify("textDocument/didOpen", DidOpenTextDocumentParams{TextDocument: TextDocumentItem{URI: uri, LanguageID: "go", Version: version, Text: text}})
	return uri
}

func (c *client) change(uri DocumentURI, version int32, changes ...TextDocumentContentChangeEvent) {
	c.notify("textDocument/didChange", DidChangeTextDocumentParams{
		TextDocument:   VersionedTextDocumentIdentifier{URI: uri, Version: version},
		ContentChanges: changes,
	})
}

// applyEdits applies non-overlapping LSP edits to text, as an editor does.
func applyEdits(text string, edits []TextEdit) string {
	m := newMapper([]byte(text))
	type span struct {
		start, end int
		new        string
	}
	var spans []span
	for _, e := range edits {
		spans = append(spans, span{m.offset(e.Range.Start), m.offset(e.Range.End), e.NewText})
	}
	// Apply from the end so earlier offsets stay valid.
	for i := 0; i < len(spans); i++ {
		for j := i + 1; j < len(spans); j++ {
			if spans[j].start > spans[i].start {
				spans[i], spans[j] = spans[j], spans[i]
			}
		}
	}
	for _, s := range spans {
		text = text[:s.start] + s.new + text[s.end:]
	}
	return text
}
