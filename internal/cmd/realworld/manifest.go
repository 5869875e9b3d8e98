package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"
)

// A Manifest names the corpus: which repositories, at which commit, and
// which of their modules are analyzed with which package patterns.
type Manifest struct {
	Repositories []Repository `json:"repositories"`
}

// A Repository is one public repository of the corpus.
type Repository struct {
	Repo    string   `json:"repo"`   // owner/name, as on GitHub
	Commit  string   `json:"commit"` // 40 hex digits
	Modules []Module `json:"modules"`
	Note    string   `json:"note,omitempty"`
}

// A Module is a directory holding a go.mod, relative to the repository root.
type Module struct {
	Dir      string   `json:"dir"`                // "." for the root
	Patterns []string `json:"patterns,omitempty"` // default ./...
	// Skip, when set, says why the module is not analyzed (it does not
	// load); the module is listed so that the reason stays documented.
	Skip string `json:"skip,omitempty"`
}

var (
	repoName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	hexSHA   = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// ReadManifest reads and validates the manifest file.
func ReadManifest(file string) (*Manifest, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m, err := ParseManifest(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return m, nil
}

// ParseManifest decodes a manifest, rejecting unknown fields, and checks
// that every entry is usable.
func ParseManifest(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if len(m.Repositories) == 0 {
		return nil, fmt.Errorf("no repositories")
	}
	seen := make(map[string]bool)
	for i := range m.Repositories {
		r := &m.Repositories[i]
		if !repoName.MatchString(r.Repo) {
			return nil, fmt.Errorf("repository %d: repo %q is not owner/name", i+1, r.Repo)
		}
		if seen[r.Repo] {
			return nil, fmt.Errorf("repository %s listed twice", r.Repo)
		}
		seen[r.Repo] = true
		if !hexSHA.MatchString(r.Commit) {
			return nil, fmt.Errorf("%s: commit %q is not 40 lower-case hex digits", r.Repo, r.Commit)
		}
		if len(r.Modules) == 0 {
			return nil, fmt.Errorf("%s: no modules", r.Repo)
		}
		dirs := make(map[string]bool)
		for j := range r.Modules {
			mod := &r.Modules[j]
			clean := path.Clean(mod.Dir)
			if mod.Dir == "" || clean != mod.Dir || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
				return nil, fmt.Errorf("%s: module dir %q must be a clean relative path inside the repository", r.Repo, mod.Dir)
			}
			if dirs[clean] {
				return nil, fmt.Errorf("%s: module %s listed twice", r.Repo, clean)
			}
			dirs[clean] = true
			if len(mod.Patterns) == 0 {
				mod.Patterns = []string{"./..."}
			}
			for _, p := range mod.Patterns {
				if p == "" || strings.HasPrefix(p, "-") {
					return nil, fmt.Errorf("%s: module %s: bad package pattern %q", r.Repo, clean, p)
				}
			}
		}
	}
	return &m, nil
}

// Find returns the repository named repo, or nil.
func (m *Manifest) Find(repo string) *Repository {
	for i := range m.Repositories {
		if m.Repositories[i].Repo == repo {
			return &m.Repositories[i]
		}
	}
	return nil
}

// DirName is the repository's directory name under the mirror and work
// directories: owner+name.
func (r *Repository) DirName() string { return strings.Replace(r.Repo, "/", "+", 1) }

// ModuleOf returns the module (not skipped or skipped) whose directory
// holds file (relative to the repository root): the longest matching dir.
func (r *Repository) ModuleOf(file string) *Module {
	var best *Module
	for i := range r.Modules {
		m := &r.Modules[i]
		if m.Dir == "." || file == m.Dir || strings.HasPrefix(file, m.Dir+"/") {
			if best == nil || best.Dir == "." || len(m.Dir) > len(best.Dir) && m.Dir != "." {
				best = m
			}
		}
	}
	return best
}
