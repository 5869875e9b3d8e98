package sinks

import (
	"slices"
	"strings"
	"sync"
)

// PackageRules returns the rules of the rows keyed to the package path
// (exact rows, and prefix rows "PATH/..." covering it), sorted: the
// effects the tables know the package's functions and methods to have.
// Structural rows (Param, Sig) and constructs belong to no package.
func PackageRules(path string) []string {
	idx := pkgRules()
	rules := slices.Clone(idx.exact[path])
	for prefix, rs := range idx.prefix {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			for _, r := range rs {
				if !slices.Contains(rules, r) {
					rules = append(rules, r)
				}
			}
		}
	}
	slices.Sort(rules)
	return rules
}

type pkgRuleIndex struct{ exact, prefix map[string][]string }

var pkgRules = sync.OnceValue(func() pkgRuleIndex {
	idx := pkgRuleIndex{exact: make(map[string][]string), prefix: make(map[string][]string)}
	for _, s := range Table {
		if s.Construct != 0 || s.Param != "" || s.Sig != "" || s.Pkg == "" {
			continue
		}
		m, path := idx.exact, s.Pkg
		if p, ok := strings.CutSuffix(s.Pkg, "/..."); ok {
			m, path = idx.prefix, p
		}
		if !slices.Contains(m[path], s.Rule) {
			m[path] = append(m[path], s.Rule)
		}
	}
	return idx
})
