package driver

import (
	"cmp"
	"fmt"
	"go/token"
	"io"
	"log"
	"os"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/restatelint/restatelint/internal/fixapply"
)

// applyFixes applies the first suggested fix of every root diagnostic,
// merged per file by fixapply, and either writes the files or prints a
// unified diff. Like go vet -fix it prints nothing for findings that have
// no fix.
func applyFixes(graph *checker.Graph, printDiff bool, out io.Writer) error {
	// Fixes are offered to fixapply.Merge in the output's order (file,
	// position, analyzer, message): of two overlapping fixes the first
	// wins, so that order must not depend on how analyzers walk.
	type offered struct {
		pos      token.Position
		analyzer string
		message  string
		fix      fixapply.Fix
	}
	var all []offered
	importNames := make(map[string]string) // import path -> package name
	seen := make(map[string]bool)          // dedupe fixes repeated by test variants
	for _, act := range graph.Roots {
		if act.Err != nil {
			continue
		}
		for _, imp := range act.Package.Types.Imports() {
			importNames[imp.Path()] = imp.Name()
		}
		for _, d := range act.Diagnostics {
			fs, err := fixapply.FromDiagnostics(act.Package.Fset, []analysis.Diagnostic{d})
			if err != nil {
				return err
			}
			for _, f := range fs {
				key := fmt.Sprint(f)
				if !seen[key] {
					seen[key] = true
					all = append(all, offered{act.Package.Fset.Position(d.Pos), act.Analyzer.Name, d.Message, f})
				}
			}
		}
	}
	slices.SortStableFunc(all, func(a, b offered) int {
		return cmp.Or(cmp.Compare(a.pos.Filename, b.pos.Filename), cmp.Compare(a.pos.Offset, b.pos.Offset),
			cmp.Compare(a.analyzer, b.analyzer), cmp.Compare(a.message, b.message),
			cmp.Compare(fmt.Sprint(a.fix), fmt.Sprint(b.fix)))
	})
	fixes := make([]fixapply.Fix, len(all))
	for i, o := range all {
		fixes[i] = o.fix
	}
	byFile, skipped := fixapply.Merge(fixes)
	if skipped > 0 {
		log.Printf("%d fixes overlapped others and were not applied; run -fix again", skipped)
	}
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	slices.Sort(files)
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		fixed, err := fixapply.ApplyFile(src, byFile[name], func(path string) string { return importNames[path] })
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		if printDiff {
			io.WriteString(out, unifiedDiff(name, string(src), string(fixed)))
			continue
		}
		if err := os.WriteFile(name, fixed, 0o644); err != nil {
			return err
		}
	}
	return nil
}
