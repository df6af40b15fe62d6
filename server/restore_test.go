package server

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestEveryEndingRestoresTheTerminal ends a viewer session each way a session
// can end and checks, on the bytes the client received, that its terminal is
// left as it was (alternate screen left, cursor shown, mouse, bracketed paste
// and keyboard protocols off) before the one-line goodbye.
func TestEveryEndingRestoresTheTerminal(t *testing.T) {
	ways := []struct {
		name    string
		config  func(*Config)
		end     func(t *testing.T, ts *testServer, term *terminal)
		status  int
		last    string // the goodbye; "" for none
		outcome string
	}{
		{name: "quit", end: func(_ *testing.T, _ *testServer, term *terminal) { term.send("q") },
			last: "web: http://www.rohit.io", outcome: OutcomeQuit},
		{name: "idle timeout", config: func(c *Config) { c.IdleTimeout = 300 * time.Millisecond },
			last: "sshcv: closed after 300ms without a key press.", outcome: OutcomeIdle},
		{name: "maximum length", config: func(c *Config) { c.MaxSession = 300 * time.Millisecond },
			last: "sshcv: sessions last at most 300ms.", outcome: OutcomeMaxLength},
		{name: "input flood", end: func(_ *testing.T, _ *testServer, term *terminal) {
			go func() {
				chunk := bytes.Repeat([]byte("x"), 32<<10)
				for range 32 { // 1 MiB, in pieces so that the query answers get their turn
					if term.write(chunk) != nil {
						return
					}
				}
			}()
		}, last: msgFlood, outcome: OutcomeFlood},
		{name: "panic", end: func(_ *testing.T, _ *testServer, term *terminal) { term.send("\x00boom") },
			status: 1, last: msgSorry, outcome: OutcomePanic},
		{name: "shutdown", end: func(_ *testing.T, ts *testServer, _ *terminal) {
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
				defer cancel()
				_ = ts.Shutdown(ctx)
			}()
		}, last: msgRestarting, outcome: OutcomeShutdown},
		{name: "client closes its input", end: func(_ *testing.T, _ *testServer, term *terminal) { term.closeInput() },
			outcome: OutcomeClosed},
	}
	filterTestHook = func(b []byte) {
		if bytes.Contains(b, []byte("\x00boom")) {
			panic("injected in the input path")
		}
	}
	t.Cleanup(func() { filterTestHook = nil })
	for _, w := range ways {
		t.Run(w.name, func(t *testing.T) {
			ts := startServer(t, w.config)
			term := openTerminal(t, ts.addr, "rohit", terminalOptions{width: 80, height: 24, answerQueries: true})
			term.waitFor("Rohit Gupta")
			if w.end != nil {
				w.end(t, ts, term)
			}
			if status := term.wait(); status != w.status {
				t.Errorf("exit status %d, want %d", status, w.status)
			}
			out := term.out.String()
			assertRestored(t, out)
			if w.last != "" {
				if !strings.Contains(out, "\x1b[?1049l") {
					t.Fatal("the alternate screen was never left")
				}
				if got := screenText(out, term.width, term.height); !strings.Contains(got[max(0, len(got)-200):], w.last) {
					t.Errorf("the screen does not end with %q…; it shows:\n%s", w.last, got)
				}
			}
			ts.waitForLog(t, "outcome="+w.outcome)
		})
	}
}
