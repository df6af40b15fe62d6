package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"
	gossh "golang.org/x/crypto/ssh"
)

// listAnswer is what the stand-in server answers to `list`.
type listAnswer struct {
	stdout, stderr string
	status         uint32
	noStatus       bool // close the channel without an exit status
}

// fakeServer is a minimal SSH server on 127.0.0.1 that lets everyone in, like sshcv,
// and answers exec requests with a fixed listAnswer. It records what it was asked.
type fakeServer struct {
	addr string

	mu       sync.Mutex
	users    []string
	commands []string
	proxied  []bool // whether each connection began with a PROXY header
}

func startFakeServer(t *testing.T, answer listAnswer, requireProxy bool) *fakeServer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{addr: l.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(c, signer, answer, requireProxy) })
		}
	})
	return s
}

func (s *fakeServer) serve(c net.Conn, signer gossh.Signer, answer listAnswer, requireProxy bool) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	if requireProxy {
		pc := proxyproto.NewConn(c, proxyproto.WithPolicy(proxyproto.REQUIRE))
		header := pc.ProxyHeader()
		s.mu.Lock()
		s.proxied = append(s.proxied, header != nil && header.Command.IsLocal())
		s.mu.Unlock()
		if header == nil {
			return
		}
		c = pc
	}
	config := &gossh.ServerConfig{NoClientAuth: true}
	config.AddHostKey(signer)
	conn, chans, reqs, err := gossh.NewServerConn(c, config)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.users = append(s.users, conn.User())
	s.mu.Unlock()
	go gossh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(gossh.UnknownChannelType, "sessions only")
			continue
		}
		ch, requests, err := nc.Accept()
		if err != nil {
			return
		}
		for req := range requests {
			if req.Type != "exec" {
				_ = req.Reply(false, nil)
				continue
			}
			var payload struct{ Command string }
			_ = gossh.Unmarshal(req.Payload, &payload)
			s.mu.Lock()
			s.commands = append(s.commands, payload.Command)
			s.mu.Unlock()
			_ = req.Reply(true, nil)
			_, _ = ch.Write([]byte(answer.stdout))
			_, _ = ch.Stderr().Write([]byte(answer.stderr))
			if !answer.noStatus {
				status := make([]byte, 4)
				binary.BigEndian.PutUint32(status, answer.status)
				_, _ = ch.SendRequest("exit-status", false, status)
			}
			_ = ch.Close()
		}
	}
}

func runHealthcheckArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("SSHCV_ADDR", "")
	t.Setenv("SSHCV_PROXY_PROTOCOL", "")
	var out, errOut bytes.Buffer
	code = runHealthcheck(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHealthcheckPassesWhenProfilesAreListed(t *testing.T) {
	srv := startFakeServer(t, listAnswer{stdout: "rohit   Rohit — Engineer\nankush  Ankush — Writer\n"}, false)
	code, stdout, stderr := runHealthcheckArgs(t, "--addr", srv.addr)
	if code != 0 || stdout != "ok: 2 profiles served\n" || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0, \"ok: 2 profiles served\\n\", nothing", code, stdout, stderr)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.users) != 1 || srv.users[0] != "healthcheck" {
		t.Errorf("logged in as %q, want [healthcheck]", srv.users)
	}
	if len(srv.commands) != 1 || srv.commands[0] != "list" {
		t.Errorf("ran %q, want [list]", srv.commands)
	}
}

func TestHealthcheckReadsSSHCV_ADDR(t *testing.T) {
	srv := startFakeServer(t, listAnswer{stdout: "rohit  Rohit\n"}, false)
	t.Setenv("SSHCV_PROXY_PROTOCOL", "")
	t.Setenv("SSHCV_ADDR", srv.addr)
	var out, errOut bytes.Buffer
	if code := runHealthcheck(nil, &out, &errOut); code != 0 || out.String() != "ok: 1 profile served\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and \"ok: 1 profile served\"", code, out.String(), errOut.String())
	}
}

