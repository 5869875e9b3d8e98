package lsp

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/restatelint/restatelint/internal/fixapply"
	"github.com/restatelint/restatelint/internal/linediff"
	"github.com/restatelint/restatelint/internal/lsp/protocol"
)

// codeActions returns the quick fixes for the findings that the range
// touches: each SuggestedFix, then "ignore with //restatelint:ignore".
func (s *server) codeActions(p *protocol.CodeActionParams) []protocol.CodeAction {
	actions := []protocol.CodeAction{}
	if len(p.Context.Only) > 0 && !slices.ContainsFunc(p.Context.Only, func(k string) bool {
		return k == protocol.CodeActionKindQuickFix || strings.HasPrefix(protocol.CodeActionKindQuickFix, k+".")
	}) {
		return actions
	}
	path := protocol.URIToPath(p.TextDocument.URI)
	s.mu.Lock()
	pub, doc := s.published[path], s.docs[path]
	var docs map[string]*document
	if pub != nil {
		docs = make(map[string]*document, len(s.docs))
		for k, d := range s.docs {
			docs[k] = &document{uri: d.uri, version: d.version, text: d.text}
		}
	}
	s.mu.Unlock()
	if pub == nil || doc == nil || doc.version != pub.version || pub.content == nil {
		return actions // not analyzed yet, or edited since: the positions would be wrong
	}
	m := protocol.NewMapper(pub.content)
	rs, re := m.Offset(p.Range.Start), m.Offset(p.Range.End)
	for _, f := range pub.findings {
		if f.start > re || rs > f.end {
			continue
		}
		for i, fix := range f.fixes {
			edit, err := fixEdit(pub, f, fix, docs)
			if err != nil {
				s.logf(protocol.MessageWarning, "fix %q: %v", fix.message, err)
				continue
			}
			actions = append(actions, protocol.CodeAction{
				Title:       fix.message,
				Kind:        protocol.CodeActionKindQuickFix,
				Diagnostics: []protocol.Diagnostic{f.lsp},
				IsPreferred: i == 0,
				Edit:        edit,
			})
		}
		if f.analyzer != "ignoredirective" {
			actions = append(actions, protocol.CodeAction{
				Title:       fmt.Sprintf("Ignore %s here with //restatelint:ignore", f.analyzer),
				Kind:        protocol.CodeActionKindQuickFix,
				Diagnostics: []protocol.Diagnostic{f.lsp},
				Edit: &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{
					pub.uri: {ignoreEdit(pub.content, m, f.start, f.analyzer)},
				}},
			})
		}
	}
	return actions
}

// fixEdit turns a fix into a WorkspaceEdit. The fixed file is computed as
// restatelint -fix computes it (fixapply: the edits, imports the fix left
// unused removed, gofmt), and the edit is the line diff from the current
// text to it, so that the editor ends up with exactly the CLI's result.
func fixEdit(pub *published, f *finding, fix resolvedFix, docs map[string]*document) (*protocol.WorkspaceEdit, error) {
	byFile := make(map[string][]fixapply.Edit)
	for _, e := range fix.edits {
		byFile[e.File] = append(byFile[e.File], e)
	}
	edit := &protocol.WorkspaceEdit{Changes: make(map[protocol.DocumentURI][]protocol.TextEdit)}
	for name, edits := range byFile {
		var src []byte
		uri := protocol.PathToURI(name)
		if protocol.PathToURI(name) == pub.uri || protocol.URIToPath(pub.uri) == name {
			src, uri = pub.content, pub.uri
		} else if d := docs[name]; d != nil {
			src, uri = d.text, d.uri
		} else {
			data, err := readDisk(name)
			if err != nil {
				return nil, err
			}
			src = data
		}
		slices.SortFunc(edits, func(a, b fixapply.Edit) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
		})
		for i, e := range edits {
			if e.End > len(src) || i > 0 && e.Start < edits[i-1].End {
				return nil, fmt.Errorf("%s: edits out of range or overlapping", name)
			}
		}
		m := protocol.NewMapper(src)
		fixed, err := fixapply.ApplyFile(src, edits, func(path string) string { return f.importName[path] })
		if err != nil {
			// The file does not parse once fixed (it may not parse now):
			// offer the analyzer's edits as they are.
			var tes []protocol.TextEdit
			for _, e := range edits {
				tes = append(tes, protocol.TextEdit{Range: m.RangeOf(e.Start, e.End), NewText: e.New})
			}
			edit.Changes[uri] = tes
			continue
		}
		edit.Changes[uri] = diffEdits(src, fixed, m)
	}
	return edit, nil
}

// ignoreEdit adds analyzer to the directive alone on the line above the
// finding, or inserts one there with the line's indentation.
func ignoreEdit(content []byte, m *protocol.Mapper, offset int, analyzer string) protocol.TextEdit {
	e := fixapply.IgnoreEdit(content, offset, analyzer)
	return protocol.TextEdit{Range: m.RangeOf(e.Start, e.End), NewText: e.New}
}

// diffEdits returns line-granular edits that turn a into b (m maps a).
func diffEdits(a, b []byte, m *protocol.Mapper) []protocol.TextEdit {
	var edits []protocol.TextEdit
	for _, e := range linediff.Edits(string(a), string(b)) {
		edits = append(edits, protocol.TextEdit{Range: m.RangeOf(e.Start, e.End), NewText: e.New})
	}
	return edits
}
