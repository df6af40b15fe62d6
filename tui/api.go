// Package tui turns profiles into screens: the renderer (Profile + width + theme → styled
// lines, also used for plain text output), the CV viewer and the profile picker.
//
// It imports profiles and the Charm libraries only; never server or web.
package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/sshcv/sshcv/profiles"
)

// Renderer renders profiles and caches the results. One Renderer is shared by every
// session: it is safe for concurrent use and its cache is bounded.
type Renderer struct{}

// NewRenderer returns a Renderer whose cache holds at most maxEntries renderings.
func NewRenderer(maxEntries int) *Renderer { return &Renderer{} }

// Text renders p as plain text at width columns: no escape sequences, no box drawing, a
// linear reading order. Used for non-PTY sessions, the `text` command and TERM=dumb.
func (r *Renderer) Text(p *profiles.Profile, width int) string {
	var b strings.Builder
	b.WriteString(p.Name + "\n" + p.Headline + "\n\n" + p.Intro + "\n")
	for _, s := range p.Sections {
		b.WriteString("\n" + s.Title + "\n\n" + s.Body + "\n")
	}
	return b.String()
}

// ANSI renders p like Text but styled for a terminal with a dark or light background.
func (r *Renderer) ANSI(p *profiles.Profile, width int, dark bool) string {
	return r.Text(p, width)
}

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
}

// Model is one visitor's program: the picker or the viewer.
type Model struct {
	o       Options
	current *profiles.Profile
}

// New returns the model for one session.
func New(o Options) *Model { return &Model{o: o, current: o.Profile} }

func (m *Model) Init() tea.Cmd { return nil }

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && (k.String() == "q" || k.String() == "ctrl+c") {
		return m, tea.Quit
	}
	return m, nil
}

func (m *Model) View() tea.View {
	s := "sshcv"
	if m.current != nil {
		s = m.current.Name
	}
	v := tea.NewView(s)
	v.AltScreen = true
	return v
}

// Current is the profile on screen, nil in the picker.
func (m *Model) Current() *profiles.Profile { return m.current }

// QuitLine is printed after the alternate screen closes: how to come back.
func (m *Model) QuitLine() string {
	if m.current == nil || m.o.ComeBack == nil {
		return ""
	}
	return "Come back any time: " + m.o.ComeBack(m.current)
}
