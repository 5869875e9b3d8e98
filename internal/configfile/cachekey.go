package configfile

import (
	"fmt"
	"os"

	"sync"

	"golang.org/x/tools/go/analysis"
)

// CacheKey returns an analyzer that does nothing but carry, in its name, a
// digest of the restatelint.toml found from the working directory (the
// run's file, whose reach.scope decides which dependencies are analyzed
// from source); nil when there is none. gopls and golangci-lint key their
// caches of analysis results by the analyzers' names and the packages'
// files, never by other files, so without it they would serve results of
// an older restatelint.toml. It declares a fact type so that gopls runs it
// (and keys it) on dependencies too. Drivers that run in one process for
// one project call it once (the analyzer is the same for every caller).
var CacheKey = sync.OnceValue(func() *analysis.Analyzer {
	wd, err := os.Getwd()
	if err != nil {
		return nil
	}
	h := Hash(wd)
	if h == nil {
		return nil
	}
	return &analysis.Analyzer{
		Name:      fmt.Sprintf("restatelintconfig_%x", h[:8]),
		Doc:       "restatelint.toml digest for gopls's cache keys (reports nothing)",
		Run:       func(*analysis.Pass) (any, error) { return nil, nil },
		FactTypes: []analysis.Fact{(*configFact)(nil)},
	}
})

type configFact struct{}

func (*configFact) AFact() {}
