// Package goplsbuild builds a gopls that carries restatelint's analyzers:
// `restatelint gopls`. gopls cannot load third-party analyzers
// (golang/go#59869), but its analyzer list is one package-level variable,
// so a copy of a gopls release with one added file runs restatelint beside
// gopls's own analyzers, with all of gopls's features, configured through
// gopls's own `analyses` setting.
//
// The recipe, like `golangci-lint custom`'s: take the release's module
// source from the module cache (downloading it through the module proxy),
// copy it without tests, add the registration file of Releases to
// internal/settings, require restatelint (the running command's own module
// version, or a local checkout through a replace directive), pin
// golang.org/x/tools to the version the release requires (restatelint's
// newer requirement would otherwise win, and gopls uses x/tools internals
// that move between versions), go mod tidy, go build.
package goplsbuild

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/version"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/mod/modfile"
)

const (
	goplsModule = "golang.org/x/tools/gopls"
	toolsModule = "golang.org/x/tools"
	// ThisModule is restatelint's module path.
	ThisModule = "github.com/restatelint/restatelint"
	// placeholder is the version required of restatelint when a replace
	// directive points it at a checkout.
	placeholder = "v0.0.0-00010101000000-000000000000"
)

// Config says what to build.
type Config struct {
	Release Release
	OutDir  string // where the binary is written

	// Exactly one of Checkout and Self is set: the directory of a
	// restatelint checkout (replace directive), or the module version of
	// restatelint to require.
	Checkout string
	Self     string

	Log io.Writer // progress, one line per step; may be nil
	Env []string  // extra environment for the go command (KEY=VALUE)
}

// BinaryName is the file name of the built gopls.
func BinaryName() string {
	if runtime.GOOS == "windows" {
		return "gopls.exe"
	}
	return "gopls"
}

// Build builds gopls as cfg says and returns the binary's path.
func Build(ctx context.Context, cfg Config) (string, error) {
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, format+"\n", args...)
		}
	}
	rel := cfg.Release
	if err := checkToolchain(ctx, rel, cfg.Env); err != nil {
		return "", err
	}
	work, err := os.MkdirTemp("", "restatelint-gopls")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	env := append([]string{"GOWORK=off", "GOFLAGS=-mod=mod"}, cfg.Env...)

	logf("downloading %s@%s", goplsModule, rel.Version)
	out, err := goCmd(ctx, work, env, "mod", "download", "-json", goplsModule+"@"+rel.Version)
	var dl struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &dl); err != nil || jerr != nil || dl.Dir == "" {
		if dl.Error != "" {
			return "", fmt.Errorf("downloading gopls %s: %s", rel.Version, dl.Error)
		}
		return "", fmt.Errorf("downloading gopls %s: %v", rel.Version, err)
	}

	src := filepath.Join(work, "src")
	if err := copyModule(dl.Dir, src); err != nil {
		return "", fmt.Errorf("copying gopls %s: %v", rel.Version, err)
	}
	if err := checkToolsPin(ctx, src, env, rel); err != nil {
		return "", err
	}

	edit := []string{"mod", "edit", "-replace=" + toolsModule + "=" + toolsModule + "@" + rel.Tools}
	if cfg.Checkout != "" {
		abs, err := checkCheckout(cfg.Checkout)
		if err != nil {
			return "", err
		}
		edit = append(edit, "-require="+ThisModule+"@"+placeholder, "-replace="+ThisModule+"="+abs)
		logf("restatelint from %s", abs)
	} else {
		edit = append(edit, "-require="+ThisModule+"@"+cfg.Self)
		logf("restatelint %s", cfg.Self)
	}
	if _, err := goCmd(ctx, src, env, edit...); err != nil {
		return "", err
	}
	register := filepath.Join(src, "internal", "settings", "restatelint.go")
	if err := os.WriteFile(register, []byte(rel.Register), 0o644); err != nil {
		return "", err
	}

	logf("resolving modules (go mod tidy)")
	if _, err := goCmd(ctx, src, env, "mod", "tidy"); err != nil {
		return "", err
	}
	logf("building (a few minutes the first time, seconds once the Go build cache is warm)")
	tmp := filepath.Join(work, BinaryName())
	ldflags := "-X main.version=" + rel.Version + "+restatelint" // gopls's main sets internal/version.VersionOverride from it
	if _, err := goCmd(ctx, src, env, "build", "-trimpath", "-ldflags", ldflags, "-o", tmp, "."); err != nil {
		return "", err
	}
	return install(tmp, cfg.OutDir)
}

