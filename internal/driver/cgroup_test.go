package driver

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCgroupMemoryLimit reads limits from fake /proc and /sys trees laid
// out as the kernel does for cgroup v1, v2, both, and containers.
func TestCgroupMemoryLimit(t *testing.T) {
	const (
		gib         = 1 << 30
		v1Unlimited = "9223372036854771712" // 4 KiB pages
		v1Mount     = "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
		v2Mount     = "40 30 0:36 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
		otherMounts = "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n" +
			"22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
	)
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  uint64
	}{
		{"v1, limit on the own cgroup", map[string]string{
			"proc/self/cgroup":                                   "5:cpu:/\n4:memory:/ci/job7\n0::/\n",
			"proc/self/mountinfo":                                otherMounts + v1Mount,
			"sys/fs/cgroup/memory/memory.limit_in_bytes":         v1Unlimited,
			"sys/fs/cgroup/memory/ci/memory.limit_in_bytes":      v1Unlimited,
			"sys/fs/cgroup/memory/ci/job7/memory.limit_in_bytes": "2147483648\n",
		}, 2 * gib},
		{"v1, limit on a parent (nested)", map[string]string{
			"proc/self/cgroup":                                         "4:memory:/ci/job7/step2\n",
			"proc/self/mountinfo":                                      v1Mount,
			"sys/fs/cgroup/memory/ci/memory.limit_in_bytes":            "1073741824",
			"sys/fs/cgroup/memory/ci/job7/memory.limit_in_bytes":       "3221225472",
			"sys/fs/cgroup/memory/ci/job7/step2/memory.limit_in_bytes": v1Unlimited,
		}, 1 * gib},
		{"v1, unlimited", map[string]string{
			"proc/self/cgroup":                                           "4:memory:/process_api/abc\n",
			"proc/self/mountinfo":                                        v1Mount,
			"sys/fs/cgroup/memory/memory.limit_in_bytes":                 v1Unlimited,
			"sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes": v1Unlimited,
		}, 0},
		{"v1, container: the mount shows the container's own cgroup", map[string]string{
			"proc/self/cgroup":                           "4:memory:/docker/0123abcd\n",
			"proc/self/mountinfo":                        "34 30 0:31 /docker/0123abcd /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes": "536870912",
		}, gib / 2},
		{"v1, memory mounted with other controllers", map[string]string{
			"proc/self/cgroup":    "4:cpu,memory:/job\n",
			"proc/self/mountinfo": "34 30 0:31 / /sys/fs/cgroup/cpu,memory rw - cgroup cgroup rw,cpu,memory\n",
			"sys/fs/cgroup/cpu,memory/job/memory.limit_in_bytes": "1073741824",
		}, gib},
		{"v2, limit on the own cgroup", map[string]string{
			"proc/self/cgroup":                 "0::/ci/job7\n",
			"proc/self/mountinfo":              otherMounts + v2Mount,
			"sys/fs/cgroup/ci/memory.max":      "max\n",
			"sys/fs/cgroup/ci/job7/memory.max": "1073741824\n",
		}, gib},
		{"v2, limit on a parent (nested)", map[string]string{
			"proc/self/cgroup":                       "0::/ci/job7/step2\n",
			"proc/self/mountinfo":                    v2Mount,
			"sys/fs/cgroup/ci/memory.max":            "4294967296",
			"sys/fs/cgroup/ci/job7/memory.max":       "max",
			"sys/fs/cgroup/ci/job7/step2/memory.max": "max",
		}, 4 * gib},
		{"v2, unlimited", map[string]string{
			"proc/self/cgroup":                                    "0::/user.slice/session-1.scope\n",
			"proc/self/mountinfo":                                 v2Mount,
			"sys/fs/cgroup/user.slice/memory.max":                 "max",
			"sys/fs/cgroup/user.slice/session-1.scope/memory.max": "max",
		}, 0},
		{"v2, container with a cgroup namespace", map[string]string{
			"proc/self/cgroup":         "0::/\n",
			"proc/self/mountinfo":      "500 400 0:36 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n",
			"sys/fs/cgroup/memory.max": "2147483648",
		}, 2 * gib},
		{"v1 and v2 (hybrid): the smaller", map[string]string{
			"proc/self/cgroup":                             "4:memory:/a\n0::/b\n",
			"proc/self/mountinfo":                          v1Mount + "41 30 0:37 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n",
			"sys/fs/cgroup/memory/a/memory.limit_in_bytes": "3221225472",
			"sys/fs/cgroup/unified/b/memory.max":           "2147483648",
		}, 2 * gib},
		{"a mount point with a space", map[string]string{
			"proc/self/cgroup":                "0::/job\n",
			"proc/self/mountinfo":             `40 30 0:36 / /sys/fs/cgroup\040v2 rw - cgroup2 cgroup2 rw` + "\n",
			"sys/fs/cgroup v2/job/memory.max": "1073741824",
		}, gib},
		{"a sibling whose name extends the mount root is not the mount", map[string]string{
			"proc/self/cgroup":                           "4:memory:/docker/abcdef\n",
			"proc/self/mountinfo":                        "34 30 0:31 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes": "1073741824",
		}, 0},
		{"no cgroup files", map[string]string{}, 0},
		{"garbage", map[string]string{
			"proc/self/cgroup":    "nonsense\n::\n",
			"proc/self/mountinfo": "- cgroup2\n1 2 3\n",
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for name, data := range tc.files {
				path := filepath.Join(root, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := cgroupMemoryLimit(root); got != tc.want {
				t.Errorf("cgroupMemoryLimit = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestGCMemoryLimit(t *testing.T) {
	const gib = 1 << 30
	for _, tc := range []struct{ physical, container, want uint64 }{
		{64 * gib, 0, 16 * gib},  // a quarter of the machine
		{2 * gib, 0, gib},        // at least 1 GiB
		{0, 0, gib},              // unknown
		{64 * gib, 2 * gib, gib}, // half the container's limit
		{64 * gib, gib, gib / 2}, // below the 1 GiB floor
		{4 * gib, 16 * gib, gib}, // a container limit above the machine's
	} {
		if got := gcMemoryLimit(tc.physical, tc.container); got != tc.want {
			t.Errorf("gcMemoryLimit(%d, %d) = %d, want %d", tc.physical, tc.container, got, tc.want)
		}
	}
}
