package driver

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/tools/go/packages"
)

// unmatchedPatterns returns the patterns with a "..." wildcard that match
// none of the loaded packages. Those are the patterns the go command only
// warns about ("matched no packages") and go/packages drops silently; a
// pattern without a wildcard that names nothing comes back as a package
// with an error instead. The go command's special patterns (all, std,
// cmd, tool, work) are not checked.
func unmatchedPatterns(dir string, patterns []string, pkgs []*packages.Package) []string {
	var unmatched []string
	for _, pattern := range patterns {
		if !strings.Contains(pattern, "...") {
			continue
		}
		match := patternMatcher(dir, pattern)
		found := false
		for _, p := range pkgs {
			if match(p) {
				found = true
				break
			}
		}
		if !found {
			unmatched = append(unmatched, pattern)
		}
	}
	return unmatched
}

// patternMatcher returns whether a package matches a wildcard pattern: an
// import path pattern against the package path, a file system pattern
// (./x/..., ../x/..., /abs/...) against the package directory.
func patternMatcher(dir, pattern string) func(*packages.Package) bool {
	if !isLocalPattern(pattern) {
		re := wildcardRegexp(pattern)
		return func(p *packages.Package) bool { return re.MatchString(p.PkgPath) }
	}
	if !filepath.IsAbs(pattern) {
		base := dir
		if base == "" || !filepath.IsAbs(base) {
			wd, _ := os.Getwd()
			base = filepath.Join(wd, base)
		}
		pattern = filepath.Join(base, pattern) // Join drops a trailing "/" only
	}
	re := wildcardRegexp(filepath.ToSlash(filepath.Clean(pattern)))
	var reResolved *regexp.Regexp
	if prefix, _, _ := strings.Cut(pattern, "..."); prefix != "" {
		// The directory may be reached through a symbolic link.
		if resolved, err := filepath.EvalSymlinks(filepath.Dir(prefix + "x")); err == nil {
			rest := strings.TrimPrefix(pattern, filepath.Dir(prefix+"x"))
			reResolved = wildcardRegexp(filepath.ToSlash(resolved + rest))
		}
	}
	return func(p *packages.Package) bool {
		d := filepath.ToSlash(p.Dir)
		return d != "" && (re.MatchString(d) || reResolved != nil && reResolved.MatchString(d))
	}
}

// isLocalPattern reports whether pattern names directories, as the go
// command decides it.
func isLocalPattern(pattern string) bool {
	return pattern == "." || pattern == ".." || strings.HasPrefix(pattern, "./") ||
		strings.HasPrefix(pattern, "../") || filepath.IsAbs(pattern)
}

// wildcardRegexp translates a go command pattern: "..." matches any
// string, and a trailing "/..." also matches the empty string (x/...
// matches x).
func wildcardRegexp(pattern string) *regexp.Regexp {
	re := regexp.QuoteMeta(pattern)
	re = strings.ReplaceAll(re, `\.\.\.`, `.*`)
	if strings.HasSuffix(re, `/.*`) {
		re = strings.TrimSuffix(re, `/.*`) + `(/.*)?`
	}
	return regexp.MustCompile("^" + re + "$")
}
