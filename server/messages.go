package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/sshcv/sshcv/notify"
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/store"
	"github.com/sshcv/sshcv/tui"
	gossh "golang.org/x/crypto/ssh"
)

// Messages is what the server needs for visitors' messages and the owner's inbox.
// Config.Messages nil means no store: no `m`, no `message` command, no inbox door.
type Messages struct {
	Store  store.Store
	Outbox *notify.Outbox // nil: nobody is notified (the messages are still kept)
	// Off turns visitors' messages off for every profile (--messages=false); the
	// owner's inbox stays open.
	Off bool
	// PerHour caps the messages from one source address in an hour (kept in memory
	// only); PerDay caps the messages one profile takes in 24 hours (counted in the
	// store). Zero or less: no cap.
	PerHour, PerDay int
	// OwnerKeys open every profile's inbox (--owner-keys), beside each profile's own
	// owner_keys.
	OwnerKeys []gossh.PublicKey
	// Observer counts messages; nil means none.
	Observer MessageObserver
}

// MessageObserver counts messages for /metrics (*metrics.Metrics has it). Reasons
// are short fixed words; labels never carry what a visitor typed.
type MessageObserver interface {
	MessageSent(profile string)
	MessageRefused(reason string)
}

// Errors the server adds to the store's; their text is what the visitor reads.
var (
	errMessagesOff  = errors.New("this CV does not take messages")
	errAddressLimit = errors.New("too many messages from your address in the last hour; try again later")
)

// refusalReason is the metrics word for a message that was not committed.
func refusalReason(err error) string {
	switch {
	case errors.Is(err, store.ErrEmpty):
		return "empty"
	case errors.Is(err, store.ErrTooLong), errors.Is(err, store.ErrFromTooLong):
		return "too_long"
	case errors.Is(err, store.ErrNotUTF8):
		return "not_utf8"
	case errors.Is(err, errMessagesOff):
		return "off"
	case errors.Is(err, errAddressLimit):
		return "address_limit"
	case errors.Is(err, store.ErrProfileLimit):
		return "profile_limit"
	}
	return "store"
}

// addressLimiter counts each source address's messages over the last hour, in
// memory only: addresses are never written anywhere. A slot is reserved before the
// commit and given back when the commit fails, so concurrent sends cannot overshoot.
type addressLimiter struct {
	mu   sync.Mutex
	sent map[string][]time.Time
}

// maxTrackedAddresses bounds the limiter's memory; past it, addresses whose hour
// has passed are forgotten, and if none has, new addresses are refused until one does.
const maxTrackedAddresses = 100_000

func (l *addressLimiter) reserve(addr string, perHour int, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sent == nil {
		l.sent = map[string][]time.Time{}
	}
	recent := keepSince(l.sent[addr], now.Add(-time.Hour))
	if len(recent) >= perHour {
		l.sent[addr] = recent
		return false
	}
	if _, known := l.sent[addr]; !known && len(l.sent) >= maxTrackedAddresses {
		for a, ts := range l.sent {
			if len(keepSince(ts, now.Add(-time.Hour))) == 0 {
				delete(l.sent, a)
			}
		}
		if len(l.sent) >= maxTrackedAddresses {
			return false
		}
	}
	l.sent[addr] = append(recent, now)
	return true
}

func (l *addressLimiter) release(addr string, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.sent[addr]
	for i, t := range ts {
		if t.Equal(at) {
			l.sent[addr] = append(ts[:i], ts[i+1:]...)
			break
		}
	}
	if len(l.sent[addr]) == 0 {
		delete(l.sent, addr)
	}
}

func keepSince(ts []time.Time, since time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(since) {
		i++
	}
	return ts[i:]
}

// takesMessages reports whether visitors may write to p's owner on this server.
func (s *Server) takesMessages(p *profiles.Profile) bool {
	m := s.cfg.Messages
	return m != nil && !m.Off && p != nil && !p.Owner.MessagesOff
}

// sendMessage commits one visitor's message to handle's owner: the limits first
// (the address's, in memory; the profile's, in the store's transaction), then the
// message with its outbox entries, then a nudge to the outbox. addr is used for the
// limit only and never stored.
func (s *Server) sendMessage(ctx context.Context, addr, handle, from, body string) error {
	m := s.cfg.Messages
	msg, err := s.commitMessage(ctx, addr, handle, from, body)
	if err != nil {
		reason := refusalReason(err)
		if m != nil && m.Observer != nil {
			m.Observer.MessageRefused(reason)
		}
		if reason == "store" {
			s.log.Error("message not stored", "profile", handle, "error", err)
			return errors.New("the message could not be stored; please try again later")
		}
		return err
	}
	s.cfg.Stats.Message(msg.Handle)
	if m.Observer != nil {
		m.Observer.MessageSent(msg.Handle)
	}
	m.Outbox.Kick()
	return nil
}

