package gen

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readTree returns the files under dir by relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// The benchmark compares runs over time, so the same seed must give the
// same code base, byte for byte; a different seed a different one.
func TestGenerateDeterministic(t *testing.T) {
	generate := func(seed uint64) (map[string][]byte, Stats) {
		dir := t.TempDir()
		st, err := Generate(Config{Dir: dir, Packages: 30, Lines: 12_000, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return readTree(t, dir), st
	}
	a, sa := generate(1)
	b, sb := generate(1)
	c, _ := generate(2)
	if len(a) != len(b) || sa.Lines != sb.Lines {
		t.Fatalf("same seed: %d files/%d lines, then %d/%d", len(a), sa.Lines, len(b), sb.Lines)
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("same seed, different %s", name)
		}
	}
	same := len(a) == len(c)
	for name, data := range a {
		same = same && bytes.Equal(data, c[name])
	}
	if same {
		t.Error("seeds 1 and 2 gave the same code base")
	}
}

func TestGenerateSizeAndShape(t *testing.T) {
	dir := t.TempDir()
	st, err := Generate(Config{Dir: dir, Packages: 60, Lines: 25_000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if st.Packages != 60 {
		t.Errorf("packages = %d, want 60", st.Packages)
	}
	if st.Lines < 24_000 || st.Lines > 26_000 {
		t.Errorf("lines = %d, want about 25000", st.Lines)
	}
	if st.Handlers < 60 {
		t.Errorf("handlers = %d, want at least one per service package", st.Handlers)
	}
	files := readTree(t, dir)
	mod := string(files["go.mod"])
	for _, want := range []string{"module " + modulePath + "\n", "github.com/restatedev/sdk-go v1.2.0", "github.com/google/uuid v1.6.0"} {
		if !strings.Contains(mod, want) {
			t.Errorf("go.mod lacks %q", want)
		}
	}
	var all strings.Builder
	for _, data := range files {
		all.Write(data)
	}
	for _, want := range []string{"restate.Reflect(", "restate.NewObjectHandler(func(ctx restate.ObjectContext",
		"restate.Run(ctx, func(ctx restate.RunContext)", "restate.Get[", "restate.Set(ctx",
		"restate.Service[", "restate.WorkflowContext"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("no generated file contains %q", want)
		}
	}
}

func TestGenerateRefusesForeignDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(Config{Dir: dir, Packages: 5, Seed: 1}); err == nil {
		t.Fatal("Generate wrote into a directory it did not create")
	}
}

// The benchmark's code base (its size and seed) exercises the newer rules
// too: a deadlock cycle, a package-level write in a handler, a plain
// error for invalid input.
func TestGeneratePlantsNewerHazards(t *testing.T) {
	dir := t.TempDir()
	st, err := Generate(Config{Dir: dir, Packages: 40, Lines: 17_000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st.DeadlockCycles == 0 || st.MemstateHandlers == 0 || st.TerminalErrorHandlers == 0 {
		t.Errorf("planted %s; want at least one deadlock cycle, memstate write and terminalerror return", st.Hazards())
	}
	var all strings.Builder
	for _, data := range readTree(t, dir) {
		all.Write(data)
	}
	for _, want := range []string{"(ctx, LedgerName, v.ID, \"Append\").Request(", "(ctx, ObjectName, in.SKU, ",
		"requestsServed++", "var requestsServed int64", "Errorf(\"negative amount %d\", req.Amount)"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("no generated file contains %q", want)
		}
	}
}
