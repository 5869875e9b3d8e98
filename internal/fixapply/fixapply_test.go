package fixapply

import (
	"strings"
	"testing"
)

func TestMerge(t *testing.T) {
	imp := Edit{File: "a.go", Start: 10, End: 10, New: "\"x\"\n"}
	a := Fix{imp, {File: "a.go", Start: 20, End: 25, New: "A"}}
	b := Fix{imp, {File: "a.go", Start: 30, End: 35, New: "B"}}  // shares the import edit: merged
	c := Fix{{File: "a.go", Start: 22, End: 32, New: "C"}}       // overlaps a and b: skipped
	d := Fix{{File: "a.go", Start: 10, End: 10, New: "other\n"}} // another insertion at the same offset: skipped
	e := Fix{{File: "a.go", Start: 25, End: 25, New: "E"}}       // insertion right after a's replacement: fine
	byFile, skipped := Merge([]Fix{a, b, c, d, e})
	if skipped != 2 {
		t.Errorf("skipped = %d, want 2", skipped)
	}
	got := byFile["a.go"]
	if len(got) != 4 || got[0] != imp || got[1].New != "A" || got[2].New != "E" || got[3].New != "B" {
		t.Errorf("merged edits = %+v", got)
	}
}

func TestApplyFileRemovesImportsFixesMadeUnused(t *testing.T) {
	src := `package a

import (
	"math/rand"
	"strings"

	"github.com/google/uuid"
)

func f() (int, string, string) { return rand.Intn(3), uuid.NewString(), strings.ToUpper("x") }
`
	repl := func(old, new string) Edit {
		i := strings.Index(src, old)
		return Edit{File: "a.go", Start: i, End: i + len(old), New: new}
	}
	edits := []Edit{repl("rand.Intn(3)", "3"), repl("uuid.NewString()", `"id"`)}
	out, err := ApplyFile([]byte(src), edits, func(path string) string {
		return map[string]string{"math/rand": "rand", "strings": "strings", "github.com/google/uuid": "uuid"}[path]
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `package a

import (
	"strings"
)

func f() (int, string, string) { return 3, "id", strings.ToUpper("x") }
`
	if string(out) != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
}

func TestApplyFileKeepsImportsUnknownOrUnused(t *testing.T) {
	// An import that was unused before the fix is not ours to remove, and
	// one whose package name is unknown is kept.
	src := "package a\n\nimport (\n\t\"fmt\"\n\t\"example.com/v2\"\n)\n\nfunc f() { _ = 1 }\n"
	i := strings.Index(src, "1")
	out, err := ApplyFile([]byte(src), []Edit{{Start: i, End: i + 1, New: "2"}}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"fmt"`) || !strings.Contains(string(out), `"example.com/v2"`) {
		t.Errorf("imports removed:\n%s", out)
	}
}

func TestApplyFileRejectsOverlap(t *testing.T) {
	_, err := ApplyFile([]byte("package a\n"), []Edit{{Start: 0, End: 5}, {Start: 3, End: 4}}, func(string) string { return "" })
	if err == nil {
		t.Error("overlapping edits were applied")
	}
}
