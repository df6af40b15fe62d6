package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

type fakeInbox struct {
	mu   sync.Mutex
	list []InboxMessage
}

func (f *fakeInbox) Messages(context.Context) ([]InboxMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]InboxMessage(nil), f.list...), nil
}

func (f *fakeInbox) set(id int64, fn func(*InboxMessage)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.list {
		if f.list[i].ID == id {
			fn(&f.list[i])
		}
	}
	return nil
}

func (f *fakeInbox) MarkRead(_ context.Context, id int64) error {
	return f.set(id, func(m *InboxMessage) { m.Read = true })
}

func (f *fakeInbox) MarkDone(_ context.Context, id int64) error {
	return f.set(id, func(m *InboxMessage) { m.Done = true })
}

// drive runs cmd and feeds what it returns back to m, as a program would.
func drive(m *InboxModel, cmd tea.Cmd) {
	for cmd != nil {
		msg := cmd()
		if msg == nil {
			return
		}
		_, cmd = m.Update(msg)
	}
}

func press(m *InboxModel, keys ...string) {
	for _, k := range keys {
		_, cmd := m.Update(keyPress(k))
		drive(m, cmd)
	}
}

func inboxScreen(m *InboxModel) string { return ansi.Strip(m.View().Content) }

func TestInboxListsReadsAndMarksDone(t *testing.T) {
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	inbox := &fakeInbox{list: []InboxMessage{
		{ID: 2, Time: at.Add(time.Hour), From: "Jane Doe <jane@example.com>", Body: "Second message"},
		{ID: 1, Time: at, From: "Bob", Body: "First message", Read: true},
	}}
	m := NewInbox(bundled(t, "rohit"), inbox, 80, 24)
	drive(m, m.Init())
	screen := inboxScreen(m)
	mustContain(t, screen, "Inbox — Rohit", "2 messages, 1 unread", "* ", "Jane Doe <jane@example.com> — Second message", "Bob — First message")
	if strings.Index(screen, "Second message") > strings.Index(screen, "First message") {
		t.Fatalf("not newest first:\n%s", screen)
	}
	press(m, "enter")
	screen = inboxScreen(m)
	mustContain(t, screen, "From: Jane Doe <jane@example.com>", "Reply to: jane@example.com", "Second message", "esc back")
	if !inbox.list[0].Read {
		t.Fatal("opening a message did not mark it read")
	}
	press(m, "d")
	mustContain(t, inboxScreen(m), "Message 2 marked done.", "(done)")
	press(m, "esc")
	mustContain(t, inboxScreen(m), "0 unread", "✓ ")
	if !inbox.list[0].Done {
		t.Fatal("d did not mark the message done")
	}
	press(m, "down", "enter")
	mustContain(t, inboxScreen(m), "From: Bob")
	mustNotContain(t, inboxScreen(m), "Reply to:")
	if rows := strings.Count(m.View().Content, "\n") + 1; rows != 24 {
		t.Fatalf("%d rows, want 24", rows)
	}
}

func TestInboxEmptyAndSmall(t *testing.T) {
	m := NewInbox(bundled(t, "rohit"), &fakeInbox{}, 40, 15)
	drive(m, m.Init())
	mustContain(t, inboxScreen(m), "No messages yet.", "q quit")
	for i, row := range strings.Split(inboxScreen(m), "\n") {
		if w := ansi.StringWidth(row); w > 40 {
			t.Fatalf("row %d is %d wide: %q", i, w, row)
		}
	}
}

func TestReplyTo(t *testing.T) {
	for from, want := range map[string]string{
		"Jane, jane@example.com":      "jane@example.com",
		"Jane Doe <jane@example.com>": "jane@example.com",
		"jane@example.com":            "jane@example.com",
		"Jane, call +44 20 7946 0000": "",
		"":                            "",
	} {
		if got := ReplyTo(from); got != want {
			t.Errorf("ReplyTo(%q) = %q, want %q", from, got, want)
		}
	}
}
