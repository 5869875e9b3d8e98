// Package ignoredirective reports malformed //restatelint:ignore
// directives, so that a suppression never silently fails to apply.
//
// The directive is
//
//	//restatelint:ignore <analyzer>[,<analyzer>] <reason>
//
// at the end of the offending line, or alone on the line above it. It is
// reported when it has a space after //, names no analyzer or an unknown
// one, or gives no reason; and any other //restatelint: verb is reported
// as unknown.
package ignoredirective

import (
	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/suppress"
)

// Analyzer reports malformed suppression directives.
var Analyzer = &analysis.Analyzer{
	Name:             "ignoredirective",
	Doc:              "report malformed //restatelint:ignore directives\n\nA directive needs the analyzers it silences and a reason: //restatelint:ignore walltime,randomness <reason>.",
	URL:              "https://github.com/restatelint/restatelint/blob/main/docs/rules/ignoredirective.md",
	Requires:         []*analysis.Analyzer{suppress.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

func run(pass *analysis.Pass) (any, error) {
	if stop, err := suppress.Stop(pass); stop {
		return nil, err // restatelint.toml is invalid for this package
	}
	x := pass.ResultOf[suppress.Analyzer].(*suppress.Index)
	if !x.Reports(pass.Analyzer.Name) {
		return nil, nil
	}
	for _, d := range x.All {
		if d.Problem != "" {
			pass.Report(analysis.Diagnostic{Pos: d.Pos, End: d.End, Category: "ignoredirective", Message: d.Problem})
		}
	}
	return nil, nil
}
