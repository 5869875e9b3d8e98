package sinks

import (
	"go/token"
	"go/types"
	"testing"
)

// TestInjectedClockRows checks the walltime rows matched by signature: a
// func() time.Time variable, field or named function type, and an
// interface method Now() time.Time; not a concrete method, another name,
// or another signature.
func TestInjectedClockRows(t *testing.T) {
	timePkg := types.NewPackage("time", "time")
	timeT := types.NewNamed(types.NewTypeName(token.NoPos, timePkg, "Time", nil), types.NewStruct(nil, nil), nil)
	app := types.NewPackage("example.com/app", "app")
	results := func(ts ...types.Type) *types.Tuple {
		var vs []*types.Var
		for _, t := range ts {
			vs = append(vs, types.NewVar(token.NoPos, nil, "", t))
		}
		return types.NewTuple(vs...)
	}
	clockSig := types.NewSignatureType(nil, nil, nil, nil, results(timeT), false)
	named := types.NewNamed(types.NewTypeName(token.NoPos, app, "NowFunc", nil), clockSig, nil)
	method := func(recvType types.Type, name string, res *types.Tuple) *types.Func {
		recv := types.NewVar(token.NoPos, app, "", recvType)
		return types.NewFunc(token.NoPos, app, name, types.NewSignatureType(recv, nil, nil, nil, res, false))
	}
	iface := func(name string, res *types.Tuple) *types.Func {
		n := types.NewNamed(types.NewTypeName(token.NoPos, app, "Clock", nil), nil, nil)
		m := method(n, name, res)
		n.SetUnderlying(types.NewInterfaceType([]*types.Func{m}, nil).Complete())
		return m
	}
	concrete := types.NewNamed(types.NewTypeName(token.NoPos, app, "realClock", nil), types.NewStruct(nil, nil), nil)

	for _, tc := range []struct {
		what string
		obj  types.Object
		want bool
	}{
		{"field func() time.Time", types.NewField(token.NoPos, app, "now", clockSig, false), true},
		{"parameter func() time.Time", types.NewParam(token.NoPos, app, "now", clockSig), true},
		{"field of a named func type", types.NewField(token.NoPos, app, "now", named, false), true},
		{"interface method Now() time.Time", iface("Now", results(timeT)), true},
		{"field func() int", types.NewField(token.NoPos, app, "now", types.NewSignatureType(nil, nil, nil, nil, results(types.Typ[types.Int]), false), false), false},
		{"field func() (time.Time, bool)", types.NewField(token.NoPos, app, "deadline", types.NewSignatureType(nil, nil, nil, nil, results(timeT, types.Typ[types.Bool]), false), false), false},
		{"interface method CreatedAt() time.Time", iface("CreatedAt", results(timeT)), false},
		{"interface method Now() int64", iface("Now", results(types.Typ[types.Int64])), false},
		{"concrete method Now() time.Time", method(concrete, "Now", results(timeT)), false},
	} {
		s := Lookup(tc.obj)
		got := s != nil && s.Rule == "walltime" && s.Family == FamInjectedClock
		if got != tc.want {
			t.Errorf("%s: injected clock = %v, want %v", tc.what, got, tc.want)
		}
	}
}
