// Package tui turns profiles into screens: the renderer (Profile + width + theme → styled
// lines, also used for plain text output), the CV viewer and the profile picker.
//
// The viewer is made of components (component.go: the tab bar, the body, the help, the
// search box, the footer), each in its own file; layout.go decides where each goes by
// the window's size, and keys.go holds every key binding, from which all help is drawn.
// component.go says how to add a key with an overlay of its own.
//
// One Renderer is shared by every session; a Model is one visitor's program and shares
// nothing another visitor can change. The programs use no timers: an ended session
// leaves nothing scheduled behind, and an idle one costs nothing.
//
// It imports profiles and the Charm libraries only; never server or web.
package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshcv/sshcv/profiles"
)

// Options configure one visitor's program.
type Options struct {
	Renderer   *Renderer
	Profile    *profiles.Profile                // opens the viewer; nil opens the picker
	Section    string                           // initial section: a title prefix, any case
	Choices    []*profiles.Profile              // every CV on the host, for the picker and `p`
	Requested  string                           // a username that named no CV: heads the picker
	Suggestion string                           // "did you mean" handle for Requested
	Width      int                              // initial window size, already clamped
	Height     int                              //
	Dark       bool                             // initial background guess
	ComeBack   func(p *profiles.Profile) string // the command shown in the quit line
	WebBase    string                           // the web side's public address, for the QR code; "" when there is none
	Messages   MessageSender                    // nil: visitors cannot leave messages (see message.go)
}

// Model is one visitor's program: the picker or the viewer. It implements tea.Model.
type Model struct {
	o        Options
	r        *Renderer
	width    int
	height   int
	dark     bool
	noStyle  bool // the session's colour profile strips every escape sequence
	noColour bool // it shows no colours (NO_COLOR): the QR code is drawn in the terminal's own

	viewer *viewer // nil in the picker
	picker *picker // made when first shown
	opened *profiles.Profile

	view  tea.View // the last frame, returned again while nothing changed
	fresh bool

	form     *messageForm // the message draft, kept until sent
	formOpen bool
}

// Window size used until the terminal reports one.
const (
	defaultWidth  = 80
	defaultHeight = 24
)

// New returns the model for one session.
func New(o Options) *Model {
	m := &Model{o: o, r: o.Renderer, width: o.Width, height: o.Height, dark: o.Dark}
	if m.r == nil {
		m.r = NewRenderer(8)
	}
	if m.width <= 0 || m.height <= 0 {
		m.width, m.height = defaultWidth, defaultHeight
	}
	if o.Profile != nil {
		m.open(o.Profile, o.Section)
	} else {
		m.showPicker()
	}
	return m
}

// Init asks the terminal for its background colour; the reply picks the palette.
func (m *Model) Init() tea.Cmd { return tea.RequestBackgroundColor }

func (m *Model) theme() *theme {
	accent := ""
	if m.viewer != nil {
		accent = m.viewer.p.Accent
	}
	return m.r.themes.get(accent, m.dark)
}

func (m *Model) open(p *profiles.Profile, section string) {
	m.viewer = newViewer(m.r, p, section, len(m.o.Choices) > 1)
	m.viewer.tabs.noStyle = m.noStyle
	m.viewer.qr.webBase, m.viewer.qr.noColour = m.o.WebBase, m.noColour
	m.viewer.keys.Message.SetEnabled(m.messagesOn(p))
	m.viewer.setSize(m.width, m.height, m.theme())
	m.opened = p
	m.fresh = false
}

func (m *Model) showPicker() {
	m.viewer = nil
	if m.picker == nil {
		m.picker = newPicker(m.o.Choices, m.o.Requested, m.o.Suggestion)
	}
	m.picker.setSize(m.width, m.height, m.theme())
	m.fresh = false
}

// Update handles one message. Messages that change nothing on screen (terminal replies,
// unknown keys) leave the cached frame in place.
func (m *Model) Update(raw tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := raw.(type) {
	case tea.WindowSizeMsg:
		if msg.Width == m.width && msg.Height == m.height {
			return m, nil
		}
		m.width, m.height = max(msg.Width, 0), max(msg.Height, 0)
		m.resize()
	case tea.BackgroundColorMsg:
		if dark := msg.IsDark(); dark != m.dark {
			m.dark = dark
			m.retheme()
		}
	case tea.ColorProfileMsg:
		m.noColour = msg.Profile == colorprofile.NoTTY || msg.Profile == colorprofile.ASCII
		if m.viewer != nil {
			m.viewer.qr.noColour = m.noColour
		}
		if noStyle := msg.Profile == colorprofile.NoTTY; noStyle != m.noStyle {
			m.noStyle = noStyle
			if m.viewer != nil {
				m.viewer.tabs.noStyle = noStyle
			}
			m.fresh = false
		}
	case messageSentMsg:
		m.messageSent(msg)
	case tea.KeyPressMsg:
		return m, m.key(msg, raw)
	case tea.PasteMsg:
		m.paste(msg.Content)
	case tea.MouseClickMsg:
		m.mouse(msg)
	case tea.MouseWheelMsg:
		m.mouse(msg)
	}
	return m, nil
}

func (m *Model) resize() {
	if m.form != nil {
		m.form.setSize(m.width, m.height)
	}
	if m.viewer != nil {
		m.viewer.setSize(m.width, m.height, m.theme())
	} else {
		m.picker.setSize(m.width, m.height, m.theme())
	}
	m.fresh = false
}

func (m *Model) retheme() {
	if m.viewer != nil {
		m.viewer.setTheme(m.theme())
	} else {
		m.picker.theme = m.theme()
	}
	m.fresh = false
}

