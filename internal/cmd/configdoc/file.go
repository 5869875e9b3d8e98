package main

import (
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/configfile"
	"github.com/restatelint/restatelint/internal/options"
)

// fileAccepts reports whether restatelint.toml accepts the option key.
func fileAccepts(key string) bool {
	return all.CheckConfig(&configfile.File{Path: configfile.Name, Entries: []configfile.Entry{{Key: key, Value: "", Line: 1}}}) == nil
}

// fileSection documents restatelint.toml: where it is found, its syntax,
// and which driver honours which key.
func fileSection(p func(string, ...any), analyzers []*analysis.Analyzer) {
	p("\n## restatelint.toml\n\n")
	p("A project configuration file holds the same keys for every way of running restatelint,\n")
	p("including those that take no flags (gopls, editors). It is named `restatelint.toml`; the\n")
	p("file that applies to a package is the nearest one found going up from the package's\n")
	p("directory, stopping at the workspace root (the directory of the `go.work` the go command\n")
	p("uses; `GOWORK` is honoured) or, outside a workspace, at the module root (the directory of\n")
	p("`go.mod`), like `staticcheck.conf` and `.golangci.yml`. A dependency's own file (in the\n")
	p("module cache or `vendor/`) is never read.\n\n")
	p("```toml\n")
	p("# restatelint.toml\n")
	p("memstate = false                      # <analyzer> = true | false\n\n")
	p("[reach]\n")
	p("scope = [\"example.com/platform\"]      # <analyzer>.<option>: a list is a TOML array\n\n")
	p("[sideeffect]\n")
	p("sinks = [\n")
	p("  \"example.com/pay.Client.Charge\",\n")
	p("  '\"gopkg.in/mail.v2\".Dialer.DialAndSend',  # a path with a dot in its last element is quoted\n")
	p("]\n")
	p("```\n\n")
	p("The syntax is a subset of TOML: `#` comments, `key = value` lines, dotted keys\n")
	p("(`reach.scope = [...]`), one level of `[<analyzer>]` tables, strings (`\"...\"` or\n")
	p("`'...'`), `true`/`false`, numbers, and arrays of strings (which may span lines). An\n")
	p("unknown key, a key set twice, a value of the wrong kind or an invalid value is an error\n")
	p("naming the file and line (`restatelint.toml:4: unknown key \"sideeffect.sink\" (valid keys: ...)`):\n")
	p("`restatelint` exits with status 1 before analyzing, `go vet` fails, the analyses of the\n")
	p("packages it applies to fail under golangci-lint and gopls, and `restatelint lsp` logs it\n")
	p("and publishes nothing for the module until the file is fixed. `reach = ...` is an error:\n")
	p("reach reports nothing.\n\n")
	p("### What the file sets, and what wins\n\n")
	p("A driver's own configuration wins over the file, key by key: a flag (`-walltime`,\n")
	p("`-sideeffect.sinks=...`, even `-sideeffect.sinks=` to clear the list), a golangci-lint\n")
	p("setting, a nogo `analyzer_flags` entry. What the file sets applies as follows.\n\n")
	p("- `<analyzer> = true|false` applies to the packages below the file: their findings of\n")
	p("  that analyzer are dropped (as go vet's flags, if the file sets any analyzer to `true`,\n")
	p("  only those report). It narrows what the driver runs; an analyzer the driver enabled\n")
	p("  by name (`-walltime`, `walltime: true` in golangci-lint's settings) reports anyway.\n")
	p("  gopls's `analyses` setting is not visible to the analyzers: in the gopls build an\n")
	p("  analyzer reports where both the setting and the file leave it on.\n")
	p("- `sideeffect.sinks` and `sideeffect.allow` apply to the code of the packages below the\n")
	p("  file: a call those packages make, directly or through each other's functions, to a\n")
	p("  listed function is external I/O (or never is). Code of a dependency analyzed from\n")
	p("  source through `reach.scope` (it lives in the module cache, where no file applies)\n")
	p("  uses the driver's values: give `-sideeffect.sinks` (or the golangci-lint setting) for\n")
	p("  functions called only inside such a dependency.\n")
	p("- `reach.scope` decides which versioned dependencies of a run are analyzed from source.\n")
	p("  A dependency's analysis runs in the module cache and cannot find the file itself, so\n")
	p("  the driver hands the scope over, where it can (table below). Where it cannot (go vet),\n")
	p("  a package whose file lists a scope that the driver did not apply to a package it\n")
	p("  imports fails with `restatelint.toml:2: reach.scope lists example.com/platform, but\n")
	p("  this driver did not analyze example.com/platform/clock from source ...`: give the\n")
	p("  scope as a flag there. The module's own packages, go.work modules and modules replaced\n")
	p("  by a local directory are always analyzed from source.\n\n")
	p("| driver | reads the file for | `reach.scope` from the file | after an edit of the file |\n")
	p("| --- | --- | --- | --- |\n")
	p("| `restatelint`, `go tool restatelint` | every package analyzed; checked before the analysis | the files of the named packages | next run |\n")
	p("| `go vet -vettool`, `go fix -fixtool` | every package analyzed | no: fails as above; use `-reach.scope` | next run (the tool ID go vet caches results under covers the file found from where go vet runs; a file only in a subdirectory is not covered: `go clean -cache` after editing it) |\n")
	p("| golangci-lint plugin | every package analyzed | the file found from the directory golangci-lint runs in | next run for the file found where it runs (its digest is part of the analyzer set golangci-lint keys its cache with); a file only in a subdirectory: `golangci-lint cache clean` |\n")
	p("| `restatelint lsp` | every package analyzed; checked when a module is loaded | the files of each loaded module's packages (with several modules open, the union of their scopes) | at once (the file is watched; the module is reloaded) |\n")
	p("| gopls built by `restatelint gopls` | every package analyzed | the file found from gopls's working directory (editors start it in the workspace root) | after a restart of gopls for the file found from its working directory (its digest is part of the analyzer set gopls keys its cache with); a file only in a subdirectory, when a file of its packages changes (gopls caches analysis results by the packages' files) |\n")
	p("| Bazel nogo | never: Bazel runs nogo on declared inputs only | no: use `analyzer_flags` | - |\n\n")
	n := 0
	var not []string
	for _, k := range options.Keys(analyzers) {
		switch {
		case k == "reach":
		case strings.Contains(k, ".") && !fileAccepts(k):
			not = append(not, "`"+k+"`")
		default:
			n++
		}
	}
	p("The file accepts %d keys: the analyzer names below (but `reach`) and the options after them", n)
	if len(not) > 0 {
		p(" but %s (an error naming the line, for now)", strings.Join(not, ", "))
	}
	p(".\n")
}
