package tui

import (
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
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

// parsers pools goldmark parsers: a parser is cheap to reuse and each is used by one
// render at a time, which keeps rendering safe however many sessions render at once.
var parsers = sync.Pool{New: func() any { return goldmark.DefaultParser() }}

// markdown lays Markdown out in lines of at most width cells. It is sshcv's own rather
// than Glamour's: Glamour took ~17 ms and 3 MB to render one CV, a renderer cannot be
// shared between sessions, and it returns one styled string where the viewer needs
// lines it can search, link and click.
type markdown struct {
	src    []byte
	width  int
	glyphs *glyphs
	lines  []line
}

// renderMarkdown turns a Markdown body (no HTML: the loader converts it) into lines.
func renderMarkdown(body string, width int, g *glyphs) []line {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil
	}
	p := parsers.Get().(parser.Parser)
	src := []byte(body)
	doc := p.Parse(text.NewReader(src))
	parsers.Put(p)
	m := &markdown{src: src, width: width, glyphs: g}
	m.blocks(doc, prefix{}, true, 0)
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

// blocks renders the children of n, separated by blank lines when spaced is set.
func (m *markdown) blocks(n ast.Node, p prefix, spaced bool, depth int) {
	started := false
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		mark := len(m.lines)
		if started && (spaced || needsSpace(c)) {
			m.blank(p)
		}
		drawn := len(m.lines)
		m.block(c, p, depth)
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
func needsSpace(n ast.Node) bool {
	switch n.Kind() {
	case ast.KindParagraph, ast.KindHeading, ast.KindFencedCodeBlock, ast.KindCodeBlock, ast.KindBlockquote, ast.KindThematicBreak:
		return true
	}
	return false
}

func (m *markdown) block(n ast.Node, p prefix, depth int) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		m.lines = append(m.lines, wrap(m.inlines(n, 0, "", nil), m.width, p.first, p.rest)...)
	case *ast.Heading:
		pieces := m.inlines(n, attrHeading, "", nil)
		m.lines = append(m.lines, wrap(pieces, m.width, p.first, p.rest)...)
	case *ast.ThematicBreak:
		w := min(m.width-piecesWidth(p.first), 40)
		m.lines = append(m.lines, wrap([]piece{{strings.Repeat(m.glyphs.rule, max(w, 3)), attrRule, ""}}, m.width, p.first, p.rest)...)
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		m.code(n, p)
	case *ast.Blockquote:
		m.blocks(n, p.with(piece{m.glyphs.quote, attrMarker, ""}, piece{m.glyphs.quote, attrMarker, ""}), true, depth)
	case *ast.List:
		m.list(n, p, depth)
	case *ast.HTMLBlock:
		// Bodies hold no HTML: the loader turned it into Markdown. Anything left is markup.
	default:
		if n.Type() == ast.TypeBlock && n.HasChildren() {
			m.blocks(n, p, true, depth)
		}
	}
}

func (m *markdown) list(l *ast.List, p prefix, depth int) {
	loose := !l.IsTight
	n := l.Start
	if n == 0 {
		n = 1
	}
	last := n + l.ChildCount() - 1
	numWidth := len(strconv.Itoa(last))
	first := true
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		var marker string
		if l.IsOrdered() {
			num := strconv.Itoa(n)
			marker = strings.Repeat(" ", numWidth-len(num)) + num + string(l.Marker) + " "
			n++
		} else {
			marker = m.glyphs.bullets[depth%len(m.glyphs.bullets)] + " "
		}
		if !first {
			if loose {
				m.blank(p)
			}
			p = p.continued()
		}
		ip := p.with(piece{marker, attrMarker, ""}, piece{strings.Repeat(" ", textWidth(marker)), 0, ""})
		before := len(m.lines)
		m.blocks(item, ip, loose, depth+1)
		if len(m.lines) == before {
			m.lines = append(m.lines, wrap(nil, m.width, ip.first, ip.rest)...)
		}
		first = false
	}
}

