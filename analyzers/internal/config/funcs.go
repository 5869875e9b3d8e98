package config

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"
)

// FuncRef names a function, method or package-level variable of a
// package, or all of them.
type FuncRef struct {
	Pkg  string // import path
	Recv string // receiver type name (no '*') for methods; "" otherwise
	Name string // object name; "*" for every exported name
}

func (r FuncRef) String() string {
	pkg := r.Pkg
	if strings.Contains(pkg[strings.LastIndex(pkg, "/")+1:], ".") {
		pkg = strconv.Quote(pkg) // the last element has a dot: quote it
	}
	if r.Recv != "" {
		return pkg + "." + r.Recv + "." + r.Name
	}
	return pkg + "." + r.Name
}

// FuncList is a comma-separated list of functions and methods, the value
// of the sideeffect.sinks and sideeffect.allow options. Each entry is
//
//	import/path.Func        a package-level function (or variable)
//	import/path.Type.Method a method of Type or *Type, or of interface Type
//	import/path.(*Type).Method, import/path.(Type).Method   the same
//	import/path.Type.*      every exported method of Type
//	import/path.*           every exported function of the package
//
// The import path ends at the first '.' after its last '/'; a path whose
// last element contains a dot is written in double quotes:
// "gopkg.in/mail.v2".Dialer.DialAndSend. Spaces around entries are
// ignored. It implements flag.Value; Set rejects a malformed entry with an
// error naming it.
type FuncList struct {
	refs  []FuncRef
	index map[FuncRef]bool
	pkgs  map[string]bool
}

func (l *FuncList) String() string {
	if l == nil {
		return ""
	}
	parts := make([]string, len(l.refs))
	for i, r := range l.refs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ",")
}

// Set replaces the list (flags may be given once).
func (l *FuncList) Set(s string) error {
	refs, err := parseRefs(s, ParseFuncRef)
	if err != nil {
		return err
	}
	l.SetRefs(refs)
	return nil
}

// parseRefs parses a comma-separated list with parse, ignoring spaces
// around entries and empty entries.
func parseRefs(s string, parse func(entry string) (FuncRef, error)) ([]FuncRef, error) {
	var refs []FuncRef
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		r, err := parse(entry)
		if err != nil {
			return nil, err
		}
		refs = append(refs, r)
	}
	return refs, nil
}

// SetRefs replaces the list with refs (for drivers that receive a list,
// such as golangci-lint settings).
func (l *FuncList) SetRefs(refs []FuncRef) {
	l.refs = refs
	l.index = make(map[FuncRef]bool, len(refs))
	l.pkgs = make(map[string]bool, len(refs))
	for _, r := range refs {
		l.index[r] = true
		l.pkgs[r.Pkg] = true
	}
}

// Refs returns the entries.
func (l *FuncList) Refs() []FuncRef { return l.refs }

// Match reports whether the list names the object pkg.recv.name (recv ""
// for package-level objects).
func (l *FuncList) Match(pkg, recv, name string) bool {
	if l == nil || !l.pkgs[pkg] {
		return false
	}
	if l.index[FuncRef{pkg, recv, name}] {
		return true
	}
	return token.IsExported(name) && l.index[FuncRef{pkg, recv, "*"}]
}

// ParseFuncRef parses one entry of a FuncList.
func ParseFuncRef(entry string) (FuncRef, error) {
	bad := func(why string) (FuncRef, error) {
		return FuncRef{}, fmt.Errorf("invalid function %q: %s; want import/path.Func, import/path.Type.Method or import/path.Type.* (quote a path whose last element has a dot: \"gopkg.in/mail.v2\".Dialer.DialAndSend)", entry, why)
	}
	var pkg, rest string
	if strings.HasPrefix(entry, `"`) {
		end := strings.Index(entry[1:], `"`)
		if end < 0 {
			return bad("unterminated quoted import path")
		}
		pkg, rest = entry[1:end+1], entry[end+2:]
		if !strings.HasPrefix(rest, ".") {
			return bad("a '.' must follow the quoted import path")
		}
		rest = rest[1:]
	} else {
		slash := strings.LastIndex(entry, "/")
		dot := strings.Index(entry[slash+1:], ".")
		if dot < 0 {
			return bad("no function name after the import path")
		}
		pkg, rest = entry[:slash+1+dot], entry[slash+1+dot+1:]
	}
	if pkg == "" || strings.ContainsAny(pkg, " \t\"*?[]\\") || strings.HasPrefix(pkg, "/") || strings.HasSuffix(pkg, "/") || strings.Contains(pkg, "//") {
		return bad("malformed import path " + strconv.Quote(pkg))
	}
	// (*T).M and (T).M as in stack traces and pprof output.
	if strings.HasPrefix(rest, "(") {
		end := strings.Index(rest, ")")
		if end < 0 || !strings.HasPrefix(rest[end+1:], ".") {
			return bad("unbalanced receiver parentheses")
		}
		rest = strings.TrimPrefix(rest[1:end], "*") + rest[end+1:]
	}
	parts := strings.Split(rest, ".")
	var r FuncRef
	switch len(parts) {
	case 1:
		r = FuncRef{Pkg: pkg, Name: parts[0]}
	case 2:
		r = FuncRef{Pkg: pkg, Recv: parts[0], Name: parts[1]}
		if !token.IsIdentifier(r.Recv) {
			return bad(strconv.Quote(r.Recv) + " is not a type name")
		}
	default:
		return bad("too many '.'-separated names after the import path")
	}
	if r.Name != "*" && !token.IsIdentifier(r.Name) {
		return bad(strconv.Quote(r.Name) + " is not a function name")
	}
	return r, nil
}

// ExtraSinks lists functions and methods the sideeffect rule treats as
// external I/O in addition to its built-in table (option
// sideeffect.sinks).
var ExtraSinks FuncList

// Allow lists functions and methods the sideeffect rule never treats as
// I/O: neither as sinks nor as calls whose body it cannot see (option
// sideeffect.allow).
var Allow FuncList
