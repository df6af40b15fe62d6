package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/sshcv/sshcv/notify"
	"github.com/sshcv/sshcv/server"
	"github.com/sshcv/sshcv/server/metrics"
	"github.com/sshcv/sshcv/store"
	gossh "golang.org/x/crypto/ssh"
)

// storeFlags say where the messages live: SQLite in --data, or PostgreSQL at --store.
// `serve` and `inbox` share them.
type storeFlags struct {
	data, url string
}

func (f *storeFlags) add(ef *envFlags) {
	ef.String(&f.data, "data", "SSHCV_DATA", "data", "folder for the embedded SQLite database of visitors' messages")
	ef.String(&f.url, "store", "SSHCV_STORE", "", "a postgres:// URL: keep the messages in PostgreSQL instead (for several replicas)")
}

func (f *storeFlags) open(ctx context.Context) (store.Store, error) {
	if f.url != "" {
		if !store.IsPostgres(f.url) {
			return nil, fmt.Errorf("--store %q: expected a postgres:// or postgresql:// URL (SQLite is the default, in --data)", f.url)
		}
		return store.OpenPostgres(ctx, f.url)
	}
	return store.OpenSQLite(ctx, f.data)
}

// messageFlags are serve's settings for visitors' messages and the owner's side.
type messageFlags struct {
	on              bool
	perHour, perDay int
	notifyURL       string
	smtp, email     string
	ownerKeys       string
	firstRetry      time.Duration
}

func (f *messageFlags) add(ef *envFlags) {
	ef.Bool(&f.on, "messages", "SSHCV_MESSAGES", true, "let visitors leave the owner a message (m in the viewer, the message command)")
	ef.Int(&f.perHour, "messages-per-hour", "SSHCV_MESSAGES_PER_HOUR", 5, "messages one source address may send in an hour (counted in memory only)")
	ef.Int(&f.perDay, "messages-per-day", "SSHCV_MESSAGES_PER_DAY", 50, "messages one profile takes in 24 hours")
	ef.String(&f.notifyURL, "notify-url", "SSHCV_NOTIFY_URL", "", "webhook that gets one JSON POST per message (ntfy, Slack, Discord, …)")
	ef.String(&f.smtp, "smtp", "SSHCV_SMTP", "", "SMTP server for email notifications: smtp://user:password@host:587 or smtps://…:465")
	ef.String(&f.email, "notify-email", "SSHCV_NOTIFY_EMAIL", "", "address that gets an email per message (with --smtp)")
	ef.Duration(&f.firstRetry, "notify-retry", "SSHCV_NOTIFY_RETRY", 10*time.Second, "wait after a failed notification; doubled after each further failure, at most 1h")
	ef.String(&f.ownerKeys, "owner-keys", "SSHCV_OWNER_KEYS", "", "authorized_keys file whose keys open every profile's inbox (ssh HANDLE+inbox@host)")
}

// notifyObserver counts deliveries in /metrics (nil: not counted).
type notifyObserver interface {
	notify.Observer
	server.MessageObserver
}

// build checks the flags and returns the server's Messages and the outbox that
// delivers the notifications (nil when none is configured).
func (f *messageFlags) build(st store.Store, logger *slog.Logger, obs notifyObserver) (*server.Messages, *notify.Outbox, error) {
	var channels []notify.Channel
	if f.notifyURL != "" {
		w, err := notify.NewWebhook(f.notifyURL)
		if err != nil {
			return nil, nil, err
		}
		channels = append(channels, w)
	}
	switch {
	case f.smtp != "":
		e, err := notify.NewEmail(f.smtp, f.email)
		if err != nil {
			return nil, nil, err
		}
		channels = append(channels, e)
	case f.email != "":
		return nil, nil, fmt.Errorf("--notify-email needs --smtp URL: the server to send through")
	}
	if f.perHour < 0 || f.perDay < 0 {
		return nil, nil, fmt.Errorf("--messages-per-hour and --messages-per-day must not be negative (0: no limit)")
	}
	m := &server.Messages{Store: st, Off: !f.on, PerHour: f.perHour, PerDay: f.perDay}
	if obs != nil {
		m.Observer = obs
	}
	if f.ownerKeys != "" {
		keys, err := readAuthorizedKeys(f.ownerKeys)
		if err != nil {
			return nil, nil, err
		}
		m.OwnerKeys = keys
	}
	var outbox *notify.Outbox
	if len(channels) > 0 {
		var o notify.Observer
		if obs != nil {
			o = obs
		}
		outbox = notify.NewOutbox(st, channels, logger, o)
		outbox.SetFirstRetry(f.firstRetry)
		m.Outbox = outbox
	}
	return m, outbox, nil
}

// readAuthorizedKeys reads an authorized_keys file; a line that is not a key is an
// error naming it.
func readAuthorizedKeys(path string) ([]gossh.PublicKey, error) {
	data, err := os.ReadFile(path) //nolint:gosec // the operator's own --owner-keys path
	if err != nil {
		return nil, fmt.Errorf("--owner-keys: %w", err)
	}
	var keys []gossh.PublicKey
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("--owner-keys %s:%d: not an authorized_keys line: %v", path, i+1, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("--owner-keys %s: no keys in the file", path)
	}
	return keys, nil
}

// openMessages opens the store and sets up the server's messages; m may be nil
// (no /metrics).
func (c *serveConfig) openMessages(ctx context.Context, logger *slog.Logger, m *metrics.Metrics) (store.Store, *notify.Outbox, error) {
	st, err := c.store.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	var obs notifyObserver
	if m != nil {
		obs = m
	}
	msgs, outbox, err := c.messages.build(st, logger, obs)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	c.srv.Messages = msgs
	where := "sqlite:" + c.store.data
	if c.store.url != "" {
		where = "postgres"
	}
	logger.Info("messages", "store", where, "on", !msgs.Off, "notify", outbox.Names())
	return st, outbox, nil
}
