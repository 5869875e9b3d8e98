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
