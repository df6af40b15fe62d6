package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/sshcv/sshcv/profiles/doc"
)

// glyphs are the marks drawn around text: Unicode for terminals, ASCII for plain text
// (screen readers, TERM=dumb, pipes).
type glyphs struct {
	bullets [3]string // by nesting depth, repeating
	quote   string
	rule    string // repeated to draw a horizontal rule
	title   string // repeated under a title in linear output
	name    string // repeated under the name in linear output
	sep     string // between items on one line
}

var (
	unicodeGlyphs = glyphs{bullets: [3]string{"•", "◦", "▪"}, quote: "│ ", rule: "─", title: "─", name: "═", sep: " · "}
	asciiGlyphs   = glyphs{bullets: [3]string{"-", "*", "+"}, quote: "| ", rule: "-", title: "-", name: "=", sep: " | "}
)

// markdown lays a CV's blocks out in lines of at most width cells. It is sshcv's own
// rather than Glamour's: Glamour took ~17 ms and 3 MB to render one CV, a renderer cannot
// be shared between sessions, and it returns one styled string where the viewer needs
// lines it can search, link and click. It walks the document the loader built; nothing
// is parsed here.
type markdown struct {
	width  int
	glyphs *glyphs
	lines  []line
}

// renderBlocks turns blocks into lines.
func renderBlocks(blocks []doc.Block, width int, g *glyphs) []line {
	if len(blocks) == 0 {
		return nil
	}
	m := &markdown{width: width, glyphs: g}
	m.blocks(blocks, prefix{}, true, false, 0)
	return m.lines
}

// prefix is what a block's lines start with: first for its first line (a list marker),
// rest for the others (the hanging indent, a quote bar).
type prefix struct {
	first, rest []piece
}

// continued is the prefix for the blocks after the first: every line gets rest.
func (p prefix) continued() prefix { return prefix{first: p.rest, rest: p.rest} }

func (p prefix) with(first, rest piece) prefix {
	return prefix{
		first: append(append([]piece(nil), p.first...), first),
		rest:  append(append([]piece(nil), p.rest...), rest),
	}
}

// blank emits an empty line inside the prefix: a quote bar continues, indentation does not.
func (m *markdown) blank(p prefix) {
	var lb lineBuilder
	for _, pc := range p.rest {
		lb.addPiece(pc)
	}
	m.lines = append(m.lines, lb.finish())
}

// blocks renders blocks, separated by blank lines when spaced is set. tight says the
// blocks are a tight list item's, whose paragraphs follow each other without a gap.
func (m *markdown) blocks(blocks []doc.Block, p prefix, spaced, tight bool, depth int) {
	started := false
	ordered := 0 // ordered lists in a row so far: each other one numbers with ")"
	for i, b := range blocks {
		mark := len(m.lines)
		if started && (spaced || needsSpace(b, tight)) {
			m.blank(p)
		}
		if b.Kind == doc.List && b.Ordered && i > 0 && blocks[i-1].Kind == doc.List && blocks[i-1].Ordered {
			ordered++
		} else if b.Kind == doc.List {
			ordered = 0
		}
		drawn := len(m.lines)
		m.block(b, p, depth, ordered%2 == 1)
		if len(m.lines) == drawn {
			m.lines = m.lines[:mark] // the block drew nothing: no blank line for it either
			continue
		}
		if !started {
			p = p.continued()
			started = true
		}
	}
}

// needsSpace reports whether a block gets a blank line before it even in a tight list.
func needsSpace(b doc.Block, tight bool) bool {
	switch b.Kind {
	case doc.Paragraph, doc.Table:
		return !tight
	case doc.Heading, doc.CodeBlock, doc.Quote, doc.Rule:
		return true
	case doc.List:
		return false
	}
	return false
}

func (m *markdown) block(b doc.Block, p prefix, depth int, alternate bool) {
	switch b.Kind {
	case doc.Paragraph:
		m.lines = append(m.lines, wrap(m.inlines(b.Inlines, 0, "", nil), m.width, p.first, p.rest)...)
	case doc.Heading:
		pieces := m.inlines(b.Inlines, attrHeading, "", nil)
		if hasText(pieces) {
			m.lines = append(m.lines, wrap(pieces, m.width, p.first, p.rest)...)
		}
	case doc.Rule:
		w := min(m.width-piecesWidth(p.first), 40)
		m.lines = append(m.lines, wrap([]piece{{strings.Repeat(m.glyphs.rule, max(w, 3)), attrRule, ""}}, m.width, p.first, p.rest)...)
	case doc.CodeBlock:
		m.code(b.Text, p)
	case doc.Quote:
		m.blocks(b.Children, p.with(piece{m.glyphs.quote, attrMarker, ""}, piece{m.glyphs.quote, attrMarker, ""}), true, false, depth)
	case doc.List:
		m.list(b, p, depth, alternate)
	case doc.Table:
		m.table(b, p)
	}
}

func hasText(ps []piece) bool {
	for _, p := range ps {
		if strings.TrimSpace(p.text) != "" {
			return true
		}
	}
	return false
}

