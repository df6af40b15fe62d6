package netguard

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"
)

// ioTimeout bounds every read and dial in these tests so a bug fails instead of hanging.
const ioTimeout = 10 * time.Second

// refusals records what OnRefuse was told.
type refusals struct {
	mu   sync.Mutex
	list []refusal
}

type refusal struct {
	reason string
	remote netip.Addr
}

func (r *refusals) record(reason string, remote netip.Addr) {
	r.mu.Lock()
	r.list = append(r.list, refusal{reason, remote})
	r.mu.Unlock()
}

func (r *refusals) count(reason string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, f := range r.list {
		if f.reason == reason {
			n++
		}
	}
	return n
}

func (r *refusals) all() []refusal {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]refusal(nil), r.list...)
}

// banner is a tiny server behind the guard: it greets each connection with the address
// it sees ("hello ADDR\n"), echoes what it reads, and closes at EOF or error. closed
// receives one value per connection it has closed (twice, to prove Close is idempotent).
type banner struct {
	ln     *listener
	closed chan struct{}
}

func startBanner(t *testing.T, cfg Config) *banner {
	t.Helper()
	return startBannerWithClock(t, cfg, time.Now)
}

func startBannerWithClock(t *testing.T, cfg Config, now func() time.Time) *banner {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &banner{ln: wrapWithClock(raw, cfg, now), closed: make(chan struct{}, 4096)}
	var handlers sync.WaitGroup
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := b.ln.Accept()
			if err != nil {
				return
			}
			handlers.Add(1)
			go func() {
				defer handlers.Done()
				if _, err := fmt.Fprintf(c, "hello %s\n", c.RemoteAddr()); err == nil {
					_, _ = io.Copy(c, c)
				}
				_ = c.Close()
				_ = c.Close()
				b.closed <- struct{}{}
			}()
		}
	}()
	t.Cleanup(func() {
		_ = b.ln.Close()
		<-done
		handlers.Wait()
	})
	return b
}

func (b *banner) addr() string { return b.ln.Addr().String() }

// dialFrom connects to the banner server from a loopback source address.
func dialFrom(t *testing.T, source, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: ioTimeout, LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", source, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	_ = c.SetDeadline(time.Now().Add(ioTimeout))
	return c
}

// firstLine reads what the server says first: its greeting or the refusal line.
func firstLine(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v (got %q)", err, line)
	}
	return strings.TrimRight(line, "\r\n")
}

// expectClosed checks that the server closed the connection after what was read.
func expectClosed(t *testing.T, r *bufio.Reader) {
	t.Helper()
	rest, err := io.ReadAll(r)
	if err != nil && !isReset(err) {
		t.Fatalf("waiting for the server to close: %v", err)
	}
	if len(rest) > 0 {
		t.Fatalf("after the refusal the server sent %q", rest)
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && strings.Contains(err.Error(), "reset")
}

// waitFor polls cond until it holds, failing after ioTimeout.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(ioTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestFloodFromOneAddressIsCutWhileAnotherVisitorIsServed(t *testing.T) {
	var refused refusals
	srv := startBanner(t, Config{MaxConnsPerIP: 10, MaxConns: 1000, OnRefuse: refused.record})

	const flood = 500
	conns := make([]net.Conn, flood)
	for i := range conns {
		conns[i] = dialFrom(t, "127.0.0.2", srv.addr())
	}
	waitFor(t, "490 per-IP refusals", func() bool { return refused.count(ReasonPerIP) == flood-10 })

	visitor := bufio.NewReader(dialFrom(t, "127.0.0.1", srv.addr()))
	if got := firstLine(t, visitor); !strings.HasPrefix(got, "hello 127.0.0.1:") {
		t.Fatalf("visitor from 127.0.0.1 got %q during the flood, want the greeting", got)
	}

	greeted, cut := 0, 0
	for _, c := range conns {
		r := bufio.NewReader(c)
		switch line := firstLine(t, r); {
		case strings.HasPrefix(line, "hello 127.0.0.2:"):
			greeted++
		case line == "sshcv: too many connections from your address":
			cut++
			expectClosed(t, r)
		default:
			t.Fatalf("flood connection got %q", line)
		}
	}
	if greeted != 10 || cut != flood-10 {
		t.Fatalf("flood: %d greeted and %d refused, want 10 and %d", greeted, cut, flood-10)
	}
	for _, f := range refused.all() {
		if f.remote != netip.MustParseAddr("127.0.0.2") {
			t.Fatalf("refusal recorded for %s, want 127.0.0.2", f.remote)
		}
	}
}

