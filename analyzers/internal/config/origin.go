package config

import (
	"bufio"
	"go/build"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Where a package comes from decides how it is analyzed: the standard
// library and versioned modules are described by the sink tables, the
// user's own code (main and workspace modules, modules replaced by a local
// directory) is analyzed from source. The import path's shape decides
// nothing: a module may be called "myapp" or "shopnexus-server".
//
// The file names the loaders record are what every driver has:
//
//   - a package loaded from source (the standalone driver's named
//     packages, go vet's unit, golangci-lint, nogo, analysistest) has the
//     real paths of its files: a standard-library file lies in
//     <GOROOT>/src/<import path>/, and <GOROOT>/src/go.mod declares
//     "module std" (or "module cmd" for the toolchain's commands);
//   - an object imported from export data carries the file name the
//     compiler recorded: the go command compiles the standard library with
//     its GOROOT rewritten to "$GOROOT", so every standard-library object
//     lies in "$GOROOT/src/..." whatever the Go version and wherever the
//     toolchain is installed (also under GOTOOLCHAIN switching);
//   - under -trimpath every package's files are named by its import path
//     (fmt/print.go, myapp/store/store.go): the toolchain's GOROOT tells
//     whether src/<import path> is one of its packages;
//   - a versioned module's files lie in the module cache, in a directory
//     named <module>@<version>, or in the main module's vendor directory;
//     a module replaced by a local directory lies anywhere else.

// IsStdObject reports whether obj, loaded into fset, belongs to the
// standard library (callers cache the answer per package). Objects
// without a position (none come from the go command's export data) fall
// back on the import path: a first element without a dot.
func IsStdObject(fset *token.FileSet, obj types.Object) bool {
	pkg := obj.Pkg()
	if pkg == nil {
		return false
	}
	if f := fset.File(obj.Pos()); obj.Pos().IsValid() && f != nil {
		return IsStdFile(fset.Position(obj.Pos()).Filename, pkg.Path())
	}
	first, _, _ := strings.Cut(pkg.Path(), "/")
	return !strings.Contains(first, ".")
}

// IsStdFile reports whether filename, a file of the package with import
// path pkgPath, is a standard-library file: recorded by the go command as
// "$GOROOT/src/...", or lying in <root>/src/<pkgPath> of a root whose
// src/go.mod declares module std or cmd (or of a relative root: a build
// system's toolchain-relative name).
func IsStdFile(filename, pkgPath string) bool {
	name := filepath.ToSlash(filename)
	if strings.HasPrefix(name, "$GOROOT/") {
		return true
	}
	suffix := "/src/" + pkgPath
	dir := filepath.ToSlash(filepath.Dir(filename))
	if dir == pkgPath && pkgPath != "" {
		// Built with -trimpath: every package's files are named by its
		// import path, the standard library's as the user's.
		return inGOROOT(pkgPath)
	}
	if pkgPath == "" || !strings.HasSuffix("/"+dir, suffix) {
		return false
	}
	if !filepath.IsAbs(filename) {
		// A toolchain-relative name another build system recorded
		// (Bazel's rules_go builds the standard library itself):
		// GOROOT/src/fmt/print.go. User code has absolute names.
		return true
	}
	return isGOROOT(filepath.FromSlash(strings.TrimSuffix(dir, suffix)))
}

var goroots sync.Map // directory -> bool

// inGOROOT reports whether the toolchain's GOROOT has the package
// directory src/<pkgPath>.
func inGOROOT(pkgPath string) bool {
	root := goroot()
	if root == "" || !isGOROOT(root) {
		return false
	}
	fi, err := os.Stat(filepath.Join(root, "src", filepath.FromSlash(pkgPath)))
	return err == nil && fi.IsDir()
}

// goroot is the go command's GOROOT: $GOROOT, the one this binary was
// built with, or what go env says.
var goroot = sync.OnceValue(func() string {
	if r := build.Default.GOROOT; r != "" {
		return r
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})

// isGOROOT reports whether root/src/go.mod declares module std or cmd.
func isGOROOT(root string) bool {
	if v, ok := goroots.Load(root); ok {
		return v.(bool)
	}
	is := false
	if f, err := os.Open(filepath.Join(root, "src", "go.mod")); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if m, ok := strings.CutPrefix(line, "module "); ok {
				m = strings.TrimSpace(m)
				is = m == "std" || m == "cmd"
				break
			}
		}
		f.Close()
	}
	goroots.Store(root, is)
	return is
}

// isStdPass reports whether the package of a pass without module
// information is from GOROOT: one of its files is.
func isStdPass(pkgPath string, files []string) bool {
	for _, name := range files {
		if IsStdFile(name, pkgPath) {
			return true
		}
	}
	return false
}

// IsLocalDir reports whether filename, a file of a module with a version,
// lies outside the module cache and the vendor directory: the module is
// replaced by a local directory (replace acme.local/notify =>
// ./libs/notify), the project's own code.
func IsLocalDir(filename, modPath string) bool {
	dir := filepath.ToSlash(filepath.Dir(filename))
	if strings.HasPrefix(dir, "$GOROOT/") || strings.Contains(dir+"/", "/vendor/"+modPath+"/") {
		return false
	}
	for _, elem := range strings.Split(dir, "/") {
		// <module cache>/<escaped module path>@<version>/...
		if i := strings.LastIndex(elem, "@v"); i > 0 && i+2 < len(elem) && '0' <= elem[i+2] && elem[i+2] <= '9' {
			return false
		}
	}
	return true
}
