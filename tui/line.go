package tui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// line is one screen line of rendered text: what it reads as, plus styled runs over it.
// Lines are built once per (profile, width) and then only read, by every session.
type line struct {
	text  string // the line without any escape sequence
	spans []span // styled runs, in order, not overlapping; gaps are unstyled
	width int    // display width of text in cells
}

// span styles text[start:end]; url, when set, makes it an OSC 8 hyperlink.
type span struct {
	start, end int
	attr       attr
	url        string
}

// piece is a run of inline text waiting to be laid out in lines.
type piece struct {
	text string
	attr attr
	url  string
}

// lineBuilder collects pieces into a line, merging neighbours that look the same.
type lineBuilder struct {
	b     strings.Builder
	spans []span
	width int
}

func (lb *lineBuilder) add(text string, a attr, url string, w int) {
	if text == "" {
		return
	}
	start := lb.b.Len()
	lb.b.WriteString(text)
	lb.width += w
	if a == 0 && url == "" {
		return
	}
	if n := len(lb.spans); n > 0 {
		last := &lb.spans[n-1]
		if last.end == start && last.attr == a && last.url == url {
			last.end = lb.b.Len()
			return
		}
	}
	lb.spans = append(lb.spans, span{start: start, end: lb.b.Len(), attr: a, url: url})
}

func (lb *lineBuilder) addPiece(p piece) { lb.add(p.text, p.attr, p.url, textWidth(p.text)) }

func (lb *lineBuilder) empty() bool { return lb.b.Len() == 0 }

// finish returns the line built so far, trailing blanks removed (but not spaces drawn in
// reverse video), and resets the builder.
func (lb *lineBuilder) finish() line {
	text := lb.b.String()
	trimmed := strings.TrimRight(text, " ")
	if n := len(lb.spans); n > 0 && lb.spans[n-1].end > len(trimmed) && lb.spans[n-1].attr&(attrTabOn|attrMatch|attrCurrent) != 0 {
		trimmed = text[:lb.spans[n-1].end] // spaces that show (reverse video) stay
	}
	l := line{text: trimmed, width: lb.width - (len(text) - len(trimmed))}
	for _, s := range lb.spans {
		if s.start >= len(trimmed) {
			break
		}
		s.end = min(s.end, len(trimmed))
		l.spans = append(l.spans, s)
	}
	lb.b.Reset()
	lb.spans = lb.spans[:0]
	lb.width = 0
	return l
}

// plainLine is a line with one attribute over all of it.
func plainLine(text string, a attr) line {
	var lb lineBuilder
	lb.add(text, a, "", textWidth(text))
	return lb.finish()
}

// textWidth is the display width of s, which holds no escape sequences.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// styled writes l to b with the theme's sequences, laying extra attributes over byte
// ranges of the text (search matches). Every styled run ends with a reset, so any line
// can be shown on its own, in any order.
func styled(b *strings.Builder, l line, t *theme, over []overlay) {
	if len(over) == 0 {
		pos := 0
		for _, s := range l.spans {
			b.WriteString(l.text[pos:s.start])
			writeRun(b, l.text[s.start:s.end], t.seq(s.attr), s.url)
			pos = s.end
		}
		b.WriteString(l.text[pos:])
		return
	}
	// Walk the text at every boundary of a span or an overlay.
	pos, si, oi := 0, 0, 0
	for pos < len(l.text) {
		var a attr
		var url string
		end := len(l.text)
		for si < len(l.spans) && l.spans[si].end <= pos {
			si++
		}
		if si < len(l.spans) {
			s := l.spans[si]
			if s.start <= pos {
				a, url, end = s.attr, s.url, s.end
			} else {
				end = s.start
			}
		}
		for oi < len(over) && over[oi].end <= pos {
			oi++
		}
		if oi < len(over) {
			o := over[oi]
			if o.start <= pos {
				a |= o.attr
				end = min(end, o.end)
			} else {
				end = min(end, o.start)
			}
		}
		writeRun(b, l.text[pos:end], t.seq(a), url)
		pos = end
	}
}

// overlay lays attributes over text[start:end] of a line.
type overlay struct {
	start, end int
	attr       attr
}

func writeRun(b *strings.Builder, text, seq, url string) {
	if url != "" {
		b.WriteString(ansi.SetHyperlink(url))
	}
	if seq != "" {
		b.WriteString(seq)
	}
	b.WriteString(text)
	if seq != "" {
		b.WriteString(ansi.ResetStyle)
	}
	if url != "" {
		b.WriteString(ansi.ResetHyperlink())
	}
}

// frag is a word fragment, a space or a hard break, the unit of wrapping.
type frag struct {
	piece
	width int
	kind  fragKind
}

type fragKind uint8

const (
	fragText fragKind = iota
	fragSpace
	fragBreak
)

