package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// viewerKeys are the viewer's key bindings. Bare esc is never bound to quitting: an
// arrow key split across slow packets arrives as esc, [, B.
type viewerKeys struct {
	Next, Prev, Jump         key.Binding
	Down, Up, PageDown       key.Binding
	PageUp, HalfDown, HalfUp key.Binding
	Top, Bottom              key.Binding
	Search, NextMatch        key.Binding
	PrevMatch, Clear         key.Binding
	Copy, Picker, Help, Quit key.Binding
	Message                  key.Binding // leave the owner a message; enabled per session
}

// defaultViewerKeys is built once and only ever copied, never written: each session's
// copy decides for itself whether p is offered.
var defaultViewerKeys = buildViewerKeys()

func newViewerKeys(withPicker bool) viewerKeys {
	k := defaultViewerKeys
	k.Picker.SetEnabled(withPicker)
	return k
}

func buildViewerKeys() viewerKeys {
	return viewerKeys{
		Next:      key.NewBinding(key.WithKeys("right", "l", "tab"), key.WithHelp("→/l/tab", "next section")),
		Prev:      key.NewBinding(key.WithKeys("left", "h", "shift+tab"), key.WithHelp("←/h/⇧tab", "previous section")),
		Jump:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1–9", "go to section")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "space", "f"), key.WithHelp("pgdn/space", "page down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "page up")),
		HalfDown:  key.NewBinding(key.WithKeys("ctrl+d", "d"), key.WithHelp("d", "half page down")),
		HalfUp:    key.NewBinding(key.WithKeys("ctrl+u", "u"), key.WithHelp("u", "half page up")),
		Top:       key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:    key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
		Search:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search the CV")),
		NextMatch: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		PrevMatch: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		Clear:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search")),
		Copy:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy contact")),
		Picker:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "all CVs")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Message:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "leave a message"), key.WithDisabled()),
	}
}

// ShortHelp is the footer's help, most useful first; the footer drops from the end.
func (k viewerKeys) ShortHelp() []key.Binding {
	return []key.Binding{
		withHelp(k.Prev, "←→", "section"), withHelp(k.Down, "↑↓", "scroll"), k.Help, withHelp(k.Message, "m", "message"), withHelp(k.Search, "/", "search"), k.Quit,
	}
}

// FullHelp is the help screen, in columns.
func (k viewerKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Prev, k.Jump, k.Picker},
		{k.Down, k.Up, k.PageDown, k.PageUp, k.HalfDown, k.HalfUp, k.Top, k.Bottom},
		{k.Search, k.NextMatch, k.PrevMatch, k.Clear, k.Copy, k.Message, k.Help, k.Quit},
	}
}

func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}

// pickerKeys are the picker's bindings. Letters filter the list, so j, k and q act as
// keys only while the filter is empty.
type pickerKeys struct {
	Down, Up, Open, Clear, Quit key.Binding
}

// defaultPickerKeys, like defaultViewerKeys, is only ever copied.
var defaultPickerKeys = pickerKeys{
	Down:  key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "move down")),
	Up:    key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "move up")),
	Open:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
	Clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	Quit:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("q", "quit")),
}

func (k pickerKeys) ShortHelp() []key.Binding {
	return []key.Binding{withHelp(k.Up, "↑↓", "move"), k.Open, withHelp(k.Clear, "type", "filter"), k.Quit}
}

// helpItems is a short help line as (key, description) pairs for the footer, which is
// drawn by hand: it is on every frame and must stay cheap and lean.
func helpItems(bs []key.Binding) []piece {
	var out []piece
	for _, b := range bs {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		out = append(out, piece{h.Key, attrKey, ""}, piece{" " + h.Desc, attrMuted, ""})
	}
	return out
}

// helpScreen draws the full help with the bubbles help component, in columns when the
// window is wide enough and one column under another when it is not.
func helpScreen(k viewerKeys, t *theme, width int) []string {
	h := help.New()
	sep := lipgloss.NewStyle().Foreground(t.palette.rule)
	h.Styles = help.Styles{
		FullKey:       lipgloss.NewStyle().Bold(true).Foreground(t.accent),
		FullDesc:      lipgloss.NewStyle(),
		FullSeparator: sep,
		ShortKey:      lipgloss.NewStyle().Bold(true),
		ShortDesc:     lipgloss.NewStyle().Foreground(t.palette.muted),
		Ellipsis:      sep,
	}
	h.FullSeparator = "    "
	groups := k.FullHelp()
	var out []string
	if all := h.FullHelpView(groups); lipgloss.Width(all) <= width {
		out = strings.Split(all, "\n")
	} else {
		for i, g := range groups {
			if i > 0 {
				out = append(out, "")
			}
			out = append(out, strings.Split(h.FullHelpView([][]key.Binding{g}), "\n")...)
		}
	}
	mouse := wrap([]piece{{"Mouse: the wheel scrolls, a click on a tab opens it.", attrMuted, ""}}, width, nil, nil)
	out = append(out, "")
	for _, l := range mouse {
		var b strings.Builder
		styled(&b, l, t, nil)
		out = append(out, b.String())
	}
	return out
}
