package linediff

import "strings"

// Edit replaces the bytes [Start, End) of a text with New.
type Edit struct {
	Start, End int
	New        string
}

// Edits returns line-granular edits, in order and not overlapping, that
// turn a into b: one per run of changed lines.
func Edits(a, b string) []Edit {
	x, y := Split(a), Split(b)
	lineStart := make([]int, len(x)+1) // byte offset of each line of a, and the end
	for i, l := range x {
		lineStart[i+1] = lineStart[i] + len(l)
	}
	ops := Lines(x, y)
	var edits []Edit
	for i := 0; i < len(ops); {
		if ops[i].Kind == ' ' {
			i++
			continue
		}
		from := ops[i].A // first line of a replaced
		to := from
		var text strings.Builder
		for ; i < len(ops) && ops[i].Kind != ' '; i++ {
			if ops[i].Kind == '-' {
				to++
			} else {
				text.WriteString(ops[i].Text)
			}
		}
		edits = append(edits, Edit{Start: lineStart[from], End: lineStart[to], New: text.String()})
	}
	return edits
}