func TestHealthcheckFailsWithOneLineReason(t *testing.T) {
	closed := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return addr
	}()
	refusing := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				_, _ = c.Write([]byte("sshcv: too many connections from your address, try again in a minute\r\n"))
				c.Close()
			}
		}()
		return l.Addr().String()
	}()
	silent := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var conns []net.Conn
		var mu sync.Mutex
		t.Cleanup(func() {
			l.Close()
			mu.Lock()
			defer mu.Unlock()
			for _, c := range conns {
				c.Close()
			}
		})
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		}()
		return l.Addr().String()
	}()

	tests := []struct {
		name   string
		answer *listAnswer // nil: the address is given directly
		addr   string
		args   []string
		want   string
	}{
		{name: "closed port", addr: closed, want: "cannot connect: connection refused"},
		{name: "refused by limits", addr: refusing, want: "refused: sshcv: too many connections from your address, try again in a minute"},
		{name: "no answer", addr: silent, args: []string{"--timeout", "300ms"}, want: "SSH handshake: no answer before the timeout"},
		{name: "list fails", answer: &listAnswer{stderr: "profiles: cannot read /profiles\n", status: 1}, want: "`list` exited with status 1: profiles: cannot read /profiles"},
		{name: "no profiles", answer: &listAnswer{stdout: "\n"}, want: "`list` returned no profiles"},
		{name: "no exit status", answer: &listAnswer{stdout: "rohit\n", noStatus: true}, want: "without an exit status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := tt.addr
			if tt.answer != nil {
				addr = startFakeServer(t, *tt.answer, false).addr
			}
			code, stdout, stderr := runHealthcheckArgs(t, append([]string{"--addr", addr}, tt.args...)...)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "sshcv healthcheck: "+addr+": ") || !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q, want one line \"sshcv healthcheck: %s: …%s…\"", stderr, addr, tt.want)
			}
		})
	}
}

func TestHealthcheckSendsProxyLocalWhenLoopbackIsTrusted(t *testing.T) {
	srv := startFakeServer(t, listAnswer{stdout: "rohit\n"}, true)
	code, stdout, stderr := runHealthcheckArgs(t, "--addr", srv.addr, "--proxy-protocol", "10.0.0.0/8,127.0.0.0/8")
	if code != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0", code, stdout, stderr)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.proxied) != 1 || !srv.proxied[0] {
		t.Errorf("PROXY LOCAL header seen: %v, want [true]", srv.proxied)
	}
}

func TestHealthcheckSendsNoProxyHeaderToAnUntrustingServer(t *testing.T) {
	// A server that does not trust the check's address refuses a PROXY header; the
	// stand-in here would fail the SSH handshake on one.
	srv := startFakeServer(t, listAnswer{stdout: "rohit\n"}, false)
	code, stdout, stderr := runHealthcheckArgs(t, "--addr", srv.addr, "--proxy-protocol", "10.0.0.0/8")
	if code != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0", code, stdout, stderr)
	}
}

func TestHealthcheckRejectsBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--addr", "2222"},
		{"--timeout", "0s"},
		{"--proxy-protocol", "not-a-cidr"},
		{"extra"},
	} {
		code, _, stderr := runHealthcheckArgs(t, args...)
		if code != 2 || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a reason", args, code, stderr)
		}
	}
}

func TestHealthTarget(t *testing.T) {
	for addr, want := range map[string]string{
		":2222":           "127.0.0.1:2222",
		"0.0.0.0:2222":    "127.0.0.1:2222",
		"[::]:22":         "127.0.0.1:22",
		"127.0.0.1:2022":  "127.0.0.1:2022",
		"[::1]:2222":      "[::1]:2222",
		"localhost:2222":  "localhost:2222",
		"10.1.2.3:2222":   "10.1.2.3:2222",
		"cv.internal:222": "cv.internal:222",
	} {
		got, err := healthTarget(addr)
		if err != nil || got != want {
			t.Errorf("healthTarget(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}