func (m *Model) tooSmall() bool { return tooSmall(m.width, m.height) }

// key handles a key press; raw is the same message as Update got it, handed on to the
// viewer's components as it is rather than boxed again for each.
func (m *Model) key(msg tea.KeyPressMsg, raw tea.Msg) tea.Cmd {
	if m.tooSmall() {
		if key.Matches(msg, tooSmallQuit) {
			return tea.Quit
		}
		return nil
	}
	if m.formOpen {
		return m.formKey(msg)
	}
	if v := m.viewer; v != nil {
		hadMessage := v.message != ""
		v.message = ""
		if !v.typing() && !v.overlaid() && key.Matches(msg, v.keys.Picker) {
			m.showPicker()
			return nil
		}
		if v.keys.Message.Enabled() && !v.typing() && !v.overlaid() && key.Matches(msg, v.keys.Message) {
			m.openForm()
			return nil
		}
		cmd, changed := v.updateKey(msg, raw)
		if changed || hadMessage {
			m.fresh = false
		}
		return cmd
	}
	p, cmd, changed := m.picker.updateKey(msg)
	if p != nil {
		m.open(p, "")
		return nil
	}
	if changed {
		m.fresh = false
	}
	return cmd
}

func (m *Model) paste(text string) {
	if m.tooSmall() {
		return
	}
	if len(text) > 4*maxQuery {
		text = text[:4*maxQuery]
	}
	if m.formOpen {
		m.formPaste(text)
		return
	}
	if v := m.viewer; v != nil {
		if v.paste(text) {
			m.fresh = false
		}
		return
	}
	m.picker.typeText(text)
	m.fresh = false
}

func (m *Model) mouse(msg tea.MouseMsg) {
	if m.tooSmall() || m.formOpen {
		return
	}
	if m.viewer != nil {
		if m.viewer.updateMouse(msg) {
			m.fresh = false
		}
		return
	}
	p, changed := m.picker.updateMouse(msg)
	if p != nil {
		m.open(p, "")
		return
	}
	if changed {
		m.fresh = false
	}
}

// View returns the frame; it is drawn again only after something changed.
func (m *Model) View() tea.View {
	if m.fresh {
		return m.view
	}
	var b strings.Builder
	b.Grow(min(m.width, maxColumn+2*margin)*min(m.height, 200) + 2048)
	title := "CVs"
	switch {
	case m.tooSmall():
		b.WriteString(tooSmallNotice(m.width, m.height))
	case m.formOpen:
		m.drawForm(&b)
	case m.viewer != nil:
		m.viewer.draw(&b)
	default:
		m.picker.draw(&b)
	}
	if m.viewer != nil {
		title = field(m.viewer.p.Name) + " — CV"
	}
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = title
	m.view, m.fresh = v, true
	return v
}

// Current is the profile on screen, nil in the picker.
func (m *Model) Current() *profiles.Profile {
	if m.viewer == nil {
		return nil
	}
	return m.viewer.p
}

// QuitLine is printed after the alternate screen closes: how to come back, and where the
// CV lives on the web. Empty when no CV was opened.
func (m *Model) QuitLine() string {
	p := m.opened
	if p == nil {
		return ""
	}
	name := field(p.Name)
	if name == "" {
		name = p.Handle
	}
	parts := []quitPart{{text: "Thanks for reading " + name + "'s CV."}}
	if m.o.ComeBack != nil {
		if c := field(m.o.ComeBack(p)); c != "" {
			parts = append(parts, quitPart{label: "Come back any time:", text: c})
		}
	}
	if u := webLink(p); u != "" {
		parts = append(parts, quitPart{label: "web:", text: u, sep: " · "})
	}
	return fitQuitLine(parts, m.width)
}

// quitPart is a piece of the quit line: a label and what it introduces (a command
// or an address, which is kept whole on a line of its own when it must wrap).
type quitPart struct {
	label, text string
	sep         string // before the part when all stand on one line; a space if empty
}

func (q quitPart) String() string {
	if q.label == "" {
		return q.text
	}
	return q.label + " " + q.text
}

// fitQuitLine joins the parts of the quit line on one line when it fits the window,
// and otherwise gives each part a line of its own, a label and its command on two
// if need be: left to itself, the terminal would cut the line mid-word, the ssh
// command included.
func fitQuitLine(parts []quitPart, width int) string {
	var one strings.Builder
	for i, part := range parts {
		if i > 0 {
			sep := part.sep
			if sep == "" {
				sep = " "
			}
			one.WriteString(sep)
		}
		one.WriteString(part.String())
	}
	if width < minQuitWidth || ansi.StringWidth(one.String()) <= width {
		return one.String()
	}
	var lines []string
	for _, part := range parts {
		switch {
		case ansi.StringWidth(part.String()) <= width:
			lines = append(lines, part.String())
		case part.label == "":
			lines = append(lines, ansi.Wrap(part.text, width, ""))
		default:
			lines = append(lines, ansi.Wrap(part.label, width, ""), ansi.Wrap(part.text, width, ""))
		}
	}
	return strings.Join(lines, "\n")
}

// minQuitWidth is the narrowest window the quit line is wrapped for; in a narrower
// one the terminal's own wrapping is as good.
const minQuitWidth = 20

// webLink is the profile's first web address.
func webLink(p *profiles.Profile) string {
	for _, l := range p.Links {
		u := safeURL(field(l.URL))
		if strings.HasPrefix(strings.ToLower(u), "http") {
			return u
		}
	}
	return ""
}
