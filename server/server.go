package server

import (
	"context"
	"errors"
	"github.com/sshcv/sshcv/server/netguard"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"
)

// Server is the SSH server. Create it with New; it is safe for concurrent use.
type Server struct {
	cfg Config
	log *slog.Logger
	key *HostKey
	ssh *ssh.Server

	active   atomic.Int64 // sessions counted against MaxSessions
	stopping atomic.Bool
	// closeGrace is how long a session told to end may take before its connection
	// is closed under it (closeGrace the constant; shorter in tests).
	closeGrace time.Duration
	nextID     atomic.Uint64
	idPrefix   string

	// ptys holds each session's PTY as it was when the session started, taken on
	// the SSH library's request loop (see startRequest), keyed by ssh.Session.
	ptys sync.Map

	limiter addressLimiter // messages per source address, in memory only

	mu     sync.Mutex
	visits map[*visit]struct{}
	// perAddr counts open sessions by visitor (netguard.VisitorKey), for
	// Config.MaxSessionsPerAddr.
	perAddr   map[netip.Prefix]int
	listeners []net.Listener // given to Serve; Shutdown closes them
	ready     chan struct{}  // closed once the server listens
}

// Context values the server keeps per connection.
type ctxKey int

const (
	keyConnState ctxKey = iota
)

// connState is what the server tracks per SSH connection.
type connState struct {
	accepted time.Time
	channels atomic.Int32
	conn     net.Conn

	// waitMu guards wait: the timer that closes the connection once it has had no
	// session channel for Config.SessionWait. Keepalives and other global
	// requests do not stop it; only a session channel does.
	waitMu sync.Mutex
	wait   *time.Timer
	closed bool // the connection ended: arm no timer
}

// awaitSession (re)arms the timer that closes a connection without a session.
func (cs *connState) awaitSession(d time.Duration, onClose func()) {
	if d <= 0 {
		return
	}
	cs.waitMu.Lock()
	defer cs.waitMu.Unlock()
	if cs.closed || cs.channels.Load() > 0 {
		return
	}
	if cs.wait != nil {
		cs.wait.Reset(d)
		return
	}
	cs.wait = time.AfterFunc(d, func() {
		if cs.channels.Load() > 0 {
			return
		}
		onClose()
		_ = cs.conn.Close()
	})
}

// sessionOpened stops the no-session timer.
func (cs *connState) sessionOpened() {
	cs.waitMu.Lock()
	defer cs.waitMu.Unlock()
	if cs.wait != nil {
		cs.wait.Stop()
	}
}

// ended stops the no-session timer for good.
func (cs *connState) ended() {
	cs.waitMu.Lock()
	defer cs.waitMu.Unlock()
	cs.closed = true
	if cs.wait != nil {
		cs.wait.Stop()
	}
}

// New builds a server from cfg: it loads (or generates) the host key and sets up
// the SSH server without listening yet.
func New(cfg Config) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	key, err := LoadOrCreateHostKey(cfg.HostKeyDir, cfg.HostKeyPEM)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:        cfg,
		log:        cfg.Logger,
		key:        key,
		visits:     make(map[*visit]struct{}),
		perAddr:    make(map[netip.Prefix]int),
		ready:      make(chan struct{}),
		idPrefix:   randomID(),
		closeGrace: closeGrace,
	}

	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Addr),
		wish.WithVersion("sshcv"),
		func(srv *ssh.Server) error {
			srv.AddHostKey(key.Signer)
			return nil
		},
		func(srv *ssh.Server) error {
			// The handshake deadline is the server's; the idle and overall ones are
			// backstops behind the session's own timers, which say goodbye first.
			srv.HandshakeTimeout = cfg.HandshakeTimeout
			if cfg.IdleTimeout > 0 {
				srv.IdleTimeout = cfg.IdleTimeout + closeGrace
			}
			if cfg.MaxSession > 0 {
				srv.MaxTimeout = cfg.MaxSession + closeGrace
			}
			srv.ConnCallback = s.onConnect
			srv.ConnectionFailedCallback = s.onHandshakeFailed
			srv.ServerConfigCallback = s.sshConfig
			// Only session channels exist (forwarding channels are rejected as
			// unknown types); global requests such as tcpip-forward have no
			// handler and are refused; no subsystem handler is registered, so
			// sftp is refused. The session channel handler below refuses agent
			// and X11 forwarding and caps what a client may set.
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
			srv.RequestHandlers = map[string]ssh.RequestHandler{}
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
			srv.LocalPortForwardingCallback = nil
			srv.ReversePortForwardingCallback = nil
			srv.SessionRequestCallback = s.startRequest
			srv.PublicKeyHandler = s.ownerKey // the owner door only: see owner.go
			return nil
		},
		wish.WithMiddleware(s.middlewares()...),
	)
	if err != nil {
		return nil, err
	}
	s.ssh = srv
	return s, nil
}

// ListenAndServe listens on Config.Addr and serves until Shutdown, after which it
// returns ssh.ErrServerClosed.
func (s *Server) ListenAndServe() error {
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(l)
}

