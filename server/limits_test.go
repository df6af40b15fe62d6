package server

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/internal/vterm"
	"github.com/sshcv/sshcv/tui"
)

func TestIdleTimeoutSaysGoodbye(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.IdleTimeout = 300 * time.Millisecond })
	term := openTerminal(t, ts.addr, "rohit", terminalOptions{width: 80, height: 24, answerQueries: true})
	term.waitFor("Rohit Gupta")
	if status := term.wait(); status != 0 {
		t.Errorf("exit status %d, want 0", status)
	}
	assertLastLine(t, term, "sshcv: closed after 300ms without a key press. Come back any time: ssh -p "+port(ts.addr)+" rohit@localhost")
	ts.waitForLog(t, "outcome=idle")
}

func TestMaxSessionSaysGoodbye(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxSession = 400 * time.Millisecond })
	term := openTerminal(t, ts.addr, "rohit", terminalOptions{width: 80, height: 24})
	term.waitFor("Rohit Gupta")
	for range 3 {
		term.send("j") // input does not extend the maximum length
	}
	if status := term.wait(); status != 0 {
		t.Errorf("exit status %d, want 0", status)
	}
	assertLastLine(t, term, "sshcv: sessions last at most 400ms. Come back any time: ssh -p "+port(ts.addr)+" rohit@localhost")
	ts.waitForLog(t, "outcome=max-length")
}

func TestMaxSessionsRefusesWithOneLine(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxSessions = 1 })
	held := openTerminal(t, ts.addr, "rohit", terminalOptions{width: 80, height: 24})
	held.waitFor("Rohit Gupta")

	res := run(t, ts.addr, "rohit", "text", nil)
	if res.status != 1 || res.stderr != msgTooMany+"\n" || res.stdout != "" {
		t.Errorf("second session: status %d, stderr %q, stdout %.80q; want 1 and %q", res.status, res.stderr, res.stdout, msgTooMany)
	}

	held.send("q")
	held.wait()
	// Once the first visitor has gone, the next one gets in.
	deadline := time.Now().Add(waitLimit)
	for {
		res := run(t, ts.addr, "rohit", "text", nil)
		if res.status == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still refused after the first session ended: %q", res.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestShutdownTellsOpenSessions(t *testing.T) {
	ts := startServer(t, nil)
	viewer := openTerminal(t, ts.addr, "rohit", terminalOptions{width: 80, height: 24, answerQueries: true})
	viewer.waitFor("Rohit Gupta")
	picker := openTerminal(t, ts.addr, "someone", terminalOptions{width: 80, height: 24})
	picker.waitFor("Ankush")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	for _, term := range []*terminal{viewer, picker} {
		if status := term.wait(); status != 0 {
			t.Errorf("exit status %d, want 0", status)
		}
		assertLastLine(t, term, msgRestarting)
	}
	ts.waitForLog(t, "outcome=shutdown")
	if _, err := dialOnce(ts.addr); err == nil {
		t.Error("the server still accepts connections after Shutdown")
	}
}

func TestShutdownClosesIdleConnections(t *testing.T) {
	ts := startServer(t, nil)
	c := dial(t, ts.addr, "rohit")
	// A connection with a session channel that never asks for a shell has no
	// visitor to tell: Shutdown closes it without waiting for the deadline.
	if _, _, err := c.OpenChannel("session", nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(waitLimit):
		t.Fatal("the connection was left open")
	}
}

func TestClientThatStopsReadingIsClosed(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.IdleTimeout = 200 * time.Millisecond })
	ts.closeGrace = 200 * time.Millisecond
	c := dial(t, ts.addr, "rohit")
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", 120, 300, nil); err != nil {
		t.Fatal(err)
	}
	// Nobody reads stdout: once the SSH window is full the server cannot write.
	if _, err := s.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StdinPipe(); err != nil { // open, and silent
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() {
		for i := range 2000 {
			if s.WindowChange(20+i%100, 40+i%260) != nil {
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { done <- s.Wait() }()
	select {
	case <-done:
	case <-time.After(waitLimit):
		t.Fatal("a client that stopped reading kept its session open")
	}
	ts.waitForLog(t, "outcome=idle")
}

func assertLastLine(t *testing.T, term *terminal, want string) {
	t.Helper()
	out := term.out.String()
	if !strings.Contains(out, "\x1b[?1049l") {
		t.Errorf("the alternate screen was never left")
	}
	if got := screenText(out, term.width, term.height); !strings.HasSuffix(got, want) {
		t.Errorf("the screen does not end with %q; it shows:\n%s", want, got)
	}
}

// screenText is what a client's screen of width x height shows after out, its
// rows trimmed and joined as one text (a line wider than the screen wraps, and
// reads on in the next row).
func screenText(out string, width, height int) string {
	vt := vterm.New(width, height, vterm.Options{Silent: true})
	_, _ = vt.Write([]byte(out))
	var b strings.Builder
	for i := range height {
		row := strings.TrimRight(vt.RowText(i), " ")
		if row == "" {
			continue
		}
		if b.Len() > 0 && len([]rune(vt.RowText(i-1))) > 0 && len([]rune(strings.TrimRight(vt.RowText(i-1), " "))) < width {
			b.WriteByte(' ')
		}
		b.WriteString(strings.TrimSpace(row))
	}
	return b.String()
}

func dialOnce(addr string) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
	}
	return c, err
}

func port(addr string) string {
	_, p, _ := strings.Cut(addr, ":")
	return p
}

func TestHandshakeDeadlineCutsSilentConnections(t *testing.T) {
	rec := &recorder{}
	ts := startServer(t, func(c *Config) {
		c.HandshakeTimeout = 200 * time.Millisecond
		c.Observer = rec
	})
	conn, err := net.DialTimeout("tcp", ts.addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Say nothing: the server must hang up after the deadline.
	_ = conn.SetReadDeadline(time.Now().Add(waitLimit))
	buf := make([]byte, 256)
	for {
		if _, err := conn.Read(buf); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("a connection that never spoke was still open after the handshake deadline")
			}
			break
		}
	}
	rec.waitFor(t, "refused "+RefusedHandshakeTimeout)

	// A real visitor still gets in.
	if res := run(t, ts.addr, "rohit", "text", nil); res.status != 0 {
		t.Errorf("text after a silent connection: status %d", res.status)
	}
}

// TestServingSaysWhenVisitorsAreTaken: /healthz answers with Serving, which is
// an error until the server listens and again from the start of Shutdown.
func TestServingSaysWhenVisitorsAreTaken(t *testing.T) {
	cfg := DefaultConfig()
	cfg.HostKeyDir = t.TempDir()
	cfg.Catalog = bundledCatalog(t)
	cfg.Renderer = tui.NewRenderer(2)
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Serving() == nil {
		t.Error("serving before listening")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	deadline := time.Now().Add(waitLimit)
	for srv.Serving() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("not serving after Serve: %v", srv.Serving())
		}
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	_ = srv.Shutdown(ctx)
	<-done
	if err := srv.Serving(); err == nil || !strings.Contains(err.Error(), "shutting down") {
		t.Errorf("after Shutdown, Serving() = %v", err)
	}
}
