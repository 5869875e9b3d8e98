package maporder

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// ranged is a range loop over a map.
type ranged struct {
	m       ast.Expr   // the map
	via     string     // "" for the map itself, else "Keys", "Values" or "All" of package maps
	keyType types.Type // the map's key type
	// key and value are the loop's variables for the map's keys and
	// values, nil when absent or blank.
	key, value *ast.Ident
}

// rangedMap reports whether rs ranges over a map, directly or through
// maps.Keys, maps.Values or maps.All.
func rangedMap(info *types.Info, rs *ast.RangeStmt) (ranged, bool) {
	var r ranged
	x := ast.Unparen(rs.X)
	if call, ok := x.(*ast.CallExpr); ok && len(call.Args) == 1 {
		fn := typeutil.StaticCallee(info, call)
		if fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "maps" {
			switch fn.Name() {
			case "Keys", "Values", "All":
				r.m, r.via = call.Args[0], fn.Name()
			}
		}
	}
	if r.m == nil {
		r.m = x
	}
	k, ok := mapKey(info.TypeOf(r.m))
	if !ok {
		return ranged{}, false
	}
	r.keyType = k
	first, second := ident(rs.Key), ident(rs.Value)
	switch r.via {
	case "Keys":
		r.key = first
	case "Values":
		r.value = first
	default:
		r.key, r.value = first, second
	}
	return r, true
}

// ident returns e as a non-blank identifier, or nil.
func ident(e ast.Expr) *ast.Ident {
	id, ok := e.(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	return id
}

// mapKey returns the key type of a map, or of a type parameter whose
// type set holds only maps with one key type.
func mapKey(t types.Type) (types.Type, bool) {
	if t == nil {
		return nil, false
	}
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		var key types.Type
		ok := forTerms(tp, func(t types.Type) bool {
			k, ok := mapKey(t)
			if ok && (key == nil || types.Identical(k, key)) {
				key = k
				return true
			}
			return false
		})
		return key, ok && key != nil
	}
	m, ok := t.Underlying().(*types.Map)
	if !ok {
		return nil, false
	}
	return m.Key(), true
}

// ordered reports whether t satisfies cmp.Ordered: an integer, float or
// string type, or a type parameter whose type set holds only those.
func ordered(t types.Type) bool {
	if t == nil {
		return false
	}
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		return forTerms(tp, ordered)
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsOrdered != 0
}

// forTerms reports whether tp's constraint lists type terms and every one
// satisfies pred (the constraint's core type, for our purposes).
func forTerms(tp *types.TypeParam, pred func(types.Type) bool) bool {
	iface, _ := tp.Constraint().Underlying().(*types.Interface)
	found := false
	return iface != nil && allTerms(iface, pred, &found) && found
}

// allTerms walks the type terms of iface, through embedded constraint
// interfaces (cmp.Ordered) and unions.
func allTerms(iface *types.Interface, pred func(types.Type) bool, found *bool) bool {
	term := func(t types.Type) bool {
		if inner, ok := t.Underlying().(*types.Interface); ok {
			return allTerms(inner, pred, found)
		}
		*found = true
		return pred(t)
	}
	for i := 0; i < iface.NumEmbeddeds(); i++ {
		e := iface.EmbeddedType(i)
		u, ok := e.(*types.Union)
		if !ok {
			if !term(e) {
				return false
			}
			continue
		}
		for j := 0; j < u.Len(); j++ {
			if !term(u.Term(j).Type()) {
				return false
			}
		}
	}
	return true
}
