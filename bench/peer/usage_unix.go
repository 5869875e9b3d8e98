//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// usage returns the CPU time (user+sys) of a finished process, its waited
// children included, and its peak RSS in bytes (on Linux the largest of
// the process's and any waited child's).
func usage(st *os.ProcessState) (cpu time.Duration, rss int64) {
	ru, ok := st.SysUsage().(*syscall.Rusage)
	if !ok {
		return st.UserTime() + st.SystemTime(), 0
	}
	rss = int64(ru.Maxrss)
	if runtime.GOOS != "darwin" && runtime.GOOS != "ios" {
		rss *= 1024
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), rss
}
