package main_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/internal/testkit"
)

// TestDeadlockAcrossPackages: the standalone command's whole-program
// step reports a cycle between two objects in packages that never import
// each other, at every unsuppressed call on it (the lines marked
// "want: cycle"); go vet, per package, cannot see it. The module is the
// whole-program step's own fixture.
func TestDeadlockAcrossPackages(t *testing.T) {
	dir, _ := testkit.FixtureModule(t, "../../testdata/wholeprogram/cycle.txtar", "")
	out, err := runIn(dir, binary, "-deadlock", "./...")
	if exitCode(err) != 3 {
		t.Fatalf("exit %d, want 3 (findings):\n%s", exitCode(err), out)
	}
	want := testkit.Marked(t, dir, "// want: cycle")
	var got []string
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "deadlock") {
			continue
		}
		if !strings.Contains(line, "(Cart.Checkout → Stock.Reserve → Cart.Confirm)") && !strings.Contains(line, "(Cart.Release → Stock.Return → Cart.Confirm)") {
			t.Errorf("the message does not name the cycle: %s", line)
		}
		i := slices.IndexFunc(want, func(w string) bool { return strings.Contains(line, w+":") })
		if i < 0 {
			t.Errorf("deadlock reported where no cycle is wanted (a //restatelint:ignore line?): %s", line)
			continue
		}
		got = append(got, want[i])
	}
	slices.Sort(got)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("deadlock findings at %v, want %v:\n%s", got, want, out)
	}
	if vet, err := runIn(dir, "go", "vet", "-vettool="+binary, "./..."); err != nil || strings.Contains(vet, "deadlock") || strings.Contains(vet, "cycle") {
		t.Errorf("go vet, per package, should see no cycle here (err %v):\n%s", err, vet)
	}
}
