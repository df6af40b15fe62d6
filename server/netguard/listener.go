package netguard

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pires/go-proxyproto"
)

// Wrap returns a listener that applies cfg to every connection l accepts.
//
// Accept never waits on a client: the total and per-visitor limits of a direct
// connection are checked in Accept from the socket address alone, and a refused
// connection is answered with one line and closed right there. A connection from a
// trusted load balancer is handed out at once, and its PROXY header is read (with
// ProxyHeaderTimeout) on the first Read, Write or RemoteAddr — on the SSH server's
// goroutine for that connection — after which the per-visitor limits are applied to the
// carried address. A direct connection whose first bytes are a PROXY header is refused
// on its first Read; its writes are never delayed, because some SSH clients (PuTTY) wait
// for the server's version line before they send anything.
//
// Closing a returned connection gives its slots back, once however often it is closed.
func Wrap(l net.Listener, cfg Config) net.Listener {
	return wrapWithClock(l, cfg, time.Now)
}

func wrapWithClock(l net.Listener, cfg Config, now func() time.Time) *listener {
	cfg = cfg.normalized()
	return &listener{Listener: l, cfg: cfg, limits: newLimits(cfg, now)}
}

type listener struct {
	net.Listener
	cfg    Config
	limits *limits
}

// Accept returns the next connection that passes the limits, refusing the others.
func (l *listener) Accept() (net.Conn, error) {
	for {
		raw, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		source := addrOf(raw.RemoteAddr())
		if !l.limits.acquireTotal() {
			l.refuse(raw, ReasonTotal, source)
			continue
		}
		c := &conn{Conn: raw, raw: raw, listener: l, source: source}
		if l.cfg.trusts(source) {
			c.proxied = proxyproto.NewConn(raw,
				proxyproto.WithPolicy(proxyproto.REQUIRE),
				proxyproto.ValidateHeader(validateHeader),
				proxyproto.SetReadHeaderTimeout(l.cfg.ProxyHeaderTimeout),
			)
			c.Conn = c.proxied
			return c, nil
		}
		if key, ok := VisitorKey(source); ok {
			if reason, ok := l.limits.acquireVisitor(key); !ok {
				l.limits.releaseTotal()
				l.refuse(raw, reason, source)
				continue
			}
			c.key, c.holdsVisitor = key, true
		}
		c.admitOnce.Do(func() {}) // nothing left to check before the first byte
		return c, nil
	}
}

// refuse counts the refusal, tells the peer why in one line and closes the connection.
// The write goes to a fresh socket whose send buffer is empty, so it does not block.
func (l *listener) refuse(raw net.Conn, reason string, remote netip.Addr) {
	if l.cfg.OnRefuse != nil {
		l.cfg.OnRefuse(reason, remote)
	}
	_, _ = raw.Write([]byte(refusalLine(reason)))
	_ = raw.Close()
}

// validateHeader accepts a header that names a TCP visitor, and the LOCAL command (or v1
// UNKNOWN) a balancer uses for its own health checks, which keeps the balancer's address.
func validateHeader(h *proxyproto.Header) error {
	if h.Command.IsLocal() || h.TransportProtocol.IsUnspec() {
		return nil
	}
	if _, _, ok := h.TCPAddrs(); ok {
		return nil
	}
	return errUnusableHeader
}

var errUnusableHeader = errors.New("netguard: PROXY header carries no TCP address")

// conn is a connection that passed Accept. For a trusted source it still has its PROXY
// header and per-visitor limits ahead of it (admit); for any other source, its first
// bytes are checked for a PROXY header it may not send.
type conn struct {
	net.Conn // raw, or proxied once the source is trusted
	raw      net.Conn
	proxied  *proxyproto.Conn
	listener *listener
	source   netip.Addr

	admitOnce sync.Once
	admitErr  error
	visitor   net.Addr // the carried address; nil until admitted, and for direct connections

	firstBytesSeen atomic.Bool

	mu           sync.Mutex // guards the fields below against Close racing admit
	key          netip.Prefix
	holdsVisitor bool
	released     bool
}

