package driver

import "syscall"

// physicalMemory returns the machine's RAM in bytes, 0 if unknown.
func physicalMemory() uint64 {
	var info syscall.Sysinfo_t
	if err := syscall.Sysinfo(&info); err != nil {
		return 0
	}
	return uint64(info.Totalram) * uint64(info.Unit)
}

// containerMemoryLimit returns the memory limit of the process's cgroup
// (v1 or v2), 0 if there is none.
func containerMemoryLimit() uint64 { return cgroupMemoryLimit("/") }
