package config

import (
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestIsStdFile(t *testing.T) {
	goroot := runtime.GOROOT()
	if _, err := os.Stat(filepath.Join(goroot, "src", "go.mod")); err != nil {
		t.Skip("no GOROOT source here")
	}
	other := t.TempDir()
	for _, tc := range []struct {
		file, path string
		want       bool
	}{
		{"$GOROOT/src/net/http/client.go", "net/http", true},
		{filepath.Join(goroot, "src", "net", "http", "client.go"), "net/http", true},
		{filepath.Join(goroot, "src", "vendor", "golang.org", "x", "net", "idna", "idna.go"), "vendor/golang.org/x/net/idna", true},
		{"GOROOT/src/fmt/print.go", "fmt", true},
		// -trimpath: named by import path.
		{"fmt/print.go", "fmt", true},
		{"myapp/store/store.go", "myapp/store", false},
		// A module whose path has no dot is the user's code.
		{filepath.Join(other, "internal", "store", "store.go"), "shopnexus-server/internal/store", false},
		{filepath.Join(other, "src", "myapp", "store", "store.go"), "myapp/store", false},
		{"/root/go/pkg/mod/github.com/jackc/pgx/v5@v5.13.0/conn.go", "github.com/jackc/pgx/v5", false},
	} {
		if got := IsStdFile(tc.file, tc.path); got != tc.want {
			t.Errorf("IsStdFile(%q, %q) = %v, want %v", tc.file, tc.path, got, tc.want)
		}
	}
}

func TestIsStdObject(t *testing.T) {
	fset := token.NewFileSet()
	f := fset.AddFile("/home/me/myapp/store/store.go", -1, 100)
	f.SetLines([]int{0})
	pkg := types.NewPackage("myapp/store", "store")
	obj := types.NewFunc(f.Pos(1), pkg, "Get", types.NewSignatureType(nil, nil, nil, nil, nil, false))
	if IsStdObject(fset, obj) {
		t.Errorf("myapp/store.Get: the standard library, want the user's code")
	}
	g := fset.AddFile("$GOROOT/src/io/io.go", -1, 100)
	g.SetLines([]int{0})
	io := types.NewPackage("io", "io")
	if !IsStdObject(fset, types.NewFunc(g.Pos(1), io, "ReadAll", types.NewSignatureType(nil, nil, nil, nil, nil, false))) {
		t.Errorf("io.ReadAll from export data: not the standard library")
	}
}

func TestIsLocalDir(t *testing.T) {
	for _, tc := range []struct {
		file, mod string
		want      bool
	}{
		{"/home/me/svc/libs/notify/notify.go", "acme.local/notify", true},
		{"/root/go/pkg/mod/acme.local/notify@v0.3.1/notify.go", "acme.local/notify", false},
		{"/root/go/pkg/mod/example.com/fork@v0.0.0-20240101000000-abcdef123456/x.go", "example.com/orig", false},
		{"/home/me/svc/vendor/acme.local/notify/notify.go", "acme.local/notify", false},
	} {
		if got := IsLocalDir(tc.file, tc.mod); got != tc.want {
			t.Errorf("IsLocalDir(%q, %q) = %v, want %v", tc.file, tc.mod, got, tc.want)
		}
	}
}
