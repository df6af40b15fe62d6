package tui

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// maxQuery bounds what a visitor can type into the search (a paste included).
const maxQuery = 64

// match is one occurrence of the query: line is an index within the page of its tab,
// start and end are byte offsets in that line's text.
type match struct {
	tab, line  int
	start, end int
}

// search is the viewer's search: the box typed into in the footer, and the matches of
// the query, which the body draws over the text and n and N step through.
type search struct {
	keys   *viewerKeys
	body   *body
	doc    *document
	lay    *layout
	theme  *theme
	note   *string // the viewer's footer note, for "no match" and "wrapped"
	input  lineEditor
	typing bool   // the query is being typed in the footer
	query  string // the query typed or confirmed

	matches []match
	current int // index into matches, -1 for none

	// where the reader was when typing began, to go back on esc
	originTab, originOffset int
}

func newSearch(keys *viewerKeys, l *layout, bd *body, note *string) search {
	return search{keys: keys, lay: l, body: bd, note: note, input: lineEditor{limit: maxQuery}, current: -1}
}

func (s *search) active() bool { return s.query != "" }

func (s *search) clear() {
	s.typing, s.query, s.matches, s.current = false, "", nil, -1
	s.input.reset()
}

// setSize finds the matches again in the text laid out for the new size.
func (s *search) setSize(l *layout, t *theme) {
	s.lay, s.theme = l, t
	s.doc = s.body.doc
	if s.active() && s.doc != nil {
		s.matches = findAll(s.doc, l.compact, s.query)
		s.current = firstFrom(s.matches, s.body.tab, s.body.offset)
	}
}

// update: / opens the box, n and N step through the matches, esc clears them; while
// the box is open, keys edit the query and matches follow every key stroke.
func (s *search) update(msg tea.Msg) (tea.Cmd, bool) {
	if s.typing {
		return s.edit(msg)
	}
	m, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	switch k := s.keys; {
	case key.Matches(m, k.Search):
		s.clear()
		s.typing = true
		s.originTab, s.originOffset = s.body.tab, s.body.offset
	case key.Matches(m, k.NextMatch):
		s.step(1)
	case key.Matches(m, k.PrevMatch):
		s.step(-1)
	case key.Matches(m, k.Clear):
		s.clear()
	default:
		return nil, false
	}
	return nil, true
}

func (s *search) edit(msg tea.Msg) (tea.Cmd, bool) {
	switch m := msg.(type) {
	case tea.KeyPressMsg:
		k := searchKeySets[s.keys.words]
		switch {
		case key.Matches(m, k.Quit):
			return tea.Quit, true
		case key.Matches(m, k.Cancel):
			s.body.goTo(s.originTab, s.originOffset)
			s.clear()
			return nil, true
		case key.Matches(m, k.Confirm):
			s.typing = false
			if s.query == "" {
				s.clear()
			} else if len(s.matches) == 0 {
				*s.note = s.keys.words.f(wNoMatchFor, s.query)
			}
			return nil, true
		case s.input.erasesNothing(m):
			s.clear()
			return nil, true
		}
	case tea.PasteMsg:
	default:
		return nil, false
	}
	if s.input.update(msg) {
		s.query = s.input.value()
		s.run()
	}
	return nil, true
}

// run finds the query and shows the first match from where the search began.
func (s *search) run() {
	if s.doc == nil {
		return
	}
	s.matches = findAll(s.doc, s.lay.compact, s.query)
	s.current = firstFrom(s.matches, s.originTab, s.originOffset)
	if s.current < 0 {
		s.body.goTo(s.originTab, s.originOffset)
		return
	}
	s.body.show(s.matches[s.current])
}

func (s *search) step(delta int) {
	n := len(s.matches)
	if n == 0 {
		if s.query != "" {
			*s.note = s.keys.words.f(wNoMatchFor, s.query)
		}
		return
	}
	if s.current < 0 {
		s.current = firstFrom(s.matches, s.body.tab, s.body.offset)
	} else {
		next := s.current + delta
		if next >= n {
			*s.note = s.keys.words.get(wWrappedTop)
		} else if next < 0 {
			*s.note = s.keys.words.get(wWrappedBottom)
		}
		s.current = (next%n + n) % n
	}
	s.body.show(s.matches[s.current])
}

