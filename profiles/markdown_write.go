package profiles

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	east "github.com/yuin/goldmark/extension/ast"
)

// The writer turns blocks back into Markdown that any CommonMark reader (the viewer's
// renderer parses it with goldmark again) reads as the same structure: text is escaped
// where it could read as syntax, emphasis never starts or ends next to a space, links
// never nest, and headings inside a body are level 3 or deeper, since levels 1 and 2 are
// the profile's name and its sections.

// writeBlocks writes blocks separated by blank lines.
func writeBlocks(blocks []block) string {
	var parts []string
	for i, bl := range blocks {
		alternate := false
		if bl.kind == blockList && i > 0 && blocks[i-1].kind == blockList && blocks[i-1].ordered == bl.ordered {
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

func writeBlock(bl block, alternate bool) string {
	switch bl.kind {
	case blockParagraph:
		return writeInlines(bl.inlines, false)
	case blockHeading:
		t := writeInlines(bl.inlines, true)
		if t == "" {
			return ""
		}
		return strings.Repeat("#", min(max(bl.level, 3), 6)) + " " + t
	case blockRule:
		return "* * *"
	case blockCode:
		return codeFence(strings.TrimSuffix(bl.text, "\n"), bl.lang)
	case blockQuote:
		inner := writeBlocks(bl.children)
		if inner == "" {
			return ""
		}
		return prefixLines(inner, "> ", "> ")
	case blockList:
		return writeList(bl, alternate)
	case blockTable:
		return writeTable(bl)
	}
	return ""
}

func writeList(bl block, alternate bool) string {
	var items []string
	for i, item := range bl.items {
		marker := "-"
		if alternate {
			marker = "*"
		}
		if bl.ordered {
			sep := "."
			if alternate {
				sep = ")"
			}
			marker = strconv.Itoa(bl.start+i) + sep
		}
		content := writeItem(item, bl.tight)
		if content == "" {
			items = append(items, marker)
			continue
		}
		items = append(items, prefixLines(content, marker+" ", strings.Repeat(" ", len(marker)+1)))
	}
	sep := "\n"
	if !bl.tight {
		sep = "\n\n"
	}
	return strings.Join(items, sep)
}

// writeItem writes the blocks of one list item. In a tight list a paragraph is followed
// directly by what may interrupt it (a nested list, a heading, a quote); two paragraphs
// still need a blank line between them or they would merge.
func writeItem(blocks []block, tight bool) string {
	var b strings.Builder
	prev := -1
	for i, bl := range blocks {
		alternate := false
		if bl.kind == blockList && prev >= 0 && blocks[prev].kind == blockList && blocks[prev].ordered == bl.ordered {
			alternate = true
		}
		s := writeBlock(bl, alternate)
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			interrupts := bl.kind != blockParagraph && bl.kind != blockTable &&
				!(bl.kind == blockList && bl.ordered && bl.start != 1) // only "1." may interrupt a paragraph
			if tight && interrupts && blocks[prev].kind == blockParagraph {
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

func writeTable(bl block) string {
	if len(bl.rows) == 0 {
		return ""
	}
	cols := len(bl.align)
	for _, row := range bl.rows {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return ""
	}
	var lines []string
	writeRow := func(row [][]inline) {
		cells := make([]string, cols)
		for i := range cells {
			if i < len(row) {
				cells[i] = writeInlines(row[i], true)
			}
		}
		lines = append(lines, "| "+strings.Join(cells, " | ")+" |")
	}
	writeRow(bl.rows[0])
	delims := make([]string, cols)
	for i := range delims {
		delims[i] = "---"
		if i < len(bl.align) {
			switch bl.align[i] {
			case east.AlignLeft:
				delims[i] = ":---"
			case east.AlignRight:
				delims[i] = "---:"
			case east.AlignCenter:
				delims[i] = ":---:"
			}
		}
	}
	lines = append(lines, "| "+strings.Join(delims, " | ")+" |")
	for _, row := range bl.rows[1:] {
		writeRow(row)
	}
	return strings.Join(lines, "\n")
}

// writeInlines writes a paragraph's inlines; oneLine (headings, table cells) turns
// breaks into spaces.
func writeInlines(inl []inline, oneLine bool) string {
	w := &inlineWriter{oneLine: oneLine, lineStart: true}
	w.inlines(trimBreaks(inl))
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

func (w *inlineWriter) inlines(inl []inline) {
	inl = mergeText(inl)
	for i, n := range inl {
		switch n.kind {
		case inlineText:
			w.text(n.text)
		case inlineCode:
			if c := codeSpan(n.text); c != "" {
				if w.oneLine {
					c = strings.ReplaceAll(c, "|", "\\|")
				}
				w.write(c)
			}
		case inlineHardBreak, inlineParagraphBreak:
			w.lineBreak("  \n")
		case inlineSoftBreak:
			w.lineBreak("\n")
		case inlineStrong:
			if w.inStrong {
				w.inlines(n.children)
				continue
			}
			w.inStrong = true
			w.emphasis(n.children, "**")
			w.inStrong = false
		case inlineEmphasis:
			if w.inEm {
				w.inlines(n.children)
				continue
			}
			marker := "_"
			if endsWithWordChar(w.b.tail(utf8.UTFMax)) || (i+1 < len(inl) && startsWithWordChar(inl[i+1])) {
				marker = "*" // "_" cannot open or close inside a word
			}
			w.inEm = true
			w.emphasis(n.children, marker)
			w.inEm = false
		case inlineLink:
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
func (w *inlineWriter) emphasis(children []inline, marker string) {
	text := plainText(children)
	lead := strings.TrimLeft(text, " \t\n") != text
	trail := strings.TrimRight(text, " \t\n") != text
	inner := &inlineWriter{oneLine: w.oneLine, inLink: w.inLink, inStrong: w.inStrong, inEm: w.inEm}
	inner.inlines(trimBreaks(children))
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

func (w *inlineWriter) link(n inline) {
	if w.inLink {
		w.inlines(n.children)
		return
	}
	label := plainText(n.children)
	if n.auto && autolinkable(n.url) && (label == n.url || "mailto:"+label == n.url) {
		w.write("<" + label + ">")
		return
	}
	inner := &inlineWriter{oneLine: true, inLink: true, inStrong: w.inStrong, inEm: w.inEm}
	inner.inlines(trimBreaks(n.children))
	text := strings.TrimSpace(inner.b.String())
	if text == "" {
		inner = &inlineWriter{oneLine: true}
		inner.text(n.url)
		text = inner.b.String()
	}
	w.write("[" + text + "](" + escapeDestination(n.url) + ")")
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
		if !(isAlnum(c) || c == '+' || c == '.' || c == '-') {
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
			if !(i > 0 && isAlnum(s[i-1]) && i+1 < len(s) && isAlnum(s[i+1])) {
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

// mergeText joins neighbouring text nodes, so that escaping sees whole words.
func mergeText(inl []inline) []inline {
	var out []inline
	for _, n := range inl {
		if n.kind == inlineText && len(out) > 0 && out[len(out)-1].kind == inlineText {
			out[len(out)-1].text += n.text
			continue
		}
		out = append(out, n)
	}
	return out
}

// trimBreaks drops breaks at the start and end of inlines: they mean nothing there.
func trimBreaks(inl []inline) []inline {
	isBreak := func(n inline) bool {
		return n.kind == inlineHardBreak || n.kind == inlineSoftBreak || n.kind == inlineParagraphBreak ||
			(n.kind == inlineText && strings.TrimSpace(n.text) == "")
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

func startsWithWordChar(n inline) bool {
	if n.kind != inlineText {
		return false
	}
	r, _ := utf8.DecodeRuneInString(n.text)
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
