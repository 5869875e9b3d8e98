package lsp

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/restatelint/restatelint/internal/configfile"
	"github.com/restatelint/restatelint/internal/fixapply"
	"github.com/restatelint/restatelint/internal/lsp/protocol"
	"github.com/restatelint/restatelint/internal/runner"
)

// server is one language server session.
type server struct {
	w           *protocol.Writer
	sourceDeps  func(*packages.Package) bool
	checkConfig func(*configfile.File) error // nil: restatelint.toml is read only by the analyses
	runMu       sync.Mutex
	runFiles    map[string][]*configfile.File // per view root: the restatelint.toml files of its packages
	flags       *flag.FlagSet
	enabled     func() []*analysis.Analyzer
	testFiles   bool
	tags        string
	debounce    time.Duration
	verbose     bool
	extraEnv    []string
	plan        *runner.Plan
	watchFiles  bool // the client can watch files for us

	mu          sync.Mutex
	initialized bool
	shutdown    bool
	docs        map[string]*document
	pending     map[string]bool // files to re-analyze
	saved       map[string]bool // files saved since the last batch
	folders     []string        // workspace folders
	prepare     []string        // workspace folders to load before any file opens
	reloadAll   bool            // go.mod, go.sum, go.work or restatelint.toml changed
	timers      map[string]*time.Timer
	published   map[string]*published
	stats       updateStats // the last update
	rechecked   int         // packages re-checked by updates, in total
	wake        chan struct{}

	// Owned by the worker goroutine.
	views    map[string]*view    // by root
	dirRoot  map[string]viewRoot // directory -> its view's root
	excluded []string            // GOROOT, GOMODCACHE: never analyzed
}

// document is an open file.
type document struct {
	uri     protocol.DocumentURI
	version int32
	text    []byte
}

// updateStats describes the last incremental re-analysis.
type updateStats struct {
	files     []string
	elapsed   time.Duration // from picking up the change to publishing the edited files
	rechecked int           // packages type-checked and analyzed again
}

// published is what was last sent for an open file; code actions are
// computed from it.
type published struct {
	uri      protocol.DocumentURI
	version  int32
	content  []byte
	findings []*finding
}

// finding is one published diagnostic with what its code actions need.
type finding struct {
	lsp        protocol.Diagnostic
	analyzer   string
	start, end int // byte offsets in the published content
	fixes      []resolvedFix
	importName map[string]string // import path -> package name, for fixapply
}

// resolvedFix is a SuggestedFix as byte-offset edits.
type resolvedFix struct {
	message string
	edits   []fixapply.Edit
}

func newServer(w io.Writer) *server {
	return &server{
		w:         protocol.NewWriter(w),
		docs:      make(map[string]*document),
		pending:   make(map[string]bool),
		saved:     make(map[string]bool),
		timers:    make(map[string]*time.Timer),
		published: make(map[string]*published),
		wake:      make(chan struct{}, 1),
		views:     make(map[string]*view),
		dirRoot:   make(map[string]viewRoot),
		debounce:  defaultDebounce,
		testFiles: true,
	}
}

const defaultDebounce = 150 * time.Millisecond

// serve reads messages until exit or the end of input and returns the
// exit code: 0 after shutdown and exit, 1 otherwise.
func (s *server) serve(in io.Reader) int {
	go s.worker()
	r := bufio.NewReader(in)
	for {
		msg, err := protocol.ReadMessage(r)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				fmt.Fprintf(os.Stderr, "restatelint lsp: %v\n", err)
			}
			return 1
		}
		switch {
		case msg.Error != nil && msg.Method == "" && msg.ID == nil && msg.Result == nil:
			s.w.Reply(nil, nil, msg.Error) // unparsable message
		case msg.IsRequest():
			s.handleRequest(msg)
		case msg.IsNotification():
			if msg.Method == "exit" {
				s.mu.Lock()
				defer s.mu.Unlock()
				if s.shutdown {
					return 0
				}
				return 1
			}
			s.handleNotification(msg)
		default:
			// A response to client/registerCapability: nothing to do.
		}
	}
}

