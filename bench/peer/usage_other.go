//go:build !unix

package main

import (
	"os"
	"time"
)

func usage(st *os.ProcessState) (cpu time.Duration, rss int64) {
	return st.UserTime() + st.SystemTime(), 0
}
