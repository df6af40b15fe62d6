package tui

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshcv/sshcv/profiles"
)

// InboxMessage is one message as the owner's inbox shows it.
type InboxMessage struct {
	ID         int64
	Time       time.Time
	From, Body string
	Read, Done bool
}

// Inbox is the owner's access to one profile's messages (the server adapts the store
// to it). Calls run outside Update, in commands.
type Inbox interface {
	Messages(ctx context.Context) ([]InboxMessage, error) // newest first
	MarkRead(ctx context.Context, id int64) error
	MarkDone(ctx context.Context, id int64) error
}

// inboxTimeout bounds one call to the inbox.
const inboxTimeout = 15 * time.Second

// InboxModel is the owner's inbox program (ssh HANDLE+inbox@host): a list of the
// messages, newest first and unread marked, and one message with its reply-to.
type InboxModel struct {
	p             *profiles.Profile
	inbox         Inbox
	width, height int
	list          []InboxMessage
	cursor        int
	open          bool // showing list[cursor]
	offset        int  // scroll of the open message
	status        string
	loaded        bool
	views         inboxViews // the Views tab (inbox_views.go)
}

// inboxLoaded carries a fresh list, or why it could not be read.
type inboxLoaded struct {
	list []InboxMessage
	err  error
}

// NewInbox returns the inbox program for p's owner.
func NewInbox(p *profiles.Profile, inbox Inbox, width, height int) *InboxModel {
	if width <= 0 || height <= 0 {
		width, height = defaultWidth, defaultHeight
	}
	return &InboxModel{p: p, inbox: inbox, width: width, height: height}
}

// Init loads the list (tea.Model).
func (m *InboxModel) Init() tea.Cmd { return m.reload(nil) }

// reload runs action (if any) and then reads the list again.
func (m *InboxModel) reload(action func(context.Context) error) tea.Cmd {
	inbox := m.inbox
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), inboxTimeout)
		defer cancel()
		if action != nil {
			if err := action(ctx); err != nil {
				return inboxLoaded{err: err}
			}
		}
		list, err := inbox.Messages(ctx)
		return inboxLoaded{list: list, err: err}
	}
}

// Update handles the keys and the loaded list (tea.Model).
func (m *InboxModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 0), max(msg.Height, 0)
		if m.views.open && m.views.width != m.textWidth() {
			return m, m.loadViews()
		}
	case viewsLoaded:
		m.views.text, m.views.width, m.views.err = msg.text, msg.width, msg.err
	case inboxLoaded:
		m.loaded = true
		if msg.err != nil {
			m.status = "Could not read the inbox: " + msg.err.Error()
			return m, nil
		}
		var id int64
		if m.cursor < len(m.list) {
			id = m.list[m.cursor].ID
		}
		m.list = msg.list
		m.cursor = min(m.cursor, max(len(m.list)-1, 0))
		for i, im := range m.list {
			if im.ID == id {
				m.cursor = i
			}
		}
	case tea.KeyPressMsg:
		return m, m.key(msg.String())
	}
	return m, nil
}

func (m *InboxModel) key(k string) tea.Cmd {
	m.status = ""
	if k == "q" || k == "ctrl+c" {
		return tea.Quit
	}
	if m.views.open {
		return m.viewsKey(k)
	}
	if k == "tab" || k == "shift+tab" {
		return m.openViews()
	}
	if len(m.list) == 0 {
		if k == "r" {
			return m.reload(nil)
		}
		return nil
	}
	cur := m.list[m.cursor]
	switch k {
	case "d":
		m.status = fmt.Sprintf("Message %d marked done.", cur.ID)
		return m.reload(func(ctx context.Context) error { return m.inbox.MarkDone(ctx, cur.ID) })
	case "r":
		return m.reload(nil)
	}
	if m.open {
		switch k {
		case "esc", "backspace", "left", "h":
			m.open = false
		case "down", "j":
			m.offset++
		case "up", "k":
			m.offset = max(m.offset-1, 0)
		}
		return nil
	}
	switch k {
	case "down", "j":
		m.cursor = min(m.cursor+1, len(m.list)-1)
	case "up", "k":
		m.cursor = max(m.cursor-1, 0)
	case "enter", "right", "l":
		m.open, m.offset = true, 0
		if !cur.Read {
			return m.reload(func(ctx context.Context) error { return m.inbox.MarkRead(ctx, cur.ID) })
		}
	}
	return nil
}

