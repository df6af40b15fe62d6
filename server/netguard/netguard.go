// Package netguard wraps the SSH server's net.Listener and refuses abusive connections
// before any cryptography runs: too many concurrent connections from one visitor, too
// many new connections per second from one visitor, too many connections in all, and
// PROXY protocol headers from anyone who is not a trusted load balancer.
//
// A refused connection costs the server one accept, one short line of text and one
// close: no SSH handshake, no goroutine, no key exchange. Behind a load balancer the
// limits apply to the visitor address carried in the PROXY protocol header (v1 or v2),
// and the returned connection's RemoteAddr is that address, so the SSH server's logs and
// limits see the visitor rather than the balancer.
//
// netguard imports no other sshcv package; it knows nothing of SSH. Each Wrap call owns
// its own state: there are no package-level variables.
package netguard

import (
	"fmt"
	"math"
	"net"
	"net/netip"
	"time"
)

// Refusal reasons passed to Config.OnRefuse. The set is fixed so that a metric labelled
// with it cannot grow.
const (
	// ReasonPerIP: the visitor already holds MaxConnsPerIP connections.
	ReasonPerIP = "per_ip"
	// ReasonRate: the visitor opened connections faster than RatePerIP allows.
	ReasonRate = "rate"
	// ReasonTotal: MaxConns connections are open in all.
	ReasonTotal = "total"
	// ReasonProxyUntrusted: a PROXY protocol header arrived from a source not in ProxyFrom.
	ReasonProxyUntrusted = "proxy_untrusted"
	// ReasonProxyInvalid: a source in ProxyFrom sent no header, a malformed one, or one
	// that carries no usable TCP address.
	ReasonProxyInvalid = "proxy_invalid"
)

// Defaults, chosen for a public server that shows a CV to people, not to programs.
const (
	// DefaultMaxConnsPerIP lets a household, an office or a small NAT have several people
	// reading at once (a visitor needs exactly one connection), while one address can
	// hold no more than 10 sessions' worth of memory.
	DefaultMaxConnsPerIP = 10
	// DefaultRatePerIP refills one new connection every 200 ms: far beyond a person
	// pressing Enter again, and it keeps one address's handshakes (~5 ms of CPU each)
	// under 3 % of a core.
	DefaultRatePerIP = 5.0
	// DefaultBurstPerIP lets a script, a tmux layout restoring several panes, or a load
	// balancer's health checks connect a few times in a row without being refused.
	DefaultBurstPerIP = 20
	// DefaultMaxConns bounds file descriptors and per-connection goroutines well below
	// what a 2-core machine can hold, counting connections still in their handshake. The
	// memory of full sessions is bounded separately by the SSH server's session limit.
	DefaultMaxConns = 2000
	// DefaultProxyHeaderTimeout: a load balancer sends the PROXY header in its first
	// packet; five seconds tolerates a congested path while a silent connection from a
	// trusted source cannot hold its slot for long.
	DefaultProxyHeaderTimeout = 5 * time.Second
)

// Config says which connections the listener refuses. A limit of zero or less is off.
type Config struct {
	// MaxConnsPerIP is the number of concurrent connections one visitor may hold.
	// IPv6 visitors are grouped by /64, the smallest block an ISP hands out.
	MaxConnsPerIP int
	// RatePerIP is the number of new connections per second one visitor may open, as a
	// token bucket that holds BurstPerIP tokens.
	RatePerIP float64
	// BurstPerIP is the token bucket's size; when it is below 1 and RatePerIP is on,
	// the burst is RatePerIP rounded up.
	BurstPerIP int
	// MaxConns is the number of concurrent connections in all, including those whose
	// PROXY header or SSH handshake is still under way.
	MaxConns int
	// ProxyFrom lists the load balancers whose PROXY protocol headers are trusted. A
	// connection from one of them must start with a header; a header from any other
	// source is refused. Empty means no header is ever accepted.
	ProxyFrom []netip.Prefix
	// ProxyHeaderTimeout bounds the wait for a trusted source's header. Zero or less
	// means DefaultProxyHeaderTimeout.
	ProxyHeaderTimeout time.Duration
	// OnRefuse is told about every refused connection, with one of the Reason constants
	// and the address the limit applied to (the visitor's, or the balancer's when its
	// header was the problem). It runs on the accepting goroutine or on the refused
	// connection's, so it must be quick and safe for concurrent use.
	OnRefuse func(reason string, remote netip.Addr)
}

// DefaultConfig returns the limits sshcv serves with unless told otherwise.
func DefaultConfig() Config {
	return Config{
		MaxConnsPerIP:      DefaultMaxConnsPerIP,
		RatePerIP:          DefaultRatePerIP,
		BurstPerIP:         DefaultBurstPerIP,
		MaxConns:           DefaultMaxConns,
		ProxyHeaderTimeout: DefaultProxyHeaderTimeout,
	}
}

// normalized fills the values that have a meaning when left empty.
func (c Config) normalized() Config {
	if c.ProxyHeaderTimeout <= 0 {
		c.ProxyHeaderTimeout = DefaultProxyHeaderTimeout
	}
	if c.RatePerIP > 0 && c.BurstPerIP < 1 {
		c.BurstPerIP = int(math.Ceil(c.RatePerIP))
	}
	prefixes := make([]netip.Prefix, 0, len(c.ProxyFrom))
	for _, p := range c.ProxyFrom {
		if p.IsValid() {
			prefixes = append(prefixes, canonicalPrefix(p))
		}
	}
	c.ProxyFrom = prefixes
	return c
}

// trusts reports whether addr is one of the load balancers allowed to send PROXY headers.
func (c *Config) trusts(addr netip.Addr) bool {
	if !addr.IsValid() {
		return false
	}
	for _, p := range c.ProxyFrom {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// refusalLine is written to a refused connection before it is closed, so the visitor's
// ssh client (or nc) shows why the connection ended. No address, no detail, no crypto.
func refusalLine(reason string) string {
	switch reason {
	case ReasonPerIP:
		return "sshcv: too many connections from your address\r\n"
	case ReasonRate:
		return "sshcv: too many new connections from your address; try again in a few seconds\r\n"
	case ReasonTotal:
		return "sshcv: the server is full; try again in a minute\r\n"
	case ReasonProxyUntrusted:
		return "sshcv: PROXY protocol header not accepted from this address\r\n"
	default:
		return "sshcv: a valid PROXY protocol header is required from this address\r\n"
	}
}

// RefusedError is what Read and Write return on a connection that netguard refused after
// Accept had handed it out (a PROXY header problem, or a per-visitor limit that could only
// be checked once the header named the visitor). The connection is already closed.
type RefusedError struct {
	Reason string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("netguard: connection refused (%s)", e.Reason)
}

// addrOf returns the IP address of a TCP endpoint, without an IPv4-in-IPv6 wrapping or a
// zone; the zero Addr for anything else (a Unix socket, a pipe in a test).
func addrOf(a net.Addr) netip.Addr {
	switch t := a.(type) {
	case *net.TCPAddr:
		ip, ok := netip.AddrFromSlice(t.IP)
		if !ok {
			return netip.Addr{}
		}
		return ip.Unmap().WithZone("")
	default:
		return netip.Addr{}
	}
}
