package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dialect is what differs between SQLite and PostgreSQL; the queries themselves are
// written once, with ? placeholders.
type dialect struct {
	name string
	// id is the column type of an auto-numbered primary key ({{id}} in migrations).
	id string
	// lockMigrations, when set, runs first in the migration transaction.
	lockMigrations string
	// lockHandle, when set, runs first in AddMessage's transaction with the handle as
	// its argument, so that two replicas counting a profile's messages for the daily
	// limit take turns. SQLite needs none: its write transactions already do.
	lockHandle string
	// skipLocked ends the claim query, so replicas claim different entries.
	skipLocked string
	// numbered is true when placeholders are $1, $2, … instead of ?.
	numbered bool
}

// rebind turns the ? placeholders of q into the dialect's.
func (d *dialect) rebind(q string) string {
	if !d.numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sqlStore implements Store over database/sql for both databases.
type sqlStore struct {
	db *sql.DB
	d  *dialect
}

func (s *sqlStore) Close() error { return s.db.Close() }

func (s *sqlStore) q(query string) string { return s.d.rebind(query) }

func (s *sqlStore) AddMessage(ctx context.Context, m Message, perDay int, notify []string) (Message, error) {
	from, body, err := Clean(m.From, m.Body)
	if err != nil {
		return Message{}, err
	}
	if m.Handle == "" {
		return Message{}, errors.New("store: a message needs a profile handle")
	}
	m.From, m.Body, m.Read, m.Done = from, body, false, false
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Message{}, fmt.Errorf("store: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op once committed
	if s.d.lockHandle != "" {
		if _, err := tx.ExecContext(ctx, s.d.lockHandle, m.Handle); err != nil {
			return Message{}, fmt.Errorf("store: %w", err)
		}
	}
	now := time.Now()
	if perDay > 0 {
		var n int
		err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM messages WHERE handle = ? AND created_at > ?`),
			m.Handle, micros(now.Add(-24*time.Hour))).Scan(&n)
		if err != nil {
			return Message{}, fmt.Errorf("store: %w", err)
		}
		if n >= perDay {
			return Message{}, ErrProfileLimit
		}
	}
	m.Time = fromMicros(micros(now))
	err = tx.QueryRowContext(ctx, s.q(`INSERT INTO messages (handle, created_at, sender, body) VALUES (?, ?, ?, ?) RETURNING id`),
		m.Handle, micros(m.Time), m.From, m.Body).Scan(&m.ID)
	if err != nil {
		return Message{}, fmt.Errorf("store: %w", err)
	}
	for _, ch := range notify {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO outbox (message_id, channel, next_at) VALUES (?, ?, ?)`),
			m.ID, ch, micros(now)); err != nil {
			return Message{}, fmt.Errorf("store: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Message{}, fmt.Errorf("store: %w", err)
	}
	return m, nil
}

const messageColumns = `m.id, m.handle, m.created_at, m.sender, m.body, m.read_at IS NOT NULL, m.done_at IS NOT NULL`

type scanner interface{ Scan(...any) error }

func scanMessage(r scanner, extra ...any) (Message, error) {
	var m Message
	var created int64
	err := r.Scan(append([]any{&m.ID, &m.Handle, &created, &m.From, &m.Body, &m.Read, &m.Done}, extra...)...)
	m.Time = fromMicros(created)
	return m, err
}

func (s *sqlStore) Messages(ctx context.Context, handle string) ([]Message, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+messageColumns+` FROM messages m
		WHERE ? = '' OR m.handle = ? ORDER BY m.created_at DESC, m.id DESC`), handle, handle)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *sqlStore) Message(ctx context.Context, id int64) (Message, error) {
	m, err := scanMessage(s.db.QueryRowContext(ctx, s.q(`SELECT `+messageColumns+` FROM messages m WHERE m.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, ErrNotFound
	}
	if err != nil {
		return Message{}, fmt.Errorf("store: %w", err)
	}
	return m, nil
}

func (s *sqlStore) MarkRead(ctx context.Context, id int64) error { return s.mark(ctx, "read_at", id) }
func (s *sqlStore) MarkDone(ctx context.Context, id int64) error { return s.mark(ctx, "done_at", id) }

// mark sets column (read_at or done_at) of message id, keeping an earlier time.
func (s *sqlStore) mark(ctx context.Context, column string, id int64) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE messages SET `+column+` = COALESCE(`+column+`, ?) WHERE id = ?`), micros(time.Now()), id)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return nil
}

func (s *sqlStore) ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Notification, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op once committed
	out, err := s.dueNotifications(ctx, tx, now, limit)
	if err != nil {
		return nil, err
	}
	for _, n := range out {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE outbox SET next_at = ? WHERE id = ?`), micros(now.Add(lease)), n.ID); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}

// dueNotifications reads up to limit undelivered notifications due at now, in tx. The
// rows are closed when it returns, before the caller runs its next statement in tx.
func (s *sqlStore) dueNotifications(ctx context.Context, tx *sql.Tx, now time.Time, limit int) ([]Notification, error) {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT `+messageColumns+`, o.id, o.channel, o.attempts
		FROM outbox o JOIN messages m ON m.id = o.message_id
		WHERE o.delivered_at IS NULL AND o.next_at <= ? ORDER BY o.id LIMIT ? `+s.d.skipLocked), micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		if n.Message, err = scanMessage(rows, &n.ID, &n.Channel, &n.Attempts); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}

func (s *sqlStore) NotificationDelivered(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`), micros(at), id)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

func (s *sqlStore) NotificationFailed(ctx context.Context, id int64, next time.Time, reason string) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE outbox SET next_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ? AND delivered_at IS NULL`),
		micros(next), reason, id)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
