package gen

import "fmt"

// builder spreads a package's declarations over files of realistic size.
type builder struct {
	p       *pkg
	files   []*file
	cur     *file
	names   []string // names for the filler files that file opens, in order
	maxFile int      // lines per file before starting a new one
}

func newBuilder(p *pkg, names ...string) *builder {
	return &builder{p: p, names: names, maxFile: 140 + p.rng.IntN(140)}
}

// open starts a new file called name and makes it current.
func (b *builder) open(name string) *file {
	f := newFile(b.p, name)
	if len(b.files) == 0 {
		f.doc = packageDoc(b.p)
	}
	b.files = append(b.files, f)
	b.cur = f
	return f
}

// file returns the current file, or a fresh one when it is full.
func (b *builder) file() *file {
	if b.cur != nil && b.cur.lines() < b.maxFile {
		return b.cur
	}
	name := fmt.Sprintf("%s_%d.go", b.p.name, len(b.files))
	if len(b.names) > 0 {
		name, b.names = b.names[0], b.names[1:]
	}
	return b.open(name)
}

// lines is the size of the package so far; each file's package clause
// and imports come to about ten lines.
func (b *builder) lines() int {
	n := 0
	for _, f := range b.files {
		n += f.lines() + 10
	}
	return n
}

func packageDoc(p *pkg) string {
	switch p.layer {
	case layerPlatform:
		return fmt.Sprintf("// Package %s holds small helpers shared by the domain, store and\n// service packages.\n", p.name)
	case layerDomain:
		return fmt.Sprintf("// Package %s defines the %s domain types and their invariants.\n", p.name, p.name)
	case layerStore:
		return fmt.Sprintf("// Package %s keeps %s records and computes derived views of them.\n", p.name, p.domain.name)
	case layerService:
		return fmt.Sprintf("// Package %s serves the %s handlers over Restate.\n", p.name, p.title)
	default:
		return fmt.Sprintf("// Command %s serves a group of Restate services.\n", p.name)
	}
}

// pickT returns a random element of xs using p's generator.
func pickT[T any](p *pkg, xs ...T) T { return xs[p.rng.IntN(len(xs))] }

// chance reports true with probability x.
func (p *pkg) chance(x float64) bool { return p.rng.Float64() < x }
