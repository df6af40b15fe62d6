package tui

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/sshcv/sshcv/profiles"
)

// viewer is the CV viewer: header, tab bar, scrolling body, footer.
type viewer struct {
	r     *Renderer
	p     *profiles.Profile
	keys  viewerKeys
	doc   *document
	theme *theme
	lay   layout

	tab    int
	offset int // the page line at the top of the body

	search     search
	help       bool
	helpText   []string // drawn on demand, dropped on resize or theme change
	helpOffset int
	message    string // a footer note, gone at the next key press
	noStyle    bool   // the session shows no escape sequences at all: mark the active tab in brackets

	tabHits []tabHit // where each tab was drawn, for mouse clicks

	// The tab bar and the footer change far less often than the body: each is kept
	// with what it was drawn from and reused while that stays the same.
	tabsFor   tabsKey
	tabs      string
	footerFor footerKey
	footer    string
}

type tabsKey struct {
	doc     *document
	tab     int
	text    int
	left    int // where the tabs start decides where a click lands
	theme   *theme
	noStyle bool
}

type footerKey struct {
	left, right string // what the two sides say, for the modes where that varies
	text        int
	theme       *theme
	message     bool
}

// tabHit is a clickable cell range of the tab bar: a tab, or an arrow (delta ±1).
type tabHit struct {
	x0, x1 int // [x0, x1) in window columns
	tab    int // the tab opened by a click, when delta is 0
	delta  int
}

func newViewer(r *Renderer, p *profiles.Profile, section string, withPicker bool) *viewer {
	v := &viewer{r: r, p: p, keys: newViewerKeys(withPicker)}
	v.search.current = -1
	if i := p.SectionIndex(section); i >= 0 {
		v.tab = i
	}
	return v
}

// setSize lays the viewer out for a window, keeping the reader's place: the same tab,
// and the line at the top moved proportionally when the text reflows.
func (v *viewer) setSize(width, height int, t *theme) {
	v.theme = t
	v.helpText = nil
	oldLen, oldOffset := v.pageLen(), v.offset
	hadDoc := v.doc != nil
	v.lay = viewerLayout(width, height, func(text int) int {
		return v.r.document(v.p, text).header.len()
	})
	if v.lay.tooSmall {
		return
	}
	v.doc = v.r.document(v.p, v.lay.text)
	v.tab = min(max(v.tab, 0), len(v.doc.sections)-1)
	if hadDoc && oldLen > 0 {
		v.offset = oldOffset * v.pageLen() / oldLen
	}
	if v.search.active() {
		v.search.matches = findAll(v.doc, v.lay.compact, v.search.query)
		v.search.current = firstFrom(v.search.matches, v.tab, v.offset)
	}
	v.clampOffset()
}

func (v *viewer) setTheme(t *theme) {
	v.theme = t
	v.helpText = nil
}

func (v *viewer) pageLen() int {
	if v.doc == nil {
		return 0
	}
	return v.doc.page(v.tab, v.lay.compact).len()
}

func (v *viewer) maxOffset() int { return max(v.pageLen()-v.lay.bodyRows, 0) }

func (v *viewer) clampOffset() { v.offset = min(max(v.offset, 0), v.maxOffset()) }

func (v *viewer) scroll(n int) {
	v.offset += n
	v.clampOffset()
}

func (v *viewer) openTab(i int) {
	if v.doc == nil || i < 0 || i >= len(v.doc.sections) || i == v.tab {
		return
	}
	v.tab, v.offset = i, 0
}

func (v *viewer) moveTab(delta int) {
	if v.doc == nil {
		return
	}
	n := len(v.doc.sections)
	v.openTab(((v.tab+delta)%n + n) % n)
}

