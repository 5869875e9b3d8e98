package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// A Finding is one diagnostic of restatelint -json, its file relative to
// the repository root.
type Finding struct {
	Key
	Col     int
	Message string
}

// A Report groups the findings that share a key: one verdict entry,
// shown with the count of diagnostics behind it.
type Report struct {
	Key
	Count    int
	Messages []string // distinct, in column order
}

// jsonDiagnostic is the part of x/tools' JSON diagnostic format
// (internal/analysis/driverutil.JSONDiagnostic) the runner needs. Related
// information (the chain into reached code) is not part of the key: the
// verdict is about the reported position.
type jsonDiagnostic struct {
	Posn    string `json:"posn"`
	Message string `json:"message"`
}

// ParseFindings decodes the -json output of one restatelint run (a tree
// package ID → analyzer → diagnostics or {"error": ...}) over a module of
// repo, whose root directory is root. Findings are deduplicated (a package
// and its test variant report the same diagnostic twice); analysis errors
// are returned as strings.
func ParseFindings(data []byte, repo, root string) ([]Finding, []string, error) {
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &tree); err != nil {
		return nil, nil, fmt.Errorf("decoding restatelint -json output: %v", err)
	}
	type dedup struct {
		Key
		col int
		msg string
	}
	seen := make(map[dedup]bool)
	var findings []Finding
	var errs []string
	for pkg, analyzers := range tree {
		for analyzer, raw := range analyzers {
			var diags []jsonDiagnostic
			if err := json.Unmarshal(raw, &diags); err != nil {
				var e struct {
					Error string `json:"error"`
				}
				if json.Unmarshal(raw, &e) == nil && e.Error != "" {
					errs = append(errs, fmt.Sprintf("%s: %s: %s", pkg, analyzer, e.Error))
					continue
				}
				return nil, nil, fmt.Errorf("%s: %s: unexpected JSON %.80s", pkg, analyzer, raw)
			}
			for _, d := range diags {
				file, line, col, err := splitPosn(d.Posn)
				if err != nil {
					return nil, nil, fmt.Errorf("%s: %s: %v", pkg, analyzer, err)
				}
				if rel, err := filepath.Rel(root, file); err == nil && filepath.IsAbs(file) {
					file = rel
				}
				f := Finding{Key: Key{Repo: repo, File: filepath.ToSlash(file), Line: line, Analyzer: analyzer}, Col: col, Message: d.Message}
				k := dedup{f.Key, col, d.Message}
				if seen[k] {
					continue
				}
				seen[k] = true
				findings = append(findings, f)
			}
		}
	}
	sort.Slice(findings, func(i, j int) bool {
		a, b := findings[i], findings[j]
		if a.Key != b.Key {
			return a.Key.less(b.Key)
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Message < b.Message
	})
	sort.Strings(errs)
	return findings, errs, nil
}

// splitPosn splits "file:line:col" (the file may itself contain colons).
func splitPosn(posn string) (file string, line, col int, err error) {
	i := strings.LastIndexByte(posn, ':')
	if i < 0 {
		return "", 0, 0, fmt.Errorf("position %q is not file:line:col", posn)
	}
	j := strings.LastIndexByte(posn[:i], ':')
	if j < 0 {
		return "", 0, 0, fmt.Errorf("position %q is not file:line:col", posn)
	}
	line, err1 := strconv.Atoi(posn[j+1 : i])
	col, err2 := strconv.Atoi(posn[i+1:])
	if err1 != nil || err2 != nil || line <= 0 {
		return "", 0, 0, fmt.Errorf("position %q is not file:line:col", posn)
	}
	return posn[:j], line, col, nil
}

// GroupFindings merges sorted findings by key.
func GroupFindings(findings []Finding) []Report {
	var reports []Report
	for _, f := range findings {
		if n := len(reports); n > 0 && reports[n-1].Key == f.Key {
			r := &reports[n-1]
			r.Count++
			if !contains(r.Messages, f.Message) {
				r.Messages = append(r.Messages, f.Message)
			}
			continue
		}
		reports = append(reports, Report{Key: f.Key, Count: 1, Messages: []string{f.Message}})
	}
	return reports
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
