package driver

// SARIF 2.1.0 output (-sarif), for GitHub code scanning and other SARIF
// consumers.
//
// Positions. go/analysis positions are byte offsets; SARIF columns count
// characters, by default UTF-16 code units. Every region carries both:
// startLine/startColumn/endLine/endColumn in UTF-16 code units (the run's
// columnKind says so explicitly; it is what GitHub reads) and
// byteOffset/byteLength, the exact bytes the analyzer reported. On an
// ASCII line the column is the byte column of the text output.
//
// URIs are relative to the working directory (the uriBaseId %SRCROOT%,
// given in originalUriBaseIds), as the text output prints them, so a run
// from the repository root gives repository-relative paths; a file outside
// the working directory gets an absolute file: URI.
//
// Fixes are every SuggestedFix of a diagnostic, as the analyzer's raw edits
// (artifactChanges with replacements of byte regions). restatelint -fix
// applies the first fix of each diagnostic and then removes imports left
// unused and gofmts the file; a SARIF consumer gets the edits alone.

import (
	"cmp"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
)

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	sarifSrcRoot = "%SRCROOT%"
	toolURI      = "https://github.com/restatelint/restatelint"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
	ColumnKind         string                      `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfg `json:"defaultConfiguration"`
}

type sarifRuleConfg struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifRegion struct {
	StartLine   int  `json:"startLine"`
	StartColumn int  `json:"startColumn"`
	EndLine     int  `json:"endLine"`
	EndColumn   int  `json:"endColumn"`
	ByteOffset  int  `json:"byteOffset"`
	ByteLength  *int `json:"byteLength,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent *sarifText  `json:"insertedContent,omitempty"`
}

