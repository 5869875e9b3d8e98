package terminalerror

import (
	"go/token"
	"go/types"
	"slices"

	"github.com/restatelint/restatelint/analyzers/internal/config"
	"github.com/restatelint/restatelint/analyzers/internal/sdk"
	"github.com/restatelint/restatelint/analyzers/internal/sinks"
)

// Functions of versioned dependencies. A package analyzed from source (the
// user's modules, reach.scope) has its pure helpers decided there, by
// pureHelpers: a function of it without a Pure fact is not pure (it
// reads state, performs I/O, ...). A versioned dependency (in the module
// cache or vendored, outside reach.scope) is not analyzed: like reach,
// terminalerror describes it by the sink tables. Its function is pure
// (shopnexus' currency.Infer calls golang.org/x/text's
// language.ParseRegion and currency.FromRegion) when
//
//   - no sink row names it;
//   - its receiver, parameters and results are plain values (plainType):
//     it is handed no client, connection, context or callback to act
//     through, and hands none back;
//   - no package it imports, at any depth through the non-standard ones,
//     has sink rows of a rule other than walltime: it cannot reach a
//     file, the network, randomness, goroutine coordination or shared
//     memory the tables know of.
//
// The clock is not screened: packages import time for dates and
// durations computed from values far more than for its clock
// (x/text/currency), and the tables cannot tell which. A dependency's
// clock readings are invisible here, like its effects beyond the tables.

// screenedOut are the rules a dependency's imports may not have rows of.
func screenedOut(rule string) bool { return rule != "walltime" }

// dependencyPure reports whether fn, of a versioned dependency (neither
// the standard library nor the SDK), computes its results from its
// arguments alone.
func (c *checker) dependencyPure(fn *types.Func) bool {
	pkg := fn.Pkg()
	if pkg == nil || pkg == c.pass.Pkg || sdk.InSDK(pkg.Path()) || c.isStdPkg(pkg) {
		return false
	}
	if !versioned(c.pass.Fset, fn) || config.InScopePath(pkg.Path(), false) {
		return false // analyzed from source: its Pure fact would say so
	}
	if sinks.Lookup(fn) != nil || !plainSignature(fn.Signature()) {
		return false
	}
	return c.cannotAct(pkg)
}

// cannotAct reports whether no package pkg imports, at any depth
// through the non-standard ones, has sink rows of a screened rule.
func (c *checker) cannotAct(pkg *types.Package) bool {
	if ok, done := c.screened[pkg]; done {
		return ok
	}
	if c.screened == nil {
		c.screened = make(map[*types.Package]bool)
	}
	c.screened[pkg] = true // an import cycle adds nothing
	ok := !slices.ContainsFunc(sinks.PackageRules(pkg.Path()), screenedOut)
	if ok && !c.isStdPkg(pkg) {
		for _, imp := range pkg.Imports() {
			if !c.cannotAct(imp) {
				ok = false
				break
			}
		}
	}
	c.screened[pkg] = ok
	return ok
}

// versioned reports whether fn is declared in a file of the module cache
// or a vendor directory: a versioned dependency, not the user's code.
func versioned(fset *token.FileSet, fn *types.Func) bool {
	if !fn.Pos().IsValid() || fset.File(fn.Pos()) == nil {
		return false
	}
	name := fset.Position(fn.Pos()).Filename
	return name != "" && !config.IsLocalDir(name, fn.Pkg().Path())
}

// isStdPkg reports whether pkg is of the standard library, judged by
// where one of its objects is declared (config.IsStdObject), once per
// package: Scope.Names sorts every name of the package, and a handler
// package asks about the same few dependencies for every call.
func (c *checker) isStdPkg(pkg *types.Package) bool {
	if std, ok := c.std[pkg]; ok {
		return std
	}
	var std bool
	if names := pkg.Scope().Names(); len(names) == 0 {
		std = config.IsStdObject(c.pass.Fset, types.NewPkgName(token.NoPos, pkg, "_", pkg))
	} else {
		std = config.IsStdObject(c.pass.Fset, pkg.Scope().Lookup(names[0]))
	}
	if c.std == nil {
		c.std = make(map[*types.Package]bool)
	}
	c.std[pkg] = std
	return std
}

// plainSignature reports whether the receiver, parameters and results
// of sig are plain values.
func plainSignature(sig *types.Signature) bool {
	if r := sig.Recv(); r != nil && !plainType(r.Type(), nil) {
		return false
	}
	for _, t := range []*types.Tuple{sig.Params(), sig.Results()} {
		for v := range t.Variables() {
			if !plainType(v.Type(), nil) {
				return false
			}
		}
	}
	return true
}

// plainType reports whether values of t are data alone: basic values,
// errors, and structs, arrays and slices of plain values. Pointers,
// maps, channels, functions, other interfaces and type parameters may
// carry a client, a connection, a context or a callback.
func plainType(t types.Type, seen map[types.Type]bool) bool {
	if types.Identical(t, errorType) {
		return true
	}
	if seen[t] {
		return true // a recursive type: decided by its other parts
	}
	switch u := types.Unalias(t).(type) {
	case *types.Basic:
		return u.Kind() != types.UnsafePointer && u.Kind() != types.Invalid
	case *types.Named:
		if seen == nil {
			seen = make(map[types.Type]bool)
		}
		seen[t] = true
		return plainType(u.Underlying(), seen)
	case *types.Struct:
		for f := range u.Fields() {
			if !plainType(f.Type(), seen) {
				return false
			}
		}
		return true
	case *types.Array:
		return plainType(u.Elem(), seen)
	case *types.Slice:
		return plainType(u.Elem(), seen)
	}
	return false
}
