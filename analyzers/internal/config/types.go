package config

import "fmt"

// TypeList is a comma-separated list of named types, the value of the
// memstate.quiet option. Each entry is
//
//	import/path.Type   one type (values of it, or pointers to it)
//	import/path.*      every exported type of the package
//
// with import paths written as in FuncList ("gopkg.in/stats.v1".Counter).
// It implements flag.Value; Set rejects a malformed entry, or a method,
// with an error naming it.
type TypeList struct{ list FuncList }

func (l *TypeList) String() string {
	if l == nil {
		return ""
	}
	return l.list.String()
}

// Set replaces the list (flags may be given once).
func (l *TypeList) Set(s string) error {
	refs, err := parseRefs(s, parseTypeRef)
	if err != nil {
		return err
	}
	l.list.SetRefs(refs)
	return nil
}

// parseTypeRef parses one entry of a TypeList: a FuncList entry without
// a receiver.
func parseTypeRef(entry string) (FuncRef, error) {
	r, err := ParseFuncRef(entry)
	if err == nil && r.Recv != "" {
		err = fmt.Errorf("%s names a method", entry)
	}
	if err != nil {
		return FuncRef{}, fmt.Errorf("invalid type %q: want import/path.Type or import/path.* (%v)", entry, err)
	}
	return r, nil
}

// Match reports whether the list names the type pkg.name.
func (l *TypeList) Match(pkg, name string) bool { return l != nil && l.list.Match(pkg, "", name) }

// MemstateQuiet lists the types whose values the memstate rule treats
// like loggers, metrics and tracing instruments, in addition to its
// built-in table (option memstate.quiet): kept in a package-level
// variable or a service's field, they hold no state handler logic reads.
var MemstateQuiet TypeList
