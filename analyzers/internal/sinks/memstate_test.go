package sinks

import (
	"go/ast"
	"go/parser"
	"go/types"
	"testing"
)

// TestSharedTargetWithoutTypes: write targets whose parts have no type
// (broken code, a generic instantiation) are not shared memory, and never
// a panic (hastekit-sdk-go crashed the reach walk this way).
func TestSharedTargetWithoutTypes(t *testing.T) {
	for _, src := range []string{"m[k]", "p.f[i]", "(*p)[i]", "f[int].x"} {
		e, err := parser.ParseExpr(src)
		if err != nil {
			t.Fatal(err)
		}
		info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
		if name, ok := sharedTarget(info, e, nil); ok {
			t.Errorf("%s: shared target %q without type information", src, name)
		}
	}
}
