package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// tab opens the Views tab with the report drawn for the inbox's width; tab goes
// back to the messages; a resize draws the report again for the new width.
func TestInboxViewsTab(t *testing.T) {
	var widths []int
	report := func(_ context.Context, width int) (string, error) {
		widths = append(widths, width)
		return fmt.Sprintf("rohit: views\nvisits 50 · drawn for %d columns\n", width), nil
	}
	m := NewInbox(bundled(t, "rohit"), &fakeInbox{}, 80, 24).WithViews(report)
	drive(m, m.Init())
	mustContain(t, inboxScreen(m), "tab views")
	press(m, "tab")
	screen := inboxScreen(m)
	mustContain(t, screen, "Views — Rohit", "visits 50 · drawn for 78 columns", "tab inbox")
	mustNotContain(t, screen, "No messages yet.")
	_, cmd := m.Update(tea.WindowSizeMsg{Width: 40, Height: 15})
	drive(m, cmd)
	screen = inboxScreen(m)
	mustContain(t, screen, "drawn for 38 columns")
	for i, row := range strings.Split(screen, "\n") {
		if w := ansi.StringWidth(row); w > 40 {
			t.Fatalf("row %d is %d wide: %q", i, w, row)
		}
	}
	press(m, "tab")
	mustContain(t, inboxScreen(m), "No messages yet.")
	if len(widths) != 2 {
		t.Fatalf("the report was drawn %d times (%v), want 2", len(widths), widths)
	}
}

// Without a report (stats off) there is no tab.
func TestInboxWithoutViews(t *testing.T) {
	m := NewInbox(bundled(t, "rohit"), &fakeInbox{}, 80, 24)
	drive(m, m.Init())
	mustNotContain(t, inboxScreen(m), "tab views")
	press(m, "tab")
	mustContain(t, inboxScreen(m), "No messages yet.")
}
