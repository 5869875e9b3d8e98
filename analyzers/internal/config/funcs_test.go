package config

import (
	"strings"
	"testing"
)

func TestParseFuncRef(t *testing.T) {
	for in, want := range map[string]FuncRef{
		"os.Getenv":                                {"os", "", "Getenv"},
		"net/http.Client.Do":                       {"net/http", "Client", "Do"},
		"example.com/pay.Client.Charge":            {"example.com/pay", "Client", "Charge"},
		"example.com/pay.(*Client).Charge":         {"example.com/pay", "Client", "Charge"},
		"example.com/pay.(Client).Charge":          {"example.com/pay", "Client", "Charge"},
		"example.com/pay.Client.*":                 {"example.com/pay", "Client", "*"},
		"example.com/pay.*":                        {"example.com/pay", "", "*"},
		`"gopkg.in/mail.v2".Dialer.DialAndSend`:    {"gopkg.in/mail.v2", "Dialer", "DialAndSend"},
		"github.com/redis/go-redis/v9.cmdable.Get": {"github.com/redis/go-redis/v9", "cmdable", "Get"},
	} {
		got, err := ParseFuncRef(in)
		if err != nil || got != want {
			t.Errorf("ParseFuncRef(%q) = %v, %v; want %v", in, got, err, want)
		}
		if back, err := ParseFuncRef(got.String()); err != nil || back != got {
			t.Errorf("%q does not round-trip through String: %q", in, got.String())
		}
	}
	for _, in := range []string{"", "os", "example.com/pay", "example.com/pay.A.B.C", "example.com/pay.1x",
		`"example.com/pay.X`, `"example.com/pay"X`, "example.com/pay.(*Client.Charge", "/abs.F", "a b.F", "example.com/pay.T.*x"} {
		if _, err := ParseFuncRef(in); err == nil || !strings.Contains(err.Error(), "want import/path.Func") {
			t.Errorf("ParseFuncRef(%q): got %v, want a clear error", in, err)
		}
	}
}

func TestFuncListSet(t *testing.T) {
	var l FuncList
	if err := l.Set(" os.Getenv , ,example.com/app.Cache.*"); err != nil {
		t.Fatal(err)
	}
	if !l.Match("os", "", "Getenv") || !l.Match("example.com/app", "Cache", "Get") || l.Match("example.com/app", "Cache", "get") || l.Match("os", "", "Setenv") {
		t.Errorf("Match: wrong answers for %s", l.String())
	}
	if err := l.Set("os.Getenv,nonsense"); err == nil {
		t.Error("a malformed entry was accepted")
	}
	if l.String() != "os.Getenv,example.com/app.Cache.*" {
		t.Errorf("a rejected Set changed the list: %s", l.String())
	}
}

func TestTypeList(t *testing.T) {
	var l TypeList
	if err := l.Set(`example.com/telemetry.Stats, "gopkg.in/stats.v1".*`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pkg, name string
		want      bool
	}{
		{"example.com/telemetry", "Stats", true},
		{"example.com/telemetry", "Other", false},
		{"example.com/telemetry/sub", "Stats", false},
		{"gopkg.in/stats.v1", "Counter", true},
		{"gopkg.in/stats.v1", "counter", false},
	} {
		if got := l.Match(c.pkg, c.name); got != c.want {
			t.Errorf("Match(%s, %s) = %v, want %v", c.pkg, c.name, got, c.want)
		}
	}
	for _, bad := range []string{"example.com/telemetry", "example.com/telemetry.Stats.Add", "example.com/telemetry.Stats.*"} {
		if err := l.Set(bad); err == nil || !strings.Contains(err.Error(), "want import/path.Type") {
			t.Errorf("Set(%q) = %v; want an error naming the syntax", bad, err)
		}
	}
}
