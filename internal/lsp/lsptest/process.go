package lsptest

import (
	"bytes"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// A Server is a language server process with a Client on its stdin and
// stdout.
type Server struct {
	*Client
	Cmd    *exec.Cmd
	Stderr *SyncBuffer // what the server wrote to stderr so far
}

// Start starts cmd and connects a Client to it. The process is killed when
// the test ends (if Stop did not end it), and its stderr is logged if the
// test failed or runs with -v.
func Start(t testing.TB, cmd *exec.Cmd) *Server {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := new(SyncBuffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if t.Failed() || testing.Verbose() {
			t.Logf("server stderr:\n%s", stderr)
		}
	})
	return &Server{Client: NewClient(t, stdout, stdin), Cmd: cmd, Stderr: stderr}
}

// Stop shuts the server down and checks that it exits with status 0.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.Call("shutdown", nil, nil); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	s.Notify("exit", nil)
	done := make(chan error, 1)
	go func() { done <- s.Cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("server exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("server did not exit after shutdown and exit")
	}
}

// SyncBuffer is a buffer written by one goroutine while others read it.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// WaitStderr waits until the server has written want to stderr and
// returns what it wrote so far. The server writes its log before it
// publishes the diagnostics that follow from it, but stderr reaches the
// test through its own pipe and copying goroutine, so a diagnostic can
// arrive before the log line written ahead of it: a test that reads the
// log right after a diagnostic must wait for the line it expects.
func (s *Server) WaitStderr(want string, timeout time.Duration) (string, bool) {
	deadline := time.Now().Add(timeout)
	for {
		log := s.Stderr.String()
		if strings.Contains(log, want) {
			return log, true
		}
		if time.Now().After(deadline) {
			return log, false
		}
		time.Sleep(20 * time.Millisecond)
	}
}
