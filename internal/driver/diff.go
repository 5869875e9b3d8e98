package driver

import (
	"fmt"
	"strings"

	"github.com/restatelint/restatelint/internal/linediff"
)

// unifiedDiff returns a unified diff (3 lines of context) from a to b, or
// "" if they are equal.
func unifiedDiff(name, a, b string) string {
	if a == b {
		return ""
	}
	x, y := linediff.Split(a), linediff.Split(b)
	ops := linediff.Lines(x, y)
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s (original)\n+++ %s (fixed)\n", name, name)
	const ctx = 3
	for i := 0; i < len(ops); {
		if ops[i].Kind == ' ' {
			i++
			continue
		}
		// A hunk: from ctx lines before the change to ctx lines after the
		// last change that is within 2*ctx of the previous one.
		start := max(i-ctx, 0)
		end := i
		for end < len(ops) {
			if ops[end].Kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].Kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*ctx {
				end = min(end+ctx, len(ops))
				break
			}
			end = run
		}
		ax, ay := ops[start].A, ops[start].B
		var nx, ny int
		var body strings.Builder
		for _, op := range ops[start:end] {
			body.WriteByte(op.Kind)
			body.WriteString(op.Text)
			if !strings.HasSuffix(op.Text, "\n") {
				body.WriteString("\n\\ No newline at end of file\n")
			}
			if op.Kind != '+' {
				nx++
			}
			if op.Kind != '-' {
				ny++
			}
		}
		fmt.Fprintf(&sb, "@@ -%d,%d +%d,%d @@\n%s", ax+1, nx, ay+1, ny, body.String())
		i = end
	}
	return sb.String()
}