func (s *server) handleRequest(msg *protocol.Message) {
	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()
	switch {
	case msg.Method == "initialize":
		if initialized {
			s.w.Reply(msg.ID, nil, &protocol.ResponseError{Code: protocol.CodeInvalidRequest, Message: "already initialized"})
			return
		}
		var p protocol.InitializeParams
		if err := json.Unmarshal(msg.Params, &p); err != nil {
			s.w.Reply(msg.ID, nil, &protocol.ResponseError{Code: protocol.CodeInvalidParams, Message: err.Error()})
			return
		}
		res, err := s.initialize(&p)
		if err != nil {
			s.w.Reply(msg.ID, nil, &protocol.ResponseError{Code: protocol.CodeInvalidParams, Message: err.Error()})
			return
		}
		s.w.Reply(msg.ID, res, nil)
	case !initialized:
		s.w.Reply(msg.ID, nil, &protocol.ResponseError{Code: protocol.CodeServerNotInitialized, Message: "not initialized"})
	case shutdown:
		s.w.Reply(msg.ID, nil, &protocol.ResponseError{Code: protocol.CodeInvalidRequest, Message: "shut down"})
	case msg.Method == "shutdown":
		s.mu.Lock()
		s.shutdown = true
		for _, t := range s.timers {
			t.Stop()
		}
		s.mu.Unlock()
		s.w.Reply(msg.ID, nil, nil)
	case msg.Method == "textDocument/codeAction":
		var p protocol.CodeActionParams
		if err := json.Unmarshal(msg.Params, &p); err != nil {
			s.w.Reply(msg.ID, nil, &protocol.ResponseError{Code: protocol.CodeInvalidParams, Message: err.Error()})
			return
		}
		s.w.Reply(msg.ID, s.codeActions(&p), nil)
	default:
		s.w.Reply(msg.ID, nil, &protocol.ResponseError{Code: protocol.CodeMethodNotFound, Message: "method not supported: " + msg.Method})
	}
}

// initialize applies the client's configuration and declares what the
// server does.
func (s *server) initialize(p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	if err := s.applyOptions(p.InitializationOptions); err != nil {
		return nil, err
	}
	s.plan = runner.NewPlan(s.enabled())
	s.mu.Lock()
	s.initialized = true
	for _, f := range p.WorkspaceFolders {
		if path := protocol.URIToPath(f.URI); path != "" {
			s.folders = append(s.folders, path)
		}
	}
	if len(p.WorkspaceFolders) == 0 && p.RootURI != "" {
		if path := protocol.URIToPath(p.RootURI); path != "" {
			s.folders = append(s.folders, path)
		}
	}
	s.prepare = append(s.prepare, s.folders...)
	watch := p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration
	s.mu.Unlock()

	res := &protocol.InitializeResult{}
	res.ServerInfo.Name = "restatelint"
	c := &res.Capabilities
	c.PositionEncoding = "utf-16"
	c.TextDocumentSync = protocol.TextDocumentSync{OpenClose: true, Change: protocol.SyncIncremental}
	c.CodeActionProvider = protocol.CodeActionOptions{CodeActionKinds: []string{protocol.CodeActionKindQuickFix}}
	c.Workspace = &protocol.WorkspaceCapability{}
	c.Workspace.WorkspaceFolders.Supported = true
	c.Workspace.WorkspaceFolders.ChangeNotifications = true
	if watch {
		s.watchFiles = true
	}
	return res, nil
}

// options are the initializationOptions:
//
//	{"flags": ["-reach.scope=example.com/platform", "-randomness=false", "-tags=integration"],
//	 "env": {"GOFLAGS": "-mod=mod"}}
//
// "flags" takes the command-line flags of restatelint lsp (a list, or an
// object {"reach.scope": "example.com/platform", "randomness": false}).
type initOptions struct {
	Flags json.RawMessage   `json:"flags"`
	Env   map[string]string `json:"env"`
}

func (s *server) applyOptions(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var o initOptions
	if err := json.Unmarshal(raw, &o); err != nil {
		return fmt.Errorf("initializationOptions: %v", err)
	}
	var args []string
	if len(o.Flags) > 0 && string(o.Flags) != "null" {
		if err := json.Unmarshal(o.Flags, &args); err != nil {
			var m map[string]any
			if err := json.Unmarshal(o.Flags, &m); err != nil {
				return fmt.Errorf("initializationOptions.flags: want a list of flags or an object: %v", err)
			}
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				args = append(args, fmt.Sprintf("-%s=%v", strings.TrimLeft(k, "-"), m[k]))
			}
		}
	}
	if err := s.flags.Parse(args); err != nil {
		return fmt.Errorf("initializationOptions.flags: %v", err)
	}
	if s.flags.NArg() > 0 {
		return fmt.Errorf("initializationOptions.flags: unexpected argument %q", s.flags.Arg(0))
	}
	keys := make([]string, 0, len(o.Env))
	for k := range o.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s.extraEnv = append(s.extraEnv, k+"="+o.Env[k])
	}
	return nil
}