func TestRateLimitAllowsTheBurstThenRefuses(t *testing.T) {
	var refused refusals
	// One token per 1000 s: the bucket does not refill while the test runs.
	srv := startBanner(t, Config{RatePerIP: 0.001, BurstPerIP: 3, OnRefuse: refused.record})

	for i := range 3 {
		c := dialFrom(t, "127.0.0.2", srv.addr())
		if got := firstLine(t, bufio.NewReader(c)); !strings.HasPrefix(got, "hello ") {
			t.Fatalf("connection %d within the burst got %q", i+1, got)
		}
		_ = c.Close()
	}
	r := bufio.NewReader(dialFrom(t, "127.0.0.2", srv.addr()))
	if got, want := firstLine(t, r), "sshcv: too many new connections from your address; try again in a few seconds"; got != want {
		t.Fatalf("fourth connection got %q, want %q", got, want)
	}
	expectClosed(t, r)
	if got := firstLine(t, bufio.NewReader(dialFrom(t, "127.0.0.1", srv.addr()))); !strings.HasPrefix(got, "hello 127.0.0.1:") {
		t.Fatalf("another address got %q, want its own bucket", got)
	}
	if n := refused.count(ReasonRate); n != 1 {
		t.Fatalf("%d rate refusals recorded, want 1", n)
	}
}

func TestTotalCapRefusesUntilAConnectionCloses(t *testing.T) {
	var refused refusals
	srv := startBanner(t, Config{MaxConns: 3, OnRefuse: refused.record})

	held := make([]net.Conn, 3)
	for i := range held {
		held[i] = dialFrom(t, "127.0.0.1", srv.addr())
		if got := firstLine(t, bufio.NewReader(held[i])); !strings.HasPrefix(got, "hello ") {
			t.Fatalf("connection %d got %q", i+1, got)
		}
	}
	r := bufio.NewReader(dialFrom(t, "127.0.0.2", srv.addr()))
	if got, want := firstLine(t, r), "sshcv: the server is full; try again in a minute"; got != want {
		t.Fatalf("fourth connection got %q, want %q", got, want)
	}
	expectClosed(t, r)

	_ = held[0].Close()
	<-srv.closed
	if got := firstLine(t, bufio.NewReader(dialFrom(t, "127.0.0.2", srv.addr()))); !strings.HasPrefix(got, "hello 127.0.0.2:") {
		t.Fatalf("after a close the next connection got %q", got)
	}
	if n := refused.count(ReasonTotal); n != 1 {
		t.Fatalf("%d total refusals recorded, want 1", n)
	}
}

func TestCountsReturnAfterEveryClose(t *testing.T) {
	var refused refusals
	srv := startBanner(t, Config{MaxConnsPerIP: 1, MaxConns: 1, OnRefuse: refused.record})

	for i := range 1000 {
		c := dialFrom(t, "127.0.0.1", srv.addr())
		if got := firstLine(t, bufio.NewReader(c)); !strings.HasPrefix(got, "hello ") {
			t.Fatalf("cycle %d got %q: a slot leaked", i+1, got)
		}
		_ = c.Close()
		<-srv.closed
	}
	if total, tracked, active := srv.ln.limits.counts(); total != 0 || tracked != 0 || active != 0 {
		t.Fatalf("after 1000 closed connections: total %d, visitors %d, active %d; want all 0", total, tracked, active)
	}
	if n := len(refused.all()); n != 0 {
		t.Fatalf("%d refusals, want none", n)
	}
}

// header returns a PROXY header naming visitor as the client, in the given version.
func header(t *testing.T, version byte, visitor string) []byte {
	t.Helper()
	ap := netip.MustParseAddrPort(visitor)
	h := proxyproto.HeaderProxyFromAddrs(version,
		net.TCPAddrFromAddrPort(ap),
		&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 2222})
	if ap.Addr().Is6() {
		h.DestinationAddr = &net.TCPAddr{IP: net.ParseIP("::1"), Port: 2222}
		h.TransportProtocol = proxyproto.TCPv6
	}
	b, err := h.Format()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func localHeader(t *testing.T) []byte {
	t.Helper()
	h := &proxyproto.Header{Version: 2, Command: proxyproto.LOCAL, TransportProtocol: proxyproto.UNSPEC}
	b, err := h.Format()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func trustLoopback() []netip.Prefix { return []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} }