// Serve serves SSH on l (wrapped by Config.WrapListener) until Shutdown, after
// which it returns ssh.ErrServerClosed.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	// Checked under mu, which Shutdown takes after setting stopping: either this
	// sees it, or Shutdown sees l and closes it, even if the SSH server has not
	// taken it yet.
	if s.stopping.Load() {
		s.mu.Unlock()
		_ = l.Close()
		return ssh.ErrServerClosed
	}
	s.listeners = append(s.listeners, l)
	select {
	case <-s.ready:
	default:
		close(s.ready)
	}
	s.mu.Unlock()
	if s.cfg.WrapListener != nil {
		l = s.cfg.WrapListener(l)
	}
	s.log.Info("listening", "addr", l.Addr().String(), "fingerprint", s.Fingerprint(), "hostkey", s.keySource())
	return s.ssh.Serve(l)
}

// Serving reports whether the server takes visitors: nil once it listens, an
// error before and from the start of Shutdown. /healthz answers with it, so
// that a load balancer sends no one to a replica that is starting or stopping.
func (s *Server) Serving() error {
	if s.stopping.Load() {
		return errors.New("shutting down")
	}
	select {
	case <-s.ready:
		return nil
	default:
		return errors.New("not listening yet")
	}
}

// Fingerprint returns the host key's SHA256 fingerprint ("SHA256:...").
func (s *Server) Fingerprint() string { return s.key.Fingerprint() }

func (s *Server) keySource() string {
	switch {
	case s.key.Path == "":
		return "SSHCV_HOST_KEY"
	case s.key.Created:
		return s.key.Path + " (generated)"
	default:
		return s.key.Path
	}
}

// Shutdown stops accepting connections, tells every open session that the server
// is restarting and ends it, waits for the sessions to finish, and closes the
// connections. When ctx ends first, what is still open is closed at once and ctx's
// error is returned.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopping.Store(true)
	// A context that has already ended makes the SSH server close its listeners
	// and return without waiting for connections: the sessions are ended here.
	closed, closeNow := context.WithCancel(ctx)
	closeNow()
	_ = s.ssh.Shutdown(closed)
	// A listener Serve was given but the SSH server had not taken yet.
	s.mu.Lock()
	for _, l := range s.listeners {
		_ = l.Close()
	}
	s.mu.Unlock()

	s.mu.Lock()
	visits := make([]*visit, 0, len(s.visits))
	for v := range s.visits {
		visits = append(visits, v)
	}
	s.mu.Unlock()
	for _, v := range visits {
		v.end(OutcomeShutdown)
	}

	var err error
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for s.openVisits() > 0 && err == nil {
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-tick.C:
		}
	}
	left := s.openVisits()
	_ = s.ssh.Close()
	if err != nil {
		s.log.Warn("sessions cut at the shutdown deadline", "told", len(visits), "cut", left)
		return err
	}
	s.log.Info("sessions ended", "told", len(visits))
	return nil
}

func (s *Server) openVisits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.visits)
}

// onConnect runs for every accepted connection before the handshake.
func (s *Server) onConnect(ctx ssh.Context, conn net.Conn) net.Conn {
	cs := &connState{accepted: time.Now(), conn: conn}
	ctx.SetValue(keyConnState, cs)
	context.AfterFunc(ctx, cs.ended)
	return conn
}

// sshConfig is the per-connection SSH configuration: it times the handshake and,
// once it is done, starts waiting for a session channel.
func (s *Server) sshConfig(ctx ssh.Context) *gossh.ServerConfig {
	// Every username but the owner door's passes `none` (owner.go).
	cfg := &gossh.ServerConfig{NoClientAuth: true, NoClientAuthCallback: s.noneAuth, MaxAuthTries: maxAuthTries}
	cs, _ := ctx.Value(keyConnState).(*connState)
	if cs == nil {
		return cfg
	}
	var once sync.Once
	cfg.AuthLogCallback = func(_ gossh.ConnMetadata, _ string, err error) {
		if err != nil {
			return
		}
		once.Do(func() {
			if s.cfg.Observer != nil {
				s.cfg.Observer.Handshake(time.Since(cs.accepted))
			}
			cs.awaitSession(s.cfg.SessionWait, s.noSession)
		})
	}
	return cfg
}

// noSession counts a connection closed for holding no session.
func (s *Server) noSession() {
	if s.cfg.Observer != nil {
		s.cfg.Observer.Refused(RefusedNoSession)
	}
}

// onHandshakeFailed counts connections that never finished the handshake.
func (s *Server) onHandshakeFailed(_ net.Conn, err error) {
	if s.cfg.Observer == nil {
		return
	}
	// A connection the listener guard refused after Accept (a bad or untrusted PROXY
	// header, a limit on the carried address) was counted there under its own reason.
	var refused *netguard.RefusedError
	if errors.As(err, &refused) {
		return
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) {
		s.cfg.Observer.Refused(RefusedHandshakeTimeout)
		return
	}
	s.cfg.Observer.Refused(RefusedHandshake)
}

