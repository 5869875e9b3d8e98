package golangci

// ResetSharedOptions forgets which linter set which option.
func ResetSharedOptions() { shared.reset() }
