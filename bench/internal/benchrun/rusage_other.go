//go:build !unix

package benchrun

import (
	"os"
	"time"
)

// usage reports CPU times only; peak RSS is not available here.
func usage(st *os.ProcessState) (user, sys time.Duration, maxRSS int64) {
	return st.UserTime(), st.SystemTime(), 0
}
