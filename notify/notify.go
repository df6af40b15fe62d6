// Package notify tells a profile's owner about new messages. Each message is written
// with one outbox entry per channel (a webhook, an email) in the message's own
// transaction (see store.Store.AddMessage); the Outbox here delivers those entries in
// the background, retrying with backoff until each channel accepts, across restarts,
// and never holding up a visitor's session.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/sshcv/sshcv/store"
)

// Channel is one way of telling the owner.
type Channel interface {
	// Name is the channel's name in the outbox: "webhook" or "email".
	Name() string
	// Send delivers one notification; an error means it should be tried again.
	Send(ctx context.Context, m store.Message) error
}

// Observer counts deliveries and failed attempts (for /metrics); nil means none.
type Observer interface {
	NotifyDelivered(channel string)
	NotifyFailed(channel string)
}

// Outbox delivers the store's pending notifications. Create it with NewOutbox.
type Outbox struct {
	st       store.Store
	channels map[string]Channel
	log      *slog.Logger
	obs      Observer
	kick     chan struct{}

	// Poll is how often the outbox looks for entries that are due; a new message
	// wakes it at once (Kick).
	Poll time.Duration
	// Lease is how long a claimed entry is left to this process before another may
	// take it (it outlasts a send, which may take half of it).
	Lease time.Duration
	// Backoff is the wait after the attempts-th failed attempt (1, 2, …).
	Backoff func(attempts int) time.Duration
}

// NewOutbox returns an outbox delivering over channels; obs and log may be nil.
func NewOutbox(st store.Store, channels []Channel, log *slog.Logger, obs Observer) *Outbox {
	if log == nil {
		log = slog.Default()
	}
	o := &Outbox{st: st, channels: map[string]Channel{}, log: log, obs: obs, kick: make(chan struct{}, 1),
		Poll: 5 * time.Second, Lease: 30 * time.Second, Backoff: Backoff}
	for _, c := range channels {
		o.channels[c.Name()] = c
	}
	return o
}

// Backoff is the default wait after a failed attempt: 10 s doubled per attempt, at
// most an hour, so an endpoint that is down for a day is tried about 30 times.
func Backoff(attempts int) time.Duration { return BackoffFrom(10 * time.Second)(attempts) }

// BackoffFrom is a backoff that waits first after the first failed attempt and
// twice as long after each further one, at most an hour.
func BackoffFrom(first time.Duration) func(attempts int) time.Duration {
	return func(attempts int) time.Duration {
		d := max(first, time.Millisecond)
		for i := 1; i < attempts && d < time.Hour; i++ {
			d *= 2
		}
		return min(d, time.Hour)
	}
}

// SetFirstRetry makes the outbox wait first after a first failed attempt (see
// BackoffFrom), and look for due entries at least that often.
func (o *Outbox) SetFirstRetry(first time.Duration) {
	o.Backoff = BackoffFrom(first)
	o.Poll = min(o.Poll, max(first, 10*time.Millisecond))
}

// Names returns the names of the outbox's channels, for store.Store.AddMessage.
func (o *Outbox) Names() []string {
	if o == nil {
		return nil
	}
	names := make([]string, 0, len(o.channels))
	for n := range o.channels {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Kick wakes the outbox to deliver what is due now (after a new message). It never
// blocks.
func (o *Outbox) Kick() {
	if o == nil {
		return
	}
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

// Run delivers due entries until ctx ends, and returns once what it was doing is
// recorded.
func (o *Outbox) Run(ctx context.Context) {
	t := time.NewTicker(o.Poll)
	defer t.Stop()
	for {
		o.deliverDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-o.kick:
		}
	}
}

// deliverDue claims and sends what is due, a batch at a time, until nothing is.
func (o *Outbox) deliverDue(ctx context.Context) {
	for ctx.Err() == nil {
		due, err := o.st.ClaimNotifications(ctx, time.Now(), o.Lease, 20)
		if err != nil {
			if ctx.Err() == nil {
				o.log.Warn("notify: reading the outbox", "error", err)
			}
			return
		}
		if len(due) == 0 {
			return
		}
		for _, n := range due {
			o.deliver(ctx, n)
		}
	}
}

func (o *Outbox) deliver(ctx context.Context, n store.Notification) {
	ch, ok := o.channels[n.Channel]
	var err error
	if !ok {
		err = fmt.Errorf("the %s channel is not configured on this server", n.Channel)
	} else {
		sendCtx, cancel := context.WithTimeout(ctx, o.Lease/2)
		err = ch.Send(sendCtx, n.Message)
		cancel()
	}
	// What happened is recorded even while the server stops: a delivery, so that it is
	// not sent again after the restart; an interrupted send, so that it is tried again
	// at once then rather than after its lease.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		if err := o.st.NotificationFailed(rec, n.ID, time.Now(), "interrupted: the server stopped"); err != nil {
			o.log.Warn("notify: giving back an interrupted delivery", "channel", n.Channel, "message", n.Message.ID, "error", err)
		}
		return
	}
	if err == nil {
		if err := o.st.NotificationDelivered(rec, n.ID, time.Now()); err != nil {
			o.log.Warn("notify: recording a delivery", "channel", n.Channel, "message", n.Message.ID, "error", err)
		}
		if o.obs != nil {
			o.obs.NotifyDelivered(n.Channel)
		}
		o.log.Info("notify: delivered", "channel", n.Channel, "message", n.Message.ID, "attempt", n.Attempts+1)
		return
	}
	wait := o.Backoff(n.Attempts + 1)
	if o.obs != nil {
		o.obs.NotifyFailed(n.Channel)
	}
	o.log.Warn("notify: delivery failed", "channel", n.Channel, "message", n.Message.ID, "attempt", n.Attempts+1, "retry_in", wait, "error", err)
	if err := o.st.NotificationFailed(rec, n.ID, time.Now().Add(wait), err.Error()); err != nil {
		o.log.Warn("notify: recording a failed delivery", "channel", n.Channel, "message", n.Message.ID, "error", err)
	}
}
