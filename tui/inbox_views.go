package tui

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// ViewsReport draws the owner's view counts (the report of `sshcv stats`) at most
// width columns wide; the server adapts the stats to it. It runs outside Update.
type ViewsReport func(ctx context.Context, width int) (string, error)

// inboxViews is the inbox's Views tab: the owner's view counts, scrolled.
type inboxViews struct {
	report ViewsReport
	open   bool   // the tab is shown instead of the messages
	text   string // the last report drawn
	width  int    // the width it was drawn for
	offset int
	err    error
}

// viewsLoaded carries a report drawn for a width.
type viewsLoaded struct {
	text  string
	width int
	err   error
}

// WithViews gives the inbox a Views tab showing report (tab switches to it).
func (m *InboxModel) WithViews(report ViewsReport) *InboxModel {
	m.views.report = report
	return m
}

// loadViews draws the report for the current width.
func (m *InboxModel) loadViews() tea.Cmd {
	report, width := m.views.report, m.textWidth()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), inboxTimeout)
		defer cancel()
		text, err := report(ctx, width)
		return viewsLoaded{text: text, width: width, err: err}
	}
}

// viewsKey handles a key while the Views tab is open (q is the inbox's).
func (m *InboxModel) viewsKey(k string) tea.Cmd {
	switch k {
	case "tab", "shift+tab", "esc":
		m.views.open = false
	case "down", "j":
		m.views.offset++
	case "up", "k":
		m.views.offset = max(m.views.offset-1, 0)
	case "pgdown", "space":
		m.views.offset += max(m.height-4, 1)
	case "pgup":
		m.views.offset = max(m.views.offset-max(m.height-4, 1), 0)
	case "r":
		return m.loadViews()
	}
	return nil
}

// openViews switches to the Views tab, drawing the report afresh.
func (m *InboxModel) openViews() tea.Cmd {
	if m.views.report == nil {
		return nil
	}
	m.views.open, m.views.offset = true, 0
	return m.loadViews()
}

func (m *InboxModel) drawViews(b *strings.Builder) {
	w := m.textWidth()
	lines := []string{ansi.Truncate("Views — "+field(m.p.Name)+", last 30 days", w, "…"), ""}
	switch {
	case m.views.err != nil:
		lines = append(lines, ansi.Truncate("Could not read the views: "+m.views.err.Error(), w, "…"))
	case m.views.text == "":
		lines = append(lines, "Reading the views…")
	default:
		report := strings.Split(strings.TrimRight(m.views.text, "\n"), "\n")
		rows := max(m.height-len(lines)-2, 1)
		m.views.offset = min(m.views.offset, max(len(report)-rows, 0))
		for _, l := range report[m.views.offset:min(m.views.offset+rows, len(report))] {
			lines = append(lines, ansi.Truncate(l, w, ""))
		}
	}
	m.footer(b, lines, "tab inbox · q quit · ↑↓ scroll · r reload")
}

// viewsHint is the key help for the Views tab, when there is one.
func (m *InboxModel) viewsHint() string {
	if m.views.report == nil {
		return ""
	}
	return " · tab views"
}