func (s *server) handleNotification(msg *protocol.Message) {
	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()
	if !initialized || shutdown {
		return
	}
	switch msg.Method {
	case "initialized":
		if s.watchFiles {
			s.w.Request(1, "client/registerCapability", protocol.RegistrationParams{Registrations: []protocol.Registration{{
				ID:     "restatelint-watch",
				Method: "workspace/didChangeWatchedFiles",
				RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: []protocol.FileSystemWatcher{
					{GlobPattern: "**/*.go"}, {GlobPattern: "**/go.mod"}, {GlobPattern: "**/go.sum"}, {GlobPattern: "**/go.work"}, {GlobPattern: "**/" + configfile.Name},
				}},
			}}})
		}
		s.kick()
	case "textDocument/didOpen":
		var p protocol.DidOpenTextDocumentParams
		if json.Unmarshal(msg.Params, &p) != nil {
			return
		}
		path := protocol.URIToPath(p.TextDocument.URI)
		if path == "" {
			return
		}
		s.mu.Lock()
		s.docs[path] = &document{uri: p.TextDocument.URI, version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
		s.pending[path] = true
		s.mu.Unlock()
		s.kick()
	case "textDocument/didChange":
		var p protocol.DidChangeTextDocumentParams
		if json.Unmarshal(msg.Params, &p) != nil {
			return
		}
		path := protocol.URIToPath(p.TextDocument.URI)
		s.mu.Lock()
		defer s.mu.Unlock()
		doc := s.docs[path]
		if doc == nil {
			return
		}
		doc.text = protocol.ApplyChanges(doc.text, p.ContentChanges)
		doc.version = p.TextDocument.Version
		if t := s.timers[path]; t != nil {
			t.Stop()
		}
		s.timers[path] = time.AfterFunc(s.debounce, func() {
			s.mu.Lock()
			s.pending[path] = true
			s.mu.Unlock()
			s.kick()
		})
	case "textDocument/didSave":
		var p protocol.DidSaveTextDocumentParams
		if json.Unmarshal(msg.Params, &p) != nil {
			return
		}
		path := protocol.URIToPath(p.TextDocument.URI)
		s.mu.Lock()
		if t := s.timers[path]; t != nil {
			t.Stop()
		}
		if isBuildFile(path) {
			s.reloadAll = true
		} else {
			s.pending[path] = true
			s.saved[path] = true
		}
		s.mu.Unlock()
		s.kick()
	case "textDocument/didClose":
		var p protocol.DidCloseTextDocumentParams
		if json.Unmarshal(msg.Params, &p) != nil {
			return
		}
		path := protocol.URIToPath(p.TextDocument.URI)
		s.mu.Lock()
		if t := s.timers[path]; t != nil {
			t.Stop()
		}
		delete(s.docs, path)
		delete(s.published, path)
		s.pending[path] = true // back to the content on disk
		s.mu.Unlock()
		s.w.Notify("textDocument/publishDiagnostics", protocol.PublishDiagnosticsParams{URI: p.TextDocument.URI, Diagnostics: []protocol.Diagnostic{}})
		s.kick()
	case "workspace/didChangeWorkspaceFolders":
		var p struct {
			Event struct {
				Added []protocol.WorkspaceFolder `json:"added"`
			} `json:"event"`
		}
		if json.Unmarshal(msg.Params, &p) != nil {
			return
		}
		s.mu.Lock()
		for _, f := range p.Event.Added {
			if path := protocol.URIToPath(f.URI); path != "" {
				s.folders = append(s.folders, path)
				s.prepare = append(s.prepare, path)
			}
		}
		s.mu.Unlock()
		s.kick()
	case "workspace/didChangeWatchedFiles":
		var p protocol.DidChangeWatchedFilesParams
		if json.Unmarshal(msg.Params, &p) != nil {
			return
		}
		s.mu.Lock()
		for _, c := range p.Changes {
			path := protocol.URIToPath(c.URI)
			switch {
			case path == "":
			case isBuildFile(path):
				s.reloadAll = true
			case strings.HasSuffix(path, ".go") && s.docs[path] == nil:
				s.pending[path] = true // an open document's text wins over the disk
			}
		}
		s.mu.Unlock()
		s.kick()
	}
}

