package driver

import (
	"runtime/debug"
	"testing"
)

func TestVCSSummary(t *testing.T) {
	for _, tc := range []struct {
		settings []debug.BuildSetting
		want     string
	}{
		{nil, ""}, // go install m@v: no VCS information
		{[]debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "2c3a23f0d1e2a3b4c5d6e7f8091a2b3c4d5e6f70"},
			{Key: "vcs.time", Value: "2026-12-05T23:10:00Z"}, {Key: "vcs.modified", Value: "false"}},
			"revision 2c3a23f0d1e2 2026-12-05T23:10:00Z"},
		{[]debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}},
			"revision abc, modified"},
	} {
		if got := vcsSummary(tc.settings); got != tc.want {
			t.Errorf("vcsSummary(%v) = %q, want %q", tc.settings, got, tc.want)
		}
	}
}
