package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/sshcv/sshcv/internal/vterm"
	"golang.org/x/crypto/ssh"
)

// closeKind is how a session ends once its markers were seen.
type closeKind string

const (
	// closeClean presses q and waits for the server's exit status, then disconnects.
	closeClean closeKind = "clean"
	// closeFIN closes the TCP connection without an SSH goodbye (a killed client).
	closeFIN closeKind = "fin"
	// closeRST resets the TCP connection (SO_LINGER 0): a client that vanished.
	closeRST closeKind = "rst"
	// closeRSTMid resets the connection as soon as the first frame starts arriving,
	// while the server is still busy with the session's start.
	closeRSTMid closeKind = "rst-mid"
)

var closeKinds = []closeKind{closeClean, closeFIN, closeRST, closeRSTMid}

func parseCloseKind(s string) (closeKind, error) {
	for _, k := range closeKinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("-close %q: want clean, fin, rst or rst-mid", s)
}

// errorKind classifies a failed session for the report.
type errorKind string

const (
	errDial      errorKind = "dial"      // TCP connect failed or was refused
	errHandshake errorKind = "handshake" // SSH key exchange or authentication failed
	errPTY       errorKind = "pty"       // session channel, PTY or shell request refused
	errTimeout   errorKind = "timeout"   // a marker or the exit status did not come in time
	errClosed    errorKind = "closed"    // the server ended the session before its marker
	errExit      errorKind = "exit"      // q did not end the session with exit status 0
)

// sessionSpec is what every session of a workload does; it is read-only once built.
type sessionSpec struct {
	addr          string
	user          string
	width, height int
	marker        string
	key           string // empty: no key press
	marker2       string
	close         closeKind
	timeout       time.Duration // per session, for each of its open and close phases
	terminal      vterm.Options
	config        *ssh.ClientConfig
	// sources are the loopback addresses sessions dial from, in turn; empty means the
	// kernel's choice. Many sources look like many visitors to per-address limits.
	sources []*net.TCPAddr
}

// loopbackSources returns n source addresses 127.1.0.1, 127.1.0.2, … for dialling
// an IPv4 loopback target; none for n ≤ 1 or an IPv6 target (::1 is its only one).
func loopbackSources(targetAddr string, n int) []*net.TCPAddr {
	host, _, err := net.SplitHostPort(targetAddr)
	if err != nil || n <= 1 {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err != nil || !ip.Is4() {
		return nil
	}
	out := make([]*net.TCPAddr, 0, n)
	ip := netip.AddrFrom4([4]byte{127, 1, 0, 0})
	for range n {
		ip = ip.Next()
		out = append(out, &net.TCPAddr{IP: ip.AsSlice()})
	}
	return out
}

func newClientConfig(user string) *ssh.ClientConfig {
	return &ssh.ClientConfig{
		User: user,
		// No auth methods: the client offers "none", which sshcv (and the baseline)
		// accept. The target is loopback-only, so the host key proves nothing here.
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), //nolint:gosec // loopback-only load target, see above
	}
}

// sessionResult is one session's outcome and timings.
type sessionResult struct {
	failure errorKind // empty when the session did everything asked
	detail  string    // the error, for the first failure of each kind
	aborted bool      // the run's -duration ended (or the run was interrupted) first

	firstFrame      time.Duration // connect → first marker on screen
	firstFrameBytes int64         // bytes received up to the end of the chunk that completed it
	sawFirstFrame   bool
	keyFrame        time.Duration // key written → second marker on screen
	sawKeyFrame     bool
}

// liveSession is an open session whose output is being read and answered.
type liveSession struct {
	spec    *sessionSpec
	conn    net.Conn
	client  *ssh.Client
	session *ssh.Session
	stdin   io.Writer

	notify     chan struct{} // pinged after every chunk of output
	readerDone chan struct{} // closed when the output ends

	mu             sync.Mutex // guards everything below and writes to stdin
	term           *vterm.Terminal
	received       int64
	readErr        error
	firstPrintAt   time.Time
	markerAt       time.Time
	markerBytes    int64
	keyAt          time.Time
	marker2At      time.Time
	lookForMarker2 bool
}