// View draws the list or the open message (tea.Model).
func (m *InboxModel) View() tea.View {
	var b strings.Builder
	switch {
	case m.width < MinWidth || m.height < MinHeight:
		b.WriteString(tooSmallNotice(m.width, m.height, english))
	case m.views.open:
		m.drawViews(&b)
	case m.open && m.cursor < len(m.list):
		m.drawMessage(&b, m.list[m.cursor])
	default:
		m.drawList(&b)
	}
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.WindowTitle = "Inbox — " + field(m.p.Name)
	return v
}

func (m *InboxModel) textWidth() int { return min(m.width-2*margin, maxColumn) }

func (m *InboxModel) drawList(b *strings.Builder) {
	w := m.textWidth()
	unread := 0
	for _, im := range m.list {
		if !im.Read {
			unread++
		}
	}
	count := fmt.Sprintf("%d messages", len(m.list))
	if len(m.list) == 1 {
		count = "1 message"
	}
	lines := []string{ansi.Truncate(fmt.Sprintf("Inbox — %s: %s, %d unread", field(m.p.Name), count, unread), w, "…"), ""}
	if m.loaded && len(m.list) == 0 {
		lines = append(lines, "No messages yet.")
	}
	rows := max(m.height-len(lines)-3, 1)
	top := max(m.cursor-rows+1, 0)
	for i := top; i < len(m.list) && i < top+rows; i++ {
		line := ansi.Truncate(InboxLine(m.list[i]), w-2, "…")
		if i == m.cursor {
			line = "> \x1b[7m" + line + "\x1b[m"
		} else {
			line = "  " + line
		}
		lines = append(lines, line)
	}
	m.footer(b, lines, "enter read · d done"+m.viewsHint()+" · q quit · ↑↓ move · r reload")
}

// InboxLine is a message in the list: unread (*) or done (✓), when, who, the start.
func InboxLine(im InboxMessage) string {
	mark := " "
	switch {
	case im.Done:
		mark = "✓"
	case !im.Read:
		mark = "*"
	}
	from := im.From
	if from == "" {
		from = "(no name)"
	}
	return fmt.Sprintf("%s %s  %s — %s", mark, im.Time.Local().Format("2006-01-02 15:04"), from, strings.Join(strings.Fields(im.Body), " "))
}

func (m *InboxModel) drawMessage(b *strings.Builder, im InboxMessage) {
	w := m.textWidth()
	from := im.From
	if from == "" {
		from = "(no name given)"
	}
	head := []string{
		ansi.Truncate("From: "+from, w, "…"),
		"Received: " + im.Time.Local().Format("Mon 2 Jan 2006 15:04 MST"),
	}
	if r := ReplyTo(im.From); r != "" {
		head = append(head, ansi.Truncate("Reply to: "+r, w, "…"))
	}
	state := "read"
	if im.Done {
		state = "done"
	}
	head = append(head, fmt.Sprintf("Message %d (%s)", im.ID, state), "")
	body := strings.Split(ansi.Wrap(im.Body, w, ""), "\n")
	rows := max(m.height-len(head)-2, 1)
	m.offset = min(m.offset, max(len(body)-rows, 0))
	end := min(m.offset+rows, len(body))
	m.footer(b, append(head, body[m.offset:end]...), "esc back · d done · q quit · ↑↓ scroll")
}

// footer writes lines, then the status and the key help on the last rows.
func (m *InboxModel) footer(b *strings.Builder, lines []string, keys string) {
	pad := strings.Repeat(" ", margin)
	for len(lines) < m.height-2 {
		lines = append(lines, "")
	}
	lines = append(lines[:m.height-2], ansi.Truncate(m.status, m.textWidth(), "…"), ansi.Truncate(keys, m.textWidth(), "…"))
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		if l != "" {
			b.WriteString(pad + l)
		}
	}
}

// emailLike finds an address in a free-form "name / how to reach you" line.
var emailLike = regexp.MustCompile(`[^\s<>,;()"]+@[^\s<>,;()"]+\.[A-Za-z]{2,}`)

// ReplyTo is how to answer a message: the email address in its from line, when it
// has one that parses.
func ReplyTo(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		return a.Address
	}
	if s := emailLike.FindString(from); s != "" {
		return s
	}
	return ""
}
