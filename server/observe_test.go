package server

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is an Observer that writes down what it was told.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf(format, args...))
}

// has reports whether the recorder was told event.
func (r *recorder) has(event string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if e == event {
			return true
		}
	}
	return false
}

func (r *recorder) SessionStarted(profile string) { r.add("started %s", profile) }
func (r *recorder) SessionEnded(profile, outcome string, d time.Duration, bytesOut int64) {
	r.add("ended %s %s positive=%v", profile, outcome, d > 0 && bytesOut > 0)
}
func (r *recorder) Handshake(d time.Duration)  { r.add("handshake positive=%v", d > 0) }
func (r *recorder) FirstFrame(d time.Duration) { r.add("first-frame positive=%v", d > 0) }
func (r *recorder) Refused(reason string)      { r.add("refused %s", reason) }
func (r *recorder) InputDropped(n int)         { r.add("input-dropped") }
func (r *recorder) Panicked()                  { r.add("panicked") }

func (r *recorder) waitFor(t *testing.T, event string) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		r.mu.Lock()
		all := strings.Join(r.events, "\n")
		r.mu.Unlock()
		if strings.Contains(all, event) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the observer never heard %q; it heard:\n%s", event, all)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestObserverHearsWhatHappens(t *testing.T) {
	rec := &recorder{}
	ts := startServer(t, func(c *Config) {
		c.Observer = rec
		c.MaxSessions = 1
	})
	term := openTerminal(t, ts.addr, "rohit01", terminalOptions{width: 80, height: 24})
	term.waitFor("Rohit Gupta")
	rec.waitFor(t, "handshake positive=true")
	rec.waitFor(t, "started rohit")
	rec.waitFor(t, "first-frame positive=true")

	run(t, ts.addr, "ankush", "text", nil)
	rec.waitFor(t, "refused "+RefusedMaxSessions)

	term.send("q")
	term.wait()
	rec.waitFor(t, "ended rohit quit positive=true")

	run(t, ts.addr, "nobody", "list", nil)
	rec.waitFor(t, "started "+ProfilePicker)
	rec.waitFor(t, "ended "+ProfilePicker+" quit")

	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, e := range rec.events {
		if strings.Contains(e, "nobody") || strings.Contains(e, "127.0.0.1") {
			t.Errorf("an observer label carries a username or an address: %q", e)
		}
	}
}

func TestLogLineIsSafe(t *testing.T) {
	ts := startServer(t, nil)
	res := run(t, ts.addr, "evil\x1b]0;pwned\x07\x1b[2J"+strings.Repeat("x", 500), "text", nil)
	if res.status != 1 {
		t.Errorf("status %d for an unknown user's text, want 1", res.status)
	}
	ts.waitForLog(t, "msg=session")
	logs := ts.logs.String()
	if strings.ContainsRune(logs, 0x1b) || strings.ContainsRune(logs, 0x07) {
		t.Errorf("the log carries control characters from a username:\n%q", logs)
	}
	line := logs[strings.Index(logs, "msg=session"):]
	for _, field := range []string{"id=", "remote=127.0.0.1:", "user=", "profile=_picker", "command=text", "duration=", "bytes_out=", "outcome=error"} {
		if !strings.Contains(line, field) {
			t.Errorf("session line lacks %s: %s", field, line)
		}
	}
	if strings.Contains(line, strings.Repeat("x", maxUsernameLen+1)) {
		t.Errorf("the username is not capped in the log: %s", line)
	}
}

func TestDumbTerminalGetsPlainText(t *testing.T) {
	ts := startServer(t, nil)
	term := openTerminal(t, ts.addr, "rohit", terminalOptions{term: "dumb", width: 60, height: 24})
	if status := term.wait(); status != 0 {
		t.Errorf("exit status %d, want 0", status)
	}
	out := term.out.String()
	if strings.ContainsRune(out, 0x1b) {
		t.Errorf("TERM=dumb output has an escape byte: %q", firstEscape(out))
	}
	if !strings.Contains(out, "Rohit Gupta") || !strings.Contains(out, "Projects") {
		t.Errorf("TERM=dumb output lacks the CV: %.300q", out)
	}
	for _, line := range strings.Split(strings.ReplaceAll(out, "\r\n", "\n"), "\n") {
		if w := len([]rune(line)); w > 60 {
			t.Errorf("a line %d wide in a 60-column terminal: %q", w, line)
			break
		}
	}
}
