package driver

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

func TestUserChoseCollection(t *testing.T) {
	for _, c := range []struct {
		gogc, gomemlimit string
		want             bool
	}{
		{"", "", false},        // the driver's own policy (tuneGC)
		{"100", "", true},      // collection as usual: hold the heap to the load's
		{"200", "", true},      //
		{"off", "", false},     // no collection asked for
		{"OFF", "", false},     //
		{"100", "1GiB", false}, // the user bounds memory already
		{"", "1GiB", false},    //
	} {
		if got := userChoseCollection(c.gogc, c.gomemlimit); got != c.want {
			t.Errorf("userChoseCollection(%q, %q) = %v, want %v", c.gogc, c.gomemlimit, got, c.want)
		}
	}
}

// sink keeps allocations from being optimized away.
var sink []*node

// node is a heap object with pointers, as the analysis's are (syntax
// trees, types, facts): the collector scans it, and its pacer counts on
// that work when it decides when to start.
type node struct {
	next *node
	_    [7]*int
}

// allocate allocates n MiB in 1 MiB slices of nodes, keeping them in keep
// if it is not nil, and returns the largest memory the runtime held after
// each MiB.
func allocate(n int, keep *[][]*node) uint64 {
	const perMiB = 1 << 20 / (8 + 64) // a pointer in the slice and a 64-byte node each
	var peak uint64
	for range n {
		b := make([]*node, perMiB)
		for i := range b {
			b[i] = &node{}
			if i > 0 {
				b[i].next = b[i-1]
			}
		}
		if keep != nil {
			*keep = append(*keep, b)
		} else {
			sink = b
		}
		peak = max(peak, readMemory().mapped)
	}
	return peak
}

func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// holdOver starts a hold, released when the test ends, over a live heap
// of about mib MiB, which it returns for the test to keep alive.
func holdOver(t *testing.T, mib int) (*heapHold, [][]*node) {
	var live [][]*node
	allocate(mib, &live)
	runtime.GC()
	h := startHeapHold()
	t.Cleanup(h.release)
	return h, live
}

// TestHeapHoldKeepsMemory: with 128 MiB live when the hold starts and
// 1 GiB of garbage allocated under it, the runtime's memory stays near
// the hold's limit (3/2 of the live heap here) instead of growing past
// twice the live heap, where GOGC=100 alone would let it go.
func TestHeapHoldKeepsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 1 GiB")
	}
	h, live := holdOver(t, 128)
	limit := h.limit
	peak := allocate(1024, nil)
	runtime.KeepAlive(live)
	t.Logf("live 128 MiB: limit %d MiB, peak %d MiB", limit>>20, peak>>20)
	twice := uint64(2 * 128 << 20) // where GOGC=100 alone collects
	if limit >= twice*4/5 {
		t.Fatalf("limit %d MiB: the test needs it well below what GOGC=100 reaches (%d MiB)", limit>>20, twice>>20)
	}
	// A soft limit is overshot while the collector catches up, more on a
	// busy machine: the peak must stay below where GOGC=100 alone
	// collects. (Measured: 214-216 MiB with the hold, 223-233 MiB with
	// three CPU burners on two cores; 280-283 MiB without the hold,
	// 313-318 MiB with the burners.)
	if peak >= twice {
		t.Errorf("peak %d MiB, want below %d MiB", peak>>20, twice>>20)
	}
}

// TestHeapHoldRaisesLimit: when the analysis keeps more than the limit
// allows, collections raise the limit with the live heap instead of
// running back to back.
func TestHeapHoldRaisesLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 512 MiB")
	}
	h, live := holdOver(t, 32)
	start, cycles := h.limit, gcCycles()
	for range 32 { // keep 256 MiB more, with as much garbage
		allocate(8, &live)
		allocate(8, nil)
	}
	cycles = gcCycles() - cycles
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC() // the limit follows the smaller live heap of two collections
		h.mu.Lock()
		limit, raised := h.limit, h.raised
		h.mu.Unlock()
		if limit >= h.floor(288<<20) || time.Now().After(deadline) {
			t.Logf("limit %d MiB → %d MiB, raised %d times, %d collections", start>>20, limit>>20, raised, cycles)
			if limit < h.floor(288<<20) {
				t.Errorf("limit %d MiB, want at least 3/2 of the 288 MiB live", limit>>20)
			}
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(live)
	// GOGC=50 would collect about 9 times on the way (1.5^n from 32 to
	// 288 MiB live, and the garbage); a limit left where it was would
	// make the collector run without pause, hundreds of times.
	if cycles > 40 {
		t.Errorf("%d collections while the live heap grew from 32 to 288 MiB", cycles)
	}
}