// updateKey handles a key; it returns a command and whether the screen changed.
func (v *viewer) updateKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if v.search.typing {
		return v.typeSearch(msg), true
	}
	k := v.keys
	page := max(v.lay.bodyRows-1, 1)
	if v.help {
		// The help scrolls like a page when the window is too short for all of it.
		maxHelp := max(len(v.helpText)-v.lay.bodyRows, 0)
		switch {
		case key.Matches(msg, k.Quit):
			return tea.Quit, true
		case key.Matches(msg, k.Help, k.Clear):
			v.help = false
		case key.Matches(msg, k.Down):
			v.helpOffset++
		case key.Matches(msg, k.Up):
			v.helpOffset--
		case key.Matches(msg, k.PageDown, k.HalfDown):
			v.helpOffset += page
		case key.Matches(msg, k.PageUp, k.HalfUp):
			v.helpOffset -= page
		case key.Matches(msg, k.Top):
			v.helpOffset = 0
		case key.Matches(msg, k.Bottom):
			v.helpOffset = maxHelp
		default:
			return nil, false
		}
		v.helpOffset = min(max(v.helpOffset, 0), maxHelp)
		return nil, true
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit, true
	case key.Matches(msg, k.Next):
		v.moveTab(1)
	case key.Matches(msg, k.Prev):
		v.moveTab(-1)
	case key.Matches(msg, k.Jump):
		v.openTab(int(msg.String()[0] - '1'))
	case key.Matches(msg, k.Down):
		v.scroll(1)
	case key.Matches(msg, k.Up):
		v.scroll(-1)
	case key.Matches(msg, k.PageDown):
		v.scroll(page)
	case key.Matches(msg, k.PageUp):
		v.scroll(-page)
	case key.Matches(msg, k.HalfDown):
		v.scroll(max(v.lay.bodyRows/2, 1))
	case key.Matches(msg, k.HalfUp):
		v.scroll(-max(v.lay.bodyRows/2, 1))
	case key.Matches(msg, k.Top):
		v.offset = 0
	case key.Matches(msg, k.Bottom):
		v.offset = v.maxOffset()
	case key.Matches(msg, k.Search):
		v.search.clear()
		v.search.typing = true
		v.search.originTab, v.search.originOffset = v.tab, v.offset
	case key.Matches(msg, k.NextMatch):
		v.stepMatch(1)
	case key.Matches(msg, k.PrevMatch):
		v.stepMatch(-1)
	case key.Matches(msg, k.Clear):
		v.search.clear()
	case key.Matches(msg, k.Help):
		v.help, v.helpOffset = true, 0
		v.helpText = helpScreen(v.keys, v.theme, v.lay.text)
	case key.Matches(msg, k.Copy):
		return v.copyContact(), true
	default:
		return nil, false
	}
	return nil, true
}

// typeSearch edits the query in the footer; matches follow every key stroke.
func (v *viewer) typeSearch(msg tea.KeyPressMsg) tea.Cmd {
	s := &v.search
	switch msg.String() {
	case "ctrl+c":
		return tea.Quit
	case "esc":
		v.tab, v.offset = s.originTab, s.originOffset
		v.clampOffset()
		s.clear()
		return nil
	case "enter":
		s.typing = false
		if s.query == "" {
			s.clear()
		} else if len(s.matches) == 0 {
			v.message = "No match for “" + s.query + "”"
		}
		return nil
	case "backspace", "ctrl+h":
		if s.query == "" {
			s.clear()
			return nil
		}
		_, size := utf8.DecodeLastRuneInString(s.query)
		s.query = s.query[:len(s.query)-size]
	case "ctrl+u":
		s.query = ""
	default:
		if msg.Text == "" {
			return nil
		}
		v.appendQuery(msg.Text)
		return nil
	}
	v.runSearch()
	return nil
}

func (v *viewer) appendQuery(text string) {
	text = field(text)
	for _, r := range text {
		if len([]rune(v.search.query)) >= maxQuery {
			break
		}
		v.search.query += string(r)
	}
	v.runSearch()
}

// runSearch finds the query and shows the first match from where the search began.
func (v *viewer) runSearch() {
	s := &v.search
	if v.doc == nil {
		return
	}
	s.matches = findAll(v.doc, v.lay.compact, s.query)
	s.current = firstFrom(s.matches, s.originTab, s.originOffset)
	if s.current < 0 {
		v.tab, v.offset = s.originTab, s.originOffset
		v.clampOffset()
		return
	}
	v.show(s.matches[s.current])
}

func (v *viewer) stepMatch(delta int) {
	s := &v.search
	n := len(s.matches)
	if n == 0 {
		if s.query != "" {
			v.message = "No match for “" + s.query + "”"
		}
		return
	}
	if s.current < 0 {
		s.current = firstFrom(s.matches, v.tab, v.offset)
	} else {
		next := s.current + delta
		if next >= n {
			v.message = "Search wrapped to the top"
		} else if next < 0 {
			v.message = "Search wrapped to the bottom"
		}
		s.current = (next%n + n) % n
	}
	v.show(s.matches[s.current])
}

// show brings a match into view, a third of the way down the body when it must scroll.
func (v *viewer) show(m match) {
	if m.tab != v.tab {
		v.tab, v.offset = m.tab, 0
	}
	if m.line < v.offset || m.line >= v.offset+v.lay.bodyRows {
		v.offset = m.line - v.lay.bodyRows/3
	}
	v.clampOffset()
}

func (v *viewer) copyContact() tea.Cmd {
	text := field(v.p.Email)
	if text == "" {
		for _, c := range contactsOf(v.p) {
			text = strings.TrimPrefix(c.URL, "mailto:")
			break
		}
	}
	if text == "" {
		v.message = "Nothing to copy: this CV has no email or link"
		return nil
	}
	v.message = "Copied " + text + " to the clipboard"
	return tea.SetClipboard(text)
}

