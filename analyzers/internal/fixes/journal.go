package fixes

import (
	"go/types"
	"reflect"
)

// NotJournalable says why a value of type t cannot round-trip through the
// journal, which records restate.Run results as JSON: "" if it can. It
// rejects channels, functions, interfaces (io.Reader, error, any:
// decoding cannot recreate the dynamic type), complex numbers, unsafe
// pointers, maps with keys JSON cannot encode, and structs whose data is
// all unexported (*sql.Rows, *redis.StringCmd) or that hold such a value
// in an exported field (*http.Response's Body). Types with their own
// JSON or text encoding (time.Time) pass.
func NotJournalable(t types.Type) string {
	return notJournalable(t, make(map[types.Type]bool))
}

func notJournalable(t types.Type, seen map[types.Type]bool) string {
	t = types.Unalias(t)
	if seen[t] {
		return ""
	}
	seen[t] = true
	name := func() string { return types.TypeString(t, (*types.Package).Name) }
	if _, isNamed := t.(*types.Named); isNamed && encodesItself(t) {
		return ""
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Info()&types.IsComplex != 0 || u.Kind() == types.UnsafePointer || u.Kind() == types.Invalid {
			return name() + " has no JSON encoding"
		}
		return ""
	case *types.Pointer:
		return notJournalable(u.Elem(), seen)
	case *types.Slice:
		return notJournalable(u.Elem(), seen)
	case *types.Array:
		return notJournalable(u.Elem(), seen)
	case *types.Map:
		k := u.Key().Underlying()
		if b, ok := k.(*types.Basic); !ok || b.Info()&(types.IsString|types.IsInteger) == 0 {
			if !encodesItself(u.Key()) {
				return name() + " has keys JSON cannot encode"
			}
		}
		return notJournalable(u.Elem(), seen)
	case *types.Chan:
		return name() + " is a channel"
	case *types.Signature:
		return name() + " is a function"
	case *types.Interface:
		return name() + " is an interface, which decoding cannot recreate"
	case *types.Struct:
		exported := 0
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			if tag, _ := reflect.StructTag(u.Tag(i)).Lookup("json"); tag == "-" {
				continue
			}
			if !f.Exported() && !f.Embedded() {
				continue
			}
			if f.Embedded() && !f.Exported() {
				// An unexported embedded struct's exported fields are encoded.
				if _, ok := f.Type().Underlying().(*types.Struct); !ok {
					continue
				}
			}
			if why := notJournalable(f.Type(), seen); why != "" {
				if f.Embedded() {
					return why
				}
				return name() + "." + f.Name() + ": " + why
			}
			exported++
		}
		if exported == 0 && u.NumFields() > 0 {
			return name() + " keeps all its data in unexported fields"
		}
		return ""
	case *types.TypeParam:
		return name() + " is a type parameter"
	}
	return ""
}

// encodesItself reports whether t (or *t) implements both halves of
// encoding/json's or encoding's text marshaling, judged by method names
// and arity.
func encodesItself(t types.Type) bool {
	has := func(name string, params, results int) bool {
		for _, typ := range []types.Type{t, types.NewPointer(t)} {
			obj, _, _ := types.LookupFieldOrMethod(typ, true, nil, name)
			if m, ok := obj.(*types.Func); ok {
				sig := m.Signature()
				if sig.Params().Len() == params && sig.Results().Len() == results {
					return true
				}
			}
		}
		return false
	}
	return has("MarshalJSON", 0, 2) && has("UnmarshalJSON", 1, 1) ||
		has("MarshalText", 0, 2) && has("UnmarshalText", 1, 1)
}
