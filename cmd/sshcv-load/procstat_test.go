package main

import (
	"os"
	"testing"
	"time"
)

func TestParseProcStat(t *testing.T) {
	// A command name with spaces and parentheses; utime 250 and stime 130 ticks.
	line := "4242 (my (odd) server) S 1 4242 4242 0 -1 4194560 1500 0 0 0 250 130 0 0 20 0 9 0 100 1000000 300 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
	got, err := parseProcStatCPU([]byte(line))
	if err != nil || got != 3800*time.Millisecond {
		t.Errorf("parseProcStatCPU = %v, %v; want 3.8s", got, err)
	}
	if _, err := parseProcStatCPU([]byte("4242 (x) S 1 2")); err == nil {
		t.Error("a truncated stat line was accepted")
	}
}

func TestParseProcStatus(t *testing.T) {
	status := "Name:\tsshcv\nVmPeak:\t  900000 kB\nVmHWM:\t   51200 kB\nVmRSS:\t   40960 kB\nThreads:\t9\n"
	got, err := parseProcStatus([]byte(status))
	if err != nil || got.RSS != 40960*1024 || got.Peak != 51200*1024 {
		t.Errorf("parseProcStatus = %+v, %v", got, err)
	}
	if _, err := parseProcStatus([]byte("Name:\tzombie\nState:\tZ (zombie)\n")); err == nil {
		t.Error("status without VmRSS was accepted")
	}
}

func TestReadOwnProc(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc on this system")
	}
	if _, err := procCPU(os.Getpid()); err != nil {
		t.Errorf("procCPU(self): %v", err)
	}
	m, err := readProcMemory(os.Getpid())
	if err != nil || m.RSS <= 0 || m.Peak < m.RSS {
		t.Errorf("readProcMemory(self) = %+v, %v", m, err)
	}
	s := startRSSSampler(os.Getpid(), time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	if peak := s.finish(); peak <= 0 {
		t.Errorf("sampled peak RSS %d", peak)
	}
}
