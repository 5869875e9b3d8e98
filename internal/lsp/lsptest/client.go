// Package lsptest is a scripted LSP client for tests and benchmarks of
// language servers: restatelint lsp (in-process or as a binary) and the
// gopls that `restatelint gopls` builds. It talks to the server over a
// byte stream, answers the server's requests, and records every
// publishDiagnostics.
package lsptest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"github.com/restatelint/restatelint/internal/lsp/protocol"
	"io"
	"sync"
	"testing"
	"time"
)

// A Client is the editor's side of a connection to a language server.
type Client struct {
	t  testing.TB
	w  *protocol.Writer
	mu sync.Mutex
	// Guarded by mu:
	nextID    int
	waiting   map[string]chan *protocol.Message // by request ID
	diags     map[protocol.DocumentURI][]protocol.PublishDiagnosticsParams
	logs      []string
	changed   chan struct{} // closed and replaced on every publish
	readErr   error
	readerEOF chan struct{}
}

// NewClient starts reading the server's messages from in; requests go to
// out. Server requests (client/registerCapability, progress) are answered
// with null.
func NewClient(t testing.TB, in io.Reader, out io.Writer) *Client {
	c := &Client{
		t:         t,
		w:         protocol.NewWriter(out),
		waiting:   make(map[string]chan *protocol.Message),
		diags:     make(map[protocol.DocumentURI][]protocol.PublishDiagnosticsParams),
		changed:   make(chan struct{}),
		readerEOF: make(chan struct{}),
	}
	go c.read(bufio.NewReader(in))
	return c
}

func (c *Client) read(r *bufio.Reader) {
	defer close(c.readerEOF)
	for {
		msg, err := protocol.ReadMessage(r)
		if err != nil {
			c.mu.Lock()
			c.readErr = err
			c.mu.Unlock()
			return
		}
		switch {
		case msg.IsRequest(): // client/registerCapability
			c.w.Reply(msg.ID, nil, nil)
		case msg.Method == "textDocument/publishDiagnostics":
			var p protocol.PublishDiagnosticsParams
			if err := json.Unmarshal(msg.Params, &p); err != nil {
				panic(err)
			}
			c.mu.Lock()
			c.diags[p.URI] = append(c.diags[p.URI], p)
			close(c.changed)
			c.changed = make(chan struct{})
			c.mu.Unlock()
		case msg.Method == "window/logMessage":
			var p protocol.LogMessageParams
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

// Call sends a request and decodes its result into result (may be nil).
func (c *Client) Call(method string, params, result any) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan *protocol.Message, 1)
	c.waiting[fmt.Sprint(id)] = ch
	c.mu.Unlock()
	if err := c.w.Request(id, method, params); err != nil {
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

// Notify sends a notification.
func (c *Client) Notify(method string, params any) {
	if err := c.w.Notify(method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// WaitDiagnostics waits until the latest publication for uri satisfies ok
// and returns it.
func (c *Client) WaitDiagnostics(uri protocol.DocumentURI, timeout time.Duration, ok func(protocol.PublishDiagnosticsParams) bool) (protocol.PublishDiagnosticsParams, error) {
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
			return protocol.PublishDiagnosticsParams{}, fmt.Errorf("server closed the connection while waiting for diagnostics of %s", uri)
		case <-deadline:
			return protocol.PublishDiagnosticsParams{}, fmt.Errorf("no diagnostics for %s within %v (server log:\n%s)", uri, timeout, c.Log())
		}
	}
}

// Publications returns how many times diagnostics were published for uri.
func (c *Client) Publications(uri protocol.DocumentURI) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.diags[uri])
}

// Version matches a publication of the given document version.
func Version(v int32) func(protocol.PublishDiagnosticsParams) bool {
	return func(p protocol.PublishDiagnosticsParams) bool { return p.Version != nil && *p.Version == v }
}

// Log returns the window/logMessage messages received so far.
func (c *Client) Log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var s string
	for _, l := range c.logs {
		s += l + "\n"
	}
	return s
}

// Initialize performs the handshake with rootDir as the workspace folder
// and decodes the server's InitializeResult into result (may be nil).
func (c *Client) Initialize(rootDir string, initOptions, result any) {
	c.t.Helper()
	params := map[string]any{
		"processId":        nil,
		"rootUri":          protocol.PathToURI(rootDir),
		"workspaceFolders": []protocol.WorkspaceFolder{{URI: protocol.PathToURI(rootDir), Name: "root"}},
		"capabilities": map[string]any{
			"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}},
		},
	}
	if initOptions != nil {
		params["initializationOptions"] = initOptions
	}
	if err := c.Call("initialize", params, result); err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	c.Notify("initialized", struct{}{})
}

// Open sends didOpen for the file at path with the given text.
func (c *Client) Open(path string, version int32, text string) protocol.DocumentURI {
	uri := protocol.PathToURI(path)
	c.Notify("textDocument/didOpen", protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, LanguageID: "go", Version: version, Text: text}})
	return uri
}

// Change sends didChange for uri.
func (c *Client) Change(uri protocol.DocumentURI, version int32, changes ...protocol.TextDocumentContentChangeEvent) {
	c.Notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{URI: uri, Version: version},
		ContentChanges: changes,
	})
}

// ApplyEdits applies non-overlapping LSP edits to text, as an editor does.
func ApplyEdits(text string, edits []protocol.TextEdit) string {
	m := protocol.NewMapper([]byte(text))
	type span struct {
		start, end int
		new        string
	}
	var spans []span
	for _, e := range edits {
		spans = append(spans, span{m.Offset(e.Range.Start), m.Offset(e.Range.End), e.NewText})
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
