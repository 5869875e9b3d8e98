package driver

import (
	"os"
	"runtime/debug"
)

// tuneGC trades memory for time in a one-shot run: the heap of a run is
// mostly syntax trees and type information that stay live until the end,
// so garbage collections before the process exits mostly rescan live data.
// Unless the user set GOGC or GOMEMLIMIT, collection is off until the heap
// reaches gcMemoryLimit, where the runtime's memory limit makes it collect
// as usual. On the benchmark code base this halves the wall time of the
// floor and of restatelint alike; peak memory grows by about a third.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(int64(gcMemoryLimit(physicalMemory(), containerMemoryLimit())))
	debug.SetGCPercent(-1)
}

// gcMemoryLimit is the heap size at which collection starts: a quarter of
// physical memory, at least 1 GiB, and in a container (a cgroup with a
// memory limit) at most half of the container's limit. The other half is
// for what the Go memory limit does not count and the kernel does: the go
// list and compiler processes go/packages runs in the same cgroup, and
// the page cache of the files read. Were the host's memory the measure, a
// CI container on a large host would never collect and be killed.
func gcMemoryLimit(physical, container uint64) uint64 {
	limit := max(physical/4, 1<<30)
	if container > 0 {
		limit = min(limit, container/2)
	}
	return limit
}
