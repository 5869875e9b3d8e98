package driver

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
)

// holdHeapToLoad keeps the analysis from growing the process's memory
// past what loading the packages took, where the user chose the
// collector's pacing (GOGC set, not off, and no GOMEMLIMIT). It returns a
// function that ends the hold.
//
// Why: loading leaves the live heap (syntax trees, type information) near
// its largest, and a program that only loads exits below the collector's
// next goal, GOGC% above the live heap of its last collection. The
// analysis allocates more than that runway (an inspector per package,
// facts, diagnostics): left to the pacer it collects once early, with
// the loaded packages still live, and its heap then grows towards a goal
// GOGC% above that, so with GOGC=100 the peak was about twice the loaded
// heap, 1.5x what loading alone needs, whatever the analysis keeps. Here
// a soft memory limit at the memory the runtime holds when loading ends
// (close to its peak so far: freed pages go back to the OS only
// gradually) makes the
// collector run as often as it must to stay there; what it collects is
// mostly the analyzed packages' syntax and type information, which the
// driver lets go a package at a time (keepOnlyComments).
//
// The limit never stands below 3/2 of the live heap of the last
// collection (plus the runtime's other memory), so the collector never
// runs more often than GOGC=50 would make it: raising it after each
// collection is what keeps a soft limit from turning into a collector
// that runs all the time when the analysis keeps more than the runway.
func holdHeapToLoad() (release func()) {
	if !userChoseCollection(os.Getenv("GOGC"), os.Getenv("GOMEMLIMIT")) {
		return func() {}
	}
	return startHeapHold().release
}

// startHeapHold sets the hold's memory limit and keeps it up to date
// until it is released.
func startHeapHold() *heapHold {
	h := &heapHold{previous: debug.SetMemoryLimit(-1)}
	m := readMemory()
	h.overhead = m.mapped - min(m.heap, m.mapped)
	h.limit = max(m.mapped, h.floor(m.live))
	h.lastLive = m.live
	debug.SetMemoryLimit(int64(min(h.limit, math.MaxInt64)))
	h.watch()
	return h
}

// userChoseCollection reports whether the environment asks for the
// collector's usual pacing: GOGC set to a percentage and no GOMEMLIMIT
// (which already bounds the heap as the user wants). Without either, the
// driver's own policy (tuneGC) applies.
func userChoseCollection(gogc, gomemlimit string) bool {
	return gogc != "" && !strings.EqualFold(gogc, "off") && gomemlimit == ""
}

// heapHold is the memory limit startHeapHold set and keeps up to date.
type heapHold struct {
	mu       sync.Mutex
	done     bool
	previous int64  // the limit before the hold, restored by release
	overhead uint64 // memory the runtime holds besides the heap, at the hold's start
	limit    uint64
	lastLive uint64 // the live heap the previous collection left
	raised   int    // how many times a collection raised the limit (tests)
}

// floor is the lowest limit for a live heap of live bytes: room for half
// as much again before the next collection.
func (h *heapHold) floor(live uint64) uint64 { return live + live/2 + h.overhead }

// watch arranges for collected to run after the next collection:
// runtime.AddCleanup on a fresh object runs once a collection has found
// it unreachable. (The object is 64 bytes: cleanups on objects the tiny
// allocator packs together may never run.)
func (h *heapHold) watch() {
	runtime.AddCleanup(new([64]byte), func(h *heapHold) { h.collected() }, h)
}

// collected raises the limit to the floor of the live heap, if it is
// higher, and watches for the next collection. The live heap is the
// smaller of what the last two collections left: what is allocated while
// a collection marks counts as live in it, and at a high allocation rate
// that alone would raise the limit a third.
func (h *heapHold) collected() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.done {
		return
	}
	live := readMemory().live
	settled := min(live, h.lastLive)
	h.lastLive = live
	if need := h.floor(settled); need > h.limit {
		h.limit = need
		h.raised++
		debug.SetMemoryLimit(int64(min(need, math.MaxInt64)))
	}
	h.watch()
}

// release ends the hold, restoring the limit it found.
func (h *heapHold) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.done {
		h.done = true
		debug.SetMemoryLimit(h.previous)
	}
}

// memory is what readMemory reads from runtime/metrics, in bytes.
type memory struct {
	mapped uint64 // what the runtime's memory limit counts
	heap   uint64 // heap objects and the heap's free space not returned to the OS
	live   uint64 // heap objects marked live by the last collection
}

func readMemory() memory {
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	metrics.Read(samples)
	v := func(i int) uint64 {
		if samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return samples[i].Value.Uint64()
	}
	return memory{
		mapped: v(0) - v(1),
		heap:   v(2) + v(3) + v(4),
		live:   v(5),
	}
}
