package tui

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// maxQuery bounds what a visitor can type into the search (a paste included).
const maxQuery = 64

// match is one occurrence of the query: line is an index within the page of its tab,
// start and end are byte offsets in that line's text.
type match struct {
	tab, line  int
	start, end int
}

// search is the state of the viewer's search.
type search struct {
	typing  bool   // the query is being typed in the footer
	query   string // the query typed or confirmed
	matches []match
	current int // index into matches, -1 for none

	// where the reader was when typing began, to go back on esc
	originTab, originOffset int
}

func (s *search) active() bool { return s.query != "" }

func (s *search) clear() {
	s.typing, s.query, s.matches, s.current = false, "", nil, -1
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