func (m *markdown) list(l doc.Block, p prefix, depth int, alternate bool) {
	loose := !l.Tight
	n := l.Start
	if n == 0 {
		n = 1
	}
	last := n + len(l.Items) - 1
	numWidth := len(strconv.Itoa(last))
	sep := "."
	if alternate {
		sep = ")"
	}
	for i, item := range l.Items {
		var marker string
		if l.Ordered {
			num := strconv.Itoa(n)
			marker = strings.Repeat(" ", numWidth-len(num)) + num + sep + " "
			n++
		} else {
			marker = m.glyphs.bullets[depth%len(m.glyphs.bullets)] + " "
		}
		if i > 0 {
			if loose {
				m.blank(p)
			}
			p = p.continued()
		}
		ip := p.with(piece{marker, attrMarker, ""}, piece{strings.Repeat(" ", textWidth(marker)), 0, ""})
		before := len(m.lines)
		m.blocks(item, ip, loose, !loose, depth+1)
		if len(m.lines) == before {
			m.lines = append(m.lines, wrap(nil, m.width, ip.first, ip.rest)...)
		}
	}
}

// table draws each row as one wrapped line of its cells, the header row strong.
func (m *markdown) table(t doc.Block, p prefix) {
	for r, row := range t.Rows {
		var pieces []piece
		a := attr(0)
		if r == 0 {
			a = attrStrong
		}
		for c, cell := range row {
			if c > 0 {
				pieces = append(pieces, piece{m.glyphs.sep, attrMuted, ""})
			}
			pieces = m.inlines(cell, a, "", pieces)
		}
		m.lines = append(m.lines, wrap(pieces, m.width, p.first, p.rest)...)
		p = p.continued()
	}
}

// code draws a code block line for line, keeping its indentation, cut (not wrapped)
// where a line is wider than the room.
func (m *markdown) code(text string, p prefix) {
	const indent = "  "
	cp := p.with(piece{indent, 0, ""}, piece{indent, 0, ""})
	avail := m.width - piecesWidth(cp.rest)
	if avail < minTextWidth {
		cp, avail = prefix{}, m.width
	}
	for s := range strings.Lines(strings.TrimSuffix(text, "\n") + "\n") {
		s = strings.TrimRight(s, "\n")
		s = strings.ReplaceAll(s, "\t", "    ")
		for {
			head := s
			if textWidth(s) > avail {
				if head = ansi.Truncate(s, avail, ""); head == "" {
					head = firstGrapheme(s)
				}
			}
			var lb lineBuilder
			for _, pc := range cp.first {
				lb.addPiece(pc)
			}
			lb.add(head, attrCode, "", textWidth(head))
			m.lines = append(m.lines, lb.finish())
			cp = cp.continued()
			if s = s[len(head):]; s == "" {
				break
			}
		}
	}
}

// inlines collects inlines as pieces with attributes a inside a link to url.
func (m *markdown) inlines(inl []doc.Inline, a attr, url string, out []piece) []piece {
	inl = doc.TrimBreaks(inl)
	for _, n := range inl {
		switch n.Kind {
		case doc.Text:
			out = append(out, piece{n.Text, a, url})
		case doc.Code:
			if strings.TrimSpace(n.Text) != "" {
				out = append(out, piece{strings.ReplaceAll(n.Text, "\n", " "), a | attrCode, url})
			}
		case doc.LineBreak:
			out = append(out, piece{"\n", a, url})
		case doc.SoftBreak:
			out = append(out, piece{" ", a, url})
		case doc.Strong, doc.Emphasis:
			ea := attrEmph
			if n.Kind == doc.Strong {
				ea = attrStrong
			}
			out = m.emphasis(n.Children, a, a|ea, url, out)
		case doc.Link:
			if url != "" || a&attrLink != 0 {
				out = m.inlines(n.Children, a, url, out) // links do not nest
				continue
			}
			out = m.link(n, a, out)
		}
	}
	return out
}

// emphasis renders emphasised inlines; white space at either end stays outside the
// emphasis, as a reader of the Markdown would see it.
func (m *markdown) emphasis(children []doc.Inline, outer, inner attr, url string, out []piece) []piece {
	text := doc.PlainText(children)
	body := strings.TrimSpace(text)
	if body == "" {
		return out
	}
	if body != strings.TrimLeft(text, " \t\n") || text != strings.TrimLeft(text, " \t\n") {
		out = append(out, piece{" ", outer, url})
	}
	start := len(out)
	out = m.inlines(children, inner, url, out)
	trimPieces(out[start:])
	if text != strings.TrimRight(text, " \t\n") {
		out = append(out, piece{" ", outer, url})
	}
	return out
}

// trimPieces drops the white space at the start and end of ps, in place.
func trimPieces(ps []piece) {
	for i := range ps {
		if ps[i].text = strings.TrimLeft(ps[i].text, " \t\n"); ps[i].text != "" {
			break
		}
	}
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].text = strings.TrimRight(ps[i].text, " \t\n"); ps[i].text != "" {
			break
		}
	}
}

// link renders a link's text as a hyperlink, followed by its address when the text
// does not already say it, so the address is readable where OSC 8 is not supported.
func (m *markdown) link(n doc.Inline, a attr, out []piece) []piece {
	dest := n.URL
	u := safeURL(dest)
	label := doc.PlainText(n.Children)
	if n.Auto && (label == dest || "mailto:"+label == dest) {
		return append(out, piece{label, a | attrLink, u})
	}
	start := len(out)
	out = m.inlines(n.Children, a|attrLink, u, out)
	var text strings.Builder
	for _, p := range out[start:] {
		text.WriteString(p.text)
	}
	if strings.TrimSpace(text.String()) == "" {
		return append(out[:start], piece{doc.DisplayURL(dest), a | attrLink, u})
	}
	if dest == "" || doc.SameAddress(text.String(), dest) {
		return out
	}
	return append(out, piece{" (" + doc.DisplayURL(dest) + ")", attrURL, u})
}

// safeURL returns u when a terminal may be asked to open it (see doc.SafeURL), else "".
func safeURL(u string) string {
	if doc.SafeURL(u) {
		return u
	}
	return ""
}
