package driver

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/restatelint/restatelint/internal/configfile"
)

// isToolIDQuery reports whether args are the go command's -V=full query,
// which it asks once per go vet or go fix run, in its own working
// directory, to key its cache of every package's results.
func isToolIDQuery(args []string) bool {
	return slices.Contains(args, "-V=full") || slices.Contains(args, "--V=full")
}

// printToolID answers -V=full as unitchecker does (a "devel" version and a
// buildID the go command keys its cache with), the digest covering the
// executable and the restatelint.toml that applies where go vet runs:
// the go command caches a package's analysis by its inputs, which do not
// include that file, so without this an edited file would leave packages
// analyzed before with their old results.
func printToolID(w io.Writer, progname string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	f, err := os.Open(exe)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if wd, err := os.Getwd(); err == nil {
		h.Write(configfile.Hash(wd))
	}
	_, err = fmt.Fprintf(w, "%s version devel comments-go-here buildID=%02x\n", progname, h.Sum(nil))
	return err
}
