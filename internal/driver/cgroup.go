package driver

import (
	"bufio"
	"bytes"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// cgroupMemoryLimit returns the memory limit, in bytes, of the cgroup the
// process runs in: the smallest limit on the path from its own cgroup up
// to the root of the hierarchy (a parent's limit binds its children),
// taken over the cgroup v1 memory controller (memory.limit_in_bytes) and
// cgroup v2 (memory.max) where both are mounted. 0 means no limit, or not
// known. root is "/" except in tests: the files read are
// root/proc/self/cgroup, root/proc/self/mountinfo and the limit files below
// the mount points mountinfo lists.
func cgroupMemoryLimit(root string) uint64 {
	cgroups, err := os.ReadFile(filepath.Join(root, "proc", "self", "cgroup"))
	if err != nil {
		return 0
	}
	mountinfo, err := os.ReadFile(filepath.Join(root, "proc", "self", "mountinfo"))
	if err != nil {
		return 0
	}
	var v1Path, v2Path string // the process's cgroup in each hierarchy
	v1Found, v2Found := false, false
	for _, line := range strings.Split(string(cgroups), "\n") {
		// hierarchy-ID:controller-list:cgroup-path
		id, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		controllers, p, ok := strings.Cut(rest, ":")
		if !ok {
			continue
		}
		switch {
		case id == "0" && controllers == "":
			v2Path, v2Found = p, true
		case containsField(controllers, ",", "memory"):
			v1Path, v1Found = p, true
		}
	}
	var limit uint64
	lower := func(l uint64) {
		if l > 0 && (limit == 0 || l < limit) {
			limit = l
		}
	}
	for _, m := range cgroupMounts(mountinfo) {
		switch {
		case m.v2 && v2Found:
			lower(smallestLimit(root, m, v2Path, "memory.max"))
		case !m.v2 && m.memory && v1Found:
			lower(smallestLimit(root, m, v1Path, "memory.limit_in_bytes"))
		}
	}
	return limit
}

// A cgroupMount is a cgroup file system in /proc/self/mountinfo.
type cgroupMount struct {
	root       string // the cgroup the mount shows at its mount point
	mountPoint string
	v2         bool // cgroup2; otherwise cgroup v1
	memory     bool // v1: the memory controller is mounted here
}

// cgroupMounts parses mountinfo lines:
//
//	36 35 98:0 /root /mnt/point rw,noatime shared:1 - cgroup cgroup rw,memory
//
// (mount ID, parent ID, device, root, mount point, options, optional
// fields up to "-", file system type, source, super options).
func cgroupMounts(mountinfo []byte) []cgroupMount {
	var out []cgroupMount
	sc := bufio.NewScanner(bytes.NewReader(mountinfo))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		sep := -1
		for i, f := range fields {
			if f == "-" && i >= 6 {
				sep = i
				break
			}
		}
		if sep < 0 || sep+1 >= len(fields) {
			continue
		}
		fstype, super := fields[sep+1], ""
		if sep+3 < len(fields) {
			super = fields[sep+3]
		}
		m := cgroupMount{root: unescapeMount(fields[3]), mountPoint: unescapeMount(fields[4])}
		switch fstype {
		case "cgroup2":
			m.v2 = true
		case "cgroup":
			m.memory = containsField(super, ",", "memory")
		default:
			continue
		}
		out = append(out, m)
	}
	return out
}

// smallestLimit reads file in the process's cgroup (cgroupPath, as
// /proc/self/cgroup names it) and in each of its ancestors visible under
// the mount, and returns the smallest limit (0: unlimited everywhere).
func smallestLimit(root string, m cgroupMount, cgroupPath, file string) uint64 {
	// The mount shows the cgroup m.root at m.mountPoint (a container's
	// own cgroup, say); a process in a cgroup namespace sees paths
	// relative to the namespace's root, which is what its mounts show
	// ("/"). A cgroup outside what the mount shows is not readable there.
	rel, ok := strings.CutPrefix(path.Clean(cgroupPath), path.Clean(m.root))
	if m.root == "/" {
		rel, ok = path.Clean(cgroupPath), true
	}
	if !ok || rel != "" && !strings.HasPrefix(rel, "/") {
		return 0
	}
	rel = strings.TrimPrefix(rel, "/")
	var limit uint64
	for {
		dir := filepath.Join(root, m.mountPoint, filepath.FromSlash(rel))
		if l := readLimit(filepath.Join(dir, file)); l > 0 && (limit == 0 || l < limit) {
			limit = l
		}
		if rel == "" || rel == "." {
			return limit
		}
		rel = path.Dir(rel)
		if rel == "." {
			rel = ""
		}
	}
}

// unlimitedV1 is the smallest value cgroup v1 reports for "no limit"
// (PAGE_COUNTER_MAX pages, rounded down to the page size; the exact
// value depends on the page size).
const unlimitedV1 = 1 << 62

// readLimit reads a limit file: a number of bytes, or "max" (v2) or a
// number near 2^63 (v1) for no limit, which it returns as 0.
func readLimit(name string) uint64 {
	data, err := os.ReadFile(name)
	if err != nil {
		return 0
	}
	s := strings.TrimSpace(string(data))
	if s == "max" {
		return 0
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n >= unlimitedV1 {
		return 0
	}
	return n
}

func containsField(list, sep, field string) bool {
	for _, f := range strings.Split(list, sep) {
		if f == field {
			return true
		}
	}
	return false
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