func TestProxyHeaderFromTrustedSourceGivesTheVisitorAddress(t *testing.T) {
	srv := startBanner(t, Config{ProxyFrom: trustLoopback()})
	cases := []struct {
		name, greeting string
		header         []byte
	}{
		{"v1 IPv4", "hello 203.0.113.7:51234", header(t, 1, "203.0.113.7:51234")},
		{"v2 IPv4", "hello 198.51.100.9:40000", header(t, 2, "198.51.100.9:40000")},
		{"v1 IPv6", "hello [2001:db8::7]:443", header(t, 1, "[2001:db8::7]:443")},
		{"v2 IPv6", "hello [2001:db8::8]:40001", header(t, 2, "[2001:db8::8]:40001")},
		{"v2 LOCAL health check", "hello 127.0.0.1:", localHeader(t)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dialFrom(t, "127.0.0.1", srv.addr())
			// The header and the client's first bytes arrive in one segment, as from HAProxy.
			if _, err := c.Write(append(tc.header, "SSH-2.0-probe\r\n"...)); err != nil {
				t.Fatal(err)
			}
			r := bufio.NewReader(c)
			if got := firstLine(t, r); !strings.HasPrefix(got, tc.greeting) {
				t.Fatalf("greeting %q, want %q", got, tc.greeting)
			}
			if got := firstLine(t, r); got != "SSH-2.0-probe" {
				t.Fatalf("echo %q, want the bytes after the header", got)
			}
		})
	}
}

func TestPerVisitorLimitsUseTheCarriedAddress(t *testing.T) {
	var refused refusals
	srv := startBanner(t, Config{MaxConnsPerIP: 1, ProxyFrom: trustLoopback(), OnRefuse: refused.record})
	open := func(visitor string) string {
		c := dialFrom(t, "127.0.0.1", srv.addr())
		if _, err := c.Write(header(t, 2, visitor)); err != nil {
			t.Fatal(err)
		}
		return firstLine(t, bufio.NewReader(c))
	}
	const tooMany = "sshcv: too many connections from your address"
	steps := []struct{ visitor, want string }{
		{"203.0.113.7:1000", "hello 203.0.113.7:1000"},
		{"203.0.113.7:1001", tooMany},
		{"203.0.113.8:1000", "hello 203.0.113.8:1000"},
		{"[2001:db8:0:1::1]:1000", "hello [2001:db8:0:1::1]:1000"},
		{"[2001:db8:0:1:ffff::2]:1000", tooMany}, // same /64
		{"[2001:db8:0:2::1]:1000", "hello [2001:db8:0:2::1]:1000"},
	}
	for _, s := range steps {
		if got := open(s.visitor); got != s.want {
			t.Fatalf("visitor %s got %q, want %q", s.visitor, got, s.want)
		}
	}
	got := refused.all()
	want := []refusal{
		{ReasonPerIP, netip.MustParseAddr("203.0.113.7")},
		{ReasonPerIP, netip.MustParseAddr("2001:db8:0:1:ffff::2")},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("refusals %v, want %v", got, want)
	}
}

func TestProxyHeaderFromUntrustedSourceIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		trust []netip.Prefix
		hdr   []byte
	}{
		{"v1, other source trusted", trustLoopback(), header(t, 1, "203.0.113.7:51234")},
		{"v2, other source trusted", trustLoopback(), header(t, 2, "203.0.113.7:51234")},
		{"v2, nobody trusted", nil, header(t, 2, "203.0.113.7:51234")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var refused refusals
			srv := startBanner(t, Config{ProxyFrom: tc.trust, OnRefuse: refused.record})
			c := dialFrom(t, "127.0.0.2", srv.addr())
			r := bufio.NewReader(c)
			// The server's greeting is not held back waiting for the client to speak.
			if got := firstLine(t, r); !strings.HasPrefix(got, "hello 127.0.0.2:") {
				t.Fatalf("greeting %q, want the socket address", got)
			}
			if _, err := c.Write(tc.hdr); err != nil {
				t.Fatal(err)
			}
			if got, want := firstLine(t, r), "sshcv: PROXY protocol header not accepted from this address"; got != want {
				t.Fatalf("after the header: %q, want %q", got, want)
			}
			expectClosed(t, r)
			want := []refusal{{ReasonProxyUntrusted, netip.MustParseAddr("127.0.0.2")}}
			waitFor(t, "the refusal", func() bool { return len(refused.all()) == 1 })
			if got := refused.all(); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("refusals %v, want %v", got, want)
			}
		})
	}
}