func isBuildFile(path string) bool {
	switch filepath.Base(path) {
	case "go.mod", "go.sum", "go.work", "go.work.sum", configfile.Name:
		return true // restatelint.toml: its reach.scope decides what is loaded from source
	}
	return false
}

// kick wakes the worker.
func (s *server) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// worker analyzes, one batch of changes at a time, and publishes.
func (s *server) worker() {
	for range s.wake {
		for {
			s.mu.Lock()
			if len(s.pending) == 0 && len(s.prepare) == 0 && !s.reloadAll || s.shutdown {
				s.mu.Unlock()
				break
			}
			pending, prepare, reloadAll := s.pending, s.prepare, s.reloadAll
			s.pending, s.prepare, s.reloadAll = make(map[string]bool), nil, false
			docs := s.snapshot()
			s.mu.Unlock()
			s.process(pending, prepare, reloadAll, docs)
		}
	}
}

// snapshot returns the open documents' contents and consumes the saved
// set; s.mu must be held.
func (s *server) snapshot() map[string]fileChange {
	docs := make(map[string]fileChange, len(s.docs))
	for path, d := range s.docs {
		docs[path] = fileChange{content: d.text, version: d.version, saved: s.saved[path]}
	}
	clear(s.saved)
	return docs
}

// process handles one batch: loads views that are new or stale, applies
// file changes to the loaded ones and publishes the open files affected.
func (s *server) process(pending map[string]bool, prepare []string, reloadAll bool, docs map[string]fileChange) {
	if reloadAll {
		// A go.mod or go.work may have appeared or gone: find the views
		// again, for the workspace folders and the open files.
		clear(s.dirRoot)
		clear(s.views)
		prepare = append(prepare, s.folders...)
		for path := range docs {
			if strings.HasSuffix(path, ".go") {
				s.viewFor(path)
			}
		}
	}
	for _, dir := range prepare {
		s.viewFor(filepath.Join(dir, "x.go"))
	}
	byView := make(map[*view][]string)
	for path := range pending {
		if !strings.HasSuffix(path, ".go") {
			continue
		}
		v := s.viewFor(path)
		if v == nil {
			if d, ok := docs[path]; ok {
				s.publishEmpty(path, d.version)
			}
			continue
		}
		byView[v] = append(byView[v], path)
	}
	roots := make([]string, 0, len(s.views))
	for root := range s.views {
		roots = append(roots, root)
	}
	sort.Strings(roots)
	for _, root := range roots {
		v := s.views[root]
		paths := byView[v]
		sort.Strings(paths)
		if !v.loaded || v.stale {
			s.reload(v, docs)
			continue
		}
		if len(paths) == 0 {
			continue
		}
		start := time.Now()
		v.rechecked = 0
		changes := make(map[string]fileChange)
		for _, path := range paths {
			if d, ok := docs[path]; ok {
				changes[path] = d
			} else if data, err := readDisk(path); err == nil {
				changes[path] = fileChange{content: data, version: -1}
			} else {
				changes[path] = fileChange{deleted: true, version: -1}
			}
		}
		if _, reload := v.update(changes); len(reload) > 0 {
			s.logf(protocol.MessageLog, "reloading %s for %s", v.root, strings.Join(reload, ", "))
			s.reload(v, docs)
			continue
		}
		// The edited files first, then the other open files whose
		// packages import what changed.
		var send []func()
		for _, path := range paths {
			if _, ok := docs[path]; ok {
				send = append(send, s.diagnose(v, path, docs))
			}
		}
		v.updateTime = time.Since(start)
		s.mu.Lock()
		s.stats = updateStats{files: paths, elapsed: v.updateTime, rechecked: v.rechecked}
		s.mu.Unlock()
		for _, f := range send {
			f()
		}
		s.logf(protocol.MessageLog, "re-analyzed %s: %d packages in %v", strings.Join(paths, ", "), v.rechecked, v.updateTime.Round(time.Microsecond))
		for _, path := range s.openIn(v, docs) {
			if !slices.Contains(paths, path) && v.needsClean(path) {
				s.publish(v, path, docs)
			}
		}
		s.mu.Lock()
		s.rechecked += v.rechecked
		s.mu.Unlock()
	}
}

