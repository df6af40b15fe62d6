package tui

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshcv/sshcv/profiles"
)

// MessageSender commits a visitor's message to a profile's owner (the server wraps
// the store and its limits in one). The viewer offers `m` only when Options has one
// and the profile takes messages.
type MessageSender interface {
	// SendMessage returns once the message is committed, or with an error whose text
	// the visitor reads as it is ("the message is empty", a limit reached, …).
	SendMessage(ctx context.Context, handle, from, body string) error
	// MaxMessage is the longest message, in characters.
	MaxMessage() int
}

// maxMessageRows is the tallest the message box grows: a tall window gets room
// for a long message, not a screen of empty lines.
const maxMessageRows = 16

// sendTimeout bounds one send: the store commits in milliseconds, so this only
// matters when the database is unreachable.
const sendTimeout = 15 * time.Second

// Where the form's focus is; tab moves through them in this order.
const (
	focusFrom = iota
	focusBody
	focusSend
	focusCount
)

// messageForm is "Leave NAME a message": a from line, a message and a Send button.
// It lives on the Model until the message is sent, so esc keeps the draft for the
// rest of the session.
type messageForm struct {
	p       *profiles.Profile
	from    textinput.Model
	body    textarea.Model
	focus   int
	sending bool
	status  string // why the last send failed, shown under the button
	max     int
	words   *words // the language of the CV the form writes to

	width, height int // the window, kept to make room for the status
}

// messageSentMsg reports the end of a send.
type messageSentMsg struct {
	form *messageForm
	err  error
}

func newMessageForm(p *profiles.Profile, maxLen int, dark bool, w *words) *messageForm {
	f := &messageForm{p: p, max: maxLen, words: w}
	f.from = textinput.New()
	f.from.Placeholder = w.get(wFromPlaceholder)
	f.from.Prompt = "> "
	f.from.CharLimit = 200
	is := textinput.DefaultStyles(dark)
	is.Cursor.Blink = false // no timers in a session (see the package comment)
	f.from.SetStyles(is)
	f.body = textarea.New()
	f.body.Placeholder = w.get(wBodyPlaceholder)
	f.body.ShowLineNumbers = false
	f.body.CharLimit = maxLen
	f.body.MaxHeight = 0
	as := textarea.DefaultStyles(dark)
	as.Cursor.Blink = false
	f.body.SetStyles(as)
	f.from.Focus()
	return f
}

// ownerName is the first word of the CV's name: "Leave Rohit a message".
func ownerName(p *profiles.Profile) string {
	if f := strings.Fields(field(p.Name)); len(f) > 0 {
		return f[0]
	}
	return p.Handle
}

// setSize fits the form to the window: eight rows of labels, fields and the button,
// the key help (one row, more when a language's words need them), the status (at
// least one row, more when a long reason wraps), and the message box in what is left.
func (f *messageForm) setSize(width, height int) {
	f.width, f.height = width, height
	w := min(width-2*margin, maxColumn)
	f.from.SetWidth(max(w-3, 10))
	f.body.SetWidth(max(w, 10))
	status := 1
	if f.status != "" {
		status = strings.Count(ansi.Wrap(f.status, w, ""), "\n") + 1
	}
	f.body.SetHeight(min(max(height-8-len(f.keyHelp(w))-status, 2), maxMessageRows))
}

// keyHelp is the form's key help in rows of at most width columns, broken between
// keys, never inside one.
func (f *messageForm) keyHelp(width int) []string {
	w := f.words
	var rows []string
	row := ""
	for _, k := range []string{"ctrl+s " + w.get(wSendKey), "tab " + w.get(wNextField), "esc " + w.get(wBack)} {
		switch {
		case row == "":
			row = k
		case ansi.StringWidth(row+" · "+k) <= width:
			row += " · " + k
		default:
			rows = append(rows, row)
			row = k
		}
	}
	return append(rows, row)
}

// setStatus shows why a send did not happen, making room for it.
func (f *messageForm) setStatus(s string) {
	f.status = s
	f.setSize(f.width, f.height)
}

func (f *messageForm) setFocus(i int) {
	f.focus = (i + focusCount) % focusCount
	f.from.Blur()
	f.body.Blur()
	switch f.focus {
	case focusFrom:
		f.from.Focus()
	case focusBody:
		f.body.Focus()
	}
}

// messagesOn reports whether the visitor may write to p's owner.
func (m *Model) messagesOn(p *profiles.Profile) bool {
	return m.o.Messages != nil && p != nil && !p.Owner.MessagesOff
}

