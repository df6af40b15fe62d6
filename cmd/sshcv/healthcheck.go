package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/pires/go-proxyproto"
	"github.com/sshcv/sshcv/server"
	"github.com/sshcv/sshcv/server/netguard"
	gossh "golang.org/x/crypto/ssh"
)

// healthcheckUser is the SSH user name the check logs in as. It names no profile, so the
// server's logs show health checks for what they are.
const healthcheckUser = "healthcheck"

// maxListOutput bounds what the check reads from `list`: a few lines per profile, far
// below this, and a misbehaving server cannot make the check hold unbounded memory.
const maxListOutput = 256 << 10

// runHealthcheck is the container's HEALTHCHECK: a scratch image has no shell or curl,
// so the binary checks itself. It connects to the local server, completes an SSH
// handshake, runs `list` and expects exit status 0 and at least one profile. It prints
// "ok: N profiles served" and exits 0, or prints one line saying what failed and exits 1.
func runHealthcheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ef := &envFlags{fs: fs}
	var (
		addr, proxyFrom string
		timeout         time.Duration
	)
	ef.String(&addr, "addr", "SSHCV_ADDR", server.DefaultConfig().Addr, "address the server listens on; an empty or unspecified host means 127.0.0.1")
	ef.String(&proxyFrom, "proxy-protocol", "SSHCV_PROXY_PROTOCOL", "", "the server's trusted PROXY protocol sources; when they include the check's own address, it sends a PROXY LOCAL header")
	fs.DurationVar(&timeout, "timeout", 5*time.Second, "time allowed for the whole check")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: sshcv healthcheck [--addr ADDR] [--timeout 5s]\n\nExits 0 when the server at ADDR completes an SSH handshake and lists at least one CV, 1 otherwise.")
		fs.PrintDefaults()
	}
	if _, code, done := ef.parse(args, 0, stderr); done {
		return code
	}
	if timeout <= 0 {
		fmt.Fprintf(stderr, "sshcv healthcheck: --timeout %s: expected a positive duration\n", timeout)
		return 2
	}
	target, err := healthTarget(addr)
	if err != nil {
		fmt.Fprintln(stderr, "sshcv healthcheck:", err)
		return 2
	}
	trusted, err := netguard.ParsePrefixes(proxyFrom)
	if err != nil {
		fmt.Fprintln(stderr, "sshcv healthcheck: --proxy-protocol:", err)
		return 2
	}

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	n, err := checkHealth(ctx, target, trusted)
	if err != nil {
		fmt.Fprintf(stderr, "sshcv healthcheck: %s: %s\n", target, oneLine(err.Error()))
		return 1
	}
	fmt.Fprintf(stdout, "ok: %d %s served\n", n, plural(n, "profile", "profiles"))
	return 0
}

// healthTarget turns the server's listen address into the address to dial: a listener
// on all interfaces (":2222", "0.0.0.0:2222", "[::]:2222") is reached on 127.0.0.1,
// which Go's dual-stack listeners accept too.
func healthTarget(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--addr %q: expected HOST:PORT or :PORT", addr)
	}
	if port == "" {
		return "", fmt.Errorf("--addr %q: no port", addr)
	}
	if ip, err := netip.ParseAddr(host); host == "" || err == nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// checkHealth logs in to the server at target and runs `list`, returning how many
// profiles it lists. ctx bounds the whole exchange.
func checkHealth(ctx context.Context, target string, trustedProxies []netip.Prefix) (int, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", target)
	if err != nil {
		return 0, dialError(err)
	}
	defer raw.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(deadline)
	}
	// A connection from an address the server trusts for PROXY protocol must start with
	// a header; LOCAL is the command load balancers use for their own health checks.
	if local, ok := netip.AddrFromSlice(tcpIP(raw.LocalAddr())); ok && trustsAddr(trustedProxies, local.Unmap()) {
		header := &proxyproto.Header{Version: 2, Command: proxyproto.LOCAL, TransportProtocol: proxyproto.UNSPEC}
		if _, err := header.WriteTo(raw); err != nil {
			return 0, fmt.Errorf("sending the PROXY header: %w", timeoutError(err))
		}
	}

	conn := &firstBytesConn{Conn: raw}
	sshConn, chans, reqs, err := gossh.NewClientConn(conn, target, &gossh.ClientConfig{
		User: healthcheckUser,
		// The check talks to the server on this machine; its identity is not in
		// question, and replicas sharing a key or not must pass alike.
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // the server on this machine, see above
	})
	if err != nil {
		if line := conn.refusal(); line != "" {
			return 0, fmt.Errorf("refused: %s", line)
		}
		return 0, fmt.Errorf("SSH handshake: %w", timeoutError(err))
	}
	client := gossh.NewClient(sshConn, chans, reqs)
	defer client.Close()

	session, err := client.NewSession()
	if err != nil {
		return 0, fmt.Errorf("opening a session: %w", timeoutError(err))
	}
	defer session.Close()
	var out, errOut limitedBuffer
	out.max, errOut.max = maxListOutput, 4<<10
	session.Stdout, session.Stderr = &out, &errOut
	if err := session.Run("list"); err != nil {
		var (
			exit    *gossh.ExitError
			missing *gossh.ExitMissingError
		)
		switch {
		case errors.As(err, &exit):
			msg := fmt.Sprintf("`list` exited with status %d", exit.ExitStatus())
			if reason := firstLine(errOut.String()); reason != "" {
				msg += ": " + reason
			}
			return 0, errors.New(msg)
		case errors.As(err, &missing):
			return 0, errors.New("the server closed the `list` session without an exit status")
		default:
			return 0, fmt.Errorf("running `list`: %w", timeoutError(err))
		}
	}
	n := 0
	for line := range strings.Lines(out.String()) {
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	if n == 0 {
		return 0, errors.New("`list` returned no profiles")
	}
	return n, nil
}

func tcpIP(a net.Addr) net.IP {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP
	}
	return nil
}

func trustsAddr(prefixes []netip.Prefix, a netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// dialError shortens the dialer's "dial tcp 127.0.0.1:2222: connect: connection
// refused" to what an operator needs: the address is printed once, by the caller.
func dialError(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		err = op.Err
	}
	var sys *os.SyscallError
	if errors.As(err, &sys) {
		err = sys.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errors.New("no answer before the timeout")
	}
	return fmt.Errorf("cannot connect: %w", err)
}

// timeoutError names a deadline for what it is instead of an "i/o timeout" deep in a
// chain of wrapped errors.
func timeoutError(err error) error {
	var ne net.Error
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return errors.New("no answer before the timeout")
	}
	return err
}

// firstBytesConn keeps the first bytes the server sends. A server that refuses a
// connection (too many connections, rate limit) writes one line and closes instead of
// sending its SSH version, and that line is the reason worth reporting.
type firstBytesConn struct {
	net.Conn
	first []byte
}

func (c *firstBytesConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if room := 512 - len(c.first); room > 0 && n > 0 {
		c.first = append(c.first, p[:min(n, room)]...)
	}
	return n, err
}

// refusal returns the line the server sent instead of an SSH version, if it did.
func (c *firstBytesConn) refusal() string {
	if len(c.first) == 0 || bytes.HasPrefix(c.first, []byte("SSH-")) {
		return ""
	}
	return firstLine(string(c.first))
}

// limitedBuffer keeps the first max bytes written to it and accepts the rest unread,
// so the session's output copy never fails or blocks.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return oneLine(s)
}

// oneLine keeps a message on one printable line for the container runtime's health log.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r >= 0x7f && r < 0xa0 {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
}
