// Package fuzz holds FuzzAnalyzers, the fuzz target that feeds mutated
// Restate handler sources through zones and every analyzer (rules.md
// "Everywhere": broken or partial code never makes an analyzer panic).
//
// Each input is one Go file, parsed with errors allowed (as an editor's
// half-typed buffer is) and type-checked against the real SDK v1.2.0 and
// the libraries fixtures use, whose export data is loaded once per
// process. The seed corpus is testdata/fuzz/FuzzAnalyzers (realistic
// handlers, broken ones too) plus every v1.2.0 fixture file of the
// analyzers and the demo's files; go test runs the seeds. To fuzz:
//
//	go test -run '^$' -fuzz FuzzAnalyzers -fuzztime 10m ./analyzers/internal/fuzz
//
// With -fixcheck, inputs that parse and type-check cleanly must also
// stay so after every suggested fix is applied (as restatelint -fix does).
package fuzz
