package linediff

import (
	"strings"
	"testing"
)

func TestLines(t *testing.T) {
	a := Split("a\nb\nc\nd\n")
	b := Split("a\nB\nc\nd\ne\n")
	var got []string
	for _, op := range Lines(a, b) {
		got = append(got, string(op.Kind)+strings.TrimSuffix(op.Text, "\n"))
	}
	if want := " a,-b,+B, c, d,+e"; strings.Join(got, ",") != want {
		t.Errorf("got %s, want %s", strings.Join(got, ","), want)
	}
	if ops := Lines(a, a); len(ops) != len(a) {
		t.Errorf("equal inputs: %v", ops)
	}
	if Split("") != nil {
		t.Error("Split of empty text is not empty")
	}
}

// TestEdits: applying the edits to a gives b, for insertions, deletions,
// replacements, and texts without a final newline.
func TestEdits(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"", ""},
		{"", "x\n"},
		{"x\n", ""},
		{"a\nb\nc\n", "a\nB\nc\n"},
		{"a\nb\nc\n", "a\nc\n"},
		{"a\nc\n", "a\nb1\nb2\nc\n"},
		{"a\nb", "a\nb\nc"},
		{"1\n2\n3\n4\n5\n", "0\n2\n3\n4\n6\n"},
	} {
		edits := Edits(tc.a, tc.b)
		got, last := "", 0
		for _, e := range edits {
			if e.Start < last || e.End < e.Start {
				t.Fatalf("%q -> %q: edits out of order: %+v", tc.a, tc.b, edits)
			}
			got += tc.a[last:e.Start] + e.New
			last = e.End
		}
		got += tc.a[last:]
		if got != tc.b {
			t.Errorf("%q -> %q: edits %+v give %q", tc.a, tc.b, edits, got)
		}
	}
	if edits := Edits("1\n2\n3\n4\n5\n", "0\n2\n3\n4\n6\n"); len(edits) != 2 {
		t.Errorf("want two hunks, got %+v", edits)
	}
}
