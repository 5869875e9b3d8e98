package terminalerror

import (
	"go/types"
	"slices"
)

// pureStdPkgs are standard-library packages whose functions and methods
// compute their results from their arguments alone: what validation code
// calls. Anything else outside the package (encoding/json's Unmarshal of
// a body, a client library) is not assumed pure.
var pureStdPkgs = []string{
	"bytes", "cmp", "errors", "maps", "math", "net/mail", "net/netip", "net/url",
	"path", "regexp", "slices", "sort", "strconv", "strings", "unicode",
	"unicode/utf16", "unicode/utf8", "encoding/base64", "encoding/hex",
}

// pureFmt are fmt's functions that format without printing.
var pureFmt = []string{"Errorf", "Sprint", "Sprintf", "Sprintln"}

// pureTime are time's functions that compute from their arguments, and
// pureTimeTypes the types whose methods do.
var (
	pureTime      = []string{"ParseDuration", "Date", "Unix", "UnixMilli", "UnixMicro", "Parse", "ParseInLocation", "FixedZone"}
	pureTimeTypes = []string{"Duration", "Time", "Month", "Weekday"}
)

// pureStd reports whether fn is a pure standard-library function or
// method.
func pureStd(fn *types.Func) bool {
	path := fn.Pkg().Path()
	if path == "fmt" {
		return slices.Contains(pureFmt, fn.Name())
	}
	if path == "time" {
		// Durations, dates built from numbers, parsing, and arithmetic
		// on values (unkey's parseDateKey: time.Date(y, m+1, 0, ...).Day());
		// not Now, Since, Until, timers, LoadLocation (it reads files).
		return slices.Contains(pureTime, fn.Name()) && fn.Signature().Recv() == nil ||
			slices.Contains(pureTimeTypes, typeOfRecv(fn))
	}
	return slices.Contains(pureStdPkgs, path)
}

func typeOfRecv(fn *types.Func) string {
	recv := fn.Signature().Recv()
	if recv == nil {
		return ""
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}
