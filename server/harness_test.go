package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/sshcv/sshcv/internal/testenv"
	"github.com/sshcv/sshcv/internal/vterm"
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/tui"
	gossh "golang.org/x/crypto/ssh"
)

// waitLimit bounds every wait in these tests; nothing normally comes near it.
const waitLimit = 20 * time.Second

// testServer is the real server on a loopback port.
type testServer struct {
	*Server
	addr string
	logs *testenv.SyncBuffer
}

// startServer starts a server with the bundled CVs on 127.0.0.1 and stops it when
// the test ends. change, when given, adjusts the configuration first.
func startServer(t testing.TB, change func(*Config)) *testServer {
	t.Helper()
	logs := &testenv.SyncBuffer{}
	cfg := DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.HostKeyDir = filepath.Join(t.TempDir(), "hostkeys")
	cfg.Catalog = bundledCatalog(t)
	cfg.Renderer = tui.NewRenderer(16)
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if change != nil {
		change(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	return &testServer{Server: srv, addr: l.Addr().String(), logs: logs}
}

// waitForLog waits for text in the server's log: a session's line is written
// after its client has seen the exit status.
func (ts *testServer) waitForLog(t testing.TB, text string) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !strings.Contains(ts.logs.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never showed %q:\n%s", text, ts.logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// bundledCatalog serves the bundled CVs through the registry.
func bundledCatalog(t testing.TB) Catalog {
	t.Helper()
	reg, err := profiles.OpenRegistry(profiles.RegistryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// dial logs in as user.
func dial(t testing.TB, addr, user string) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, clientConfig(user))
	if err != nil {
		t.Fatalf("dial %s as %q: %v", addr, user, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func clientConfig(user string) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User:            user,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         waitLimit,
	}
}

// result is what a finished session left: its output and exit status.
type result struct {
	stdout, stderr string
	status         int
}

// run runs a session without a PTY: command "" asks for a shell.
func run(t testing.TB, addr, user, command string, env map[string]string) result {
	t.Helper()
	c := dial(t, addr, user)
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for k, v := range env {
		if err := s.Setenv(k, v); err != nil {
			t.Fatalf("setenv %s: %v", k, err)
		}
	}
	var stdout, stderr bytes.Buffer
	s.Stdout, s.Stderr = &stdout, &stderr
	if command == "" {
		err = s.Shell()
		if err == nil {
			err = s.Wait()
		}
	} else {
		err = s.Run(command)
	}
	return result{stdout.String(), stderr.String(), exitStatus(t, err)}
}

func exitStatus(t testing.TB, err error) int {
	t.Helper()
	var exit *gossh.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitStatus()
	default:
		t.Fatalf("session ended without an exit status: %v", err)
		return -1
	}
}

// terminal is a client session with a PTY: it reads everything the server sends
// and can answer the terminal queries the way xterm does.
type terminal struct {
	t       testing.TB
	client  *gossh.Client
	session *gossh.Session
	stdin   io.WriteCloser
	out     *testenv.SyncBuffer
	done    chan error    // the session's end
	drained chan struct{} // closed once everything the server sent is in out
	// width and height are the emulated screen's (the PTY asked for, bounded).
	width, height int
	stdinMu       sync.Mutex // the test and the query answers both write to stdin
}

// write sends b to the server as typed input.
func (term *terminal) write(b []byte) error {
	term.stdinMu.Lock()
	defer term.stdinMu.Unlock()
	_, err := term.stdin.Write(b)
	return err
}

// closeInput closes the session's input, as a client whose input ends does.
func (term *terminal) closeInput() {
	term.stdinMu.Lock()
	defer term.stdinMu.Unlock()
	_ = term.stdin.Close()
}

type terminalOptions struct {
	term          string
	width, height int
	env           map[string]string
	answerQueries bool
	command       string   // run this instead of a shell (ssh -t host command)
	conn          net.Conn // an already dialled connection (to close it by RST)
}

func openTerminal(t testing.TB, addr, user string, o terminalOptions) *terminal {
	t.Helper()
	if o.term == "" {
		o.term = "xterm-256color"
	}
	var client *gossh.Client
	if o.conn != nil {
		c, chans, reqs, err := gossh.NewClientConn(o.conn, addr, clientConfig(user))
		if err != nil {
			t.Fatalf("handshake as %q: %v", user, err)
		}
		client = gossh.NewClient(c, chans, reqs)
	} else {
		c, err := gossh.Dial("tcp", addr, clientConfig(user))
		if err != nil {
			t.Fatalf("dial as %q: %v", user, err)
		}
		client = c
	}
	session, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range o.env {
		if err := session.Setenv(k, v); err != nil {
			t.Fatalf("setenv %s: %v", k, err)
		}
	}
	if err := session.RequestPty(o.term, o.height, o.width, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, err := session.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := session.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{t: t, client: client, session: session, stdin: stdin, out: &testenv.SyncBuffer{}, done: make(chan error, 1), drained: make(chan struct{})}
	term.width, term.height = emulatedSize(o.width, defaultWidth), emulatedSize(o.height, defaultHeight)
	go term.read(stdout, o.answerQueries, o.height)
	if o.command != "" {
		err = session.Start(o.command)
	} else {
		err = session.Shell()
	}
	if err != nil {
		t.Fatal(err)
	}
	go func() { term.done <- session.Wait() }()
	t.Cleanup(func() { _ = client.Close() })
	return term
}

// xtermAnswers are the replies of xterm to the queries a Bubble Tea program sends.
var xtermAnswers = []struct{ query, answer string }{
	{"\x1b]11;?\x07", "\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\"},
	{"\x1b[?2026$p", "\x1b[?2026;2$y"},
	{"\x1b[?2027$p", "\x1b[?2027;0$y"},
	{"\x1b[c", "\x1b[?62;22c"},
	{"\x1b[6n", "\x1b[24;1R"},
	{"\x1b[?u", "\x1b[?0u"},
}

func (term *terminal) read(r io.Reader, answer bool, height int) {
	defer close(term.drained)
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			term.out.Write(chunk)
			if answer {
				for _, qa := range xtermAnswers {
					if bytes.Contains(chunk, []byte(qa.query)) {
						_ = term.write([]byte(qa.answer))
					}
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// openTerminalCommand runs a command with a PTY, like `ssh -t host command`.
func openTerminalCommand(t testing.TB, addr, user, command string) *terminal {
	t.Helper()
	return openTerminal(t, addr, user, terminalOptions{width: 80, height: 24, command: command})
}

func stripped(s string) string { return ansi.Strip(s) }

// screen is what the client's screen shows now: everything received so far,
// through a terminal emulator.
func (term *terminal) screen() string {
	vt := vterm.New(term.width, term.height, vterm.Options{Silent: true})
	_, _ = vt.Write([]byte(term.out.String()))
	return vt.Screen()
}

// emulatedSize is a PTY dimension as the emulator takes it: the server's default
// for zero, and no more than a real screen (the server clamps far below).
func emulatedSize(n, zero int) int {
	if n <= 0 {
		return zero
	}
	return min(n, 500)
}

// waitFor waits until the text shows up in the output.
func (term *terminal) waitFor(text string) {
	term.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !strings.Contains(term.screen(), text) {
		if time.Now().After(deadline) {
			term.t.Fatalf("%q never showed up; the screen had:\n%s", text, term.screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (term *terminal) send(keys string) {
	term.t.Helper()
	if err := term.write([]byte(keys)); err != nil {
		term.t.Fatalf("send %q: %v", keys, err)
	}
}

// wait waits for the session to end and returns its exit status.
func (term *terminal) wait() int {
	term.t.Helper()
	select {
	case err := <-term.done:
		select { // the exit status can arrive before the last output is read
		case <-term.drained:
		case <-time.After(waitLimit):
			term.t.Fatal("the output did not end after the exit status")
		}
		return exitStatus(term.t, err)
	case <-time.After(waitLimit):
		term.t.Fatalf("the session did not end; the screen had:\n%s", term.screen())
		return -1
	}
}
