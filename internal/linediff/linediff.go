// Package linediff computes line-based shortest edit scripts (Myers'
// algorithm, after trimming the common prefix and suffix, which is most
// of a file a fix touches). The standalone driver's -fix -diff and the
// language server's code actions both use it.
package linediff

import (
	"slices"
	"strings"
)

// Op is one line of an edit script.
type Op struct {
	Kind byte // ' ' kept, '-' deleted, '+' inserted
	Text string
	A, B int // line indexes in a and b where this op starts
}

// Split splits s into lines that keep their "\n".
func Split(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// Lines returns a shortest edit script turning a into b.
func Lines(a, b []string) []Op {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []Op
	for i := 0; i < pre; i++ {
		ops = append(ops, Op{' ', a[i], i, i})
	}
	for _, op := range myers(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		op.A += pre
		op.B += pre
		ops = append(ops, op)
	}
	for i := 0; i < suf; i++ {
		ai, bi := len(a)-suf+i, len(b)-suf+i
		ops = append(ops, Op{' ', a[ai], ai, bi})
	}
	return ops
}

func myers(a, b []string) []Op {
	n, m := len(a), len(b)
	if n+m == 0 {
		return nil
	}
	maxD := n + m
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, a, b, off, d)
			}
		}
	}
	return nil
}

func backtrack(trace [][]int, a, b []string, off, d int) []Op {
	x, y := len(a), len(b)
	var rev []Op
	for ; d > 0; d-- {
		v := trace[d]
		k := x - y
		var prevK int
		if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := v[off+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, Op{' ', a[x], x, y})
		}
		if x == prevX {
			y--
			rev = append(rev, Op{'+', b[y], x, y})
		} else {
			x--
			rev = append(rev, Op{'-', a[x], x, y})
		}
	}
	for x > 0 && y > 0 {
		x--
		y--
		rev = append(rev, Op{' ', a[x], x, y})
	}
	slices.Reverse(rev)
	return rev
}