// openSession connects, starts a PTY shell and waits for the first marker (and, with
// a key, for the second). With close rst-mid it also ends the session, as soon as the
// first frame starts arriving. On success the caller owns the returned session and
// must end it with finish. seq numbers the session within its round and picks its
// source address. It is long because it is the steps of opening a session in order,
// each timed: split, every step would need every timer.
func openSession(runCtx context.Context, spec *sessionSpec, seq int) (*liveSession, sessionResult) {
	var res sessionResult
	ctx, cancel := context.WithTimeout(runCtx, spec.timeout)
	defer cancel()
	fail := func(kind errorKind, err error) (*liveSession, sessionResult) {
		if runCtx.Err() != nil {
			res.aborted = true
			return nil, res
		}
		if ctx.Err() != nil && kind != errDial {
			kind = errTimeout
		}
		res.failure, res.detail = kind, err.Error()
		return nil, res
	}

	start := time.Now()
	var dialer net.Dialer
	if len(spec.sources) > 0 {
		dialer.LocalAddr = spec.sources[seq%len(spec.sources)]
	}
	conn, err := dialer.DialContext(ctx, "tcp", spec.addr)
	if err != nil {
		return fail(errDial, err)
	}
	// Any phase that outlives the session's timeout is cut by closing the socket.
	stopWatchdog := context.AfterFunc(ctx, func() { conn.Close() })
	defer stopWatchdog()

	c, chans, reqs, err := ssh.NewClientConn(conn, spec.addr, spec.config)
	if err != nil {
		conn.Close()
		return fail(errHandshake, err)
	}
	client := ssh.NewClient(c, chans, reqs)
	s := &liveSession{
		spec:       spec,
		conn:       conn,
		client:     client,
		notify:     make(chan struct{}, 1),
		readerDone: make(chan struct{}),
		term:       vterm.New(spec.width, spec.height, spec.terminal),
	}
	if err := s.startShell(); err != nil {
		client.Close()
		return fail(errPTY, err)
	}

	if spec.close == closeRSTMid {
		err := s.waitUntil(ctx, func() bool { return !s.firstPrintAt.IsZero() })
		if err == nil {
			s.mu.Lock()
			if !s.markerAt.IsZero() {
				res.firstFrame, res.firstFrameBytes, res.sawFirstFrame = s.markerAt.Sub(start), s.markerBytes, true
			}
			s.mu.Unlock()
			s.reset()
			<-s.readerDone
			return nil, res
		}
		s.reset()
		<-s.readerDone
		return fail(failureKind(ctx), err)
	}

	if err := s.waitUntil(ctx, func() bool { return !s.markerAt.IsZero() }); err != nil {
		s.reset()
		<-s.readerDone
		return fail(failureKind(ctx), fmt.Errorf("waiting for %q: %w", spec.marker, err))
	}
	s.mu.Lock()
	res.firstFrame, res.firstFrameBytes, res.sawFirstFrame = s.markerAt.Sub(start), s.markerBytes, true
	s.mu.Unlock()

	if spec.key != "" {
		s.mu.Lock()
		s.term.ResetDirty()
		s.lookForMarker2 = true
		s.keyAt = time.Now()
		_, err := io.WriteString(s.stdin, s.term.KeySequence(spec.key))
		s.mu.Unlock()
		if err == nil {
			err = s.waitUntil(ctx, func() bool { return !s.marker2At.IsZero() })
		}
		if err != nil {
			s.reset()
			<-s.readerDone
			return fail(failureKind(ctx), fmt.Errorf("after key %q, waiting for %q: %w", spec.key, spec.marker2, err))
		}
		s.mu.Lock()
		res.keyFrame, res.sawKeyFrame = s.marker2At.Sub(s.keyAt), true
		s.mu.Unlock()
	}
	return s, res
}

// failureKind tells a server that hung up from one that was too slow.
func failureKind(ctx context.Context) errorKind {
	if ctx.Err() != nil {
		return errTimeout
	}
	return errClosed
}

