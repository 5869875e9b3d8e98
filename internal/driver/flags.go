package driver

import (
	"flag"
	"fmt"
	"strconv"

	"golang.org/x/tools/go/analysis"
)

// settings are the driver's own flags; analyzer flags are bound to the
// analyzers' FlagSets directly, under the -NAME.flag names the go vet
// protocol uses, so every driver accepts the same spelling.
type settings struct {
	json, fix, diff, tests bool
	context                int
	dir                    string
	enable                 map[*analysis.Analyzer]*triState
}

func registerFlags(fs *flag.FlagSet, analyzers []*analysis.Analyzer) *settings {
	s := &settings{context: -1, tests: true, enable: make(map[*analysis.Analyzer]*triState)}
	fs.BoolVar(&s.json, "json", false, "emit JSON output (the go/analysis format)")
	fs.BoolVar(&s.fix, "fix", false, "apply all suggested fixes")
	fs.BoolVar(&s.diff, "diff", false, "with -fix, print a unified diff instead of writing files")
	fs.BoolVar(&s.tests, "test", true, "also analyze test files")
	fs.IntVar(&s.context, "c", -1, "display offending line with this many lines of context")
	fs.StringVar(&s.dir, "C", "", "change to `dir` before loading packages, like the go command")
	for _, a := range analyzers {
		t := new(triState)
		s.enable[a] = t
		fs.Var(t, a.Name, fmt.Sprintf("enable %s analysis", a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	return s
}

// enabledAnalyzers follows go vet's rule: if any -NAME flag is true, run
// only those; otherwise run all except those set to false.
func (s *settings) enabledAnalyzers(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	anyTrue := false
	for _, a := range analyzers {
		if *s.enable[a] == setTrue {
			anyTrue = true
		}
	}
	var out []*analysis.Analyzer
	for _, a := range analyzers {
		switch {
		case anyTrue && *s.enable[a] == setTrue,
			!anyTrue && *s.enable[a] != setFalse:
			out = append(out, a)
		}
	}
	return out
}

type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (t *triState) IsBoolFlag() bool { return true }
func (t *triState) String() string {
	switch *t {
	case setTrue:
		return "true"
	case setFalse:
		return "false"
	}
	return "unset"
}
func (t *triState) Set(v string) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return err
	}
	if b {
		*t = setTrue
	} else {
		*t = setFalse
	}
	return nil
}