// updateMouse: the wheel scrolls, a click on the tab bar opens a tab.
func (v *viewer) updateMouse(msg tea.MouseMsg) bool {
	if v.lay.tooSmall {
		return false
	}
	m := msg.Mouse()
	switch msg.(type) {
	case tea.MouseWheelMsg:
		switch m.Button {
		case tea.MouseWheelDown:
			v.scroll(3)
		case tea.MouseWheelUp:
			v.scroll(-3)
		default:
			return false
		}
		return true
	case tea.MouseClickMsg:
		if m.Button != tea.MouseLeft || m.Y != v.lay.tabRow || v.help {
			return false
		}
		for _, h := range v.tabHits {
			if m.X >= h.x0 && m.X < h.x1 {
				if h.delta != 0 {
					v.moveTab(h.delta)
				} else {
					v.openTab(h.tab)
				}
				return true
			}
		}
	}
	return false
}

// draw writes the viewer's screen.
func (v *viewer) draw(b *strings.Builder) {
	l := v.lay
	d := v.doc
	styledLines := d.styled(v.theme)
	pad := strings.Repeat(" ", l.left+margin)
	row := 0
	newline := func() {
		b.WriteByte('\n')
		row++
	}

	// Header.
	hr := d.header
	if l.compact {
		hr = d.compact
	}
	for i := hr.from; i < hr.from+l.headerRows; i++ {
		if i < hr.to {
			b.WriteString(pad)
			b.WriteString(styledLines[i])
		}
		newline()
	}

	// Tab bar and rule.
	v.drawTabs(b, pad)
	newline()
	if l.rule {
		b.WriteString(pad)
		b.WriteString(v.theme.seq(attrRule))
		b.WriteString(strings.Repeat("─", l.text))
		b.WriteString("\x1b[m")
		newline()
	}

	// Body.
	if v.help {
		if v.helpText == nil {
			v.helpText = helpScreen(v.keys, v.theme, l.text)
		}
		v.helpOffset = min(v.helpOffset, max(len(v.helpText)-l.bodyRows, 0))
		for i := 0; i < l.bodyRows; i++ {
			if n := v.helpOffset + i; n < len(v.helpText) {
				b.WriteString(pad)
				b.WriteString(v.helpText[n])
			}
			newline()
		}
	} else {
		pr := d.page(v.tab, l.compact)
		for i := 0; i < l.bodyRows; i++ {
			n := v.offset + i
			if n < pr.len() {
				idx := pr.from + n
				b.WriteString(pad)
				if v.search.active() {
					if over := onLine(v.search.matches, v.search.current, v.tab, n); len(over) > 0 {
						styled(b, d.lines[idx], v.theme, over)
						newline()
						continue
					}
				}
				b.WriteString(styledLines[idx])
			}
			newline()
		}
	}
	for row < l.footerRow {
		newline()
	}
	v.drawFooter(b, pad)
}

// drawTabs draws the tab bar and records where each tab went.
func (v *viewer) drawTabs(b *strings.Builder, pad string) {
	k := tabsKey{v.doc, v.tab, v.lay.text, v.lay.left, v.theme, v.noStyle}
	if k != v.tabsFor {
		var tb strings.Builder
		v.buildTabs(&tb)
		v.tabsFor, v.tabs = k, tb.String()
	}
	b.WriteString(pad)
	b.WriteString(v.tabs)
}

func (v *viewer) buildTabs(b *strings.Builder) {
	v.tabHits = v.tabHits[:0]
	secs := v.doc.sections
	t := v.theme
	var lb lineBuilder
	x := v.lay.left + margin
	addHit := func(w, tab, delta int) {
		v.tabHits = append(v.tabHits, tabHit{x0: x, x1: x + w, tab: tab, delta: delta})
		x += w
	}
	if v.lay.narrowTabs {
		n := len(secs)
		prev, next := "‹ ", " ›"
		count := strconv.Itoa(v.tab+1) + "/" + strconv.Itoa(n) + " "
		room := v.lay.text - textWidth(prev) - textWidth(next) - len(count)
		label := truncateLine(plainLine(v.tabLabel(v.tab, true), 0), room).text
		lb.add(prev, attrMarker, "", 2)
		addHit(2, 0, -1)
		lb.add(count, attrMuted, "", len(count))
		x += len(count)
		lw := textWidth(label)
		lb.add(label, attrTabOn, "", lw)
		addHit(lw, v.tab, 0)
		lb.add(next, attrMarker, "", 2)
		addHit(2, 0, 1)
	} else {
		labels := make([]string, len(secs))
		widths := make([]int, len(secs))
		total := 0
		for i := range secs {
			labels[i] = v.tabLabel(i, i == v.tab)
			if w := textWidth(labels[i]); w > v.lay.text-4 {
				labels[i] = truncateLine(plainLine(labels[i], 0), v.lay.text-4).text
			}
			widths[i] = textWidth(labels[i])
			total += widths[i] + 1
		}
		first, last := 0, len(secs)-1
		if total-1 > v.lay.text {
			first, last = visibleTabs(widths, v.tab, v.lay.text-4)
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
			if i == v.tab {
				a = attrTabOn
			}
			lb.add(labels[i], a, "", widths[i])
			addHit(widths[i], i, 0)
		}
		if last < len(secs)-1 {
			gap := v.lay.text - lb.width - 2
			lb.add(strings.Repeat(" ", max(gap, 1)), 0, "", max(gap, 1))
			x += max(gap, 1)
			lb.add(" ›", attrMarker, "", 2)
			addHit(2, 0, 1)
		}
	}
	styled(b, lb.finish(), t, nil)
}

