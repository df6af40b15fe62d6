package doc

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The Markdown writer turns blocks into Markdown that any CommonMark reader reads as the
// same structure: text is escaped
// where it could read as syntax, emphasis never starts or ends next to a space, links
// never nest, and headings inside a body are level 3 or deeper, since levels 1 and 2 are
// the profile's name and its sections.

// Markdown writes blocks as CommonMark, separated by blank lines: the Markdown export
// and the sections a JSON Resume export keeps as Markdown.
func Markdown(blocks []Block) string {
	var parts []string
	for i, bl := range blocks {
		alternate := false
		if bl.Kind == List && i > 0 && blocks[i-1].Kind == List && blocks[i-1].Ordered == bl.Ordered {
			// two lists in a row would read as one: the second one uses the other marker
			alternate = len(parts) > 0 && listUsesFirstMarker(parts[len(parts)-1])
		}
		if s := writeBlock(bl, alternate); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\n\n")
}

func listUsesFirstMarker(s string) bool {
	if strings.HasPrefix(s, "- ") || s == "-" {
		return true
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i < len(s) && s[i] == '.'
}

func writeBlock(bl Block, alternate bool) string {
	switch bl.Kind {
	case Paragraph:
		return writeInlines(bl.Inlines, false)
	case Heading:
		t := writeInlines(bl.Inlines, true)
		if t == "" {
			return ""
		}
		return strings.Repeat("#", min(max(bl.Level, 3), 6)) + " " + t
	case Rule:
		return "* * *"
	case CodeBlock:
		return CodeFence(strings.TrimSuffix(bl.Text, "\n"), bl.Lang)
	case Quote:
		inner := Markdown(bl.Children)
		if inner == "" {
			return ""
		}
		return prefixLines(inner, "> ", "> ")
	case List:
		return writeList(bl, alternate)
	case Table:
		return writeTable(bl)
	}
	return ""
}

func writeList(bl Block, alternate bool) string {
	var items []string
	for i, item := range bl.Items {
		marker := "-"
		if alternate {
			marker = "*"
		}
		if bl.Ordered {
			sep := "."
			if alternate {
				sep = ")"
			}
			marker = strconv.Itoa(bl.Start+i) + sep
		}
		content := writeItem(item, bl.Tight)
		if content == "" {
			items = append(items, marker)
			continue
		}
		items = append(items, prefixLines(content, marker+" ", strings.Repeat(" ", len(marker)+1)))
	}
	sep := "\n"
	if !bl.Tight {
		sep = "\n\n"
	}
	return strings.Join(items, sep)
}

// writeItem writes the blocks of one list item. In a tight list a paragraph is followed
// directly by what may interrupt it (a nested list, a heading, a quote); two paragraphs
// still need a blank line between them or they would merge.
func writeItem(blocks []Block, tight bool) string {
	var b strings.Builder
	prev := -1
	for i, bl := range blocks {
		alternate := false
		if bl.Kind == List && prev >= 0 && blocks[prev].Kind == List && blocks[prev].Ordered == bl.Ordered {
			alternate = true
		}
		s := writeBlock(bl, alternate)
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			interrupts := bl.Kind != Paragraph && bl.Kind != Table &&
				(bl.Kind != List || !bl.Ordered || bl.Start == 1) // only "1." may interrupt a paragraph
			if tight && interrupts && blocks[prev].Kind == Paragraph {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(s)
		prev = i
	}
	return b.String()
}

// prefixLines puts first before the first line of s and rest before the others; empty
// lines stay empty (or carry the quote marker).
func prefixLines(s, first, rest string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if line == "" {
			p = strings.TrimRight(p, " ")
		}
		lines[i] = p + line
	}
	return strings.Join(lines, "\n")
}

func writeTable(bl Block) string {
	if len(bl.Rows) == 0 {
		return ""
	}
	cols := len(bl.Align)
	for _, row := range bl.Rows {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return ""
	}
	var lines []string
	writeRow := func(row [][]Inline) {
		cells := make([]string, cols)
		for i := range cells {
			if i < len(row) {
				cells[i] = writeInlines(row[i], true)
			}
		}
		lines = append(lines, "| "+strings.Join(cells, " | ")+" |")
	}
	writeRow(bl.Rows[0])
	delims := make([]string, cols)
	for i := range delims {
		delims[i] = "---"
		if i < len(bl.Align) {
			switch bl.Align[i] {
			case AlignLeft:
				delims[i] = ":---"
			case AlignRight:
				delims[i] = "---:"
			case AlignCenter:
				delims[i] = ":---:"
			default:
				// AlignNone: the plain delimiter
			}
		}
	}
	lines = append(lines, "| "+strings.Join(delims, " | ")+" |")
	for _, row := range bl.Rows[1:] {
		writeRow(row)
	}
	return strings.Join(lines, "\n")
}

// writeInlines writes a paragraph's inlines; oneLine (headings, table cells) turns
// breaks into spaces.
func writeInlines(inl []Inline, oneLine bool) string {
	w := &inlineWriter{oneLine: oneLine, lineStart: true}
	w.inlines(TrimBreaks(inl))
	return strings.TrimRight(w.b.String(), " \n")
}

type inlineWriter struct {
	b         textBuffer
	oneLine   bool
	lineStart bool // the next text starts a line: block syntax there must be escaped
	inLink    bool
	inStrong  bool
	inEm      bool
}

func (w *inlineWriter) inlines(inl []Inline) {
	inl = MergeText(inl)
	for i, n := range inl {
		switch n.Kind {
		case Text:
			w.text(n.Text)
		case Code:
			if c := CodeSpan(n.Text); c != "" {
				if w.oneLine {
					c = strings.ReplaceAll(c, "|", "\\|")
				}
				w.write(c)
			}
		case LineBreak:
			w.lineBreak("  \n")
		case SoftBreak:
			w.lineBreak("\n")
		case Strong:
			if w.inStrong {
				w.inlines(n.Children)
				continue
			}
			w.inStrong = true
			w.emphasis(n.Children, "**")
			w.inStrong = false
		case Emphasis:
			if w.inEm {
				w.inlines(n.Children)
				continue
			}
			marker := "_"
			if endsWithWordChar(w.b.tail(utf8.UTFMax)) || (i+1 < len(inl) && startsWithWordChar(inl[i+1])) {
				marker = "*" // "_" cannot open or close inside a word
			}
			w.inEm = true
			w.emphasis(n.Children, marker)
			w.inEm = false
		case Link:
			w.link(n)
		}
	}
}

func (w *inlineWriter) write(s string) {
	w.b.WriteString(s)
	w.lineStart = false
}

func (w *inlineWriter) lineBreak(br string) {
	w.b.trimRight(" ")
	if w.oneLine {
		if !w.lineStart && w.b.Len() > 0 {
			w.b.WriteString(" ")
		}
		return
	}
	if w.b.Len() == 0 || w.b.hasSuffix("\n") {
		return // a break never starts a paragraph, and two in a row are one
	}
	w.b.WriteString(br)
	w.lineStart = true
}

// emphasis writes children between markers, with any space at either end moved outside
// the markers, and nothing at all when there is no text inside.
func (w *inlineWriter) emphasis(children []Inline, marker string) {
	text := PlainText(children)
	lead := strings.TrimLeft(text, " \t\n") != text
	trail := strings.TrimRight(text, " \t\n") != text
	inner := &inlineWriter{oneLine: w.oneLine, inLink: w.inLink, inStrong: w.inStrong, inEm: w.inEm}
	inner.inlines(TrimBreaks(children))
	body := strings.TrimSpace(inner.b.String())
	if lead && !w.lineStart && !w.b.hasSuffix(" ") {
		w.b.WriteString(" ")
	}
	if body != "" {
		w.write(marker + body + marker)
	}
	if trail && body != "" {
		w.b.WriteString(" ")
	}
}

func (w *inlineWriter) link(n Inline) {
	if w.inLink {
		w.inlines(n.Children)
		return
	}
	label := PlainText(n.Children)
	if n.Auto && autolinkable(n.URL) && (label == n.URL || "mailto:"+label == n.URL) {
		w.write("<" + label + ">")
		return
	}
	inner := &inlineWriter{oneLine: true, inLink: true, inStrong: w.inStrong, inEm: w.inEm}
	inner.inlines(TrimBreaks(n.Children))
	text := strings.TrimSpace(inner.b.String())
	if text == "" {
		inner = &inlineWriter{oneLine: true}
		inner.text(n.URL)
		text = inner.b.String()
	}
	w.write("[" + text + "](" + EscapeDestination(n.URL) + ")")
}

// autolinkable reports whether u can be written as <u>.
func autolinkable(u string) bool {
	if u == "" || strings.ContainsAny(u, " <>\\`\"") {
		return false
	}
	i := strings.IndexByte(u, ':')
	if i < 2 || i > 32 {
		return false
	}
	for j := 0; j < i; j++ {
		c := u[j]
		if !isAlnum(c) && c != '+' && c != '.' && c != '-' {
			return false
		}
	}
	for _, r := range u {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// text writes text escaped so that it reads as text again: characters that are syntax
// anywhere always, and those that are syntax only at the start of a line there.
func (w *inlineWriter) text(s string) {
	s = strings.NewReplacer("\n", " ", "\t", " ").Replace(s)
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ") // white space means one space, as on the web
	}
	if strings.HasPrefix(s, " ") && w.b.hasSuffix(" ") {
		s = s[1:]
	}
	atLineStart := w.lineStart
	if atLineStart {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			return
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '[', ']', '<', '|':
			b.WriteByte('\\')
		case '_':
			intraword := i > 0 && isAlnum(s[i-1]) && i+1 < len(s) && isAlnum(s[i+1])
			if !intraword {
				b.WriteByte('\\')
			}
		case '&':
			if _, n := entityAt(s[i:]); n > 0 {
				b.WriteByte('\\')
			}
		case '#':
			if w.oneLine {
				b.WriteByte('\\') // a heading's closing sequence
			}
		}
		b.WriteByte(c)
	}
	out := b.String()
	if atLineStart {
		out = escapeLineStart(out)
	}
	w.write(out)
}

// escapeLineStart escapes what would start a block at the beginning of a line: a
// heading ("# "), a quote (">"), a list item ("- ", "+ ", "1. ", "1) "), a thematic break
// or setext underline ("--", "==", "__"), a code fence ("~~~"). "88.2%" and "-fold" stay
// as they are.
func escapeLineStart(s string) string {
	next := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return ' '
	}
	switch c := s[0]; c {
	case '>':
		return "\\" + s
	case '#', '-', '+', '=', '~', '_':
		if n := next(1); n == ' ' || n == c {
			return "\\" + s
		}
		return s
	}
	i := 0
	for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') && next(i+1) == ' ' {
		return s[:i] + "\\" + s[i:]
	}
	return s
}

