// Package testenv holds what the end-to-end tests of several packages need from the
// machine they run on: an outside program (ssh, tmux, haproxy, chromium, ...), a
// loopback port nothing listens on, and a buffer a running subprocess writes to while
// the test reads it.
//
// Each test package used to carry its own copy of these helpers, and the copies had
// drifted apart in wording and in how they treated CI. Keeping one copy here keeps
// one rule for every package: a missing program skips the test on a developer's
// machine, but fails it when CI=true, because .ci/run installs every program the
// tests use and a skip there would hide a test that never ran.
//
// The package is imported only by _test.go files.
package testenv

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"sync"
	"testing"
)

// Program returns the path of the outside program name, found on $PATH. When it is
// missing, the test is skipped, or failed when the environment variable CI is
// "true". Checks beyond "is it installed" (a version, a second condition) belong to
// the caller.
func Program(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (%v); CI=true requires it: .ci/run installs it", name, err)
		}
		t.Skipf("%s is not installed; skipping this test, which runs it (.ci/run installs it; with CI=true this is a failure)", name)
	}
	return path
}

// SyncBuffer is a bytes.Buffer behind a mutex, for a subprocess's output that the test
// reads while the subprocess still writes it. The zero value is an empty buffer ready
// to use.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Len returns how many bytes have been written so far.
func (b *SyncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

// FreeLoopbackAddr returns a 127.0.0.1:PORT address that nothing listens on right
// now: the port the system picked for a listener the function then closed. Another
// process could take the port before the test uses it; the tests accept that small
// risk.
func FreeLoopbackAddr(t testing.TB) string {
	t.Helper()
	var lc net.ListenConfig
	l, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// ArtifactsDir is where a test saves what a person should look at (screenshots, page
// pictures): $SSHCV_ARTIFACTS when set, so that CI keeps them, else a temporary folder.
func ArtifactsDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv("SSHCV_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil { //nolint:gosec // the folder the person running the tests chose
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}
