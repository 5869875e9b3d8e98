// Package suppress reads restatelint's suppression directives,
//
//	//restatelint:ignore walltime,randomness the reason, required
//
// at the end of the offending line or alone on the line above it, and
// filters every rule's diagnostics through them, the same way in every
// driver. Malformed directives are kept so that the ignoredirective
// analyzer can report them: a directive that silently does nothing is the
// complaint users of peer tools have most.
package suppress

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/internal/fixcheck"
	"github.com/restatelint/restatelint/internal/hiddenfixes"
)

// Known lists every analyzer a directive may name: the rules but
// ignoredirective.
var Known = slices.DeleteFunc(slices.Clone(config.Rules), func(name string) bool { return name == "ignoredirective" })

// Analyzer parses the directives of a package. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:             "restateignore",
	Doc:              "parse //restatelint:ignore directives",
	Run:              run,
	RunDespiteErrors: true,
	ResultType:       reflect.TypeFor[*Index](),
}

// Directive is one //restatelint: comment.
type Directive struct {
	Pos       token.Pos
	End       token.Pos
	Analyzers []string
	Reason    string
	Problem   string // non-empty for a malformed directive
	line      int    // line the directive applies to
	file      *token.File
}

// Index holds a package's directives, and its settings (config.For),
// which turn rules off for the package.
type Index struct {
	All      []*Directive
	byLine   map[*token.File]map[int][]*Directive
	settings *config.Settings
	err      error // restatelint.toml's, for Stop
}

const prefix = "restatelint:"

func run(pass *analysis.Pass) (any, error) {
	x := NewIndex(pass.Fset, pass.Files, pass.ReadFile)
	x.settings, x.err = config.For(pass) // restatelint.toml: an error stops every rule (Stop)
	return x, nil
}

// Stop reports whether a rule must not run on pass's package because its
// configuration is invalid: its restatelint.toml, or a reach.scope the
// driver did not apply (config.CheckScope). err is the error for the
// first rule of the package to ask and nil for the others: drivers print
// every analyzer's error, and one line per package says it. (A
// prerequisite's error would reach the user as "failed prerequisites"
// without its text under go vet, so the rules return it themselves.)
func Stop(pass *analysis.Pass) (bool, error) {
	err := pass.ResultOf[Analyzer].(*Index).err
	if err == nil {
		err = config.PackageErr(pass.Pkg)
	}
	if err == nil {
		return false, nil
	}
	return true, config.Once(pass.Pkg, err)
}

// NewIndex reads the directives of files. Analyzers get the index as
// Analyzer's result; a driver step that reports after the analysis (the
// whole-program step) builds its own.
func NewIndex(fset *token.FileSet, files []*ast.File, readFile func(string) ([]byte, error)) *Index {
	x := &Index{byLine: make(map[*token.File]map[int][]*Directive)}
	for _, f := range files {
		tf := fset.File(f.Pos())
		if tf == nil {
			continue
		}
		var src []byte
		for _, group := range f.Comments {
			for _, c := range group.List {
				d := parse(c)
				if d == nil {
					continue
				}
				if src == nil {
					src, _ = readFile(tf.Name())
				}
				d.file = tf
				d.line = tf.Line(c.Pos())
				if aloneOnLine(tf, src, c.Pos()) {
					d.line++
				}
				x.All = append(x.All, d)
				if d.Problem == "" {
					if x.byLine[tf] == nil {
						x.byLine[tf] = make(map[int][]*Directive)
					}
					x.byLine[tf][d.line] = append(x.byLine[tf][d.line], d)
				}
			}
		}
	}
	return x
}

// parse returns the directive in c, nil if c is not one.
func parse(c *ast.Comment) *Directive {
	text, ok := strings.CutPrefix(c.Text, "//")
	if !ok {
		return nil
	}
	d := &Directive{Pos: c.Pos(), End: c.End()}
	if trimmed := strings.TrimLeft(text, " \t"); trimmed != text {
		if strings.HasPrefix(trimmed, prefix+"ignore") {
			d.Problem = "a //restatelint:ignore directive must not have a space after //"
			return d
		}
		return nil
	}
	rest, ok := strings.CutPrefix(text, prefix)
	if !ok {
		return nil
	}
	verb, args, _ := strings.Cut(rest, " ")
	if verb != "ignore" {
		d.Problem = fmt.Sprintf("unknown directive //restatelint:%s; the only directive is //restatelint:ignore <analyzer>[,<analyzer>] <reason>", verb)
		return d
	}
	args = strings.TrimSpace(args)
	list, reason, _ := strings.Cut(args, " ")
	if list == "" {
		d.Problem = "//restatelint:ignore needs the analyzers to ignore and a reason: //restatelint:ignore <analyzer>[,<analyzer>] <reason>"
		return d
	}
	for _, name := range strings.Split(list, ",") {
		if !slices.Contains(Known, name) {
			d.Problem = fmt.Sprintf("//restatelint:ignore names unknown analyzer %q (known: %s)", name, strings.Join(Known, ", "))
			return d
		}
		d.Analyzers = append(d.Analyzers, name)
	}
	d.Reason = strings.TrimSpace(reason)
	if d.Reason == "" {
		d.Problem = "//restatelint:ignore needs a reason after the analyzer list, saying why the finding is safe to ignore"
	}
	return d
}

// aloneOnLine reports whether only white space precedes pos on its line.
func aloneOnLine(tf *token.File, src []byte, pos token.Pos) bool {
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	off := tf.Offset(pos)
	if src == nil || off > len(src) {
		return false
	}
	return len(bytes.TrimLeft(src[start:off], " \t")) == 0
}

// Reports reports whether the package's restatelint.toml leaves the
// analyzer's findings on (config.Settings.Reports).
func (x *Index) Reports(analyzer string) bool { return x.settings.Reports(analyzer) }

// Suppressed reports whether a diagnostic of analyzer at pos is covered
// by a directive.
func (x *Index) Suppressed(fset *token.FileSet, analyzer string, pos token.Pos) bool {
	tf := fset.File(pos)
	if tf == nil {
		return false
	}
	for _, d := range x.byLine[tf][tf.Line(pos)] {
		if slices.Contains(d.Analyzers, analyzer) {
			return true
		}
	}
	return false
}

// Report reports d unless the package's restatelint.toml turns the rule
// off or a directive suppresses it, filling in the analyzer's name as the
// category. Each suggested fix is proven first
// (fixcheck.Check): one that would leave its file ill-typed is withheld,
// and the message says so. Where the run shows no fixes (hiddenfixes),
// they are dropped unproven.
func Report(pass *analysis.Pass, d analysis.Diagnostic) {
	x := pass.ResultOf[Analyzer].(*Index)
	if !x.settings.Reports(pass.Analyzer.Name) || x.Suppressed(pass.Fset, pass.Analyzer.Name, d.Pos) {
		return
	}
	if d.Category == "" {
		d.Category = pass.Analyzer.Name
	}
	if len(d.SuggestedFixes) > 0 && hiddenfixes.Hidden() {
		d.SuggestedFixes = nil // nobody sees them: no need to prove them
	}
	if len(d.SuggestedFixes) > 0 {
		var kept []analysis.SuggestedFix
		for _, fix := range d.SuggestedFixes {
			if err := fixcheck.Check(pass, fix); err != nil {
				d.Message += fmt.Sprintf(" (%s: it would not compile: %v)", fixcheck.Withheld, err)
				continue
			}
			kept = append(kept, fix)
		}
		d.SuggestedFixes = kept
	}
	pass.Report(d)
}
