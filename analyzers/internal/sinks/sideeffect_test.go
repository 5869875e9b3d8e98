package sinks

import (
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/restatelint/restatelint/analyzers/internal/config"
)

// object builds a function or method named name of package path, with
// receiver type recv ("" for a package-level function), returning error.
func object(path, recv, name string, variadic types.Type) *types.Func {
	pkg := types.NewPackage(path, path[strings.LastIndex(path, "/")+1:])
	errRes := types.NewTuple(types.NewVar(token.NoPos, nil, "", types.Universe.Lookup("error").Type()))
	var params *types.Tuple
	if variadic != nil {
		params = types.NewTuple(types.NewVar(token.NoPos, pkg, "opts", types.NewSlice(variadic)))
	}
	var recvVar *types.Var
	if recv != "" {
		named := types.NewNamed(types.NewTypeName(token.NoPos, pkg, recv, nil), types.NewStruct(nil, nil), nil)
		recvVar = types.NewVar(token.NoPos, pkg, "r", types.NewPointer(named))
	}
	return types.NewFunc(token.NoPos, pkg, name, types.NewSignatureType(recvVar, nil, nil, params, errRes, variadic != nil))
}

// TestSideEffectRows checks every sideeffect row both ways: an object it
// names is found (a positive per family), and a sibling it does not name
// is not (a negative per row).
func TestSideEffectRows(t *testing.T) {
	for _, s := range Table {
		if s.Rule != SideEffect {
			continue
		}
		path := strings.Replace(s.Pkg, "/...", "/some/service", 1)
		if s.Param != "" {
			param := types.NewNamed(types.NewTypeName(token.NoPos, types.NewPackage(s.Pkg, "p"), s.Param, nil), types.NewStruct(nil, nil), nil)
			if got := Lookup(object("example.com/gen/pb", "GreeterClient", "SayHello", param)); got != s {
				t.Errorf("%s: a method taking ...%s: got %v", s.Describe(), s.Param, got)
			}
			if got := Lookup(object("example.com/gen/pb", "GreeterClient", "SayHello", nil)); got != nil {
				t.Errorf("%s: a method without it matched", s.Describe())
			}
			continue
		}
		names := s.Names
		if names == nil {
			names = []string{"AnyExported"}
		}
		for _, n := range names {
			if got := Lookup(object(path, s.Recv, n, nil)); got != s {
				t.Errorf("%s: %s.%s.%s: got row %v", s.Describe(), path, s.Recv, n, got)
			}
		}
		if got := Lookup(object(path, s.Recv, "notListed", nil)); got != nil && got.Rule == SideEffect {
			t.Errorf("%s: an unexported sibling matched %v", s.Describe(), got.Describe())
		}
		if s.Names != nil {
			if got := Lookup(object(path, s.Recv, "NotListedEither", nil)); got != nil && got.Rule == SideEffect && got.Recv == s.Recv && got.Family == s.Family {
				t.Errorf("%s: a sibling it does not name matched", s.Describe())
			}
		}
	}
}

func TestOptionsInLookup(t *testing.T) {
	t.Cleanup(func() { config.ExtraSinks.SetRefs(nil); config.Allow.SetRefs(nil) })
	if err := config.ExtraSinks.Set("example.com/pay.Client.Charge"); err != nil {
		t.Fatal(err)
	}
	if err := config.Allow.Set("os.Getenv,example.com/app.Cache.*"); err != nil {
		t.Fatal(err)
	}
	if s := Lookup(object("example.com/pay", "Client", "Charge", nil)); s == nil || s.Family != FamConfigured {
		t.Errorf("configured sink not found: %v", s)
	}
	if s := Lookup(object("os", "", "Getenv", nil)); s != nil {
		t.Errorf("allowed os.Getenv still a sink")
	}
	if s := Lookup(object("os", "", "LookupEnv", nil)); s == nil {
		t.Errorf("os.LookupEnv lost")
	}
	if !NotIO(object("example.com/app", "Cache", "Get", nil)) || NotIO(object("example.com/app", "Store", "Get", nil)) {
		t.Errorf("allow list not applied to unseen calls")
	}
}

func TestNotIO(t *testing.T) {
	for _, tc := range []struct {
		path, recv, name string
		want             bool
	}{
		{"log/slog", "", "InfoContext", true},
		{"go.opentelemetry.io/otel/trace", "Tracer", "Start", true},
		{"github.com/restatedev/sdk-go", "", "WithValue", true},
		{"google.golang.org/grpc/metadata", "", "NewOutgoingContext", true},
		{"github.com/jackc/pgx/v5", "Tx", "Rollback", true},
		{"example.com/auth", "", "UserFromContext", true},
		{"example.com/repo", "Repo", "Save", false},
		{"logistics.example.com/x", "", "Ship", false}, // "log" is a path, not a prefix of names
	} {
		if got := NotIO(object(tc.path, tc.recv, tc.name, nil)); got != tc.want {
			t.Errorf("NotIO(%s.%s.%s) = %v, want %v", tc.path, tc.recv, tc.name, got, tc.want)
		}
	}
}
