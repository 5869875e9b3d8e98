// Package runner runs analyzers one package at a time: every analysis of
// a package together, once the packages it imports have exported their
// facts, with the facts of all packages in one store that each package
// reads from instead of copying.
//
// It is what the standalone command and the language server both run.
// checker.Analyze, which the command used before, schedules each
// (analyzer, package) action on its own as soon as its prerequisites are
// done: every package's inspector is built at the start and kept until
// the package's last rule has run, a dependent copies all of its imports'
// facts, and a package's syntax is walked by one analyzer at a time over
// the whole run. Here a package's results (the inspector among them) live
// only while its analyses run, and a dependent looks a fact up in the
// store where its owner put it.
//
// The semantics are the checker's: the same passes (ResultOf, ReadFile's
// access policy, facts), an analysis skipped on a package with type errors
// unless it runs despite them, failed prerequisites failing what needs
// them, also across packages for facts. Two differences: a panic in an
// analyzer is that analysis's error, not the end of the run, and a
// dependent sees the facts of every package it imports transitively (the
// checker forwards a function's facts only to direct importers; they are
// the only ones that can name it).
package runner

import "golang.org/x/tools/go/analysis"

// A Plan is the order in which analyzers run on a package.
type Plan struct {
	// Source are the enabled analyzers and their prerequisites,
	// prerequisites first: what runs on a package analyzed in full.
	Source []*analysis.Analyzer
	// Deps are the analyzers of Source that produce facts, with their
	// prerequisites: what runs on a package analyzed only because
	// others import it.
	Deps []*analysis.Analyzer

	enabled map[*analysis.Analyzer]bool
	rest    []*analysis.Analyzer // Source without Deps, in Source's order
}

// NewPlan orders the analyzers as checker.Analyze would run them: every
// enabled analyzer with its prerequisites on the packages analyzed in
// full; on the packages below them only the analyzers that produce facts
// (and what they require).
func NewPlan(enabled []*analysis.Analyzer) *Plan {
	p := &Plan{enabled: make(map[*analysis.Analyzer]bool)}
	for _, a := range enabled {
		p.enabled[a] = true
	}
	p.Source = withPrerequisites(enabled)
	var producers []*analysis.Analyzer
	for _, a := range p.Source {
		if len(a.FactTypes) > 0 {
			producers = append(producers, a)
		}
	}
	need := make(map[*analysis.Analyzer]bool)
	for _, a := range withPrerequisites(producers) {
		need[a] = true
	}
	for _, a := range p.Source {
		if need[a] {
			p.Deps = append(p.Deps, a)
		} else {
			p.rest = append(p.rest, a)
		}
	}
	return p
}

// withPrerequisites returns roots and everything they require,
// transitively, each after its prerequisites.
func withPrerequisites(roots []*analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, r := range a.Requires {
			visit(r)
		}
		out = append(out, a)
	}
	for _, a := range roots {
		visit(a)
	}
	return out
}

// Enabled reports whether a is one of the analyzers the plan was made
// for (not only a prerequisite of one).
func (p *Plan) Enabled(a *analysis.Analyzer) bool { return p.enabled[a] }

// order returns the analyzers to run on a package analyzed in full (or
// only for its facts), fact producers first: once they have run, the
// package's facts are complete and its importers may start while the
// rest of its analyses run.
func (p *Plan) order(full bool) (facts, rest []*analysis.Analyzer) {
	if !full {
		return p.Deps, nil
	}
	return p.Deps, p.rest
}
