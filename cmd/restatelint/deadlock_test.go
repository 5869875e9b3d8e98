package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeadlockAcrossPackages: the standalone command's whole-program
// step reports a cycle between two objects in packages that never import
// each other, at both calls; go vet, per package, cannot see it.
func TestDeadlockAcrossPackages(t *testing.T) {
	dir := t.TempDir()
	demo := filepath.Join("..", "..", "testdata", "demo")
	mod, err := os.ReadFile(filepath.Join(demo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(demo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod": strings.Replace(string(mod), "module example.com/demo", "module example.com/shop", 1),
		"go.sum": string(sum),
		"cart/cart.go": `package cart

import restate "github.com/restatedev/sdk-go"

type Cart struct{}

func (Cart) Checkout(ctx restate.ObjectContext, sku string) error {
	_, err := restate.Object[string](ctx, "Stock", sku, "Reserve").Request(restate.Key(ctx))
	return err
}

func (Cart) Confirm(ctx restate.ObjectContext, sku string) error { return nil }
`,
		"stock/stock.go": `package stock

import restate "github.com/restatedev/sdk-go"

type Stock struct{}

func (Stock) Reserve(ctx restate.ObjectContext, cart string) (string, error) {
	_, err := restate.Object[string](ctx, "Cart", cart, "Confirm").Request(restate.Key(ctx))
	return "", err
}
`,
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runIn(dir, binary, "-deadlock", "./...")
	if exitCode(err) != 3 {
		t.Fatalf("exit %d, want 3 (findings):\n%s", exitCode(err), out)
	}
	for _, want := range []string{"cart/cart.go:8:", "stock/stock.go:8:"} {
		if !strings.Contains(out, want) || !strings.Contains(out, "(Cart.Checkout → Stock.Reserve → Cart.Confirm)") {
			t.Errorf("no deadlock finding at %s naming the cycle in:\n%s", want, out)
		}
	}
	if vet, err := runIn(dir, "go", "vet", "-vettool="+binary, "./..."); err != nil || strings.Contains(vet, "deadlock") || strings.Contains(vet, "cycle") {
		t.Errorf("go vet, per package, should see no cycle here (err %v):\n%s", err, vet)
	}
}
