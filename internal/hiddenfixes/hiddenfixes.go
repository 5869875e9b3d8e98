// Package hiddenfixes lets a command whose output shows no suggested
// fixes (the command line's text output) tell the analyzers so, for the
// duration of one run: they then drop the fixes instead of proving each
// one compiles (fixcheck), the largest cost of a fix. Every other output
// (-fix, -diff, -json, -sarif, go vet, golangci-lint, the language
// servers) leaves fixes shown.
package hiddenfixes

import "sync/atomic"

var hidden atomic.Bool

// Hide hides fixes until the returned func is called.
func Hide() (show func()) {
	hidden.Store(true)
	return func() { hidden.Store(false) }
}

// Hidden reports whether fixes are hidden.
func Hidden() bool { return hidden.Load() }
