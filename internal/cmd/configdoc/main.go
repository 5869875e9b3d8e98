// Command configdoc generates docs/configuration.md from the analyzers'
// flag sets, so that the documented keys are the keys every driver
// accepts. From the repository root:
//
//	go run ./internal/cmd/configdoc -w docs/configuration.md
//
// (or go generate ./internal/cmd/configdoc). Its test fails when the file
// differs from what the code would generate.
package main

//go:generate go run . -w ../../../docs/configuration.md

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/options"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("configdoc: ")
	out := flag.String("w", "", "write to `file` instead of stdout")
	flag.Parse()
	doc := Generate(all.Analyzers())
	if *out == "" {
		os.Stdout.Write(doc)
		return
	}
	if err := os.WriteFile(*out, doc, 0o644); err != nil {
		log.Fatal(err)
	}
}

const docsURL = "https://github.com/restatelint/restatelint/blob/main/docs/"

// link makes a docs URL relative to docs/.
func link(url string) string {
	if rel, ok := strings.CutPrefix(url, docsURL); ok {
		return rel
	}
	return url
}

// Generate returns docs/configuration.md for the analyzers.
func Generate(analyzers []*analysis.Analyzer) []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	opts := options.Options(analyzers)
	example := "reach.scope"
	exampleValue := "example.com/platform"
	if len(opts) > 0 && !hasKey(opts, example) {
		example, exampleValue = opts[0].Key(), "VALUE"
	}
	exAnalyzer, exFlag, _ := strings.Cut(example, ".")

	p("# Configuration\n\n")
	p("<!-- Generated from the analyzers' flags by `go run ./internal/cmd/configdoc -w docs/configuration.md`; do not edit. -->\n\n")
	p("restatelint has one set of configuration keys, and every way of running it accepts the\n")
	p("same keys with the same meaning. There are two kinds:\n\n")
	p("- `<analyzer>`: `true` or `false` enables or disables an analyzer. As with `go vet`, if\n")
	p("  any analyzer is enabled explicitly only the explicitly enabled ones run; otherwise all\n")
	p("  run except those disabled.\n")
	p("- `<analyzer>.<option>`: sets an option of an analyzer (a flag of its `Analyzer.Flags`).\n\n")
	p("How each driver spells them (the integrations are described in [integrations/](integrations/README.md)):\n\n")
	p("| driver | analyzer on/off | option |\n")
	p("| --- | --- | --- |\n")
	p("| `restatelint`, `go tool restatelint` | `-walltime`, `-walltime=false` | `-%s=%s` |\n", example, exampleValue)
	p("| `go vet -vettool`, `go fix -fixtool` | `-walltime`, `-walltime=false` after `-vettool=...` | `-%s=%s` |\n", example, exampleValue)
	p("| golangci-lint plugin `settings` | `walltime: false` in `restatelint`'s settings, or the linter `restatelint-walltime` in `linters.enable`/`disable` | `%s: {%s: %s}` or `%s: %s` |\n", exAnalyzer, exFlag, exampleValue, example, exampleValue)
	p("| Bazel nogo config | the analyzer packages listed in `deps` | `\"%s\": {\"analyzer_flags\": {\"%s\": \"%s\"}}` |\n", exAnalyzer, exFlag, exampleValue)
	p("| [`restatelint.toml`](#restatelinttoml) (every driver but nogo) | `walltime = false` | `[%s]` then `%s = [\"%s\"]`, or `%s = [\"%s\"]` |\n\n", exAnalyzer, exFlag, exampleValue, example, exampleValue)
	p("Values use the flag syntax: a list is comma-separated. golangci-lint settings may also\n")
	p("give a list as a YAML list (its items are joined with commas) and booleans and numbers\n")
	p("as YAML scalars; golangci-lint lowercases setting keys, and restatelint matches keys\n")
	p("case-insensitively there.\n\n")
	p("An unknown key or an invalid value is an error, never a silent default: `restatelint`\n")
	p("exits with status 1, `go vet` and `go fix` fail (non-zero exit), the custom golangci-lint\n")
	p("stops with `restatelint: invalid settings: ...`, and nogo fails the build.\n\n")

	p("## Analyzers\n\n")
	p("| key | what it reports | rule page |\n")
	p("| --- | --- | --- |\n")
	for _, a := range analyzers {
		first, _, _ := strings.Cut(strings.TrimSpace(a.Doc), "\n\n")
		first = strings.Join(strings.Fields(first), " ")
		page := ""
		switch l := link(a.URL); {
		case strings.HasPrefix(l, "configuration.md#"):
			page = fmt.Sprintf("[options](%s)", strings.TrimPrefix(l, "configuration.md"))
		case l != "":
			page = fmt.Sprintf("[%s](%s)", strings.TrimSuffix(l, ".md"), l)
		}
		p("| `%s` | %s | %s |\n", a.Name, strings.ReplaceAll(first, "|", `\|`), page)
	}
	fileSection(p, analyzers)
	p("\n## Options\n\n")
	if len(opts) == 0 {
		p("No analyzer has options.\n")
	}
	for _, o := range opts {
		name, usage := flag.UnquoteUsage(o.Flag)
		switch name {
		case "":
			name = "boolean"
		case "value":
			name = "" // a flag.Value of its own: the usage describes it
		}
		p("### %s\n\n", o.Key())
		p("%s\n\n", strings.TrimSpace(usage))
		def := o.Flag.DefValue
		if def == "" {
			def = "empty"
		} else {
			def = "`" + def + "`"
		}
		if name != "" {
			p("- type: %s\n", name)
		}
		p("- default: %s\n", def)
		p("- command line, `go vet`, `go fix`: `-%s=...`\n", o.Key())
		p("- golangci-lint: `%s: {%s: ...}` or `%s: ...`\n", o.Analyzer.Name, o.Flag.Name, o.Key())
		p("- nogo: `\"%s\": {\"analyzer_flags\": {\"%s\": \"...\"}}`\n", o.Analyzer.Name, o.Flag.Name)
		if fileAccepts(o.Key()) {
			p("- restatelint.toml: `%s = [\"...\"]` under `[%s]`, or `%s = [\"...\"]`\n\n", o.Flag.Name, o.Analyzer.Name, o.Key())
		} else {
			p("- restatelint.toml: not yet (an error naming the line): give it as a flag or setting\n\n")
		}
	}
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}

func hasKey(opts []options.Option, key string) bool {
	for _, o := range opts {
		if o.Key() == key {
			return true
		}
	}
	return false
}
