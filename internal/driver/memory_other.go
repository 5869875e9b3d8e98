//go:build !linux

package driver

// physicalMemory returns 0 (unknown) where the OS is not asked: the
// driver then uses the 1 GiB floor of gcMemoryLimit.
func physicalMemory() uint64 { return 0 }

// containerMemoryLimit returns 0: cgroups exist on Linux only.
func containerMemoryLimit() uint64 { return 0 }
