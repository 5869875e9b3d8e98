package fixes

import (
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/zones"
)

// Target is what every fix that rewrites code in a handler zone into an
// SDK call starts from: the file, the handler context usable at the
// position, and how the file names the SDK (with the edit adding the
// import when the file lacks it).
type Target struct {
	File        *File
	Ctx         string              // the handler context's name at the position
	Name        string              // the file's name for the SDK: "restate", an alias, "" for a dot import
	Q           string              // "restate." (or the file's name for the SDK, or "" for a dot import)
	ImportEdits []analysis.TextEdit // adds the SDK import, if needed
}

// TargetAt returns the Target of pos inside f, or ok == false where no
// handler context can be used (run zones, blank or shadowed context) or
// the file cannot be edited.
func TargetAt(pass *analysis.Pass, f *zones.Func, pos token.Pos) (*Target, bool) {
	file := FileOf(pass, pos)
	if file == nil {
		return nil, false
	}
	ctx, ok := CtxAt(file, f, pos)
	if !ok {
		return nil, false
	}
	name, edits, ok := file.EnsureImport(sdk.Path, "restate", pos)
	if !ok {
		return nil, false
	}
	return &Target{File: file, Ctx: ctx, Name: name, Q: Qualify(name), ImportEdits: edits}, true
}
