package server

import (
	"bytes"
	"log/slog"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2/testsession"
	"github.com/sshcv/sshcv/internal/testenv"
	"github.com/sshcv/sshcv/tui"
)

// middlewareServer is a Server whose middlewares are tested one at a time.
func middlewareServer(t *testing.T, change func(*Config)) (*Server, *testenv.SyncBuffer) {
	t.Helper()
	logs := &testenv.SyncBuffer{}
	cfg := DefaultConfig()
	cfg.HostKeyDir = filepath.Join(t.TempDir(), "hostkeys")
	cfg.Catalog = bundledCatalog(t)
	cfg.Renderer = tui.NewRenderer(2)
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if change != nil {
		change(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, logs
}

// runMiddleware serves one real SSH session, as user, through the observe
// middleware, mw and then final, and returns what the client saw.
func runMiddleware(t *testing.T, s *Server, user string, mw func(ssh.Handler) ssh.Handler, final func(ssh.Session)) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	sess := testsession.New(t, &ssh.Server{Handler: s.observeMiddleware(mw(final))}, clientConfig(user))
	sess.Stdout, sess.Stderr = &stdout, &stderr
	err := sess.Run("")
	return result{stdout: stdout.String(), stderr: stderr.String(), status: exitStatus(t, err)}
}

func TestRecoverMiddleware(t *testing.T) {
	rec := &recorder{}
	s, logs := middlewareServer(t, func(c *Config) { c.Observer = rec })
	r := runMiddleware(t, s, "rohit", s.recoverMiddleware, func(ssh.Session) { panic("in the handler") })
	if r.status != 1 || !strings.Contains(r.stderr, msgSorry) {
		t.Errorf("after a panic: status %d, stderr %q", r.status, r.stderr)
	}
	if !rec.has("panicked") || !strings.Contains(logs.String(), "middleware_test.go") {
		t.Errorf("the panic was not counted and logged with its stack:\n%s", logs.String())
	}
}

func TestShutdownMiddleware(t *testing.T) {
	s, _ := middlewareServer(t, nil)
	s.stopping.Store(true)
	r := runMiddleware(t, s, "rohit", s.shutdownMiddleware, func(sess ssh.Session) { _, _ = sess.Write([]byte("served")) })
	if r.status != 1 || !strings.Contains(r.stderr, msgRestarting) || r.stdout != "" {
		t.Errorf("a session while stopping: status %d, stdout %q, stderr %q", r.status, r.stdout, r.stderr)
	}
}

func TestLimitMiddleware(t *testing.T) {
	s, _ := middlewareServer(t, func(c *Config) { c.MaxSessions, c.MaxSessionsPerAddr = 2, 1 })
	served := func(sess ssh.Session) { _, _ = sess.Write([]byte("served")) }
	if r := runMiddleware(t, s, "rohit", s.limitMiddleware, served); r.stdout != "served" {
		t.Fatalf("a session under the limits was not served: %+v", r)
	}
	s.mu.Lock()
	s.perAddr[netip.MustParsePrefix("127.0.0.1/32")] = 1 // another session from this address
	s.mu.Unlock()
	if r := runMiddleware(t, s, "rohit", s.limitMiddleware, served); r.status != 1 || !strings.Contains(r.stderr, msgTooManyFromAddr) {
		t.Errorf("over the per-address limit: %+v", r)
	}
	s.mu.Lock()
	delete(s.perAddr, netip.MustParsePrefix("127.0.0.1/32"))
	s.mu.Unlock()
	for s.active.Load() != 0 { // the refused session may still be on its way out
		time.Sleep(time.Millisecond)
	}
	s.active.Store(2)
	if r := runMiddleware(t, s, "rohit", s.limitMiddleware, served); r.status != 1 || !strings.Contains(r.stderr, msgTooMany) {
		t.Errorf("over the limit in all: %+v", r)
	}
}

func TestRouteMiddleware(t *testing.T) {
	s, _ := middlewareServer(t, nil)
	for user, want := range map[string]string{"Rohit+Proj": "rohit proj", "nobody": "_picker ", "root+x": "_picker "} {
		r := runMiddleware(t, s, user, s.routeMiddleware, func(sess ssh.Session) {
			v := visitOf(sess)
			_, _ = sess.Write([]byte(v.route.label() + " " + v.route.Section))
		})
		if r.stdout != want {
			t.Errorf("%q routed to %q, want %q", user, r.stdout, want)
		}
	}
}

func TestTimersMiddleware(t *testing.T) {
	s, _ := middlewareServer(t, func(c *Config) { c.MaxSession = 100 * time.Millisecond })
	r := runMiddleware(t, s, "rohit", s.timersMiddleware, func(sess ssh.Session) {
		v := visitOf(sess)
		select {
		case <-v.ctx.Done():
			_, _ = sess.Write([]byte(v.currentOutcome()))
		case <-time.After(waitLimit):
		}
	})
	if r.stdout != OutcomeMaxLength {
		t.Errorf("the maximum length did not end the session: %q", r.stdout)
	}
}

func TestObserveMiddleware(t *testing.T) {
	rec := &recorder{}
	s, logs := middlewareServer(t, func(c *Config) { c.Observer = rec })
	r := runMiddleware(t, s, "rohit", func(next ssh.Handler) ssh.Handler { return next }, func(sess ssh.Session) {
		visitOf(sess).setOutcome(OutcomeQuit)
		_, _ = sess.Write([]byte("hello"))
	})
	if r.stdout != "hello" {
		t.Fatalf("stdout %q", r.stdout)
	}
	deadline := time.Now().Add(waitLimit)
	for !strings.Contains(logs.String(), "outcome=quit") {
		if time.Now().After(deadline) {
			t.Fatalf("no session log line:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if line := logs.String(); !strings.Contains(line, "msg=session id=") || !strings.Contains(line, "user=rohit") {
		t.Errorf("the log line lacks the id or user: %s", line)
	}
	rec.waitFor(t, "ended "+ProfileNone+" quit")
}
