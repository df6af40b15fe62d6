package server

import (
	"bytes"
	"strings"
	"testing"
)

// TestPanicInInputEndsOnlyThatSession injects a panic in the input path (on the
// decoder's goroutine): the session that sent the input ends with the apology,
// its terminal restored and exit status 1; the log has the panic's stack and
// the session's id; the panic is counted; another session goes on being served.
func TestPanicInInputEndsOnlyThatSession(t *testing.T) {
	filterTestHook = func(b []byte) {
		if bytes.Contains(b, []byte("\x00boom")) {
			panic("injected in the input path")
		}
	}
	t.Cleanup(func() { filterTestHook = nil })
	rec := &recorder{}
	ts := startServer(t, func(c *Config) { c.Observer = rec })
	victim := openTerminal(t, ts.addr, "rohit", terminalOptions{width: 80, height: 24, answerQueries: true})
	other := openTerminal(t, ts.addr, "rohit", terminalOptions{width: 80, height: 24, answerQueries: true})
	victim.waitFor("Rohit Gupta")
	other.waitFor("Rohit Gupta")

	victim.send("\x00boom")
	if status := victim.wait(); status != 1 {
		t.Errorf("exit status %d after a panic, want 1", status)
	}
	assertRestored(t, victim.out.String())
	assertLastLine(t, victim, msgSorry)
	rec.waitFor(t, "panicked")
	ts.waitForLog(t, "panic in a session")
	ts.waitForLog(t, "outcome=panic")
	logs := ts.logs.String()
	for _, want := range []string{"injected in the input path", "server.(*inputGuard).filter", "outcome=panic"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}

	mark := other.out.Len()
	other.send("?")
	waitForAfter(t, other, mark, "quit")
	other.send("q")
	if status := other.wait(); status != 0 {
		t.Errorf("the other session ended with status %d", status)
	}
}

// assertRestored checks that what a client received leaves its terminal as it
// was: the alternate screen left, the cursor shown, mouse reporting, bracketed
// paste and the keyboard protocols off, after anything that turned them on.
func assertRestored(t *testing.T, out string) {
	t.Helper()
	restores := []struct{ on, off, what string }{
		{"\x1b[?1049h", "\x1b[?1049l", "the alternate screen"},
		{"\x1b[?25l", "\x1b[?25h", "the hidden cursor"},
		{"\x1b[?1002h", "\x1b[?1002l", "mouse reporting (button events)"},
		{"\x1b[?1003h", "\x1b[?1003l", "mouse reporting (all motion)"},
		{"\x1b[?1006h", "\x1b[?1006l", "SGR mouse"},
		{"\x1b[?2004h", "\x1b[?2004l", "bracketed paste"},
		{"\x1b[>1u", "\x1b[<u", "the kitty keyboard protocol"},
		{"\x1b[>4;1m", "\x1b[>4;0m", "modifyOtherKeys"},
	}
	for _, r := range restores {
		on := strings.LastIndex(out, r.on)
		if on < 0 {
			continue
		}
		if off := strings.LastIndex(out, r.off); off < on {
			t.Errorf("%s was turned on (%q) and never off (%q) after it", r.what, r.on, r.off)
		}
	}
	if !strings.Contains(out, "\x1b[?1049h") {
		t.Error("the alternate screen was never entered: the check proves nothing")
	}
}
