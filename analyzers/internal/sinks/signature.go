package sinks

import (
	"go/types"
	"slices"
	"sync"
)

// sigRows are the rows with Sig set, built once.
var sigRows = sync.OnceValue(func() []*Sink {
	var rows []*Sink
	for _, s := range Table {
		if s.Sig != "" {
			rows = append(rows, s)
		}
	}
	return rows
})

// lookupSig matches obj against the structural rows with Sig: a variable
// or struct field of function type (a package-level variable too: tests
// replace it, production binds it to the real thing), or an interface
// method. Declared functions and concrete methods are never matched here:
// their bodies are analyzed or described by the tables.
func lookupSig(obj types.Object) *Sink {
	rows := sigRows()
	if len(rows) == 0 {
		return nil
	}
	var sig *types.Signature
	method := false
	switch obj := obj.(type) {
	case *types.Var:
		sig, _ = obj.Type().Underlying().(*types.Signature)
	case *types.Func:
		recv := obj.Signature().Recv()
		if recv == nil || !types.IsInterface(recv.Type()) {
			return nil
		}
		sig, method = obj.Signature(), true
	}
	if sig == nil {
		return nil
	}
	var str string
	for _, s := range rows {
		if method != (s.Names != nil) || method && !slices.Contains(s.Names, obj.Name()) {
			continue
		}
		if str == "" {
			str = sigString(sig)
		}
		if str == s.Sig {
			return s
		}
	}
	return nil
}

// sigString prints a signature without its receiver, packages by path.
func sigString(sig *types.Signature) string {
	if sig.Recv() != nil {
		sig = types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic())
	}
	return types.TypeString(sig, nil)
}
