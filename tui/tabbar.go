package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// tabBar is the row of section titles: keys and clicks choose the active section.
type tabBar struct {
	keys    *viewerKeys
	doc     *document
	lay     *layout
	theme   *theme
	body    *body // keeps the open section: the tab bar opens sections in it
	noStyle bool  // the session shows no escape sequences: the active tab is in brackets

	hits []tabHit // where each tab was drawn, for mouse clicks

	// The tab bar changes far less often than the body: it is kept with what it was
	// drawn from and reused while that stays the same.
	drawnFor tabsKey
	drawn    string
}

type tabsKey struct {
	doc     *document
	tab     int
	text    int
	left    int // where the tabs start decides where a click lands
	theme   *theme
	noStyle bool
}

// tabHit is a clickable cell range of the tab bar: a tab, or an arrow (delta ±1).
type tabHit struct {
	x0, x1 int // [x0, x1) in window columns
	tab    int // the tab opened by a click, when delta is 0
	delta  int
}

func (tb *tabBar) setSize(l *layout, t *theme) { tb.lay, tb.theme = l, t }

// open makes tab i active, if there is such a tab and it is not active yet.
func (tb *tabBar) open(i int) {
	if tb.doc == nil || i < 0 || i >= len(tb.doc.sections) || i == tb.body.tab {
		return
	}
	tb.body.open(i)
}

func (tb *tabBar) move(delta int) {
	if tb.doc == nil {
		return
	}
	n := len(tb.doc.sections)
	tb.open(((tb.body.tab+delta)%n + n) % n)
}

// update: next, previous and a section's number; a left click on a tab or an arrow.
func (tb *tabBar) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch k := tb.keys; {
		case key.Matches(msg, k.Next):
			tb.move(1)
		case key.Matches(msg, k.Prev):
			tb.move(-1)
		case key.Matches(msg, k.Jump):
			tb.open(int(msg.String()[0] - '1'))
		default:
			return nil, false
		}
		return nil, true
	case tea.MouseClickMsg:
		m := msg.Mouse()
		if m.Button != tea.MouseLeft || m.Y != tb.lay.tabRow {
			return nil, false
		}
		for _, h := range tb.hits {
			if m.X >= h.x0 && m.X < h.x1 {
				if h.delta != 0 {
					tb.move(h.delta)
				} else {
					tb.open(h.tab)
				}
				return nil, true
			}
		}
	}
	return nil, false
}

func (tb *tabBar) keyHelp() []key.Binding {
	return []key.Binding{tb.keys.Next, tb.keys.Prev, tb.keys.Jump}
}

// view draws the tab bar's row (without the newline) and records where each tab went.
func (tb *tabBar) view(b *strings.Builder) {
	k := tabsKey{tb.doc, tb.body.tab, tb.lay.text, tb.lay.left, tb.theme, tb.noStyle}
	if k != tb.drawnFor {
		var s strings.Builder
		tb.build(&s)
		tb.drawnFor, tb.drawn = k, s.String()
	}
	b.WriteString(tb.lay.pad)
	b.WriteString(tb.drawn)
}

func (tb *tabBar) build(b *strings.Builder) {
	tb.hits = tb.hits[:0]
	active := tb.body.tab
	secs := tb.doc.sections
	var lb lineBuilder
	x := tb.lay.left + margin
	addHit := func(w, tab, delta int) {
		tb.hits = append(tb.hits, tabHit{x0: x, x1: x + w, tab: tab, delta: delta})
		x += w
	}
	if tb.lay.narrowTabs {
		n := len(secs)
		prev, next := "‹ ", " ›"
		count := strconv.Itoa(active+1) + "/" + strconv.Itoa(n) + " "
		room := tb.lay.text - textWidth(prev) - textWidth(next) - len(count)
		label := truncateLine(plainLine(tb.label(active, true), 0), room).text
		lb.add(prev, attrMarker, "", 2)
		addHit(2, 0, -1)
		lb.add(count, attrMuted, "", len(count))
		x += len(count)
		lw := textWidth(label)
		lb.add(label, attrTabOn, "", lw)
		addHit(lw, active, 0)
		lb.add(next, attrMarker, "", 2)
		addHit(2, 0, 1)
	} else {
		labels := make([]string, len(secs))
		widths := make([]int, len(secs))
		total := 0
		for i := range secs {
			labels[i] = tb.label(i, i == active)
			if w := textWidth(labels[i]); w > tb.lay.text-4 {
				labels[i] = truncateLine(plainLine(labels[i], 0), tb.lay.text-4).text
			}
			widths[i] = textWidth(labels[i])
			total += widths[i] + 1
		}
		first, last := 0, len(secs)-1
		if total-1 > tb.lay.text {
			first, last = visibleTabs(widths, active, tb.lay.text-4)
		}
		if first > 0 {
			lb.add("‹ ", attrMarker, "", 2)
			addHit(2, 0, -1)
		}
		for i := first; i <= last; i++ {
			if i > first {
				lb.add(" ", 0, "", 1)
				x++
			}
			a := attrTab
			if i == active {
				a = attrTabOn
			}
			lb.add(labels[i], a, "", widths[i])
			addHit(widths[i], i, 0)
		}
		if last < len(secs)-1 {
			gap := tb.lay.text - lb.width - 2
			lb.add(strings.Repeat(" ", max(gap, 1)), 0, "", max(gap, 1))
			x += max(gap, 1)
			lb.add(" ›", attrMarker, "", 2)
			addHit(2, 0, 1)
		}
	}
	styled(b, lb.finish(), tb.theme, nil)
}

// label is a tab's title as drawn: padded, or in brackets when active on a screen
// without any styling.
func (tb *tabBar) label(i int, active bool) string {
	title := tb.doc.sections[i].title
	if active && tb.noStyle {
		return "[" + title + "]"
	}
	return " " + title + " "
}

// visibleTabs picks the run of tabs around the active one that fits in room cells.
func visibleTabs(widths []int, active, room int) (int, int) {
	first, last := active, active
	used := widths[active]
	for {
		grew := false
		if last+1 < len(widths) && used+1+widths[last+1] <= room {
			last++
			used += 1 + widths[last]
			grew = true
		}
		if first > 0 && used+1+widths[first-1] <= room {
			first--
			used += 1 + widths[first]
			grew = true
		}
		if !grew {
			return first, last
		}
	}
}