// openForm shows the message form for the CV on screen, with the draft left there.
func (m *Model) openForm() {
	p := m.viewer.p
	if m.form == nil || m.form.p != p {
		m.form = newMessageForm(p, m.o.Messages.MaxMessage(), m.dark, m.viewer.words)
	}
	m.formOpen = true
	m.form.setSize(m.width, m.height)
	m.fresh = false
}

// formKey handles a key while the form is open.
func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := m.form
	m.fresh = false
	switch msg.String() {
	case "ctrl+c":
		return tea.Quit
	case "esc":
		m.formOpen = false
		return nil
	case "tab":
		f.setFocus(f.focus + 1)
		return nil
	case "shift+tab":
		f.setFocus(f.focus - 1)
		return nil
	case "ctrl+s":
		return m.send()
	case "enter":
		switch f.focus {
		case focusSend:
			return m.send()
		case focusFrom:
			f.setFocus(focusBody)
			return nil
		}
	}
	var cmd tea.Cmd
	switch f.focus {
	case focusFrom:
		f.from, cmd = f.from.Update(msg)
	case focusBody:
		f.body, cmd = f.body.Update(msg)
	}
	return cmd
}

// formPaste puts pasted text into the focused field.
func (m *Model) formPaste(text string) {
	f := m.form
	if len(text) > 4*f.max {
		text = text[:4*f.max]
	}
	switch f.focus {
	case focusFrom:
		f.from, _ = f.from.Update(tea.PasteMsg{Content: strings.Join(strings.Fields(text), " ")})
	case focusBody:
		f.body.InsertString(text)
	}
	m.fresh = false
}

// send starts committing the draft; the result arrives as a messageSentMsg.
func (m *Model) send() tea.Cmd {
	f := m.form
	if f.sending {
		return nil
	}
	if strings.TrimSpace(f.body.Value()) == "" {
		f.setStatus(f.words.get(wWriteFirst))
		return nil
	}
	f.sending = true
	f.setStatus("")
	sender, handle, from, body := m.o.Messages, f.p.Handle, f.from.Value(), f.body.Value()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
		defer cancel()
		return messageSentMsg{form: f, err: sender.SendMessage(ctx, handle, from, body)}
	}
}

// messageSent shows the outcome: the viewer's footer confirms a sent message and
// the draft is gone; a failure keeps the form and the draft, with the reason.
func (m *Model) messageSent(msg messageSentMsg) {
	f := msg.form
	f.sending = false
	m.fresh = false
	if msg.err != nil {
		f.setStatus(f.words.f(wNotSent, msg.err.Error()))
		return
	}
	if m.form == f {
		m.form, m.formOpen = nil, false
	}
	if m.viewer != nil {
		m.viewer.message = f.words.f(wSent, ownerName(f.p))
	}
}

// SentLine confirms a committed message to p's owner in lang (a BCP 47 tag; English
// when the viewer does not speak it): "Sent. Rohit will read it."
func SentLine(p *profiles.Profile, lang string) string {
	return wordsIn(lang).f(wSent, ownerName(p))
}

// drawForm draws the form full-window.
func (m *Model) drawForm(b *strings.Builder) {
	f := m.form
	t := m.theme()
	width := min(m.width-2*margin, maxColumn)
	pad := strings.Repeat(" ", max((m.width-width)/2, margin)) // centred, as the viewer is
	line := func(s string) {
		b.WriteString(pad)
		b.WriteString(s)
		b.WriteByte('\n')
	}
	muted := func(s string) string { return t.seq(attrMuted) + ansi.Truncate(s, width, "…") + "\x1b[m" }
	w := f.words
	line(t.seq(attrName) + ansi.Truncate(w.f(wLeaveTitle, ownerName(f.p)), width, "…") + "\x1b[m")
	line("")
	line(muted(w.get(wFromLabel)))
	line(f.from.View())
	line("")
	count := strconv.Itoa(utf8.RuneCountInString(f.body.Value())) + "/" + strconv.Itoa(f.max)
	line(muted(w.get(wBodyLabel) + "  " + count))
	for _, l := range strings.Split(f.body.View(), "\n") {
		line(l)
	}
	line("")
	button := "[ " + w.get(wSend) + " ]"
	if f.focus == focusSend {
		button = "\x1b[7m" + button + "\x1b[m"
	}
	if f.sending {
		button += " " + muted(w.get(wSending))
	}
	line(button)
	for _, k := range f.keyHelp(width) {
		line(muted(k))
	}
	if f.status != "" {
		b.WriteString(pad)
		b.WriteString(strings.ReplaceAll(ansi.Wrap(f.status, width, ""), "\n", "\n"+pad))
	}
}
