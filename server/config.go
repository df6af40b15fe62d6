package server

import (
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/stats"
	"github.com/sshcv/sshcv/tui"
)

// Catalog is what the server needs from the profiles registry (*profiles.Registry
// has it). Lookups go through it only: a username never becomes a file path.
type Catalog interface {
	Lookup(name string) (*profiles.Profile, bool)
	Default() (*profiles.Profile, bool)
	List() []*profiles.Profile
	Suggest(name string) (string, bool)
}

// Observer receives the events that metrics count; nil means none. Labels never
// carry a visitor address or a typed username: profile is a handle, or one of
// ProfilePicker and ProfileNone.
type Observer interface {
	SessionStarted(profile string)
	SessionEnded(profile, outcome string, d time.Duration, bytesOut int64)
	Handshake(d time.Duration)
	FirstFrame(d time.Duration)
	Refused(reason string)
	// InputDropped counts input bytes read and thrown away over the input budget.
	InputDropped(n int)
	// Panicked counts a panic recovered in a session (which it ended).
	Panicked()
}

// Profile labels for sessions that show no single CV.
const (
	ProfilePicker = "_picker" // the picker: the visitor named no CV and the host has several
	ProfileNone   = "_none"   // `list`, `help`, an unknown command, a refused session
)

// Outcomes: how a session ended, in logs and in Observer.SessionEnded.
const (
	OutcomeQuit      = "quit"       // the visitor quit the viewer, or a command finished
	OutcomeClosed    = "closed"     // the client went away first
	OutcomeIdle      = "idle"       // no input for Config.IdleTimeout
	OutcomeMaxLength = "max-length" // open for Config.MaxSession
	OutcomeRefused   = "refused"    // too many sessions, or the server is stopping
	OutcomeShutdown  = "shutdown"   // the server stopped while it was open
	OutcomeError     = "error"      // an unknown command, or the program failed
	OutcomeFlood     = "flood"      // the visitor sent far more input than anyone types
	OutcomePanic     = "panic"      // the server failed in the session (a recovered panic)
)

// Refusal reasons passed to Observer.Refused.
const (
	RefusedMaxSessions      = "max_sessions"      // Config.MaxSessions reached
	RefusedShuttingDown     = "shutting_down"     // a session opened during Shutdown
	RefusedChannels         = "channels"          // too many channels on one connection
	RefusedSessionsPerAddr  = "sessions_per_addr" // Config.MaxSessionsPerAddr reached
	RefusedNoSession        = "no_session"        // a connection opened no session within Config.SessionWait
	RefusedHandshakeTimeout = "handshake_timeout" // the handshake did not finish in time
	RefusedHandshake        = "handshake_failed"  // the handshake failed (scanners, wrong protocol)
)

// Config is everything New needs. Start from DefaultConfig.
type Config struct {
	Addr               string        // address to listen on, ":2222"
	HostKeyDir         string        // folder of the generated host key, "hostkeys"
	HostKeyPEM         string        // a host key as PEM (SSHCV_HOST_KEY); wins over the folder
	Host               string        // public name for the "come back" hint ("cv.rohit.io", "cv.example.com:2222"); "" = the address the visitor reached
	WebBase            string        // the web side's public address ("https://cv.rohit.io"), for QR codes; "" = no web side
	Catalog            Catalog       // the CVs; required
	Renderer           *tui.Renderer // shared by every session; required
	Logger             *slog.Logger  // nil = slog.Default()
	HandshakeTimeout   time.Duration // time allowed from TCP accept to a finished SSH handshake (slowloris)
	IdleTimeout        time.Duration // end a session this long after the visitor's last input (not output)
	MaxSession         time.Duration // longest a session may last
	MaxSessions        int           // concurrent sessions in all
	MaxSessionsPerAddr int           // concurrent sessions from one address (IPv6: one /64), all its connections together
	SessionWait        time.Duration // close a connection that has no session this long after its handshake or its last session
	MaxWidth           int           // widest window a program is given; wider ones are clamped
	MaxHeight          int           // tallest window a program is given

	// WrapListener, when set, wraps the TCP listener before the SSH server sees it:
	// the pre-handshake guard and PROXY protocol live there.
	WrapListener func(net.Listener) net.Listener
	Observer     Observer // nil = none

	Messages *Messages // visitors' messages and the owner's inbox (messages.go); nil = none
	// Stats counts the owner's views (views.go); nil = off.
	Stats *stats.Recorder
}