// code draws a code block line for line, keeping its indentation, cut (not wrapped)
// where a line is wider than the room.
func (m *markdown) code(n ast.Node, p prefix) {
	const indent = "  "
	cp := p.with(piece{indent, 0, ""}, piece{indent, 0, ""})
	avail := m.width - piecesWidth(cp.rest)
	if avail < minTextWidth {
		cp, avail = prefix{}, m.width
	}
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		s := strings.TrimRight(string(seg.Value(m.src)), "\n")
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

// inlines collects the inline content of n as pieces with attributes a inside a link to url.
func (m *markdown) inlines(n ast.Node, a attr, url string, out []piece) []piece {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(m.src)
			if !c.IsRaw() {
				v = unescape(v)
			}
			out = append(out, piece{string(v), a, url})
			if c.HardLineBreak() {
				out = append(out, piece{"\n", a, url})
			} else if c.SoftLineBreak() {
				out = append(out, piece{" ", a, url})
			}
		case *ast.String:
			v := c.Value
			if !c.IsRaw() && !c.IsCode() {
				v = unescape(v)
			}
			out = append(out, piece{string(v), a, url})
		case *ast.CodeSpan:
			var b strings.Builder
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				switch t := t.(type) {
				case *ast.Text:
					b.Write(t.Segment.Value(m.src))
				case *ast.String:
					b.Write(t.Value)
				}
			}
			out = append(out, piece{strings.ReplaceAll(b.String(), "\n", " "), a | attrCode, url})
		case *ast.Emphasis:
			ea := attrEmph
			if c.Level >= 2 {
				ea = attrStrong
			}
			out = m.inlines(c, a|ea, url, out)
		case *ast.Link:
			out = m.link(c, string(c.Destination), a, out)
		case *ast.Image:
			out = m.link(c, string(c.Destination), a, out)
		case *ast.AutoLink:
			target := string(c.URL(m.src))
			out = append(out, piece{string(c.Label(m.src)), a | attrLink, safeURL(target)})
		case *ast.RawHTML:
			// Markup, not text: see HTMLBlock.
		default:
			out = m.inlines(c, a, url, out)
		}
	}
	return out
}

// link renders a link's text as a hyperlink, followed by its address when the text
// does not already say it, so the address is readable where OSC 8 is not supported.
func (m *markdown) link(n ast.Node, dest string, a attr, out []piece) []piece {
	u := safeURL(dest)
	start := len(out)
	out = m.inlines(n, a|attrLink, u, out)
	var label strings.Builder
	for _, p := range out[start:] {
		label.WriteString(p.text)
	}
	if strings.TrimSpace(label.String()) == "" {
		return append(out[:start], piece{shortURL(dest), a | attrLink, u})
	}
	if dest == "" || sameAddress(label.String(), dest) {
		return out
	}
	return append(out, piece{" (" + shortURL(dest) + ")", attrURL, u})
}

// unescape resolves backslash escapes and character references, as a Markdown
// renderer does when it writes text.
func unescape(v []byte) []byte {
	if !containsAny(v, '\\', '&') {
		return v
	}
	v = util.UnescapePunctuations(v)
	v = util.ResolveNumericReferences(v)
	return util.ResolveEntityNames(v)
}

func containsAny(v []byte, cs ...byte) bool {
	for _, b := range v {
		for _, c := range cs {
			if b == c {
				return true
			}
		}
	}
	return false
}

// safeURL returns u when a terminal may be asked to open it: web, mail and phone
// addresses only, and nothing that could end the OSC 8 sequence early.
func safeURL(u string) string {
	lower := strings.ToLower(u)
	switch {
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"),
		strings.HasPrefix(lower, "mailto:"), strings.HasPrefix(lower, "tel:"):
	default:
		return ""
	}
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] == 0x7f {
			return ""
		}
	}
	return u
}

// shortURL is an address as a person would say it: no scheme, no trailing slash.
func shortURL(u string) string {
	s := u
	for _, scheme := range []string{"https://", "http://", "mailto:", "tel:"} {
		if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			s = s[len(scheme):]
			break
		}
	}
	s = strings.TrimSuffix(s, "/")
	if s == "" {
		return u
	}
	return s
}

// sameAddress reports whether a link's text already spells its destination.
func sameAddress(label, dest string) bool {
	norm := func(s string) string {
		s = strings.ToLower(shortURL(strings.TrimSpace(s)))
		return strings.TrimPrefix(s, "www.")
	}
	return norm(label) == norm(dest)
}
