// Package gen generates a synthetic but realistic Restate code base for
// the restatelint performance benchmark.
//
// The output is a Go module, example.com/benchapp, whose packages form a
// layered import DAG (platform helpers, domain types, stores, Restate
// services, server binaries) and which uses the real
// github.com/restatedev/sdk-go v1.2.0 API the way services do: reflected
// service structs, handler constructors with func literals, state,
// restate.Run closures, service-to-service calls. A small fraction of the
// handlers reach time.Now, math/rand, os.Getenv or uuid.New outside
// restate.Run, a few helper calls deep, journal in map order, increment
// state, await each other in a cycle of exclusive handlers, keep a
// counter in a package-level variable or reject input with a plain
// error, so the analyzers have real work and real findings. The output is
// a pure function of the Config.
package gen

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"golang.org/x/tools/txtar"
)

// Config says what to generate.
type Config struct {
	Dir      string // output directory: must be empty, missing, or a previous output
	Packages int    // number of packages, at least 5; default 400
	Lines    int    // approximate total lines of Go; default 170000
	Seed     uint64 // the same seed gives byte-identical output

	// SDKArchive is the txtar holding the go.mod and go.sum to use
	// (testdata/sdk/v1.2.0.txtar of the restatelint module); empty means
	// find it next to this source file or in the current module.
	SDKArchive string
}

// Stats describes what was generated.
type Stats struct {
	Packages int
	Files    int
	Lines    int
	Handlers int // Restate handlers (methods and func literals)
	// ImpureHandlers counts handlers that, by construction, reach time,
	// math/rand, os.Getenv or uuid outside restate.Run, directly or via
	// helpers.
	ImpureHandlers int
	// ImpureBySource splits ImpureHandlers by source ("time", "rand",
	// "env", "uuid"); a handler may reach several.
	ImpureBySource map[string]int
	// MapOrderHandlers counts handlers that journal (state writes or
	// sends) in map iteration order.
	MapOrderHandlers int
	// CounterHandlers counts exclusive handlers that restate.Set a value
	// incremented from restate.Get of the same key.
	CounterHandlers int
	// DeadlockCycles counts pairs of exclusive handlers awaiting each
	// other (two calls each); MemstateHandlers handlers writing a
	// package-level variable; TerminalErrorHandlers handlers returning a
	// plain error for invalid input.
	DeadlockCycles, MemstateHandlers, TerminalErrorHandlers int
}

// Hazards summarises the hazards planted in the handlers, e.g. "30
// handlers reach time/rand/env/uuid outside Run (time 9, rand 8, env 7,
// uuid 7); 12 journal in map order; 15 increment state; 3 deadlock
// cycles; 6 keep state in memory; 9 return plain errors for input".
func (s Stats) Hazards() string {
	var by []string
	for _, n := range sourceNames {
		by = append(by, fmt.Sprintf("%s %d", n, s.ImpureBySource[n]))
	}
	return fmt.Sprintf("%d handlers reach time/rand/env/uuid outside Run (%s); %d journal in map order; %d increment state; %d deadlock cycles; %d keep state in memory; %d return plain errors for input",
		s.ImpureHandlers, strings.Join(by, ", "), s.MapOrderHandlers, s.CounterHandlers, s.DeadlockCycles, s.MemstateHandlers, s.TerminalErrorHandlers)
}

// Defaults of the benchmark: the size the 1.3x floor budget is stated for.
const (
	DefaultPackages = 400
	DefaultLines    = 170_000
)