// sessionChannel accepts a session channel, at most maxChannelsPerConn per
// connection, and hands it to the SSH library's session handler through a
// request filter.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, newChan gossh.NewChannel, ctx ssh.Context) {
	if cs, ok := ctx.Value(keyConnState).(*connState); ok {
		if cs.channels.Add(1) > maxChannelsPerConn {
			cs.channels.Add(-1)
			_ = newChan.Reject(gossh.ResourceShortage, "too many sessions on one connection")
			if s.cfg.Observer != nil {
				s.cfg.Observer.Refused(RefusedChannels)
			}
			return
		}
		cs.sessionOpened()
		defer func() {
			if cs.channels.Add(-1) == 0 {
				cs.awaitSession(s.cfg.SessionWait, s.noSession)
			}
		}()
	}
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{newChan}, ctx)
}

// filteredChannel passes a session channel's requests through filterRequests.
type filteredChannel struct{ gossh.NewChannel }

func (c filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	filtered := make(chan *gossh.Request)
	go filterRequests(reqs, filtered)
	return ch, filtered, nil
}

// refusedRequest is a request type the SSH library answers with a refusal.
const refusedRequest = "sshcv-refused"

// filterRequests forwards a session's requests in order, renaming those the
// server refuses so that the library's request loop answers them with a refusal
// in their turn (replies must keep the order of the requests):
//   - agent and X11 forwarding: nothing beyond the CV is reachable;
//   - environment variables beyond maxEnvVars or maxEnvBytes.
//
// Window changes before the shell or command are held back, only the last one
// kept, and passed on right after it. The library keeps a PTY's window changes
// in a one-slot channel that the PTY request fills and that nobody reads before
// the handler starts: a second size before the shell would block the library's
// request loop for ever (the shell never answered, two goroutines left behind
// when the client leaves). Window changes ask for no reply (RFC 4254, 6.7); one
// that does is refused in its turn.
func filterRequests(in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	envVars, envBytes := 0, 0
	started := false
	var heldWindow *gossh.Request
	for req := range in {
		switch req.Type {
		case "auth-agent-req@openssh.com", "x11-req":
			req.Type = refusedRequest
		case "env":
			envVars++
			envBytes += len(req.Payload)
			if envVars > maxEnvVars || envBytes > maxEnvBytes {
				req.Type = refusedRequest
			}
		case "window-change":
			if !started {
				if req.WantReply {
					req.Type = refusedRequest
					break
				}
				heldWindow = req
				continue
			}
		case "shell", "exec":
			// The first is always accepted (startRequest refuses subsystems
			// only), and its handler reads the window changes from then on.
			if !started {
				started = true
				out <- req
				if heldWindow != nil {
					out <- heldWindow
					heldWindow = nil
				}
				continue
			}
		}
		out <- req
	}
}

// ptySnapshot is a session's PTY request and its window changes.
type ptySnapshot struct {
	pty   ssh.Pty
	winch <-chan ssh.Window
	ok    bool
}

// startRequest runs on the SSH library's request loop when a shell or command is
// requested, before the handler starts. Reading the PTY here, and not in the
// handler, keeps it from racing with a window change: the loop that applies
// window changes to the session's PTY is this same goroutine. Subsystems (sftp)
// are refused.
func (s *Server) startRequest(sess ssh.Session, requestType string) bool {
	if requestType != "shell" && requestType != "exec" {
		return false
	}
	pty, winch, ok := sess.Pty()
	s.ptys.Store(sess, ptySnapshot{pty: pty, winch: winch, ok: ok})
	return true
}

// takePty returns what startRequest saw for sess.
func (s *Server) takePty(sess ssh.Session) ptySnapshot {
	snap, _ := s.ptys.LoadAndDelete(sess)
	p, _ := snap.(ptySnapshot)
	return p
}

func (s *Server) track(v *visit) {
	s.mu.Lock()
	s.visits[v] = struct{}{}
	s.mu.Unlock()
}

func (s *Server) untrack(v *visit) {
	s.mu.Lock()
	delete(s.visits, v)
	s.mu.Unlock()
}

// acquireAddr counts a session against its visitor's Config.MaxSessionsPerAddr;
// it reports false, counting nothing, when the visitor already has that many.
// release undoes a true acquireAddr.
func (s *Server) acquireAddr(a net.Addr) (release func(), ok bool) {
	limit := s.cfg.MaxSessionsPerAddr
	key, known := visitorOf(a)
	if limit <= 0 || !known {
		return func() {}, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.perAddr[key] >= limit {
		return nil, false
	}
	s.perAddr[key]++
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.perAddr[key]--; s.perAddr[key] <= 0 {
			delete(s.perAddr, key)
		}
	}, true
}

// visitorOf is the visitor a remote address counts as (netguard's grouping).
func visitorOf(a net.Addr) (netip.Prefix, bool) {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return netip.Prefix{}, false
	}
	ip, ok := netip.AddrFromSlice(tcp.IP)
	if !ok {
		return netip.Prefix{}, false
	}
	return netguard.VisitorKey(ip)
}
