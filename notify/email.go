package notify

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/sshcv/sshcv/store"
)

// Email sends one mail per message through an SMTP server.
type Email struct {
	client *mail.Client
	to     string
}

// NewEmail returns the channel for --smtp URL and --notify-email ADDR. The URL is
// smtp://[user:password@]host[:port] (STARTTLS when the server offers it, port 587
// by default) or smtps://… (TLS from the start, port 465 by default).
func NewEmail(smtpURL, to string) (*Email, error) {
	u, err := url.Parse(smtpURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("--smtp: expected smtp://[user:password@]host[:port] or smtps://…")
	}
	if to == "" {
		return nil, fmt.Errorf("--smtp needs --notify-email ADDR: where to send the notifications")
	}
	port := 587
	opts := []mail.Option{mail.WithTimeout(20 * time.Second), mail.WithTLSPolicy(mail.TLSOpportunistic)}
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, mail.WithSSL())
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("--smtp: bad port %q", p)
		}
	}
	opts = append(opts, mail.WithPort(port))
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(u.User.Username()), mail.WithPassword(pw))
	}
	c, err := mail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("--smtp: %w", err)
	}
	e := &Email{client: c, to: to}
	if _, err := e.message(store.Message{Handle: "check", Body: "check"}); err != nil {
		return nil, fmt.Errorf("--notify-email %q: %w", to, err)
	}
	return e, nil
}

// Name is "email" (Channel).
func (e *Email) Name() string { return "email" }

func (e *Email) message(m store.Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(e.to); err != nil {
		return nil, err
	}
	if err := msg.To(e.to); err != nil {
		return nil, err
	}
	from := m.From
	if from == "" {
		from = "someone"
	}
	msg.Subject(fmt.Sprintf("sshcv: a message for %s from %s", m.Handle, from))
	msg.SetDate()
	msg.SetBodyString(mail.TypeTextPlain, Summary(m)+"\n")
	return msg, nil
}

// Send mails the notification of m to the owner (Channel).
func (e *Email) Send(ctx context.Context, m store.Message) error {
	msg, err := e.message(m)
	if err != nil {
		return err
	}
	return e.client.DialAndSendWithContext(ctx, msg)
}
