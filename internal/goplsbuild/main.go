package goplsbuild

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

const usage = `Usage: restatelint gopls [-version %s] [-o dir] [-path checkout]

restatelint gopls builds a gopls (the Go language server) that runs
restatelint's analyzers beside its own: restatelint's findings and quick
fixes appear in any editor that uses gopls, switched on and off by name
with gopls's "analyses" setting. Point the editor's gopls at the binary it
prints (docs/integrations/editors.md).

It takes the gopls source of that release from the Go module cache or the
module proxy, adds restatelint's analyzers, and builds it with the go
command (a few minutes the first time). Supported gopls releases: %s.

Flags:
`

// Main runs `restatelint gopls args...` and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("restatelint gopls", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ver := fs.String("version", Releases[0].Version, "the gopls `release` to build")
	out := fs.String("o", "", "write the binary to `dir` (default: the user cache directory, restatelint/gopls/<release>)")
	checkout := fs.String("path", "", "build with the restatelint in this local `checkout` instead of this command's own version")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), usage, Releases[0].Version, strings.Join(Versions(), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 1
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "restatelint gopls: unexpected argument %q\n", fs.Arg(0))
		return 1
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "restatelint gopls: %v\n", err)
		return 1
	}
	rel, ok := Lookup(*ver)
	if !ok {
		return fail(fmt.Errorf("gopls %s is not supported: this restatelint builds and is tested with gopls %s (choose one with -version)",
			*ver, strings.Join(Versions(), ", ")))
	}
	cfg := Config{Release: rel, OutDir: *out, Checkout: *checkout, Log: stderr}
	if cfg.OutDir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return fail(fmt.Errorf("no user cache directory (%v): give the output directory with -o", err))
		}
		cfg.OutDir = filepath.Join(cache, "restatelint", "gopls", rel.Version)
	}
	if cfg.Checkout == "" {
		self, err := selfVersion(debug.ReadBuildInfo())
		if err != nil {
			return fail(err)
		}
		cfg.Self = self
	}
	bin, err := Build(context.Background(), cfg)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, `Built %s

gopls %s with restatelint's analyzers. Point your editor's gopls at it:

  VS Code (settings.json):   "go.alternateTools": {"gopls": %q}
  Neovim (nvim-lspconfig):   cmd = { %q }
  Helix, Zed, Emacs, others: use this path as the gopls command

Turn a restatelint analyzer off with gopls's "analyses" setting, e.g.
"analyses": {"walltime": false}. See docs/integrations/editors.md.
`, bin, rel.Version, bin, bin)
	return 0
}

// selfVersion returns the module version of the running restatelint, which
// the built gopls requires: the main module's (go install ...@version) or,
// under `go tool restatelint`, the version the user's module requires.
func selfVersion(info *debug.BuildInfo, ok bool) (string, error) {
	if !ok {
		return "", fmt.Errorf("this restatelint has no build information: pass -path with a restatelint checkout")
	}
	mod := &info.Main
	if mod.Path != ThisModule {
		mod = nil
		for _, dep := range info.Deps {
			if dep.Path == ThisModule {
				mod = dep
			}
		}
		if mod == nil {
			return "", fmt.Errorf("this binary (module %s) does not contain restatelint as a module: pass -path with a restatelint checkout", info.Main.Path)
		}
	}
	if r := mod.Replace; r != nil {
		if r.Version == "" {
			return "", fmt.Errorf("this restatelint comes from a local directory (replace %s => %s): pass that directory with -path", ThisModule, r.Path)
		}
		if r.Path != ThisModule {
			return "", fmt.Errorf("this restatelint is replaced by %s %s: pass -path with a restatelint checkout", r.Path, r.Version)
		}
		mod = r
	}
	v := mod.Version
	if v == "" || v == "(devel)" || strings.HasSuffix(v, "+dirty") {
		return "", fmt.Errorf("this restatelint was built from a source tree (version %q), not installed at a module version: pass -path with the directory of that restatelint checkout", v)
	}
	return v, nil
}
