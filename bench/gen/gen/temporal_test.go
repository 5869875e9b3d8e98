package gen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTemporalShape: the Temporal shape is deterministic, shares every
// non-service package with the Restate shape byte for byte (equal
// shapes), and its service packages have workflows, not Restate handlers.
func TestTemporalShape(t *testing.T) {
	cfg := Config{Packages: 30, Lines: 12_000, Seed: 3}
	cfg.Dir = t.TempDir()
	st, err := GenerateTemporal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := readTree(t, cfg.Dir)
	cfg.Dir = t.TempDir()
	if _, err := GenerateTemporal(cfg); err != nil {
		t.Fatal(err)
	}
	b := readTree(t, cfg.Dir)
	cfg.Dir = t.TempDir()
	rst, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := readTree(t, cfg.Dir)
	if len(a) != len(b) {
		t.Fatalf("same seed: %d files, then %d", len(a), len(b))
	}
	services := 0
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("same seed, different %s", name)
		}
		switch {
		case strings.HasPrefix(name, filepath.Join("internal", "services")):
			services++
			if bytes.Contains(data, []byte("restatedev")) {
				t.Errorf("%s imports the Restate SDK", name)
			}
		case strings.HasPrefix(name, "internal"):
			if !bytes.Equal(data, r[name]) {
				t.Errorf("%s differs between the Restate and Temporal shapes", name)
			}
		}
	}
	if services == 0 || st.Handlers == 0 || st.Packages != rst.Packages {
		t.Errorf("Temporal shape %+v (%d service files), Restate shape %+v", st, services, rst)
	}
	if d := st.Lines - rst.Lines; d < -rst.Lines/10 || d > rst.Lines/10 {
		t.Errorf("Temporal shape has %d lines, Restate shape %d: not the same size", st.Lines, rst.Lines)
	}
}

// TestTemporalShapeBuilds: the Temporal shape compiles and passes go vet
// against the real go.temporal.io/sdk.
func TestTemporalShapeBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod download and go vet")
	}
	dir := filepath.Join(t.TempDir(), "benchapp")
	if _, err := GenerateTemporal(Config{Dir: dir, Packages: 8, Lines: 3000, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"mod", "download"}, {"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, out)
		}
	}
}
