// Package store keeps what visitors leave behind: the messages they write to a
// profile's owner and the outbox of notifications telling the owner about them.
//
// One interface, Store, has two implementations over the same schema: embedded SQLite
// (OpenSQLite, the default: one file in the data folder, pure Go so the binary stays
// static) and PostgreSQL (OpenPostgres, for several replicas sharing one database).
// Both apply the numbered migrations in migrations/ at open, so a new table is one new
// file there.
//
// A message holds the profile handle, the time and what the visitor typed, and nothing
// else: no address, no SSH username, no key is ever passed to this package.
package store

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Store is the durable state shared by the SSH server, the web side and the owner's
// commands. Every method is safe for concurrent use.
type Store interface {
	// AddMessage checks and cleans m (see Clean), refuses it with ErrProfileLimit when
	// its profile already received perDay messages in the last 24 hours (perDay <= 0:
	// no limit), and otherwise commits it together with one outbox entry per notify
	// channel, in one transaction. It returns only once the message is durable, with
	// its ID and time set.
	AddMessage(ctx context.Context, m Message, perDay int, notify []string) (Message, error)
	// Messages lists the messages of handle ("" for every profile), newest first.
	Messages(ctx context.Context, handle string) ([]Message, error)
	// Message returns one message, or ErrNotFound.
	Message(ctx context.Context, id int64) (Message, error)
	// MarkRead records that the owner has read message id; MarkDone that the owner
	// has dealt with it. Both return ErrNotFound for an unknown id and are idempotent.
	MarkRead(ctx context.Context, id int64) error
	MarkDone(ctx context.Context, id int64) error

	// ClaimNotifications returns up to limit outbox entries due at now and not yet
	// delivered, and postpones each by lease so that no other process (or replica)
	// delivers it at the same time. A process that dies holding a claim leaves the
	// entry to be claimed again when the lease ends.
	ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Notification, error)
	// NotificationDelivered marks an outbox entry delivered; it is never claimed again.
	NotificationDelivered(ctx context.Context, id int64, at time.Time) error
	// NotificationFailed records a failed attempt and when to try again.
	NotificationFailed(ctx context.Context, id int64, next time.Time, reason string) error

	// Close releases the database.
	Close() error
}

// Message is one visitor's message to a profile's owner.
type Message struct {
	ID     int64
	Handle string    // the profile it was written to
	Time   time.Time // when it was committed
	From   string    // the optional "your name / how to reach you" line
	Body   string    // the message itself
	Read   bool      // the owner has opened it
	Done   bool      // the owner has marked it done
}

// Notification is one outbox entry: telling the owner, over one channel, about one
// message.
type Notification struct {
	ID       int64
	Channel  string // the notifier's name, e.g. "webhook" or "email"
	Message  Message
	Attempts int // attempts before this one
}

// Limits on what a visitor may send.
const (
	MaxBody = 2000 // characters in a message
	MaxFrom = 200  // characters in the "from" line
)

// Errors AddMessage, Message and the Mark methods return; the text is meant for the
// visitor or the owner as it is.
var (
	ErrEmpty        = errors.New("the message is empty")
	ErrTooLong      = errors.New("the message is longer than 2000 characters")
	ErrFromTooLong  = errors.New("the name / how to reach you line is longer than 200 characters")
	ErrNotUTF8      = errors.New("the message is not UTF-8 text")
	ErrProfileLimit = errors.New("this CV has received as many messages as it takes today; try again tomorrow")
	ErrNotFound     = errors.New("no such message")
)

// Open opens the store named by location: a postgres:// or postgresql:// URL opens
// PostgreSQL, anything else is the data folder for SQLite.
func Open(ctx context.Context, location string) (Store, error) {
	if IsPostgres(location) {
		return OpenPostgres(ctx, location)
	}
	return OpenSQLite(ctx, location)
}

// IsPostgres reports whether location is a PostgreSQL URL.
func IsPostgres(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}