func (s *search) keyHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Search, k.NextMatch, k.PrevMatch, k.Clear}
}

// box is the search box as the footer shows it: the query with the cursor in it.
func (s *search) box() []piece {
	q := []rune(s.query)
	pos := min(s.input.position(), len(q))
	at := " "
	if pos < len(q) {
		at = string(q[pos])
	}
	out := []piece{{s.keys.Search.Help().Key, attrKey, ""}, {string(q[:pos]), 0, ""}, {at, attrMatch, ""}}
	if pos+1 < len(q) {
		out = append(out, piece{string(q[pos+1:]), 0, ""})
	}
	return out
}

// view draws the footer line while the query is typed: the box and the match count.
func (s *search) view(b *strings.Builder) {
	footerLine(b, s.lay, s.theme, s.box(), false, s.count(), false)
}

// count says how many matches there are and which one is shown.
func (s *search) count() string {
	w := s.keys.words
	switch {
	case s.query == "":
		return w.get(wTypeToSearch)
	case len(s.matches) == 0:
		return w.get(wNoMatches)
	case len(s.matches) == 1:
		return w.get(wOneMatch)
	}
	cur := s.current + 1
	if s.current < 0 {
		cur = 0
	}
	return w.f(wNMatches, cur, len(s.matches))
}

// overlays are the matches on one line of a page, for the body to draw.
func (s *search) overlays(tab, line int) []overlay {
	if !s.active() {
		return nil
	}
	return onLine(s.matches, s.current, tab, line)
}

// findAll finds every occurrence of query, ignoring case, in the pages of d.
func findAll(d *document, compact bool, query string) []match {
	if query == "" {
		return nil
	}
	var out []match
	for tab := range d.sections {
		r := d.page(tab, compact)
		for i := r.from; i < r.to; i++ {
			text := d.lines[i].text
			for off := 0; off < len(text); {
				start, end := indexFold(text[off:], query)
				if start < 0 {
					break
				}
				out = append(out, match{tab: tab, line: i - r.from, start: off + start, end: off + end})
				off += end
			}
		}
	}
	return out
}

// indexFold finds needle in s ignoring case (Unicode simple folding) and returns the
// byte range of the first occurrence in s, or -1, -1.
func indexFold(s, needle string) (int, int) {
	first, _ := utf8.DecodeRuneInString(needle)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if equalFold(r, first) {
			if end, ok := prefixFold(s[i:], needle); ok {
				return i, i + end
			}
		}
		i += size
	}
	return -1, -1
}

// prefixFold reports whether s starts with needle ignoring case, and where it ends in s.
func prefixFold(s, needle string) (int, bool) {
	i := 0
	for _, nr := range needle {
		if i >= len(s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !equalFold(r, nr) {
			return 0, false
		}
		i += size
	}
	return i, true
}

func equalFold(a, b rune) bool {
	if a == b {
		return true
	}
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		return 'a' <= (a|0x20) && (a|0x20) <= 'z' && a|0x20 == b|0x20
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// firstFrom returns the index of the first match at or after (tab, line), wrapping
// around to the first match of all; -1 when there are none.
func firstFrom(ms []match, tab, line int) int {
	if len(ms) == 0 {
		return -1
	}
	i := sort.Search(len(ms), func(i int) bool {
		return ms[i].tab > tab || (ms[i].tab == tab && ms[i].line >= line)
	})
	if i == len(ms) {
		return 0
	}
	return i
}

// onLine returns the overlays of the matches on one line of a page.
func onLine(ms []match, current, tab, line int) []overlay {
	i := sort.Search(len(ms), func(i int) bool {
		return ms[i].tab > tab || (ms[i].tab == tab && ms[i].line >= line)
	})
	var out []overlay
	for ; i < len(ms) && ms[i].tab == tab && ms[i].line == line; i++ {
		a := attrMatch
		if i == current {
			a = attrCurrent
		}
		out = append(out, overlay{start: ms[i].start, end: ms[i].end, attr: a})
	}
	return out
}