func (s *liveSession) startShell() error {
	sess, err := s.client.NewSession()
	if err != nil {
		return fmt.Errorf("open session: %w", err)
	}
	s.session = sess
	modes := ssh.TerminalModes{ssh.ECHO: 1, ssh.TTY_OP_ISPEED: 38400, ssh.TTY_OP_OSPEED: 38400}
	if err := sess.RequestPty("xterm-256color", s.spec.height, s.spec.width, modes); err != nil {
		return fmt.Errorf("request pty: %w", err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return err
	}
	sess.Stderr = io.Discard
	s.stdin = stdin
	if err := sess.Shell(); err != nil {
		return fmt.Errorf("start shell: %w", err)
	}
	go s.read(stdout)
	return nil
}

// read feeds the server's output to the terminal, writes its answers back, and notes
// when each marker appears. It runs until the output ends.
func (s *liveSession) read(stdout io.Reader) {
	defer close(s.readerDone)
	// As large as the biggest SSH data packet, so that a frame the server wrote at once
	// arrives in one chunk and "bytes to first frame" counts all of it.
	buf := make([]byte, 32*1024)
	for {
		n, err := stdout.Read(buf)
		if n > 0 {
			now := time.Now()
			s.mu.Lock()
			s.received += int64(n)
			_, _ = s.term.Write(buf[:n]) // never fails
			if replies := s.term.TakeReplies(); len(replies) > 0 {
				// A failed write shows up as the session ending; nothing to add here.
				_, _ = s.stdin.Write(replies)
			}
			if s.firstPrintAt.IsZero() && s.term.Printed() {
				s.firstPrintAt = now
			}
			switch {
			case s.markerAt.IsZero():
				if s.term.Find(s.spec.marker) {
					s.markerAt, s.markerBytes = now, s.received
				}
			case s.lookForMarker2 && s.marker2At.IsZero():
				if s.term.Find(s.spec.marker2) {
					s.marker2At = now
				}
			}
			s.mu.Unlock()
			select {
			case s.notify <- struct{}{}:
			default:
			}
		}
		if err != nil {
			s.mu.Lock()
			s.readErr = err
			s.mu.Unlock()
			return
		}
	}
}

// waitUntil waits for done (checked under the lock) to become true, for the output to
// end, or for ctx.
func (s *liveSession) waitUntil(ctx context.Context, done func() bool) error {
	for {
		s.mu.Lock()
		ok := done()
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-s.notify:
		case <-s.readerDone:
			s.mu.Lock()
			ok, readErr, screen := done(), s.readErr, s.term.Screen()
			s.mu.Unlock()
			if ok {
				return nil
			}
			if readErr == nil || errors.Is(readErr, io.EOF) {
				readErr = errors.New("server ended the session")
			}
			return fmt.Errorf("%w; screen was: %s", readErr, summarizeScreen(screen))
		case <-ctx.Done():
			s.mu.Lock()
			screen := s.term.Screen()
			s.mu.Unlock()
			return fmt.Errorf("%w; screen was: %s", ctx.Err(), summarizeScreen(screen))
		}
	}
}

// summarizeScreen squeezes a screen into one short line for an error message.
func summarizeScreen(screen string) string {
	s := strings.Join(strings.Fields(screen), " ")
	if s == "" {
		return "(blank)"
	}
	const limit = 160
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// reset drops the TCP connection with an RST.
func (s *liveSession) reset() {
	if tcp, ok := s.conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	s.conn.Close()
}

// finish ends an open session the way spec.close says, within the session timeout,
// and adds any failure to res.
func (s *liveSession) finish(runCtx context.Context, res *sessionResult) {
	defer func() { <-s.readerDone }()
	switch s.spec.close {
	case closeFIN:
		s.conn.Close()
		return
	case closeRST, closeRSTMid:
		s.reset()
		return
	case closeClean: // below
	}

	ctx, cancel := context.WithTimeout(runCtx, s.spec.timeout)
	defer cancel()
	defer s.client.Close()
	stopWatchdog := context.AfterFunc(ctx, func() { s.conn.Close() })
	defer stopWatchdog()

	exited := make(chan error, 1)
	go func() { exited <- s.session.Wait() }()
	s.mu.Lock()
	_, err := io.WriteString(s.stdin, "q")
	s.mu.Unlock()
	if err == nil {
		err = <-exited
	}
	switch {
	case err == nil:
		return
	case runCtx.Err() != nil:
		res.aborted = true
	case ctx.Err() != nil:
		res.failure, res.detail = errTimeout, "waiting for the exit status after q: "+ctx.Err().Error()
	default:
		res.failure, res.detail = errExit, "after q: "+err.Error()
	}
}
