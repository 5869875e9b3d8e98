package sinks

// Rows of the concurrency rule: starting goroutines and coordinating
// them. The constructs (go, channel sends and receives, select, range over
// a channel) are matched by Classify; the rest are the libraries' ways to
// start a goroutine. sync.Mutex, sync.Once, sync/atomic, make and close of
// a channel, and WaitGroup.Wait / Group.Wait (the starts are reported) are
// absent.
func init() {
	for _, c := range []Construct{GoStmt, ChanSend, ChanRecv, SelectStmt, RangeChan} {
		add(&Sink{Rule: "concurrency", Construct: c})
	}
	add(
		&Sink{Rule: "concurrency", Pkg: "sync", Recv: "WaitGroup", Names: []string{"Go"}},
		&Sink{Rule: "concurrency", Pkg: "golang.org/x/sync/errgroup", Recv: "Group", Names: []string{"Go", "TryGo"}},
		&Sink{Rule: "concurrency", Pkg: "github.com/sourcegraph/conc", Recv: "WaitGroup", Names: []string{"Go"}},
		&Sink{Rule: "concurrency", Pkg: "github.com/sourcegraph/conc/pool", Recv: "Pool", Names: []string{"Go"}},
		&Sink{Rule: "concurrency", Pkg: "github.com/sourcegraph/conc/pool", Recv: "ErrorPool", Names: []string{"Go"}},
		&Sink{Rule: "concurrency", Pkg: "github.com/sourcegraph/conc/pool", Recv: "ContextPool", Names: []string{"Go"}},
		&Sink{Rule: "concurrency", Pkg: "github.com/sourcegraph/conc/pool", Recv: "ResultPool", Names: []string{"Go"}},
	)
}