// Generate writes the module described by cfg.
func Generate(cfg Config) (Stats, error) {
	if cfg.Packages == 0 {
		cfg.Packages = DefaultPackages
	}
	if cfg.Lines == 0 {
		cfg.Lines = DefaultLines
	}
	if cfg.Packages < 5 {
		return Stats{}, fmt.Errorf("need at least 5 packages, got %d", cfg.Packages)
	}
	gomod, gosum, err := moduleFiles(cfg.SDKArchive)
	if err != nil {
		return Stats{}, err
	}
	if err := prepareDir(cfg.Dir); err != nil {
		return Stats{}, err
	}
	if err := writeFile(filepath.Join(cfg.Dir, "go.mod"), gomod); err != nil {
		return Stats{}, err
	}
	if err := writeFile(filepath.Join(cfg.Dir, "go.sum"), gosum); err != nil {
		return Stats{}, err
	}

	pkgs := plan(cfg.Packages, cfg.Seed)
	var st Stats
	remaining, left := cfg.Lines, 0
	for _, p := range pkgs {
		if p.layer != layerCmd {
			left++
		}
	}
	remaining -= 60 * (len(pkgs) - left) // server mains are short
	for _, p := range pkgs {
		target := 0
		if p.layer != layerCmd {
			target = remaining / max(left, 1)
			left--
		}
		files, c := generatePackage(p, target)
		st.Packages++
		st.Handlers += c.handlers
		st.ImpureHandlers += c.impure
		st.MapOrderHandlers += c.mapOrder
		st.CounterHandlers += c.counters
		st.DeadlockCycles += c.deadlockCycles
		st.MemstateHandlers += c.memstate
		st.TerminalErrorHandlers += c.terminalErrors
		for i, n := range c.bySource {
			if n > 0 {
				if st.ImpureBySource == nil {
					st.ImpureBySource = make(map[string]int)
				}
				st.ImpureBySource[sourceNames[i]] += n
			}
		}
		for _, f := range files {
			src, err := f.source()
			if err != nil {
				return st, err
			}
			if err := writeFile(filepath.Join(cfg.Dir, p.path, f.name), src); err != nil {
				return st, err
			}
			n := bytes.Count(src, []byte("\n"))
			st.Files++
			st.Lines += n
			if p.layer != layerCmd {
				remaining -= n
			}
		}
	}
	return st, nil
}

// counts are the handler statistics of one package.
type counts struct {
	handlers, impure, mapOrder, counters     int
	deadlockCycles, memstate, terminalErrors int
	bySource                                 [4]int // indexed like sourceNames
}

// generatePackage emits p's files, aiming at about target lines.
func generatePackage(p *pkg, target int) ([]*file, counts) {
	switch p.layer {
	case layerPlatform:
		return genPlatform(p, target), counts{}
	case layerDomain:
		return genDomain(p, target), counts{}
	case layerStore:
		return genStore(p, target), counts{}
	case layerService:
		return genService(p, target)
	default:
		return genCmd(p), counts{}
	}
}

var moduleLine = regexp.MustCompile(`(?m)^module .*$`)

// moduleFiles returns the go.mod (renamed to modulePath) and go.sum of the
// SDK fixture archive, so the generated module resolves from a module
// cache that the analyzer tests have already filled.
func moduleFiles(archive string) (gomod, gosum []byte, err error) {
	if archive == "" {
		if archive, err = findArchive(); err != nil {
			return nil, nil, err
		}
	}
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range ar.Files {
		switch f.Name {
		case "go.mod":
			gomod = moduleLine.ReplaceAll(f.Data, []byte("module "+modulePath))
		case "go.sum":
			gosum = f.Data
		}
	}
	if gomod == nil || gosum == nil {
		return nil, nil, fmt.Errorf("%s: no go.mod or go.sum section", archive)
	}
	return gomod, gosum, nil
}

const archiveRel = "testdata/sdk/v1.2.0.txtar"

// findArchive locates the SDK archive from this source file's location
// (works under go run, go test and local builds) or from the working
// directory's enclosing restatelint module.
func findArchive() (string, error) {
	var tried []string
	if _, self, _, ok := runtime.Caller(0); ok {
		tried = append(tried, filepath.Join(filepath.Dir(self), "..", "..", "..", archiveRel))
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			tried = append(tried, filepath.Join(d, archiveRel))
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	for _, p := range tried {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("cannot find %s; pass the SDK archive explicitly", archiveRel)
}

// prepareDir makes dir ready for output: missing or empty is fine, and so
// is a previous output (whose packages are removed), so that a benchmark
// directory can be regenerated in place; anything else is refused.
func prepareDir(dir string) error {
	if dir == "" {
		return errors.New("no output directory")
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil || len(entries) == 0 {
		return err
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || !strings.HasPrefix(string(mod), "module "+modulePath+"\n") {
		return fmt.Errorf("%s is not empty and not a previous %s", dir, modulePath)
	}
	for _, sub := range []string{"internal", "cmd"} {
		if err := os.RemoveAll(filepath.Join(dir, sub)); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}