// commitMessage checks the switches and the address's limit, then commits.
func (s *Server) commitMessage(ctx context.Context, addr, handle, from, body string) (store.Message, error) {
	m := s.cfg.Messages
	p, ok := s.cfg.Catalog.Lookup(handle)
	if !ok || !s.takesMessages(p) {
		return store.Message{}, errMessagesOff
	}
	now := time.Now()
	if m.PerHour > 0 && !s.limiter.reserve(addr, m.PerHour, now) {
		return store.Message{}, errAddressLimit
	}
	msg, err := m.Store.AddMessage(ctx, store.Message{Handle: p.Handle, From: from, Body: body}, m.PerDay, m.Outbox.Names())
	if err != nil && m.PerHour > 0 {
		s.limiter.release(addr, now) // nothing was sent: the slot is not used up
	}
	return msg, err
}

// sourceHost is the address part of a session's remote address, the key of the
// per-address limit.
func sourceHost(a net.Addr) string {
	if a == nil {
		return ""
	}
	if h, _, err := net.SplitHostPort(a.String()); err == nil {
		return h
	}
	return a.String()
}

// visitorSender is the viewer's tui.MessageSender for one session.
type visitorSender struct {
	srv  *Server
	addr string
}

func (vs visitorSender) SendMessage(ctx context.Context, handle, from, body string) error {
	err := vs.srv.sendMessage(ctx, vs.addr, handle, from, body)
	return err
}

func (vs visitorSender) MaxMessage() int { return store.MaxBody }

// messageSender is the session's sender for the viewer, nil when messages are off
// for the whole host.
func (v *visit) messageSender() tui.MessageSender {
	if m := v.srv.cfg.Messages; m == nil || m.Off {
		return nil
	}
	return visitorSender{srv: v.srv, addr: sourceHost(v.sess.RemoteAddr())}
}

// maxMessageInput is the most of stdin `message` reads: MaxBody characters of up to
// 4 bytes each, and a little for surrounding blank space. More is refused as too long
// without reading on.
const maxMessageInput = 4*store.MaxBody + 1024

// runMessage is `ssh HANDLE@host message [--from "NAME"]`: the message is read from
// stdin, committed, and confirmed with one line (exit 0), or refused with the
// reason on stderr (exit 1).
func (v *visit) runMessage(args []string) int {
	from, err := parseMessageArgs(args)
	if err != nil {
		v.fail("message arguments")
		fmt.Fprintf(v.stderr(), "sshcv: message: %v; usage: %s\n", err, v.sshCommand("HANDLE", `message [--from "your name, how to reach you"] < note.txt`))
		return 1
	}
	return v.withProfile("message", func(p *profiles.Profile) int {
		if !v.srv.takesMessages(p) {
			fmt.Fprintf(v.stderr(), "sshcv: not sent: %v\n", errMessagesOff)
			return 1
		}
		data, err := io.ReadAll(io.LimitReader(v.sess, maxMessageInput+1))
		if err != nil {
			fmt.Fprintln(v.stderr(), "sshcv: not sent: the message could not be read")
			return 1
		}
		if len(data) > maxMessageInput {
			if o := v.srv.cfg.Messages.Observer; o != nil {
				o.MessageRefused("too_long")
			}
			fmt.Fprintf(v.stderr(), "sshcv: not sent: %v\n", store.ErrTooLong)
			return 1
		}
		ctx, cancel := context.WithTimeout(v.ctx, 15*time.Second)
		defer cancel()
		if err := v.srv.sendMessage(ctx, sourceHost(v.sess.RemoteAddr()), p.Handle, from, string(data)); err != nil {
			fmt.Fprintf(v.stderr(), "sshcv: not sent: %v\n", err)
			return 1
		}
		return v.writeOut(tui.SentLine(p, v.route.Lang) + "\n")
	})
}

// parseMessageArgs reads `message`'s options: --from NAME or --from=NAME.
func parseMessageArgs(args []string) (string, error) {
	from := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--from" || a == "-from":
			if i+1 >= len(args) {
				return "", errors.New("--from needs a value")
			}
			from = args[i+1]
			i++
		case strings.HasPrefix(a, "--from="):
			from = strings.TrimPrefix(a, "--from=")
		default:
			return "", fmt.Errorf("unknown argument %q", cleanUsername(a))
		}
	}
	return from, nil
}
