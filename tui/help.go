package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// helpView is the help screen, drawn in the body's place from the key bindings. It
// scrolls like a page when the window is too short for all of it.
type helpView struct {
	keys   *viewerKeys
	groups [][]key.Binding // the columns of the help, from the components' key help
	lay    *layout
	theme  *theme
	open   bool
	lines  []string // drawn on demand, dropped on resize or theme change
	offset int
}

func (h *helpView) setSize(l *layout, t *theme) {
	h.lay, h.theme, h.lines = l, t, nil
}

// show opens the help with these columns of bindings.
func (h *helpView) show(groups [][]key.Binding) {
	h.open, h.offset, h.groups = true, 0, groups
	h.lines = helpScreen(groups, h.theme, h.lay.text, h.keys.words)
}

func (h *helpView) maxOffset() int { return max(len(h.lines)-h.lay.bodyRows, 0) }

// update scrolls the help, or closes it.
func (h *helpView) update(msg tea.Msg) (tea.Cmd, bool) {
	page := max(h.lay.bodyRows-1, 1)
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch k := h.keys; {
		case key.Matches(msg, k.Help, k.Clear):
			h.open = false
			return nil, true
		case key.Matches(msg, k.Down):
			h.offset++
		case key.Matches(msg, k.Up):
			h.offset--
		case key.Matches(msg, k.PageDown, k.HalfDown):
			h.offset += page
		case key.Matches(msg, k.PageUp, k.HalfUp):
			h.offset -= page
		case key.Matches(msg, k.Top):
			h.offset = 0
		case key.Matches(msg, k.Bottom):
			h.offset = h.maxOffset()
		default:
			return nil, false
		}
	case tea.MouseWheelMsg:
		if !wheel(msg, func(n int) { h.offset += n }) {
			return nil, false
		}
	default:
		return nil, false
	}
	h.offset = min(max(h.offset, 0), h.maxOffset())
	return nil, true
}

func (h *helpView) keyHelp() []key.Binding { return h.keys.helpScreenHelp() }

// more reports whether the help is longer than the body.
func (h *helpView) more() bool { return len(h.lines) > h.lay.bodyRows }

// view draws the help's rows in the body's place, each ended by a newline.
func (h *helpView) view(b *strings.Builder) {
	if h.lines == nil {
		h.lines = helpScreen(h.groups, h.theme, h.lay.text, h.keys.words)
	}
	h.offset = min(h.offset, h.maxOffset())
	for i := 0; i < h.lay.bodyRows; i++ {
		if n := h.offset + i; n < len(h.lines) {
			b.WriteString(h.lay.pad)
			b.WriteString(h.lines[n])
		}
		b.WriteByte('\n')
	}
}

// helpScreen draws the full help with the bubbles help component, in columns when the
// window is wide enough and one column under another when it is not.
func helpScreen(groups [][]key.Binding, t *theme, width int, w *words) []string {
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
	mouse := wrap([]piece{{w.get(wMouseHelp), attrMuted, ""}}, width, nil, nil)
	out = append(out, "")
	for _, l := range mouse {
		var b strings.Builder
		styled(&b, l, t, nil)
		out = append(out, b.String())
	}
	return out
}