// checkToolchain fails early, before anything is downloaded, when the go
// command is older than the release requires and may not switch to a newer
// toolchain (GOTOOLCHAIN=local, or a pinned version without +auto).
func checkToolchain(ctx context.Context, rel Release, extraEnv []string) error {
	out, err := goCmd(ctx, os.TempDir(), append([]string{"GOWORK=off"}, extraEnv...), "env", "GOVERSION", "GOTOOLCHAIN")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return fmt.Errorf("go env GOVERSION GOTOOLCHAIN: unexpected output %q", out)
	}
	return toolchainError(rel, lines[0], lines[1])
}

// toolchainError reports why goVersion (`go env GOVERSION`) with the
// GOTOOLCHAIN setting cannot build rel, or nil.
func toolchainError(rel Release, goVersion, toolchain string) error {
	if !version.IsValid(goVersion) || version.Compare(goVersion, rel.Go) >= 0 {
		return nil // a development toolchain, or new enough
	}
	if toolchain == "auto" || toolchain == "path" || strings.HasSuffix(toolchain, "+auto") || strings.HasSuffix(toolchain, "+path") {
		return nil // the go command switches to a newer toolchain itself
	}
	need := strings.TrimPrefix(rel.Go, "go")
	return fmt.Errorf("gopls %s needs Go %s or newer (the go directive of its go.mod), but the go command is %s and GOTOOLCHAIN=%s does not let it switch: install Go %s or newer, or run with GOTOOLCHAIN=go%s (or GOTOOLCHAIN=auto)",
		rel.Version, need, goVersion, toolchain, need, need)
}

// checkToolsPin checks that the release's go.mod requires the x/tools
// version the table says (module versions are immutable, so a mismatch is
// a wrong row in Releases).
func checkToolsPin(ctx context.Context, dir string, env []string, rel Release) error {
	out, err := goCmd(ctx, dir, env, "mod", "edit", "-json")
	if err != nil {
		return err
	}
	var mod struct {
		Go      string
		Require []struct{ Path, Version string }
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return fmt.Errorf("reading gopls %s go.mod: %v", rel.Version, err)
	}
	if "go"+mod.Go != rel.Go {
		return fmt.Errorf("gopls %s's go.mod says go %s, restatelint's table says %s", rel.Version, mod.Go, rel.Go)
	}
	for _, r := range mod.Require {
		if r.Path == toolsModule {
			if r.Version != rel.Tools {
				return fmt.Errorf("gopls %s requires %s %s, restatelint's table says %s", rel.Version, toolsModule, r.Version, rel.Tools)
			}
			return nil
		}
	}
	return fmt.Errorf("gopls %s does not require %s", rel.Version, toolsModule)
}

// checkCheckout returns the absolute directory of a restatelint checkout.
func checkCheckout(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(filepath.Join(abs, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("-path %s: not a restatelint checkout: %v", dir, err)
	}
	if path := modfile.ModulePath(data); path != ThisModule {
		return "", fmt.Errorf("-path %s: go.mod declares module %q, not %s", dir, path, ThisModule)
	}
	return abs, nil
}

// copyModule copies a module's files from the (read-only) module cache,
// leaving out tests and test data, which the binary does not need and
// whose dependencies go mod tidy would otherwise fetch.
func copyModule(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(d.Name(), "_test.go") || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// install moves the built binary into dir, replacing an older one (also
// one an editor is running: the rename leaves the running file alone).
func install(bin, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	abs, err := filepath.Abs(filepath.Join(dir, BinaryName()))
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return "", err
	}
	staged := fmt.Sprintf("%s.%d.tmp", abs, os.Getpid())
	if err := os.WriteFile(staged, data, 0o755); err != nil {
		return "", err
	}
	if err := os.Rename(staged, abs); err != nil {
		os.Remove(staged)
		return "", err
	}
	return abs, nil
}

// goCmd runs the go command in dir and returns its standard output; the
// error carries its standard error.
func goCmd(ctx context.Context, dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}
