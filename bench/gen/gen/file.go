package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"path"
	"slices"
	"strings"
)

// file accumulates the body of one Go source file and the imports the body
// uses, so that templates never have to keep import lists in sync by hand:
// an import exists exactly when some emitted code asked for its qualifier.
type file struct {
	pkg     *pkg
	name    string            // base name, e.g. "service.go"
	doc     string            // package doc comment, only on the first file
	test    bool              // a _test.go file
	imports map[string]string // import path -> local name
	body    bytes.Buffer
}

func newFile(p *pkg, name string) *file {
	return &file{pkg: p, name: name, imports: make(map[string]string)}
}

// std imports a standard library (or third-party) package and returns
// the qualifier to use for it. math/rand and math/rand/v2 both want the
// name "rand"; the second one to arrive in a file is renamed.
func (f *file) std(importPath string) string {
	if name, ok := f.imports[importPath]; ok {
		return name
	}
	name := defaultName(importPath)
	switch importPath {
	case "github.com/restatedev/sdk-go":
		name = "restate"
	case "github.com/restatedev/sdk-go/server":
		name = "server"
	}
	for _, used := range f.imports {
		if used == name {
			name = "std" + name
			break
		}
	}
	f.imports[importPath] = name
	return name
}

// use imports a package of the generated module (unless it is the file's
// own package) and returns the qualifier prefix, including the dot.
func (f *file) use(p *pkg) string {
	if p == f.pkg {
		return ""
	}
	f.imports[p.importPath()] = p.name
	return p.name + "."
}

func (f *file) restate() string { return f.std("github.com/restatedev/sdk-go") }

func (f *file) printf(format string, args ...any) {
	fmt.Fprintf(&f.body, format, args...)
}

// lines is the number of lines the body has so far.
func (f *file) lines() int { return bytes.Count(f.body.Bytes(), []byte("\n")) }

// source renders the file and formats it with gofmt's printer.
func (f *file) source() ([]byte, error) {
	var out bytes.Buffer
	if f.doc != "" {
		out.WriteString(f.doc)
	}
	fmt.Fprintf(&out, "package %s\n\n", f.pkg.fileName(f.test))
	// Imports in goimports style: standard library, third party, module.
	var groups [3][]string
	for p, name := range f.imports {
		line := fmt.Sprintf("%q", p)
		if name != defaultName(p) {
			line = name + " " + line
		}
		switch first, _, _ := strings.Cut(p, "/"); {
		case strings.HasPrefix(p, modulePath+"/"):
			groups[2] = append(groups[2], line)
		case strings.Contains(first, "."):
			groups[1] = append(groups[1], line)
		default:
			groups[0] = append(groups[0], line)
		}
	}
	if len(f.imports) > 0 {
		out.WriteString("import (\n")
		sep := false
		for _, g := range groups {
			if len(g) == 0 {
				continue
			}
			if sep {
				out.WriteString("\n")
			}
			sep = true
			slices.Sort(g)
			for _, l := range g {
				out.WriteString("\t" + l + "\n")
			}
		}
		out.WriteString(")\n\n")
	}
	out.Write(f.body.Bytes())
	src, err := format.Source(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %v\n%s", f.pkg.path, f.name, err, numbered(out.String()))
	}
	return src, nil
}

// defaultName is the name an import gets without an explicit one, for
// the paths the generator uses.
func defaultName(importPath string) string {
	name := path.Base(importPath)
	if name == "v2" {
		name = path.Base(path.Dir(importPath))
	}
	return name
}

// numbered prefixes each line with its number, for generator bug reports.
func numbered(s string) string {
	var b strings.Builder
	for i, l := range strings.Split(s, "\n") {
		fmt.Fprintf(&b, "%4d %s\n", i+1, l)
	}
	return b.String()
}
