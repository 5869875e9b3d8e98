// Command floor is the type-check floor of the restatelint benchmark: the
// restatelint driver running a single analyzer that does nothing.
//
// It loads, parses and type-checks exactly what restatelint does (the
// named packages from source, their dependencies from export data), so
// the difference between the two binaries is the cost of the analyzers
// themselves. The analyzer declares no facts and requires nothing, so no
// extra work is scheduled on its behalf.
package main

import (
	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/internal/driver"
)

var noop = &analysis.Analyzer{
	Name: "noop",
	Doc:  "noop does nothing; it measures the driver's load and type-check cost",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { driver.Main(driver.Options{}, noop) }
