package driver

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// printVersion prints what a bug report needs (restatelint version and
// restatelint -version): the module version from the build information,
// "(devel)" for a build from a checkout (with the VCS revision, its time
// and whether the tree was modified, when the go command recorded them),
// the Go version and platform, and the binary's own notes (opts.About:
// the SDK versions restatelint supports).
//
//	restatelint v0.4.0
//	restatelint (devel) revision 2c3a23f0d1e2 2026-12-05T23:10:00Z, modified
//
// (Since Go 1.24 a build in a git checkout gets a pseudo-version such as
// v0.0.0-20261205231000-2c3a23f0d1e2+dirty instead of "(devel)"; the
// revision is printed with it.)
func printVersion(w io.Writer, progname string, opts Options) {
	version, vcs := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		vcs = vcsSummary(bi.Settings)
	}
	fmt.Fprintf(w, "%s %s", progname, version)
	if vcs != "" {
		fmt.Fprintf(w, " %s", vcs)
	}
	fmt.Fprintf(w, "\nbuilt with %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	for _, line := range opts.About {
		fmt.Fprintln(w, line)
	}
}

// vcsSummary renders the vcs.* build settings: "revision R TIME[, modified]",
// or "" when the binary was not built in a checkout (go install m@v).
func vcsSummary(settings []debug.BuildSetting) string {
	var rev, at, modified string
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return ""
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	out := "revision " + rev
	if at != "" {
		out += " " + at
	}
	if modified == "true" {
		out += ", modified"
	}
	return out
}
