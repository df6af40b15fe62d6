package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sshcv/sshcv/internal/pgtest"
)

// backend opens stores of one kind for the suite. open returns a store on the same
// database each time it is called within one case (as a restarted server would);
// fresh gives each case its own database.
type backend struct {
	name  string
	fresh func(t *testing.T) (location string)
}

// suite is every behaviour both implementations must share; TestStore runs each case
// against SQLite and against a real PostgreSQL server. A new feature of the store adds
// its cases here.
var suite = []struct {
	name string
	run  func(t *testing.T, location string)
}{
	{"MessagesRoundTrip", testMessagesRoundTrip},
	{"CleanedOnTheWayIn", testCleanedOnTheWayIn},
	{"ProfileLimitWritesNothing", testProfileLimitWritesNothing},
	{"OutboxClaimRetryDeliver", testOutbox},
	{"ConcurrentAddsAllKeptOnce", testConcurrentAdds},
	{"ReopenKeepsEverything", testReopen},
	{"NewerSchemaRefused", testNewerSchemaRefused},
}

func TestStore(t *testing.T) {
	backends := []backend{
		{"sqlite", func(t *testing.T) string { return t.TempDir() }},
		{"postgres", nil},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if b.fresh == nil {
				srv := pgtest.Start(t)
				b.fresh = func(t *testing.T) string { return srv.NewDatabase(t) }
			}
			for _, c := range suite {
				t.Run(c.name, func(t *testing.T) { c.run(t, b.fresh(t)) })
			}
		})
	}
}