// writeSARIF writes the root diagnostics of graph as one SARIF run with a
// rule per analyzer of the run. ok says whether the run had no errors.
func writeSARIF(w io.Writer, graph *checker.Graph, analyzers []*analysis.Analyzer, ok bool) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	s := &sarifWriter{wd: wd, files: make(map[string][]byte)}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "restatelint",
			Version:        toolVersion(),
			InformationURI: toolURI,
		}},
		Invocations:        []sarifInvocation{{ExecutionSuccessful: ok}},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{sarifSrcRoot: {URI: dirURI(wd)}},
		ColumnKind:         "utf16CodeUnits",
		Results:            []sarifResult{},
	}
	ruleIndex := make(map[string]int)
	for _, a := range analyzers {
		ruleIndex[a.Name] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(a))
	}

	type item struct {
		file          string
		start, end    int // byte offsets
		analyzer, msg string
		result        sarifResult
	}
	var items []item
	type key struct {
		file              string
		start, end        int
		analyzer, message string
	}
	seen := make(map[key]bool)
	for _, act := range graph.Roots {
		if act.Err != nil {
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			tf := fset.File(d.Pos)
			if tf == nil {
				continue
			}
			start := tf.Offset(d.Pos)
			end := start
			if d.End.IsValid() && fset.File(d.End) == tf {
				end = tf.Offset(d.End)
			}
			k := key{tf.Name(), start, end, act.Analyzer.Name, d.Message}
			if seen[k] { // test variants of a package repeat diagnostics
				continue
			}
			seen[k] = true
			idx, known := ruleIndex[act.Analyzer.Name]
			if !known { // an analyzer not listed (cannot happen: roots are the analyzers run)
				idx = len(run.Tool.Driver.Rules)
				ruleIndex[act.Analyzer.Name] = idx
				run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(act.Analyzer))
			}
			region, err := s.region(tf.Name(), start, end)
			if err != nil {
				return err
			}
			res := sarifResult{
				RuleID:    act.Analyzer.Name,
				RuleIndex: idx,
				Message:   sarifText{Text: d.Message},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
					ArtifactLocation: s.artifact(tf.Name()),
					Region:           region,
				}}},
			}
			for _, rel := range d.Related { // e.g. "declared here" for a reached function
				rf := fset.File(rel.Pos)
				if rf == nil {
					continue
				}
				rs := rf.Offset(rel.Pos)
				re := rs
				if rel.End.IsValid() && fset.File(rel.End) == rf {
					re = rf.Offset(rel.End)
				}
				region, err := s.region(rf.Name(), rs, re)
				if err != nil {
					return err
				}
				id := len(res.RelatedLocations)
				res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
					ID:               &id,
					PhysicalLocation: sarifPhysical{ArtifactLocation: s.artifact(rf.Name()), Region: region},
					Message:          &sarifText{Text: strings.TrimSpace(rel.Message)},
				})
			}
			for _, sf := range d.SuggestedFixes {
				fix, err := s.fix(fset, sf)
				if err != nil {
					return err
				}
				res.Fixes = append(res.Fixes, fix)
			}
			items = append(items, item{file: tf.Name(), start: start, end: end, analyzer: act.Analyzer.Name, msg: d.Message, result: res})
		}
	}
	// The text output's order: file, position, analyzer, message.
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.start, b.start),
			cmp.Compare(a.analyzer, b.analyzer), cmp.Compare(a.msg, b.msg), cmp.Compare(a.end, b.end))
	})
	for _, it := range items {
		run.Results = append(run.Results, it.result)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

func sarifRuleOf(a *analysis.Analyzer) sarifRule {
	short, _, _ := strings.Cut(strings.TrimSpace(a.Doc), "\n\n")
	short = strings.Join(strings.Fields(short), " ")
	r := sarifRule{
		ID:                   a.Name,
		Name:                 a.Name,
		ShortDescription:     sarifText{Text: short},
		FullDescription:      sarifText{Text: strings.TrimSpace(a.Doc)},
		HelpURI:              a.URL,
		DefaultConfiguration: sarifRuleConfg{Level: "error"},
	}
	return r
}

// toolVersion is the module version restatelint was built at, or "" for a
// development build.
func toolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

type sarifWriter struct {
	wd    string
	files map[string][]byte // contents, by file name
}

// artifact returns the location of a file: relative to the working
// directory under %SRCROOT%, or an absolute file URI.
func (s *sarifWriter) artifact(name string) sarifArtifactLoc {
	if rel, err := filepath.Rel(s.wd, name); err == nil && filepath.IsLocal(rel) {
		u := url.URL{Path: filepath.ToSlash(rel)}
		return sarifArtifactLoc{URI: u.EscapedPath(), URIBaseID: sarifSrcRoot}
	}
	return sarifArtifactLoc{URI: fileURI(name)}
}

func dirURI(dir string) string {
	u := fileURI(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

func fileURI(name string) string {
	p := filepath.ToSlash(name)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows volume: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

func (s *sarifWriter) content(name string) ([]byte, error) {
	if data, ok := s.files[name]; ok {
		return data, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	s.files[name] = data
	return data, nil
}

// region describes the bytes [start, end) of file name.
func (s *sarifWriter) region(name string, start, end int) (sarifRegion, error) {
	data, err := s.content(name)
	if err != nil {
		return sarifRegion{}, err
	}
	start = min(max(start, 0), len(data))
	end = min(max(end, start), len(data))
	n := end - start
	r := sarifRegion{ByteOffset: start, ByteLength: &n}
	r.StartLine, r.StartColumn = utf16Position(data, start)
	r.EndLine, r.EndColumn = utf16Position(data, end)
	return r, nil
}

// utf16Position returns the 1-based line and 1-based column in UTF-16 code
// units of byte offset off in data.
func utf16Position(data []byte, off int) (line, col int) {
	lineStart := 0
	line = 1
	for i, b := range data[:off] {
		if b == '\n' {
			line++
			lineStart = i + 1
		}
	}
	col = 1
	for prefix := data[lineStart:off]; len(prefix) > 0; {
		r, size := utf8.DecodeRune(prefix)
		if n := utf16.RuneLen(r); n > 0 {
			col += n
		} else {
			col++ // an invalid byte, decoded as U+FFFD: one unit
		}
		prefix = prefix[size:]
	}
	return line, col
}

// fix converts a SuggestedFix to a SARIF fix: its edits grouped by file,
// files and edits in order.
func (s *sarifWriter) fix(fset *token.FileSet, sf analysis.SuggestedFix) (sarifFix, error) {
	byFile := make(map[string][]sarifReplacement)
	for _, te := range sf.TextEdits {
		tf := fset.File(te.Pos)
		if tf == nil {
			return sarifFix{}, fmt.Errorf("fix %q: edit position has no file", sf.Message)
		}
		start := tf.Offset(te.Pos)
		end := start
		if te.End.IsValid() {
			end = tf.Offset(te.End)
		}
		region, err := s.region(tf.Name(), start, end)
		if err != nil {
			return sarifFix{}, err
		}
		rep := sarifReplacement{DeletedRegion: region}
		if len(te.NewText) > 0 {
			rep.InsertedContent = &sarifText{Text: string(te.NewText)}
		}
		byFile[tf.Name()] = append(byFile[tf.Name()], rep)
	}
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	slices.Sort(files)
	fix := sarifFix{Description: sarifText{Text: sf.Message}}
	for _, f := range files {
		reps := byFile[f]
		slices.SortStableFunc(reps, func(a, b sarifReplacement) int {
			return cmp.Or(cmp.Compare(a.DeletedRegion.ByteOffset, b.DeletedRegion.ByteOffset),
				cmp.Compare(*a.DeletedRegion.ByteLength, *b.DeletedRegion.ByteLength))
		})
		fix.ArtifactChanges = append(fix.ArtifactChanges, sarifArtifactChange{
			ArtifactLocation: s.artifact(f),
			Replacements:     reps,
		})
	}
	return fix, nil
}