// MergeText joins neighbouring text inlines, so that what reads the text (escaping,
// finding dates) sees whole words. inl is not changed.
func MergeText(inl []Inline) []Inline {
	var out []Inline
	for _, n := range inl {
		if n.Kind == Text && len(out) > 0 && out[len(out)-1].Kind == Text {
			out[len(out)-1].Text += n.Text
			continue
		}
		out = append(out, n)
	}
	return out
}

// TrimBreaks drops line breaks and blank text at the start and end of inlines: they
// mean nothing there.
func TrimBreaks(inl []Inline) []Inline {
	isBreak := func(n Inline) bool {
		return n.Kind == LineBreak || n.Kind == SoftBreak ||
			(n.Kind == Text && strings.TrimSpace(n.Text) == "")
	}
	for len(inl) > 0 && isBreak(inl[0]) {
		inl = inl[1:]
	}
	for len(inl) > 0 && isBreak(inl[len(inl)-1]) {
		inl = inl[:len(inl)-1]
	}
	return inl
}

func endsWithWordChar(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func startsWithWordChar(n Inline) bool {
	if n.Kind != Text {
		return false
	}
	r, _ := utf8.DecodeRuneInString(n.Text)
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// textBuffer is a byte buffer whose end can be taken back in place: the writer often
// drops the blanks it just wrote, and must not copy everything written to do so.
type textBuffer struct{ buf []byte }

func (b *textBuffer) WriteString(s string) { b.buf = append(b.buf, s...) }
func (b *textBuffer) String() string       { return string(b.buf) }
func (b *textBuffer) Len() int             { return len(b.buf) }
func (b *textBuffer) hasSuffix(s string) bool {
	return bytes.HasSuffix(b.buf, []byte(s))
}

// trimRight drops the bytes in cutset from the end.
func (b *textBuffer) trimRight(cutset string) {
	b.buf = bytes.TrimRight(b.buf, cutset)
}

// tail returns the last n bytes at most.
func (b *textBuffer) tail(n int) string { return string(b.buf[max(0, len(b.buf)-n):]) }

// CodeSpan writes text as a Markdown code span. Line breaks become spaces, as they do
// in any code span; a space pads the content when it starts or ends with a backtick or
// with a space that the reader would otherwise strip.
func CodeSpan(text string) string {
	text = strings.ReplaceAll(text, "\n", " ")
	if strings.TrimSpace(text) == "" {
		return ""
	}
	fence := strings.Repeat("`", longestRun(text, '`')+1)
	if strings.HasPrefix(text, "`") || strings.HasSuffix(text, "`") ||
		(strings.HasPrefix(text, " ") && strings.HasSuffix(text, " ")) {
		return fence + " " + text + " " + fence
	}
	return fence + text + fence
}

// CodeFence writes text as a fenced code block with an optional language.
func CodeFence(text, lang string) string {
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	if strings.ContainsAny(lang, "`") {
		lang = ""
	}
	return fence + lang + "\n" + text + "\n" + fence
}

func longestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// EscapeDestination writes a URL so that Markdown reads it back as one link destination.
func EscapeDestination(u string) string {
	var b strings.Builder
	for _, r := range u {
		switch r {
		case ' ':
			b.WriteString("%20")
		case '<':
			b.WriteString("%3C")
		case '>':
			b.WriteString("%3E")
		case '(', ')', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\t':
			// never part of a URL a reader typed
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
