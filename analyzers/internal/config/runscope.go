package config

import (
	"slices"
	"strings"

	"github.com/restatelint/restatelint/internal/configfile"
)

// RunScope is reach.scope for the dependencies of one run: the driver's
// value if it set one, otherwise that of the files of the run
// (configfile.Run: the files of the packages the run reports on, or the
// file found from the working directory).
func RunScope() (PathList, error) {
	if isExplicit("reach.scope") {
		return Scope, nil
	}
	files, err := configfile.Run()
	if err != nil {
		return nil, err
	}
	var out PathList
	for _, f := range files {
		s, err := FromFile(f)
		if err != nil {
			return nil, err
		}
		for _, p := range s.Scope {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		return Scope, nil
	}
	return out, nil
}

// CheckScope returns an error when s's file lists a module in reach.scope
// that one of imported, the packages pass's package imports, belongs to
// but the driver did not analyze from source (seen reports whether it
// did): a driver that cannot pass the file to dependencies (go vet runs
// each dependency in the module cache, where no file applies) would
// otherwise ignore it silently.
func CheckScope(s *Settings, imported []string, seen func(path string) bool) error {
	if s.File == nil || len(s.Scope) == 0 || isExplicit("reach.scope") {
		return nil
	}
	e, _ := s.File.Lookup("reach.scope")
	for _, path := range imported {
		if s.Scope.Matches(path) && !seen(path) {
			return s.File.Errorf(e.Line, "reach.scope lists %s, but this driver did not analyze %s from source: go vet runs dependencies where %s does not apply; give the scope as a flag (-reach.scope=%s)", matchOf(s.Scope, path), path, configfile.Name, s.Scope.String())
		}
	}
	return nil
}

func matchOf(l PathList, path string) string {
	for _, p := range l {
		if path == p || strings.HasPrefix(path, p+"/") {
			return p
		}
	}
	return path
}
