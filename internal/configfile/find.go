package configfile

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Find returns the path of the restatelint.toml that applies to the
// package in dir, "" if none does. The search goes upward from dir and
// stops at the workspace root (the directory of the go.work the go
// command would use, honouring GOWORK) when dir is inside one, and
// otherwise at the module root (the nearest directory with a go.mod);
// like staticcheck.conf and .golangci.yml, the nearest file wins.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if !memo.on.Load() {
		return find(dir)
	}
	if r, ok := memo.found.Load(dir); ok {
		r := r.(found)
		return r.path, r.err
	}
	path, err := find(dir)
	memo.found.Store(dir, found{path, err})
	return path, err
}

// memo holds Find's answers by directory once MemoizeFind was called.
var memo struct {
	on    atomic.Bool
	found sync.Map // absolute directory -> found
}

type found struct {
	path string
	err  error
}

// MemoizeFind makes Find remember its answer for each directory until
// the returned func is called. A one-shot run of the command line calls
// it for the duration of the run: every analyzer of every package asks,
// and the files do not change while it runs; a language server does not,
// so it sees a file created or removed while it runs.
func MemoizeFind() (forget func()) {
	memo.on.Store(true)
	return func() {
		memo.on.Store(false)
		memo.found.Clear()
	}
}

func find(dir string) (string, error) {
	stop := boundary(dir)
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, Name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if d == stop || filepath.Dir(d) == d {
			return "", nil
		}
	}
}

// boundary returns the directory the search stops at.
func boundary(dir string) string {
	if work := workFile(dir); work != "" {
		if root := filepath.Dir(work); within(dir, root) {
			return root
		}
	}
	for d := dir; ; d = filepath.Dir(d) {
		if exists(filepath.Join(d, "go.mod")) {
			return d
		}
		if filepath.Dir(d) == d {
			return d
		}
	}
}

// workFile returns the go.work the go command would use in dir.
func workFile(dir string) string {
	switch w := os.Getenv("GOWORK"); {
	case w == "off":
		return ""
	case w != "" && filepath.IsAbs(w):
		return w
	}
	for d := dir; ; d = filepath.Dir(d) {
		if p := filepath.Join(d, "go.work"); exists(p) {
			return p
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func within(dir, root string) bool {
	rel, err := filepath.Rel(root, dir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func exists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

// Load returns the parsed file that applies to the package in dir, nil if
// none does. Parsed files are cached by path, size and modification time,
// so a long-lived process (a language server) sees edits.
func Load(dir string) (*File, error) {
	path, err := Find(dir)
	if err != nil || path == "" {
		return nil, err
	}
	return Read(path)
}

type cached struct {
	size  int64
	mtime time.Time
	file  *File
	err   error
}

var cache sync.Map // path -> cached

// Read parses the file at path, from the cache when it did not change.
func Read(path string) (*File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if c, ok := cache.Load(path); ok {
		if c := c.(cached); c.size == fi.Size() && c.mtime.Equal(fi.ModTime()) {
			return c.file, c.err
		}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := Parse(path, src)
	cache.Store(path, cached{fi.Size(), fi.ModTime(), f, err})
	return f, err
}

// Hash returns a digest of the files that apply to dir and above it (for
// a tool ID that changes when the configuration does); empty when none.
func Hash(dir string) []byte {
	path, err := Find(dir)
	if err != nil || path == "" {
		return nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	h := sha256.New()
	h.Write([]byte(path + "\n"))
	h.Write(src)
	return h.Sum(nil)
}

var run struct {
	sync.Mutex
	files []*File
	set   bool
}

// SetRun records the files that apply to the packages a run reports on
// (restatelint: the named packages; restatelint lsp: its views'), whose
// reach.scope decides which dependencies are analyzed from source.
func SetRun(files []*File) {
	run.Lock()
	defer run.Unlock()
	run.files, run.set = files, true
}

// Run returns the files SetRun recorded or, in a driver that does not
// record them (golangci-lint, gopls), the file found from the working
// directory: where golangci-lint is run and where editors start gopls,
// the project's root. A working directory in the module cache (go vet
// runs each package's analysis in its directory) has none.
func Run() ([]*File, error) {
	run.Lock()
	files, set := run.files, run.set
	run.Unlock()
	if set {
		return files, nil
	}
	wd, err := os.Getwd()
	if err != nil || inModuleCache(wd) {
		return nil, nil
	}
	f, err := Load(wd)
	if f == nil || err != nil {
		return nil, err
	}
	return []*File{f}, nil
}

// inModuleCache reports whether dir lies in a module's directory in the
// module cache (<module>@<version>).
func inModuleCache(dir string) bool {
	for _, elem := range strings.Split(filepath.ToSlash(dir), "/") {
		if i := strings.LastIndex(elem, "@v"); i > 0 && i+2 < len(elem) && '0' <= elem[i+2] && elem[i+2] <= '9' {
			return true
		}
	}
	return false
}