// reload loads v from disk, applies the open documents and publishes
// them all.
func (s *server) reload(v *view, docs map[string]fileChange) {
	if err := v.load(); err != nil {
		s.logf(protocol.MessageError, "loading %s: %v", v.root, err)
		v.stale = true // retried at the next change
		return
	}
	s.logf(protocol.MessageInfo, "loaded %s: %d packages (%d from source) in %v", v.root, len(v.nodes), countSource(v), v.loadTime.Round(time.Millisecond))
	open := s.openIn(v, docs)
	changes := make(map[string]fileChange, len(open))
	for _, path := range open {
		c := docs[path]
		c.saved = false
		changes[path] = c
	}
	_, blocked := v.update(changes)
	for _, path := range blocked {
		v.blocked[path] = true
		s.logf(protocol.MessageWarning, "%s: not analyzed until saved: go list must see its package clause, build constraints or imports", path)
	}
	for _, path := range open {
		s.publish(v, path, docs)
	}
}

func countSource(v *view) int {
	n := 0
	for _, x := range v.nodes {
		if x.source {
			n++
		}
	}
	return n
}

// openIn returns the open files that belong to v, sorted.
func (s *server) openIn(v *view, docs map[string]fileChange) []string {
	var out []string
	for path := range docs {
		if strings.HasSuffix(path, ".go") && s.viewFor(path) == v {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out
}

// viewFor returns the view a file belongs to, creating it (unloaded) if
// needed, or nil if the file belongs to no module or to GOROOT or the
// module cache.
func (s *server) viewFor(path string) *view {
	if s.excluded == nil {
		s.excluded = []string{"-"}
		if out, err := s.goEnv(".", "GOROOT", "GOMODCACHE"); err == nil {
			for _, dir := range out {
				if dir != "" {
					s.excluded = append(s.excluded, dir)
				}
			}
		}
	}
	for _, dir := range s.excluded {
		if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
			return nil
		}
	}
	dir := filepath.Dir(path)
	root, ok := s.dirRoot[dir]
	if !ok {
		root = s.findRoot(dir)
		s.dirRoot[dir] = root
	}
	if root.dir == "" {
		return nil
	}
	v := s.views[root.dir]
	if v == nil {
		v = newView(s, root.dir, root.work)
		s.views[root.dir] = v
	}
	return v
}

// viewRoot is the directory of a go.work or go.mod ("" for none).
type viewRoot struct {
	dir  string
	work bool
}

// findRoot asks the go command which go.work or go.mod governs dir.
func (s *server) findRoot(dir string) viewRoot {
	for {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return viewRoot{}
		}
		dir = parent
	}
	out, err := s.goEnv(dir, "GOWORK", "GOMOD")
	if err != nil {
		s.logf(protocol.MessageWarning, "go env in %s: %v", dir, err)
		return viewRoot{}
	}
	if work := out[0]; work != "" && work != "off" {
		return viewRoot{filepath.Dir(work), true}
	}
	if mod := out[1]; mod != "" && mod != os.DevNull {
		return viewRoot{filepath.Dir(mod), false}
	}
	return viewRoot{}
}

func (s *server) goEnv(dir string, vars ...string) ([]string, error) {
	cmd := exec.Command("go", append([]string{"env", "-json"}, vars...)...)
	cmd.Dir = dir
	cmd.Env = s.env()
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var m map[string]string
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, err
	}
	res := make([]string, len(vars))
	for i, v := range vars {
		res[i] = m[v]
	}
	return res, nil
}

func (s *server) env() []string { return append(os.Environ(), s.extraEnv...) }

func (s *server) buildFlags() []string {
	if s.tags == "" {
		return nil
	}
	return []string{"-tags=" + s.tags}
}

func (s *server) tests() bool { return s.testFiles }

// publish sends the diagnostics of an open file and records them for
// code actions.
func (s *server) publish(v *view, path string, docs map[string]fileChange) {
	s.diagnose(v, path, docs)()
}

// diagnose computes the diagnostics of an open file (cleaning its
// packages) and returns the function that publishes them.
func (s *server) diagnose(v *view, path string, docs map[string]fileChange) (send func()) {
	fs, diags, ok := v.diagnostics(path)
	if !ok {
		return func() { s.publishEmpty(path, docs[path].version) }
	}
	s.mu.Lock()
	doc := s.docs[path]
	s.mu.Unlock()
	if doc == nil {
		return func() {} // closed meanwhile
	}
	pub := &published{uri: doc.uri, version: fs.version, content: fs.content}
	m := protocol.NewMapper(fs.content)
	lsp := make([]protocol.Diagnostic, 0, len(diags))
	for _, d := range diags {
		f := s.convert(v, fs, m, path, d)
		if f == nil {
			continue
		}
		pub.findings = append(pub.findings, f)
		lsp = append(lsp, f.lsp)
	}
	params := protocol.PublishDiagnosticsParams{URI: doc.uri, Diagnostics: lsp}
	if fs.version >= 0 {
		params.Version = &pub.version
	}
	return func() {
		s.mu.Lock()
		if s.docs[path] != nil {
			s.published[path] = pub
		}
		s.mu.Unlock()
		s.w.Notify("textDocument/publishDiagnostics", params)
	}
}

