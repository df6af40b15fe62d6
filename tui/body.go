package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// body is the page of the active section, scrolled: keys and the mouse wheel move it,
// search matches are laid over it.
type body struct {
	keys   *viewerKeys
	doc    *document
	lay    *layout
	theme  *theme
	search *search // its matches are drawn over the text

	tab    int
	offset int // the page line at the top of the body
}

func (bd *body) setSize(l *layout, t *theme) { bd.lay, bd.theme = l, t }

func (bd *body) pageLen() int {
	if bd.doc == nil {
		return 0
	}
	return bd.doc.page(bd.tab, bd.lay.compact).len()
}

func (bd *body) maxOffset() int { return max(bd.pageLen()-bd.lay.bodyRows, 0) }

func (bd *body) clamp() { bd.offset = min(max(bd.offset, 0), bd.maxOffset()) }

func (bd *body) scroll(n int) {
	bd.offset += n
	bd.clamp()
}

// open shows tab i from its top.
func (bd *body) open(i int) { bd.tab, bd.offset = i, 0 }

// goTo puts the reader at a page line of a tab.
func (bd *body) goTo(tab, offset int) {
	bd.tab, bd.offset = tab, offset
	bd.clamp()
}

// show brings a match into view, a third of the way down the body when it must scroll.
func (bd *body) show(m match) {
	if m.tab != bd.tab {
		bd.tab, bd.offset = m.tab, 0
	}
	if m.line < bd.offset || m.line >= bd.offset+bd.lay.bodyRows {
		bd.offset = m.line - bd.lay.bodyRows/3
	}
	bd.clamp()
}

// update scrolls by key and by the mouse wheel.
func (bd *body) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		k := bd.keys
		page := max(bd.lay.bodyRows-1, 1)
		half := max(bd.lay.bodyRows/2, 1)
		switch {
		case key.Matches(msg, k.Down):
			bd.scroll(1)
		case key.Matches(msg, k.Up):
			bd.scroll(-1)
		case key.Matches(msg, k.PageDown):
			bd.scroll(page)
		case key.Matches(msg, k.PageUp):
			bd.scroll(-page)
		case key.Matches(msg, k.HalfDown):
			bd.scroll(half)
		case key.Matches(msg, k.HalfUp):
			bd.scroll(-half)
		case key.Matches(msg, k.Top):
			bd.offset = 0
		case key.Matches(msg, k.Bottom):
			bd.offset = bd.maxOffset()
		default:
			return nil, false
		}
		return nil, true
	case tea.MouseWheelMsg:
		return nil, wheel(msg, bd.scroll)
	}
	return nil, false
}

// wheel scrolls by three lines a notch; it reports whether msg was a wheel notch.
func wheel(msg tea.MouseWheelMsg, scroll func(int)) bool {
	switch msg.Mouse().Button {
	case tea.MouseWheelDown:
		scroll(3)
	case tea.MouseWheelUp:
		scroll(-3)
	default:
		return false
	}
	return true
}

func (bd *body) keyHelp() []key.Binding {
	k := bd.keys
	return []key.Binding{k.Down, k.Up, k.PageDown, k.PageUp, k.HalfDown, k.HalfUp, k.Top, k.Bottom}
}

// view draws the body's rows, each ended by a newline.
func (bd *body) view(b *strings.Builder) {
	d, l := bd.doc, bd.lay
	styledLines := d.styled(bd.theme)
	pr := d.page(bd.tab, l.compact)
	s := bd.search
	for i := 0; i < l.bodyRows; i++ {
		n := bd.offset + i
		if n < pr.len() {
			idx := pr.from + n
			b.WriteString(l.pad)
			if over := s.overlays(bd.tab, n); len(over) > 0 {
				styled(b, d.lines[idx], bd.theme, over)
			} else {
				b.WriteString(styledLines[idx])
			}
		}
		b.WriteByte('\n')
	}
}

// position says where the body is scrolled, as less and vim do.
func (bd *body) position() string {
	w := bd.keys.words
	switch m := bd.maxOffset(); {
	case m == 0:
		return w.get(wPosAll)
	case bd.offset == 0:
		return w.get(wPosTop)
	case bd.offset >= m:
		return w.get(wPosEnd)
	default:
		return strconv.Itoa(bd.offset*100/m) + "%"
	}
}