// tabLabel is a tab's title as drawn: padded, or in brackets when active on a screen
// without any styling.
func (v *viewer) tabLabel(i int, active bool) string {
	title := v.doc.sections[i].title
	if active && v.noStyle {
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

// drawFooter: key help on the left, where the reader is on the right.
func (v *viewer) drawFooter(b *strings.Builder, pad string) {
	s := &v.search
	k := footerKey{text: v.lay.text, theme: v.theme}
	switch {
	case s.typing:
		k.left = "/" + s.query
		k.right = matchCount(s)
	case v.message != "":
		k.message = true
		k.right = v.message
		if s.active() {
			k.right += " · " + matchCount(s)
		}
	case v.help:
		k.left = "help"
		if len(v.helpText) > v.lay.bodyRows {
			k.right = "↑↓ more"
		}
	default:
		if s.active() {
			k.right = matchCount(s) + " · "
		}
		k.right += v.position()
	}
	if k != v.footerFor {
		var fb strings.Builder
		v.buildFooter(&fb, k)
		v.footerFor, v.footer = k, fb.String()
	}
	b.WriteString(pad)
	b.WriteString(v.footer)
}

func (v *viewer) buildFooter(b *strings.Builder, k footerKey) {
	var left []piece
	switch {
	case v.search.typing:
		left = []piece{{"/", attrKey, ""}, {v.search.query, 0, ""}, {" ", attrMatch, ""}}
	case v.help && !k.message:
		left = []piece{{"?", attrKey, ""}, {" close help", attrMuted, ""}, {"q", attrKey, ""}, {" quit", attrMuted, ""}}
	default:
		left = helpItems(v.keys.ShortHelp())
	}
	right := k.right
	room := v.lay.text - textWidth(right) - 2
	var lb lineBuilder
	if v.search.typing {
		for _, p := range left {
			lb.addPiece(p)
		}
	} else {
		for i := 0; i+1 < len(left); i += 2 {
			w := textWidth(left[i].text) + textWidth(left[i+1].text)
			sep := 0
			if !lb.empty() {
				sep = 2
			}
			if lb.width+sep+w > room {
				break
			}
			if sep > 0 {
				lb.add("  ", 0, "", 2)
			}
			lb.addPiece(left[i])
			lb.addPiece(left[i+1])
		}
	}
	l := lb.finish()
	if l.width > room {
		l = truncateLine(l, max(room, 0))
	}
	if textWidth(right) > v.lay.text {
		right = truncateLine(plainLine(right, 0), v.lay.text).text
	}
	styled(b, l, v.theme, nil)
	if gap := v.lay.text - l.width - textWidth(right); gap > 0 {
		b.WriteString(strings.Repeat(" ", gap))
	}
	a := attrMuted
	if k.message {
		a = attrStrong
	}
	styled(b, plainLine(right, a), v.theme, nil)
}

func matchCount(s *search) string {
	switch {
	case s.query == "":
		return "type to search"
	case len(s.matches) == 0:
		return "no matches"
	case len(s.matches) == 1:
		return "1/1 match"
	}
	cur := s.current + 1
	if s.current < 0 {
		cur = 0
	}
	return strconv.Itoa(cur) + "/" + strconv.Itoa(len(s.matches)) + " matches"
}

// position says where the body is scrolled, as less and vim do.
func (v *viewer) position() string {
	switch m := v.maxOffset(); {
	case m == 0:
		return "All"
	case v.offset == 0:
		return "Top"
	case v.offset >= m:
		return "End"
	default:
		return strconv.Itoa(v.offset*100/m) + "%"
	}
}