func open(t *testing.T, location string) Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, location)
	if err != nil {
		t.Fatalf("Open(%s): %v", location, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func add(t *testing.T, s Store, handle, from, body string) Message {
	t.Helper()
	m, err := s.AddMessage(context.Background(), Message{Handle: handle, From: from, Body: body}, 0, nil)
	if err != nil {
		t.Fatalf("AddMessage: %v", err)
	}
	return m
}

func testMessagesRoundTrip(t *testing.T, location string) {
	s := open(t, location)
	ctx := context.Background()
	first := add(t, s, "rohit", "Jane, jane@example.com", "Hi, let's talk.\nAbout the job.")
	second := add(t, s, "rohit", "", "Second")
	add(t, s, "ankush", "", "For someone else")
	if first.ID == 0 || second.ID == first.ID || first.Time.IsZero() {
		t.Fatalf("IDs and times not set: %+v %+v", first, second)
	}
	got, err := s.Messages(ctx, "rohit")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != second.ID || got[1].ID != first.ID {
		t.Fatalf("Messages(rohit) = %+v, want second then first", got)
	}
	if got[1].From != "Jane, jane@example.com" || got[1].Body != "Hi, let's talk.\nAbout the job." || got[1].Read || got[1].Done {
		t.Fatalf("stored message = %+v", got[1])
	}
	if all, _ := s.Messages(ctx, ""); len(all) != 3 {
		t.Fatalf("Messages(\"\") has %d messages, want 3", len(all))
	}
	if err := s.MarkRead(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDone(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDone(ctx, first.ID); err != nil {
		t.Fatalf("MarkDone twice: %v", err)
	}
	m, err := s.Message(ctx, first.ID)
	if err != nil || !m.Read || !m.Done || m.Body != first.Body || !m.Time.Equal(first.Time) {
		t.Fatalf("Message(%d) = %+v, %v; want read, done, same body and time", first.ID, m, err)
	}
	if _, err := s.Message(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Message(9999) error = %v, want ErrNotFound", err)
	}
	if err := s.MarkDone(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("MarkDone(9999) error = %v, want ErrNotFound", err)
	}
}

func testCleanedOnTheWayIn(t *testing.T, location string) {
	s := open(t, location)
	ctx := context.Background()
	m := add(t, s, "rohit", "Eve\x1b]0;owned\x07\nline", "  \x1b[31mred\x1b[0m\x00 text\r\n\u202ehidden ")
	got, _ := s.Message(ctx, m.ID)
	if got.From != "Eve line" || got.Body != "red text\nhidden" {
		t.Fatalf("stored from %q body %q, want %q and %q", got.From, got.Body, "Eve line", "red text\nhidden")
	}
	for _, c := range []struct {
		from, body string
		want       error
	}{
		{"", " \n\t ", ErrEmpty},
		{"", "\x1b[2J", ErrEmpty},
		{"", strings.Repeat("é", MaxBody+1), ErrTooLong},
		{strings.Repeat("a", MaxFrom+1), "hi", ErrFromTooLong},
		{"", "bad \xff byte", ErrNotUTF8},
		{"bad \xc3", "hi", ErrNotUTF8},
	} {
		if _, err := s.AddMessage(ctx, Message{Handle: "rohit", From: c.from, Body: c.body}, 0, []string{"webhook"}); !errors.Is(err, c.want) {
			t.Errorf("AddMessage(%.20q, %.20q) error = %v, want %v", c.from, c.body, err, c.want)
		}
	}
	if _, err := s.AddMessage(ctx, Message{Handle: "rohit", Body: strings.Repeat("é", MaxBody)}, 0, nil); err != nil {
		t.Errorf("a message of exactly %d characters: %v", MaxBody, err)
	}
	if all, _ := s.Messages(ctx, ""); len(all) != 2 {
		t.Fatalf("%d messages stored, want 2: refused ones leave nothing", len(all))
	}
	if n, _ := s.ClaimNotifications(ctx, time.Now().Add(time.Hour), time.Minute, 10); len(n) != 0 {
		t.Fatalf("refused messages left %d outbox entries", len(n))
	}
}

func testProfileLimitWritesNothing(t *testing.T, location string) {
	s := open(t, location)
	ctx := context.Background()
	for i := range 3 {
		if _, err := s.AddMessage(ctx, Message{Handle: "rohit", Body: fmt.Sprint("m", i)}, 3, []string{"webhook"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddMessage(ctx, Message{Handle: "rohit", Body: "one too many"}, 3, []string{"webhook"}); !errors.Is(err, ErrProfileLimit) {
		t.Fatalf("fourth message error = %v, want ErrProfileLimit", err)
	}
	if _, err := s.AddMessage(ctx, Message{Handle: "ankush", Body: "other profile"}, 3, nil); err != nil {
		t.Fatalf("another profile is not limited by rohit's messages: %v", err)
	}
	if got, _ := s.Messages(ctx, "rohit"); len(got) != 3 {
		t.Fatalf("rohit has %d messages, want 3", len(got))
	}
	if n, _ := s.ClaimNotifications(ctx, time.Now().Add(time.Hour), time.Minute, 10); len(n) != 3 {
		t.Fatalf("%d outbox entries, want 3 (none for the refused message)", len(n))
	}
}

func testOutbox(t *testing.T, location string) {
	s := open(t, location)
	ctx := context.Background()
	m, err := s.AddMessage(ctx, Message{Handle: "rohit", From: "Jane", Body: "hello"}, 0, []string{"webhook", "email"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Add(time.Second)
	got, err := s.ClaimNotifications(ctx, now, time.Minute, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("first claim = %+v, %v; want 2 entries", got, err)
	}
	if got[0].Channel != "webhook" || got[1].Channel != "email" || got[0].Message.Body != "hello" || got[0].Message.ID != m.ID || got[0].Attempts != 0 {
		t.Fatalf("claimed %+v", got)
	}
	if again, _ := s.ClaimNotifications(ctx, now, time.Minute, 10); len(again) != 0 {
		t.Fatalf("claimed entries were handed out again within their lease: %+v", again)
	}
	if err := s.NotificationDelivered(ctx, got[1].ID, now); err != nil {
		t.Fatal(err)
	}
	if err := s.NotificationFailed(ctx, got[0].ID, now.Add(10*time.Second), "HTTP 500"); err != nil {
		t.Fatal(err)
	}
	if early, _ := s.ClaimNotifications(ctx, now.Add(5*time.Second), time.Minute, 10); len(early) != 0 {
		t.Fatalf("a failed entry was claimed before its retry time: %+v", early)
	}
	retry, _ := s.ClaimNotifications(ctx, now.Add(11*time.Second), time.Minute, 10)
	if len(retry) != 1 || retry[0].ID != got[0].ID || retry[0].Attempts != 1 {
		t.Fatalf("retry claim = %+v, want the webhook entry after 1 attempt", retry)
	}
	if err := s.NotificationDelivered(ctx, retry[0].ID, now); err != nil {
		t.Fatal(err)
	}
	if left, _ := s.ClaimNotifications(ctx, now.Add(24*time.Hour), time.Minute, 10); len(left) != 0 {
		t.Fatalf("delivered entries claimed again: %+v", left)
	}
	// An entry whose claimer died is claimed again once the lease ends.
	add2, _ := s.AddMessage(ctx, Message{Handle: "rohit", Body: "second"}, 0, []string{"webhook"})
	if c, _ := s.ClaimNotifications(ctx, now, time.Minute, 10); len(c) != 1 || c[0].Message.ID != add2.ID {
		t.Fatalf("claim of the second message = %+v", c)
	}
	if c, _ := s.ClaimNotifications(ctx, now.Add(2*time.Minute), time.Minute, 10); len(c) != 1 {
		t.Fatalf("an expired lease was not claimed again: %+v", c)
	}
}

func testConcurrentAdds(t *testing.T, location string) {
	s := open(t, location)
	ctx := context.Background()
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := s.AddMessage(ctx, Message{Handle: "rohit", Body: fmt.Sprintf("message %d", i)}, 0, []string{"webhook"})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Messages(ctx, "rohit")
	seen := map[string]bool{}
	for _, m := range got {
		seen[m.Body] = true
	}
	if len(got) != n || len(seen) != n {
		t.Fatalf("%d messages, %d different, want %d of each", len(got), len(seen), n)
	}
}

func testReopen(t *testing.T, location string) {
	s := open(t, location)
	m := add(t, s, "rohit", "", "kept")
	s.Close()
	s2 := open(t, location)
	got, err := s2.Message(context.Background(), m.ID)
	if err != nil || got.Body != "kept" {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
	if next := add(t, s2, "rohit", "", "next"); next.ID <= m.ID {
		t.Fatalf("IDs went back after reopening: %d after %d", next.ID, m.ID)
	}
}

func testNewerSchemaRefused(t *testing.T, location string) {
	s := open(t, location).(*sqlStore)
	if _, err := s.db.Exec(s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), 9999, "9999_future.sql", 0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(context.Background(), location)
	if err == nil || !strings.Contains(err.Error(), "schema version 9999, newer than this sshcv knows") {
		t.Fatalf("Open on a newer schema: %v, want a refusal naming the version", err)
	}
}
