package config

import (
	"go/types"
	"sync"
)

// Configuration errors found while analyzing a package are returned by
// its rules (suppress.Stop), once per package.
var (
	pkgErrs  sync.Map // *types.Package -> error
	reported sync.Map // onceKey -> bool
)

type onceKey struct {
	pkg *types.Package
	msg string
}

// SetPackageErr records a configuration error found while analyzing pkg
// (reach's CheckScope), for the rules to return (PackageErr).
func SetPackageErr(pkg *types.Package, err error) { pkgErrs.Store(pkg, err) }

// PackageErr returns the error SetPackageErr recorded for pkg, if any.
func PackageErr(pkg *types.Package) error {
	if err, ok := pkgErrs.Load(pkg); ok {
		return err.(error)
	}
	return nil
}

// Once returns err the first time it is asked for pkg, nil after.
func Once(pkg *types.Package, err error) error {
	if _, loaded := reported.LoadOrStore(onceKey{pkg, err.Error()}, true); loaded {
		return nil
	}
	return err
}
