package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// userHZ is the unit of the CPU times in /proc/PID/stat. Linux fixes it at 100 for
// every program reading /proc, whatever the kernel's own tick rate.
const userHZ = 100

// procCPU returns the CPU time (user + system) the process has used so far.
func procCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseProcStatCPU(data)
}

// parseProcStatCPU reads utime and stime (fields 14 and 15) from a /proc/PID/stat
// line. The command name (field 2) is in parentheses and may hold spaces, so fields
// are counted from the last ')'.
func parseProcStatCPU(data []byte) (time.Duration, error) {
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return 0, fmt.Errorf("/proc stat: no command name in %q", data)
	}
	fields := strings.Fields(string(data[end+1:]))
	// fields[0] is field 3 (state); utime is field 14, stime field 15.
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc stat: only %d fields after the command name", len(fields))
	}
	var ticks int64
	for _, f := range fields[11:13] {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat: CPU time %q: %v", f, err)
		}
		ticks += v
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// procMemory is the memory figures of /proc/PID/status, in bytes.
type procMemory struct {
	RSS  int64 // VmRSS: resident now
	Peak int64 // VmHWM: highest resident since start or the last resetPeakRSS
}

func readProcMemory(pid int) (procMemory, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procMemory{}, err
	}
	return parseProcStatus(data)
}

// parseProcStatus reads VmRSS and VmHWM ("VmRSS:   12345 kB") from /proc/PID/status.
func parseProcStatus(data []byte) (procMemory, error) {
	var m procMemory
	var haveRSS bool
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		f := strings.Fields(value)
		if len(f) != 2 || f[1] != "kB" {
			return m, fmt.Errorf("/proc status: %s: unexpected %q", name, value)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return m, fmt.Errorf("/proc status: %s: %v", name, err)
		}
		if name == "VmRSS" {
			m.RSS, haveRSS = kb*1024, true
		} else {
			m.Peak = kb * 1024
		}
	}
	if !haveRSS {
		return m, fmt.Errorf("/proc status: no VmRSS line (is the process a zombie?)")
	}
	return m, nil
}

// resetPeakRSS sets the process's VmHWM back to its current RSS (writing 5 to
// /proc/PID/clear_refs), so that the next peak belongs to the coming round. It needs
// the right to write there (same user, or root); without it the sampled peak is used.
func resetPeakRSS(pid int) bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
}

// rssSampler records the highest RSS seen while it runs, for when VmHWM cannot be
// reset and to catch peaks between the round's start and end readings.
type rssSampler struct {
	pid  int
	stop chan struct{}
	done chan struct{}

	mu   sync.Mutex
	peak int64
}

func startRSSSampler(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			s.sample()
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *rssSampler) sample() {
	m, err := readProcMemory(s.pid)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.peak = max(s.peak, m.RSS)
	s.mu.Unlock()
}

// finish stops sampling and returns the highest RSS seen.
func (s *rssSampler) finish() int64 {
	close(s.stop)
	<-s.done
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}
