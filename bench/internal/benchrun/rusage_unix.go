//go:build unix

package benchrun

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// usage extracts CPU times and peak RSS (in bytes) from a finished process.
func usage(st *os.ProcessState) (user, sys time.Duration, maxRSS int64) {
	ru, ok := st.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0, 0
	}
	maxRSS = int64(ru.Maxrss)
	if runtime.GOOS != "darwin" && runtime.GOOS != "ios" {
		maxRSS *= 1024 // kilobytes everywhere but on Apple systems
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()), maxRSS
}
