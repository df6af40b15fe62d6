package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Lines a visitor reads when the server ends a session.
const (
	msgTooMany    = "sshcv: too many visitors right now, please try again in a minute"
	msgRestarting = "sshcv is restarting; please reconnect in a moment"
	// msgTooManyFromAddr is for a visitor whose address already has
	// Config.MaxSessionsPerAddr sessions open.
	msgTooManyFromAddr = "sshcv: too many sessions from your address; close one and try again"
	// msgFlood is the goodbye of a session closed for sending a flood of input.
	msgFlood = "sshcv: closed: far more input than anyone types"
)

// visit is one SSH session from start to end. Nothing in it is shared with
// another session.
type visit struct {
	srv     *Server
	sess    ssh.Session
	id      string
	started time.Time
	user    string // cleaned, capped: safe to log
	command string // cleaned, capped: safe to log

	route   route
	label   string // profile label for metrics, fixed at start
	profile string // profile on screen at the end, for the log
	pty     bool
	term    string
	width   int // clamped window size at start (0 without a PTY)
	height  int
	window  atomic.Uint64 // the latest clamped window size (packWindow)
	// winch is the session's window changes until someone takes them (takeWindows).
	winch       <-chan ssh.Window
	windowTaken atomic.Bool
	// the window as the client reported it at start, before clamping: the view
	// counts' terminal size class
	clientWidth, clientHeight int

	out      *countingWriter // the session's output, counted
	bytesOut atomic.Int64

	ctx       context.Context // done once the session must end
	cancel    context.CancelFunc
	lastInput atomic.Int64 // unix nanoseconds of the visitor's last input

	mu         sync.Mutex
	outcome    string
	errText    string
	timers     []*time.Timer
	stopOnDone func() bool
}

func (s *Server) newVisit(sess ssh.Session) *visit {
	ctx, cancel := context.WithCancel(context.Background())
	v := &visit{
		srv:     s,
		sess:    sess,
		id:      s.idPrefix + strconv.FormatUint(s.nextID.Add(1), 36),
		started: time.Now(),
		user:    cleanUsername(sess.User()),
		command: cleanUsername(strings.Join(sess.Command(), " ")),
		label:   ProfileNone,
		ctx:     ctx,
		cancel:  cancel,
	}
	v.out = &countingWriter{w: sess, n: &v.bytesOut}
	v.lastInput.Store(v.started.UnixNano())
	return v
}

// refuse ends a session before it starts, with one line on stderr.
func (v *visit) refuse(reason, line string) {
	v.setOutcome(OutcomeRefused)
	if v.srv.cfg.Observer != nil {
		v.srv.cfg.Observer.Refused(reason)
	}
	v.errText = reason
	_, _ = fmt.Fprintln(v.stderr(), line)
	_ = v.sess.Exit(1)
}

// watch arms the session's timers: the idle timeout, counted from the visitor's
// last input, the maximum session length, and the end of the connection.
func (v *visit) watch() {
	cfg := v.srv.cfg
	v.mu.Lock()
	defer v.mu.Unlock()
	if cfg.IdleTimeout > 0 {
		var idle *time.Timer
		idle = time.AfterFunc(cfg.IdleTimeout, func() {
			since := time.Since(time.Unix(0, v.lastInput.Load()))
			if since >= cfg.IdleTimeout {
				v.end(OutcomeIdle)
				return
			}
			idle.Reset(cfg.IdleTimeout - since)
		})
		v.timers = append(v.timers, idle)
	}
	if cfg.MaxSession > 0 {
		v.timers = append(v.timers, time.AfterFunc(cfg.MaxSession, func() { v.end(OutcomeMaxLength) }))
	}
	v.stopOnDone = context.AfterFunc(v.sess.Context(), func() { v.end(OutcomeClosed) })
}

// end asks the session to end for the given reason: the program stops, the
// goodbye line is written, and should that not happen within closeGrace (a client
// that stopped reading), the connection is closed under it. Only the first
// reason counts.
func (v *visit) end(outcome string) {
	v.mu.Lock()
	if v.outcome != "" {
		v.mu.Unlock()
		return
	}
	v.outcome = outcome
	if outcome != OutcomeClosed {
		v.timers = append(v.timers, time.AfterFunc(v.srv.closeGrace, v.closeConnection))
	}
	v.mu.Unlock()
	v.cancel()
}

// setOutcome records how the session ended unless a reason is already known.
func (v *visit) setOutcome(outcome string) {
	v.mu.Lock()
	if v.outcome == "" {
		v.outcome = outcome
	}
	v.mu.Unlock()
}

func (v *visit) currentOutcome() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.outcome
}

// fail records an error: the session ends with OutcomeError.
func (v *visit) fail(text string) {
	v.mu.Lock()
	if v.outcome == "" || v.outcome == OutcomeQuit {
		v.outcome = OutcomeError
	}
	v.errText = text
	v.mu.Unlock()
}

func (v *visit) closeConnection() {
	if conn, ok := v.sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
		_ = conn.Close()
	}
}

