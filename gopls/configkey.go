package gopls

import (
	"fmt"
	"os"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/internal/configfile"
)

// configKey returns an analyzer that does nothing but carry, in its name,
// a digest of the restatelint.toml found from gopls's working directory
// (the run's file, whose reach.scope decides which dependencies are
// analyzed from source); nil when there is none. gopls keys its analysis
// cache by the analyzers' names and the packages' files, never by other
// files, so without it a restarted gopls would serve every package's
// results of an older restatelint.toml from its file cache. It declares a
// fact type so that gopls runs it (and keys it) on dependencies too.
func configKey() *analysis.Analyzer {
	wd, err := os.Getwd()
	if err != nil {
		return nil
	}
	h := configfile.Hash(wd)
	if h == nil {
		return nil
	}
	return &analysis.Analyzer{
		Name:      fmt.Sprintf("restatelintconfig_%x", h[:8]),
		Doc:       "restatelint.toml digest for gopls's cache keys (reports nothing)",
		Run:       func(*analysis.Pass) (any, error) { return nil, nil },
		FactTypes: []analysis.Fact{(*configFact)(nil)},
	}
}

type configFact struct{}

func (*configFact) AFact() {}
