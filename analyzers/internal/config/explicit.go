package config

import (
	"flag"
	"sync"
	"sync/atomic"
)

// explicit records which option keys a driver set, and a generation
// number that changes with every set (settings built before are stale).
var (
	explicitMu  sync.Mutex
	explicitSet = make(map[string]bool)
	generation  atomic.Int64
)

func isExplicit(key string) bool {
	explicitMu.Lock()
	defer explicitMu.Unlock()
	return explicitSet[key]
}

// Flag returns the flag.Value an analyzer binds for the option key
// ("reach.scope"): v, recording that the driver set it, so that the
// driver's value wins over restatelint.toml.
func Flag(key string, v flag.Value) flag.Value { return &explicitValue{v, key} }

type explicitValue struct {
	flag.Value
	key string
}

func (e *explicitValue) Set(s string) error {
	if err := e.Value.Set(s); err != nil {
		return err
	}
	explicitMu.Lock()
	explicitSet[e.key] = true
	explicitMu.Unlock()
	generation.Add(1)
	return nil
}

// ResetExplicit forgets which options drivers set (for tests that run
// several configurations in one process).
func ResetExplicit() {
	explicitMu.Lock()
	clear(explicitSet)
	explicitMu.Unlock()
	generation.Add(1)
}
