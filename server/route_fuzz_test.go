package server

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// FuzzRouting logs in with any username, command, TERM and environment, with or
// without a PTY, through a real server: every session ends with an exit status
// (a viewer or picker after q and ctrl+c), nothing a visitor typed comes back as
// an escape sequence, and the server recovers no panic.
func FuzzRouting(f *testing.F) {
	f.Add("rohit", "", "xterm-256color", "NO_COLOR", "1", true)
	f.Add("rohit+proj", "", "xterm", "LANG", "C", true)
	f.Add("nobody", "", "xterm", "COLORTERM", "truecolor", true)
	f.Add("root", "list", "dumb", "TERM", "vt100", true)
	f.Add("rohit", "json", "", "A", "B", false)
	f.Add("rohit", "pdf extra", "screen", "", "", true)
	f.Add("\x1b]52;c;aGk=\x07", "help", "\x1b[31m", "\x1b]0;x\x07", "\x9b2J", false)
	f.Add(strings.Repeat("a", 300), strings.Repeat("q ", 200), strings.Repeat("x", 300), "K", strings.Repeat("v", 3000), true)
	rec := &recorder{}
	ts := startServer(f, func(c *Config) {
		c.MaxSessionsPerAddr = 0
		c.Observer = rec
	})
	f.Fuzz(func(t *testing.T, user, command, term, key, value string, pty bool) {
		out, status, err := routeOnce(ts.addr, user, command, term, key, value, pty)
		if err != nil {
			t.Fatalf("user %q command %q term %q env %q=%q pty %v: %v", user, command, term, key, value, pty, err)
		}
		if status < 0 {
			t.Fatalf("user %q command %q: the session ended without an exit status", user, command)
		}
		for _, typed := range []string{user, command, term, value} {
			if strings.ContainsAny(typed, "\x1b\x9b") && len(typed) > 3 && strings.Contains(out, typed) {
				t.Fatalf("%q came back to the terminal as it was typed", typed)
			}
		}
		if rec.has("panicked") {
			t.Fatalf("user %q command %q term %q env %q=%q pty %v: the server recovered a panic:\n%s", user, command, term, key, value, pty, ts.logs.String())
		}
	})
}

// routeOnce runs one session and returns what it printed and its exit status.
func routeOnce(addr, user, command, term, key, value string, pty bool) (string, int, error) {
	conn, err := net.DialTimeout("tcp", addr, waitLimit)
	if err != nil {
		return "", -1, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(8 * time.Second))
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, clientConfig(user))
	if err != nil {
		return "", -1, err
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	s, err := client.NewSession()
	if err != nil {
		return "", -1, err
	}
	if key != "" {
		_ = s.Setenv(key, value) // refused beyond the caps: fine
	}
	if pty {
		if err := s.RequestPty(term, 24, 80, gossh.TerminalModes{}); err != nil {
			return "", -1, err
		}
	}
	var out bytes.Buffer
	stdout, _ := s.StdoutPipe()
	stdin, _ := s.StdinPipe()
	if command != "" {
		err = s.Start(command)
	} else {
		err = s.Shell()
	}
	if err != nil {
		return "", -1, err
	}
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(&out, stdout)
		close(copied)
	}()
	go func() {
		time.Sleep(30 * time.Millisecond)
		_, _ = io.WriteString(stdin, "q")
		time.Sleep(30 * time.Millisecond)
		_, _ = io.WriteString(stdin, "\x03")
		_ = stdin.Close()
	}()
	err = s.Wait()
	<-copied
	var exit *gossh.ExitError
	switch {
	case err == nil:
		return out.String(), 0, nil
	case errors.As(err, &exit):
		return out.String(), exit.ExitStatus(), nil
	default:
		return out.String(), -1, err
	}
}
