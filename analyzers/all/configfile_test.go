package all_test

import (
	"strings"
	"testing"

	"github.com/restatelint/restatelint/analyzers/all"
	"github.com/restatelint/restatelint/internal/configfile"
	"github.com/restatelint/restatelint/internal/options"
)

// TestConfigFileKeys: restatelint.toml accepts exactly the keys every
// driver accepts (docs/configuration.md) but reach, which turns nothing
// on or off; each in the file means what it means as a flag.
func TestConfigFileKeys(t *testing.T) {
	for _, key := range options.Keys(all.Analyzers()) {
		value := "true"
		switch key {
		case "reach.scope":
			value = "example.com/platform"
		case "sideeffect.sinks", "sideeffect.allow":
			value = "example.com/pay.Client.Charge"
		}
		f := &configfile.File{Path: "restatelint.toml", Entries: []configfile.Entry{{Key: key, Value: value, Line: 7}}}
		err := all.CheckConfig(f)
		if key == "memstate.quiet" {
			if err == nil || !strings.Contains(err.Error(), "memstate.quiet cannot be set in restatelint.toml yet") {
				t.Errorf("memstate.quiet: %v", err)
			}
			continue
		}
		if key == "reach" {
			if err == nil || !strings.HasPrefix(err.Error(), "restatelint.toml:7: reach reports nothing") {
				t.Errorf("reach = true: %v", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s = %s: %v", key, value, err)
		}
	}
	f := &configfile.File{Path: "restatelint.toml", Entries: []configfile.Entry{{Key: "walltime.scope", Value: "x", Line: 2}}}
	if err := all.CheckConfig(f); err == nil || !strings.HasPrefix(err.Error(), `restatelint.toml:2: unknown key "walltime.scope"`) {
		t.Errorf("unknown key: %v", err)
	}
}
