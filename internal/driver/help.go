package driver

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// help implements "restatelint help" (the analyzers with their one-line
// docs, as the x/tools multichecker prints them) and "restatelint help
// NAME..." (an analyzer's full doc, its options and its documentation
// URL). It returns the exit code: 1 for a name that is not an analyzer.
func help(out, errOut io.Writer, progname string, analyzers []*analysis.Analyzer, names []string) int {
	if len(names) == 0 {
		fmt.Fprintf(out, "Analyzers (all run by default; -NAME runs only the named ones, -NAME=false all but them):\n\n")
		width := 0
		for _, a := range analyzers {
			width = max(width, len(a.Name))
		}
		for _, a := range analyzers {
			fmt.Fprintf(out, "    %-*s  %s\n", width, a.Name, title(a))
		}
		fmt.Fprintf(out, "\n'%s help NAME' prints an analyzer's documentation and options; '%s -help' the flags.\n", progname, progname)
		return 0
	}
	byName := make(map[string]*analysis.Analyzer, len(analyzers))
	for _, a := range analyzers {
		byName[a.Name] = a
	}
	for i, name := range names {
		a := byName[name]
		if a == nil {
			fmt.Fprintf(errOut, "%s: no analyzer named %q; '%s help' lists them\n", progname, name, progname)
			return 1
		}
		if i > 0 {
			fmt.Fprintln(out)
		}
		describe(out, a)
	}
	return 0
}

// title is the first paragraph of an analyzer's doc, on one line.
func title(a *analysis.Analyzer) string {
	first, _, _ := strings.Cut(a.Doc, "\n\n")
	return strings.Join(strings.Fields(first), " ")
}

func hasFlags(a *analysis.Analyzer) bool {
	has := false
	a.Flags.VisitAll(func(*flag.Flag) { has = true })
	return has
}

// describe prints one analyzer's full documentation.
func describe(w io.Writer, a *analysis.Analyzer) {
	first, rest, _ := strings.Cut(a.Doc, "\n\n")
	fmt.Fprintf(w, "%s: %s\n", a.Name, strings.Join(strings.Fields(first), " "))
	if rest = strings.TrimSpace(rest); rest != "" {
		fmt.Fprintf(w, "\n%s\n", rest)
	}
	fs := flag.NewFlagSet(a.Name, flag.ContinueOnError)
	a.Flags.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, a.Name+"."+f.Name, f.Usage) })
	if hasFlags(a) {
		fmt.Fprintf(w, "\nOptions (the same keys in every driver, see docs/configuration.md):\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	if a.URL != "" {
		fmt.Fprintf(w, "\nDocumentation: %s\n", a.URL)
	}
}