// finish stops the timers, reports the session and writes its log line.
func (v *visit) finish() {
	v.cancel()
	v.mu.Lock()
	for _, t := range v.timers {
		t.Stop()
	}
	if v.stopOnDone != nil {
		v.stopOnDone()
	}
	outcome, errText := v.outcome, v.errText
	v.mu.Unlock()

	d := time.Since(v.started)
	bytesOut := v.bytesOut.Load()
	if obs := v.srv.cfg.Observer; obs != nil && outcome != OutcomeRefused {
		obs.SessionEnded(v.label, outcome, d, bytesOut)
	}
	attrs := []any{
		"id", v.id,
		"remote", remoteHost(v.sess.RemoteAddr()),
		"user", v.user,
		"profile", v.profile,
		"command", v.command,
		"pty", v.ptySize(),
		"term", v.term,
		"duration", d.Round(time.Millisecond),
		"bytes_out", bytesOut,
		"outcome", outcome,
	}
	if errText != "" {
		attrs = append(attrs, "error", errText)
	}
	if outcome == OutcomeError || outcome == OutcomePanic {
		v.srv.log.Warn("session", attrs...)
		return
	}
	v.srv.log.Info("session", attrs...)
}

func (v *visit) ptySize() string {
	if !v.pty {
		return ""
	}
	return strconv.Itoa(v.width) + "x" + strconv.Itoa(v.height)
}

// stderr is the session's error stream, counted.
func (v *visit) stderr() io.Writer {
	return &countingWriter{w: v.sess.Stderr(), n: &v.bytesOut}
}

// goodbye is the line a session ended by the server leaves on the screen.
func (v *visit) goodbye(outcome string) string {
	switch outcome {
	case OutcomeIdle:
		return "sshcv: closed after " + humanDuration(v.srv.cfg.IdleTimeout) + " without a key press. Come back any time: " + v.comeBackCommand(v.route)
	case OutcomeMaxLength:
		return "sshcv: sessions last at most " + humanDuration(v.srv.cfg.MaxSession) + ". Come back any time: " + v.comeBackCommand(v.route)
	case OutcomeShutdown:
		return msgRestarting
	case OutcomeFlood:
		return msgFlood
	case OutcomePanic:
		return msgSorry
	}
	return ""
}

// comeBackCommand is the ssh command that opens the same CV again.
func (v *visit) comeBackCommand(r route) string {
	handle := ""
	if r.Profile != nil {
		handle = r.Profile.Handle
	}
	return v.sshCommand(handle, "")
}

// sshCommand spells `ssh [-p PORT] [handle@]host [command]` for this server as
// the visitor reached it.
func (v *visit) sshCommand(handle, command string) string {
	host, port := v.srv.publicHost(v.sess.LocalAddr())
	var b strings.Builder
	b.WriteString("ssh ")
	if port != "" && port != "22" {
		b.WriteString("-p " + port + " ")
	}
	if handle != "" {
		b.WriteString(handle + "@")
	}
	b.WriteString(host)
	if command != "" {
		b.WriteString(" " + command)
	}
	return b.String()
}

// publicHost is the host name and port visitors use: Config.Host when set,
// otherwise the address this connection reached.
func (s *Server) publicHost(local net.Addr) (host, port string) {
	if s.cfg.Host != "" {
		if h, p, err := net.SplitHostPort(s.cfg.Host); err == nil {
			return h, p
		}
		return s.cfg.Host, ""
	}
	if local == nil {
		return "localhost", ""
	}
	h, p, err := net.SplitHostPort(local.String())
	if err != nil {
		return "localhost", ""
	}
	if ip := net.ParseIP(h); ip == nil || ip.IsLoopback() || ip.IsUnspecified() {
		h = "localhost"
	}
	return h, p
}

// clampWindow gives a window size the program can use: a missing dimension
// becomes 80x24's, and none exceeds MaxWidth x MaxHeight (screen buffers grow
// with the window: a claimed 5000x5000 must cost nothing).
func (s *Server) clampWindow(w, h int) (int, int) {
	if w <= 0 {
		w = defaultWidth
	}
	if h <= 0 {
		h = defaultHeight
	}
	return min(w, s.cfg.MaxWidth), min(h, s.cfg.MaxHeight)
}

// drainWindowChanges reads a session's window changes until the session's
// requests end, for sessions that do not use them: the SSH library's request
// loop would otherwise block on the second one.
func drainWindowChanges(winch <-chan ssh.Window) {
	for range winch {
	}
}

// countingWriter counts the bytes a session sends.
type countingWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

func remoteHost(a net.Addr) string {
	if a == nil {
		return ""
	}
	return a.String()
}

func randomID() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:]) + "-"
}

func humanDuration(d time.Duration) string {
	switch {
	case d%time.Second != 0:
		return d.String()
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d == time.Minute:
		return "1 minute"
	case d > time.Minute && d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + " minutes"
	default:
		return d.Round(time.Second).String()
	}
}