// DefaultConfig returns the defaults `sshcv serve` starts from. Each is chosen to
// cost a real visitor nothing while capping what an abuser can hold.
func DefaultConfig() Config {
	return Config{
		Addr:       ":2222",
		HostKeyDir: "hostkeys",
		// Key exchange and the `none` login take a few round trips: under a second
		// even on a slow mobile link. Ten seconds keeps high-latency visitors in and
		// lets a connection that never speaks hold a slot for ten seconds at most.
		HandshakeTimeout: 10 * time.Second,
		// Reading a long section can take a few minutes without a key press; ten
		// minutes without any input means the visitor has left the window.
		IdleTimeout: 10 * time.Minute,
		// Reading a whole CV takes minutes; half an hour ends sessions left open
		// in a forgotten tab while never cutting a reader short.
		MaxSession: 30 * time.Minute,
		// An open session costs under 1 MiB at the window clamp below; a thousand
		// fit in the default 768 MiB memory limit with room for bursts, and far
		// exceed real traffic.
		MaxSessions: 1000,
		// A household or an office behind one address has a few readers at once;
		// ten sessions keep one address at about 10 MiB at the window clamp.
		MaxSessionsPerAddr: 10,
		// A client opens its session within milliseconds of logging in; a
		// connection that holds a slot without one (keepalives only) is closed.
		SessionWait: 5 * time.Second,
		// The renderer keeps a frame's rows, not cells (tea.WithLineRenderer), so
		// a session's memory hardly grows with its window; at this clamp it stays
		// under 1 MiB (see README, Performance). Larger windows are drawn at this
		// size.
		MaxWidth:  tui.MaxWidth,
		MaxHeight: 120,
	}
}

// Limits that are properties of the protocol rather than policy, so not flags.
const (
	// defaultWidth and defaultHeight replace a window size of zero (clients that
	// send no size, and `ssh -t` from a pipe).
	defaultWidth  = 80
	defaultHeight = 24
	// plainWidth is the width of plain text without a PTY.
	plainWidth = 80
	// maxUsernameLen caps the part of a username that is looked at, logged or shown.
	maxUsernameLen = 64
	// maxShownUsername caps a username in the picker heading.
	maxShownUsername = 32
	// maxChannelsPerConn caps session channels on one connection: OpenSSH
	// multiplexing opens a few; thousands would bypass the per-address caps.
	maxChannelsPerConn = 8
	// maxEnvVars and maxEnvBytes cap what a client may set with SendEnv/SetEnv.
	maxEnvVars  = 32
	maxEnvBytes = 4096
	// closeGrace is how long a session that has been told to end may take to write
	// its goodbye before its connection is closed under it (a client that stopped
	// reading would otherwise hold it).
	closeGrace = 5 * time.Second
)

func (c *Config) validate() error {
	if c.Catalog == nil {
		return errors.New("server: Config.Catalog is required")
	}
	if c.Renderer == nil {
		return errors.New("server: Config.Renderer is required")
	}
	if c.HostKeyPEM == "" && c.HostKeyDir == "" {
		return errors.New("server: a host key folder or PEM is required")
	}
	if c.MaxWidth <= 0 || c.MaxHeight <= 0 {
		return errors.New("server: MaxWidth and MaxHeight must be positive")
	}
	if c.MaxWidth < 20 || c.MaxHeight < 5 {
		return errors.New("server: MaxWidth and MaxHeight below 20x5 would leave nothing readable")
	}
	if c.MaxSessions <= 0 {
		return errors.New("server: MaxSessions must be positive")
	}
	if c.MaxSessionsPerAddr < 0 {
		return errors.New("server: MaxSessionsPerAddr must not be negative (0 is no limit)")
	}
	if c.HandshakeTimeout < 0 || c.IdleTimeout < 0 || c.MaxSession < 0 || c.SessionWait < 0 {
		return errors.New("server: timeouts must not be negative")
	}
	return nil
}