// fragments splits pieces at spaces and hard breaks. Runs of white space collapse to
// one space that keeps the attributes of the piece it came from, so a space inside a
// link stays part of the link.
func fragments(pieces []piece) []frag {
	n := 0
	for _, p := range pieces {
		n += 2*strings.Count(p.text, " ") + 2
	}
	out := make([]frag, 0, n)
	for _, p := range pieces {
		s := p.text
		for s != "" {
			i := strings.IndexAny(s, " \n\t")
			if i < 0 {
				out = append(out, frag{piece: piece{s, p.attr, p.url}, width: textWidth(s)})
				break
			}
			if i > 0 {
				out = append(out, frag{piece: piece{s[:i], p.attr, p.url}, width: textWidth(s[:i])})
			}
			if s[i] == '\n' {
				out = append(out, frag{kind: fragBreak})
			} else if n := len(out); n == 0 || out[n-1].kind == fragText {
				out = append(out, frag{piece: piece{" ", p.attr, p.url}, width: 1, kind: fragSpace})
			}
			s = s[i+1:]
		}
	}
	return out
}

// wrap lays pieces out in lines at most width cells wide. The first line starts with
// first, the others with rest (a list marker and its hanging indent, a quote bar).
func wrap(pieces []piece, width int, first, rest []piece) []line {
	pw := piecesWidth(rest)
	if width-pw < minTextWidth {
		first, rest, pw = nil, nil, 0 // too narrow to indent: readable beats pretty
	}
	avail := width - pw
	frags := fragments(pieces)

	var lines []line
	var lb lineBuilder
	startLine := func(prefix []piece) {
		for _, p := range prefix {
			lb.addPiece(p)
		}
	}
	flush := func() {
		lines = append(lines, lb.finish())
		startLine(rest)
	}
	startLine(first)
	used := 0 // cells of text on the current line, after the prefix
	for i := 0; i < len(frags); {
		f := frags[i]
		switch f.kind {
		case fragBreak:
			flush()
			used = 0
			i++
			continue
		case fragSpace:
			i++
			if used == 0 {
				continue // no space at the start of a line
			}
			// Look ahead at the next word: a space only goes in if the word fits after it.
			j, w := wordEnd(frags, i)
			if j == i {
				continue
			}
			if used+1+w > avail {
				flush()
				used = 0
				continue
			}
			lb.add(" ", f.attr, f.url, 1)
			used++
			continue
		case fragText: // below
		}
		j, w := wordEnd(frags, i)
		if used > 0 && used+w > avail {
			flush()
			used = 0
		}
		for ; i < j; i++ {
			used = placeLong(&lb, frags[i], avail, used, flush)
		}
	}
	if !lb.empty() || len(lines) == 0 {
		lines = append(lines, lb.finish())
	}
	return lines
}

// minTextWidth is the fewest cells of text a line may keep beside an indent.
const minTextWidth = 12

// wordEnd returns the index after the word starting at i and the word's width.
func wordEnd(frags []frag, i int) (int, int) {
	w := 0
	for ; i < len(frags) && frags[i].kind == fragText; i++ {
		w += frags[i].width
	}
	return i, w
}

// placeLong adds a fragment to the line, cutting it where it is wider than the room
// left (long URLs); it returns the cells used on the current line afterwards.
func placeLong(lb *lineBuilder, f frag, avail, used int, flush func()) int {
	text, w := f.text, f.width
	for used+w > avail {
		room := avail - used
		head := ansi.Truncate(text, room, "")
		if head == "" {
			if used > 0 {
				flush()
				used = 0
				continue
			}
			// Not even one grapheme fits (a wide rune in one cell): place it anyway.
			head = firstGrapheme(text)
		}
		head = atSeparator(head, room)
		hw := textWidth(head)
		lb.add(head, f.attr, f.url, hw)
		text = text[len(head):]
		w -= hw
		flush()
		used = 0
		if text == "" {
			return 0
		}
	}
	lb.add(text, f.attr, f.url, w)
	return used + w
}

// atSeparator shortens the head of a cut word to end just after its last '/', '-',
// '.', '?', '&' or '=', so that a URL breaks between its parts ("github.com/rohit01/"
// over "zero-users") rather than mid-name, unless that would leave the line less
// than half full.
func atSeparator(head string, room int) string {
	for i := len(head) - 1; i > 0; i-- {
		switch head[i] {
		case '/', '-', '.', '?', '&', '=':
			if textWidth(head[:i+1])*2 < room {
				return head
			}
			return head[:i+1]
		}
	}
	return head
}

// firstGrapheme returns the first rune of s (used only when nothing fits on a line).
func firstGrapheme(s string) string {
	_, size := utf8.DecodeRuneInString(s)
	return s[:size]
}

func piecesWidth(ps []piece) int {
	w := 0
	for _, p := range ps {
		w += textWidth(p.text)
	}
	return w
}

// truncateLine shortens l to width cells, ending it with "…" when it was cut.
func truncateLine(l line, width int) line {
	if l.width <= width {
		return l
	}
	if width <= 0 {
		return line{}
	}
	cut := ansi.Truncate(l.text, width-1, "")
	out := line{text: cut + "…", width: textWidth(cut) + 1}
	for _, s := range l.spans {
		if s.start >= len(cut) {
			break
		}
		s.end = min(s.end, len(cut))
		out.spans = append(out.spans, s)
	}
	return out
}
