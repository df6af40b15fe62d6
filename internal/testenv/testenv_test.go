package testenv

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that records a Skipf or Fatalf instead of acting on the
// real test. Like the real ones, both stop the goroutine that calls them.
type recorder struct {
	testing.TB
	mu      sync.Mutex
	skipped string
	failed  string
}

func (r *recorder) Helper() {}

func (r *recorder) Skipf(format string, args ...any) {
	r.mu.Lock()
	r.skipped = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.failed = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

// program runs Program against a recorder on its own goroutine, so that a Skipf or
// Fatalf ends that goroutine and not the test, and reports what happened.
func program(t *testing.T, name string) (path string, returned bool, r *recorder) {
	t.Helper()
	r = &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		path = Program(r, name)
		returned = true
	}()
	<-done
	return path, returned, r
}

// pathWith points $PATH at a fresh folder holding one executable called name.
func pathWith(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	exe := filepath.Join(dir, name)
	if err := os.WriteFile(exe, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	return exe
}

func TestProgramReturnsThePathOfAnInstalledProgram(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in program is a shell script without an .exe name")
	}
	for _, ci := range []string{"", "true"} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			want := pathWith(t, "sshcv-testenv-present")
			path, returned, r := program(t, "sshcv-testenv-present")
			if !returned || r.skipped != "" || r.failed != "" {
				t.Fatalf("Program stopped the test (skip %q, failure %q), want it to return the path", r.skipped, r.failed)
			}
			if path != want {
				t.Errorf("Program returned %q, want %q", path, want)
			}
		})
	}
}

func TestProgramSkipsWhenMissing(t *testing.T) {
	for _, ci := range []string{"", "false", "1", "TRUE"} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			t.Setenv("PATH", t.TempDir())
			_, returned, r := program(t, "sshcv-testenv-missing")
			if returned {
				t.Fatal("Program returned for a missing program, want a skip")
			}
			if r.failed != "" {
				t.Fatalf("Program failed the test with %q, want a skip when CI is not \"true\"", r.failed)
			}
			if want := "sshcv-testenv-missing is not installed; "; !strings.HasPrefix(r.skipped, want) {
				t.Errorf("the skip says %q, want it to begin %q", r.skipped, want)
			}
		})
	}
}

func TestProgramFailsWhenMissingUnderCI(t *testing.T) {
	t.Setenv("CI", "true")
	t.Setenv("PATH", t.TempDir())
	_, returned, r := program(t, "sshcv-testenv-missing")
	if returned {
		t.Fatal("Program returned for a missing program, want a failure under CI=true")
	}
	if r.skipped != "" {
		t.Fatalf("Program skipped the test with %q, want a failure under CI=true", r.skipped)
	}
	for _, want := range []string{"sshcv-testenv-missing is not installed", "CI=true requires it", ".ci/run installs it"} {
		if !strings.Contains(r.failed, want) {
			t.Errorf("the failure says %q, want it to say %q", r.failed, want)
		}
	}
}

func TestSyncBufferKeepsEveryWriteOfConcurrentWriters(t *testing.T) {
	const writers, writes = 8, 200
	var b SyncBuffer
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range writes {
				fmt.Fprintf(&b, "<%d:%d>", w, i)
			}
		})
	}
	// A reader while the writers write, as a test reads a running subprocess's output.
	wg.Go(func() {
		for range writes {
			_ = b.String()
			_ = b.Len()
		}
	})
	wg.Wait()

	got := b.String()
	if b.Len() != len(got) {
		t.Errorf("Len is %d, but String holds %d bytes", b.Len(), len(got))
	}
	if n := strings.Count(got, "<"); n != writers*writes {
		t.Errorf("the buffer holds %d writes, want %d", n, writers*writes)
	}
	for w := range writers {
		for i := range writes {
			if s := fmt.Sprintf("<%d:%d>", w, i); !strings.Contains(got, s) {
				t.Fatalf("the write %s is missing from the buffer", s)
			}
		}
	}
}

func TestSyncBufferZeroValueIsEmpty(t *testing.T) {
	var b SyncBuffer
	if b.String() != "" || b.Len() != 0 {
		t.Fatalf("a new SyncBuffer holds %q (Len %d), want nothing", b.String(), b.Len())
	}
	if n, err := b.Write([]byte("abc")); n != 3 || err != nil {
		t.Fatalf("Write returned %d, %v; want 3, nil", n, err)
	}
	if b.String() != "abc" || b.Len() != 3 {
		t.Fatalf("after writing \"abc\" the buffer holds %q (Len %d)", b.String(), b.Len())
	}
}

func TestFreeLoopbackAddrIsAFreeLoopbackPort(t *testing.T) {
	addr := FreeLoopbackAddr(t)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("FreeLoopbackAddr returned %q: %v", addr, err)
	}
	if host != "127.0.0.1" {
		t.Errorf("FreeLoopbackAddr returned host %q, want 127.0.0.1", host)
	}
	if p, err := strconv.Atoi(port); err != nil || p <= 0 || p > 65535 {
		t.Errorf("FreeLoopbackAddr returned port %q, want a port number above 0", port)
	}
	// Nothing listens there: the listener is closed, so the address can be taken again.
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listening on %s, which FreeLoopbackAddr returned: %v", addr, err)
	}
	l.Close()
}