func (s *server) publishEmpty(path string, version int32) {
	s.mu.Lock()
	doc := s.docs[path]
	if doc != nil {
		s.published[path] = &published{uri: doc.uri, version: version}
	}
	s.mu.Unlock()
	if doc == nil {
		return
	}
	s.w.Notify("textDocument/publishDiagnostics", protocol.PublishDiagnosticsParams{URI: doc.uri, Version: &version, Diagnostics: []protocol.Diagnostic{}})
}

// convert turns a diagnostic into its LSP form, with UTF-16 positions.
func (s *server) convert(v *view, fs *fileState, m *protocol.Mapper, path string, d diag) *finding {
	start, ok := offsetOf(v.fset, d.d.Pos, path)
	if !ok {
		return nil
	}
	end := start
	if e, ok := offsetOf(v.fset, d.d.End, path); ok && e >= start {
		end = e
	}
	f := &finding{
		analyzer: d.analyzer.Name,
		start:    start,
		end:      end,
		lsp: protocol.Diagnostic{
			Range:    m.RangeOf(start, end),
			Severity: protocol.SeverityWarning,
			Code:     d.analyzer.Name,
			Source:   "restatelint",
			Message:  d.d.Message,
		},
	}
	if d.d.URL != "" {
		f.lsp.CodeDescription = &protocol.CodeDescription{Href: d.d.URL}
	}
	for _, r := range d.d.Related {
		tf := v.fset.File(r.Pos)
		if tf == nil {
			continue
		}
		rm := m
		if tf.Name() != path {
			content, err := v.readFile(tf.Name())
			if err != nil {
				continue
			}
			rm = protocol.NewMapper(content)
		}
		rs, _ := offsetOf(v.fset, r.Pos, tf.Name())
		re := rs
		if e, ok := offsetOf(v.fset, r.End, tf.Name()); ok && e >= rs {
			re = e
		}
		f.lsp.RelatedInformation = append(f.lsp.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: protocol.PathToURI(tf.Name()), Range: rm.RangeOf(rs, re)},
			Message:  r.Message,
		})
	}
	for _, fix := range d.d.SuggestedFixes {
		rf := resolvedFix{message: fix.Message}
		ok := true
		for _, te := range fix.TextEdits {
			tf := v.fset.File(te.Pos)
			if tf == nil {
				ok = false
				break
			}
			es, ok1 := offsetOf(v.fset, te.Pos, tf.Name())
			ee := es
			if te.End.IsValid() {
				var ok2 bool
				ee, ok2 = offsetOf(v.fset, te.End, tf.Name())
				ok1 = ok1 && ok2 && ee >= es
			}
			if !ok1 {
				ok = false
				break
			}
			rf.edits = append(rf.edits, fixapply.Edit{File: tf.Name(), Start: es, End: ee, New: string(te.NewText)})
		}
		if ok && len(rf.edits) > 0 {
			f.fixes = append(f.fixes, rf)
		}
	}
	if len(f.fixes) > 0 {
		f.importName = make(map[string]string)
		for _, n := range fs.nodes {
			if n.p.Types == nil {
				continue
			}
			for _, imp := range n.p.Types.Imports() {
				f.importName[imp.Path()] = imp.Name()
			}
		}
	}
	return f
}

// offsetOf returns the byte offset of pos if it is in the named file.
func offsetOf(fset *token.FileSet, pos token.Pos, name string) (int, bool) {
	if !pos.IsValid() {
		return 0, false
	}
	tf := fset.File(pos)
	if tf == nil || tf.Name() != name || int(pos) > tf.Base()+tf.Size() {
		return 0, false
	}
	return tf.Offset(pos), true
}

// logf sends a window/logMessage (and, with -v, writes to stderr).
func (s *server) logf(typ int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if s.verbose {
		fmt.Fprintf(os.Stderr, "restatelint lsp: %s\n", msg)
	}
	if typ == protocol.MessageLog && !s.verbose {
		return
	}
	s.w.Notify("window/logMessage", protocol.LogMessageParams{Type: typ, Message: msg})
}