func TestDirectVisitorWithoutHeaderIsServed(t *testing.T) {
	srv := startBanner(t, Config{ProxyFrom: trustLoopback()})
	c := dialFrom(t, "127.0.0.2", srv.addr())
	if _, err := c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n")); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(c)
	if got := firstLine(t, r); !strings.HasPrefix(got, "hello 127.0.0.2:") {
		t.Fatalf("greeting %q", got)
	}
	if got := firstLine(t, r); got != "SSH-2.0-OpenSSH_9.6" {
		t.Fatalf("echo %q", got)
	}
}

func TestTrustedSourceMustSendAValidHeader(t *testing.T) {
	const required = "sshcv: a valid PROXY protocol header is required from this address"
	for _, tc := range []struct{ name, sent string }{
		{"garbage v1", "PROXY GARBAGE\r\n"},
		{"v1 with a bad address", "PROXY TCP4 300.1.2.3 127.0.0.1 1000 2222\r\n"},
		{"v2 signature with a bad version", string(proxyproto.SIGV2) + "\x31\x11\x00\x0c"},
		{"no header", "SSH-2.0-OpenSSH_9.6\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var refused refusals
			srv := startBanner(t, Config{ProxyFrom: trustLoopback(), OnRefuse: refused.record})
			c := dialFrom(t, "127.0.0.1", srv.addr())
			if _, err := c.Write([]byte(tc.sent)); err != nil {
				t.Fatal(err)
			}
			r := bufio.NewReader(c)
			if got := firstLine(t, r); got != required {
				t.Fatalf("got %q, want %q", got, required)
			}
			expectClosed(t, r)
			if n := refused.count(ReasonProxyInvalid); n != 1 {
				t.Fatalf("%d proxy_invalid refusals, want 1", n)
			}
		})
	}
}

func TestSilentTrustedSourceIsCutAtTheHeaderTimeout(t *testing.T) {
	var refused refusals
	srv := startBanner(t, Config{ProxyFrom: trustLoopback(), ProxyHeaderTimeout: 100 * time.Millisecond, OnRefuse: refused.record})
	r := bufio.NewReader(dialFrom(t, "127.0.0.1", srv.addr()))
	if got, want := firstLine(t, r), "sshcv: a valid PROXY protocol header is required from this address"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	expectClosed(t, r)
	if n := refused.count(ReasonProxyInvalid); n != 1 {
		t.Fatalf("%d proxy_invalid refusals, want 1", n)
	}
}

func TestSlowHeaderDoesNotHoldUpOtherConnections(t *testing.T) {
	var refused refusals
	srv := startBanner(t, Config{ProxyFrom: trustLoopback(), ProxyHeaderTimeout: time.Hour, OnRefuse: refused.record})
	silent := dialFrom(t, "127.0.0.1", srv.addr())
	// The silent balancer's connection has been accepted and waits for its header; a
	// visitor arriving after it is served.
	waitFor(t, "the silent connection to be accepted", func() bool { total, _, _ := srv.ln.limits.counts(); return total == 1 })
	if got := firstLine(t, bufio.NewReader(dialFrom(t, "127.0.0.2", srv.addr()))); !strings.HasPrefix(got, "hello 127.0.0.2:") {
		t.Fatalf("visitor behind a silent connection got %q", got)
	}
	_ = silent.Close()
	<-srv.closed
	waitFor(t, "the silent connection's refusal", func() bool { return refused.count(ReasonProxyInvalid) == 1 })
	if total, _, _ := srv.ln.limits.counts(); total != 1 {
		t.Fatalf("%d connections counted, want only the visitor's", total)
	}
}