// admit reads a trusted source's PROXY header and applies the per-visitor limits to the
// address it carries. It runs once; a refused connection is closed here.
func (c *conn) admit() error {
	c.admitOnce.Do(func() {
		if c.isReleased() {
			c.admitErr = net.ErrClosed
			return
		}
		header := c.proxied.ProxyHeader() // reads the header under ProxyHeaderTimeout
		if header == nil {
			if c.isReleased() { // closed by the server while the header was awaited
				c.admitErr = net.ErrClosed
				return
			}
			c.admitErr = c.refuseLate(ReasonProxyInvalid, c.source)
			return
		}
		visitor := c.raw.RemoteAddr()
		visitorIP := c.source
		if src, _, ok := header.TCPAddrs(); ok && header.Command.IsProxy() {
			if ip, ok := netip.AddrFromSlice(src.IP); ok {
				visitorIP = ip.Unmap()
				visitor = net.TCPAddrFromAddrPort(netip.AddrPortFrom(visitorIP, uint16(src.Port))) //nolint:gosec // a PROXY header's port is 16 bits
			}
		}
		key, ok := VisitorKey(visitorIP)
		if !ok {
			c.visitor = visitor
			return
		}
		c.mu.Lock()
		if c.released {
			c.mu.Unlock()
			c.admitErr = net.ErrClosed
			return
		}
		reason, ok := c.listener.limits.acquireVisitor(key)
		if ok {
			c.key, c.holdsVisitor = key, true
		}
		c.mu.Unlock()
		if !ok {
			c.admitErr = c.refuseLate(reason, visitorIP)
			return
		}
		c.visitor = visitor
	})
	return c.admitErr
}

// refuseLate refuses a connection Accept already handed out: one line, slots back, closed.
func (c *conn) refuseLate(reason string, remote netip.Addr) error {
	if cb := c.listener.cfg.OnRefuse; cb != nil {
		cb(reason, remote)
	}
	_, _ = c.raw.Write([]byte(refusalLine(reason)))
	_ = c.Close()
	return &RefusedError{Reason: reason}
}

// Read reads from the visitor, after the PROXY header when there is one.
func (c *conn) Read(b []byte) (int, error) {
	if err := c.admit(); err != nil {
		return 0, err
	}
	if c.proxied != nil || c.firstBytesSeen.Load() {
		return c.Conn.Read(b)
	}
	n, err := c.raw.Read(b)
	if n > 0 {
		c.firstBytesSeen.Store(true)
		if startsLikeProxyHeader(b[:n]) {
			return 0, c.refuseLate(ReasonProxyUntrusted, c.source)
		}
	}
	return n, err
}

// startsLikeProxyHeader reports whether data begins a PROXY v1 or v2 header. SSH clients
// start with "SSH-", so a match is never a real visitor.
func startsLikeProxyHeader(data []byte) bool {
	for _, sig := range [][]byte{proxyproto.SIGV1, proxyproto.SIGV2} {
		n := min(len(data), len(sig))
		if bytes.Equal(data[:n], sig[:n]) {
			return true
		}
	}
	return false
}

// Write writes to the visitor, after a trusted source's header has been read.
func (c *conn) Write(b []byte) (int, error) {
	if err := c.admit(); err != nil {
		return 0, err
	}
	return c.Conn.Write(b)
}

// RemoteAddr is the visitor's address: the one the PROXY header carried when the source
// is a trusted load balancer, otherwise the socket's peer.
func (c *conn) RemoteAddr() net.Addr {
	if c.admit() == nil && c.visitor != nil {
		return c.visitor
	}
	return c.raw.RemoteAddr()
}

// LocalAddr is the address the visitor connected to (the balancer's, behind one).
func (c *conn) LocalAddr() net.Addr {
	if c.proxied != nil && c.admit() == nil {
		return c.proxied.LocalAddr()
	}
	return c.raw.LocalAddr()
}

func (c *conn) isReleased() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.released
}

// Close closes the connection and gives its slots back the first time it is called.
func (c *conn) Close() error {
	c.mu.Lock()
	if !c.released {
		c.released = true
		if c.holdsVisitor {
			c.listener.limits.releaseVisitor(c.key)
		}
		c.listener.limits.releaseTotal()
	}
	c.mu.Unlock()
	return c.raw.Close()
}
