package profiles

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	gtext "github.com/yuin/goldmark/text"
	xhtml "golang.org/x/net/html"
)

// The Markdown of a profile is read with goldmark and turned into a small tree of blocks
// and inlines (this file), from which normalised Markdown is written again
// (markdown_write.go). The tree has no place for HTML: inline tags are folded into it as
// they are met, and HTML blocks are turned into Markdown and parsed again.

type inlineKind int

const (
	inlineText inlineKind = iota
	inlineCode
	inlineStrong
	inlineEmphasis
	inlineLink
	inlineHardBreak
	inlineSoftBreak
	inlineParagraphBreak // a block tag met inside a paragraph: the paragraph splits there
)

type inline struct {
	kind     inlineKind
	text     string   // text, code
	url      string   // link
	auto     bool     // link written as an autolink: <https://…>
	children []inline // strong, emphasis, link
}

type blockKind int

const (
	blockParagraph blockKind = iota
	blockHeading
	blockList
	blockQuote
	blockCode
	blockRule
	blockTable
)

type block struct {
	kind     blockKind
	level    int      // heading
	inlines  []inline // paragraph, heading
	ordered  bool     // list
	start    int      // list: the first number of an ordered list
	tight    bool     // list
	items    [][]block
	children []block      // quote
	text     string       // code
	lang     string       // code
	rows     [][][]inline // table: the header row first
	align    []east.Alignment
}

const (
	// maxHTMLDepth bounds how often HTML turned into Markdown is parsed again: the
	// Markdown made from an HTML block holds no tags, but text such as "&lt;div&gt;" may
	// still read as HTML once decoded, and the loop must end.
	maxHTMLDepth = 3
	// maxNesting bounds the depth of lists and quotes that are kept as structure; deeper
	// content is kept as plain paragraphs, so that hostile input cannot recurse for ever.
	maxNesting = 32
)

// markdownParser is shared by every load: a goldmark parser is set up once (the costly
// part of a small parse) and keeps the state of each parse in that parse's own context.
var markdownParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.DefinitionList)).Parser()

// parseBlocks parses Markdown source into blocks.
func parseBlocks(src []byte, htmlDepth int) []block {
	doc := markdownParser.Parse(gtext.NewReader(src))
	c := &converter{src: src, htmlDepth: htmlDepth}
	return c.blocks(doc, 0)
}

type converter struct {
	src       []byte
	htmlDepth int
	skipName  string // inline HTML whose content is dropped (<script>, icon text)
	skipDepth int
}

func (c *converter) blocks(parent ast.Node, nesting int) []block {
	var out []block
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		if nesting > maxNesting {
			if t := flattenText(n, c.src); t != "" {
				out = append(out, block{kind: blockParagraph, inlines: []inline{{kind: inlineText, text: t}}})
			}
			continue
		}
		switch n := n.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			out = append(out, splitParagraphs(c.leafInlines(n))...)
		case *ast.Heading:
			inl := c.leafInlines(n)
			out = append(out, block{kind: blockHeading, level: n.Level, inlines: inl})
		case *ast.ThematicBreak:
			out = append(out, block{kind: blockRule})
		case *ast.CodeBlock:
			out = append(out, block{kind: blockCode, text: c.linesText(n)})
		case *ast.FencedCodeBlock:
			lang := ""
			if n.Info != nil {
				if f := strings.Fields(string(n.Language(c.src))); len(f) > 0 {
					lang = f[0]
				}
			}
			out = append(out, block{kind: blockCode, text: c.linesText(n), lang: lang})
		case *ast.Blockquote:
			out = append(out, block{kind: blockQuote, children: c.blocks(n, nesting+1)})
		case *ast.List:
			l := block{kind: blockList, ordered: n.IsOrdered(), start: n.Start, tight: n.IsTight}
			for item := n.FirstChild(); item != nil; item = item.NextSibling() {
				l.items = append(l.items, c.blocks(item, nesting+1))
			}
			out = append(out, l)
		case *ast.HTMLBlock:
			raw := c.linesText(n)
			if n.HasClosure() {
				raw += string(n.ClosureLine.Value(c.src))
			}
			out = append(out, c.htmlBlock(raw)...)
		case *east.DefinitionList:
			out = append(out, c.definitionList(n, nesting)...)
		case *east.Table:
			out = append(out, c.table(n))
		default:
			if n.Type() == ast.TypeInline {
				out = append(out, splitParagraphs(c.leafInlines(parent))...)
				return out
			}
			out = append(out, c.blocks(n, nesting+1)...)
		}
	}
	return out
}

// htmlBlock turns a block of HTML into blocks: as Markdown parsed again while the depth
// allows, as its plain text after that.
func (c *converter) htmlBlock(raw string) []block {
	if c.htmlDepth < maxHTMLDepth {
		// The Markdown made from the HTML is parsed only while it stays within the
		// bound on inline marks that the file itself passed (guard.go).
		if md := []byte(htmlToMarkdown(raw)); noMarkOverflow(md) {
			return parseBlocks(md, c.htmlDepth+1)
		}
	}
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(raw))
	for tt := z.Next(); tt != xhtml.ErrorToken; tt = z.Next() {
		if tt == xhtml.TextToken {
			b.Write(z.Text())
		} else {
			b.WriteByte(' ')
		}
	}
	t := strings.Join(strings.Fields(b.String()), " ")
	if t == "" {
		return nil
	}
	return []block{{kind: blockParagraph, inlines: []inline{{kind: inlineText, text: t}}}}
}

func (c *converter) definitionList(n *east.DefinitionList, nesting int) []block {
	var out []block
	term := -1
	for d := n.FirstChild(); d != nil; d = d.NextSibling() {
		switch d := d.(type) {
		case *east.DefinitionTerm:
			out = append(out, block{kind: blockParagraph, inlines: []inline{{kind: inlineStrong, children: c.leafInlines(d)}}})
			term = len(out) - 1
		case *east.DefinitionDescription:
			desc := c.blocks(d, nesting+1)
			if term >= 0 && term == len(out)-1 && len(desc) > 0 && desc[0].kind == blockParagraph {
				t := &out[term]
				t.inlines = append(append(t.inlines, inline{kind: inlineHardBreak}), desc[0].inlines...)
				desc = desc[1:]
			}
			out = append(out, desc...)
		}
	}
	return out
}

func (c *converter) table(n *east.Table) block {
	t := block{kind: blockTable, align: n.Alignments}
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		var cells [][]inline
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, c.leafInlines(cell))
		}
		t.rows = append(t.rows, cells)
	}
	return t
}

func (c *converter) linesText(n ast.Node) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(c.src))
	}
	return b.String()
}

// leafInlines converts the inlines of one paragraph, heading or cell. Inline HTML cannot
// reach past the block it is in.
func (c *converter) leafInlines(n ast.Node) []inline {
	c.skipName, c.skipDepth = "", 0
	out := c.inlines(n, 0)
	c.skipName, c.skipDepth = "", 0
	return out
}

// flattenText is the text under a node, with its structure and any HTML dropped, for
// content nested too deep to keep. It walks the tree without recursion: the depth it
// serves is the one that recursion should not be trusted with.
func flattenText(root ast.Node, src []byte) string {
	var b strings.Builder
	for n := root; n != nil; {
		switch t := n.(type) {
		case *ast.Text:
			b.Write(t.Value(src))
			b.WriteByte(' ')
		case *ast.String:
			b.Write(t.Value)
		case *ast.HTMLBlock:
			z := xhtml.NewTokenizer(strings.NewReader(string(t.Lines().Value(src))))
			for tt := z.Next(); tt != xhtml.ErrorToken; tt = z.Next() {
				if tt == xhtml.TextToken {
					b.Write(z.Text())
				}
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			b.Write(t.Lines().Value(src))
		}
		if first := n.FirstChild(); first != nil && n.Kind() != ast.KindHTMLBlock {
			n = first
			continue
		}
		for n != root && n.NextSibling() == nil {
			n = n.Parent()
			b.WriteByte(' ')
		}
		if n == root {
			break
		}
		n = n.NextSibling()
	}
	return oneLine(b.String())
}

// frame is an inline HTML element whose end tag has not come yet.
type frame struct {
	kind  inlineKind
	start int    // index in the output where its content starts
	url   string // link
}

func (c *converter) inlines(parent ast.Node, nesting int) []inline {
	var out []inline
	var frames []frame
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		if raw, ok := n.(*ast.RawHTML); ok {
			var b strings.Builder
			for i := 0; i < raw.Segments.Len(); i++ {
				seg := raw.Segments.At(i)
				b.Write(seg.Value(c.src))
			}
			out, frames = c.rawHTML(b.String(), out, frames)
			continue
		}
		if c.skipDepth > 0 {
			continue
		}
		if nesting > maxNesting {
			out = append(out, inline{kind: inlineText, text: flattenText(n, c.src)})
			continue
		}
		switch n := n.(type) {
		case *ast.Text:
			v := n.Value(c.src)
			t := string(v)
			if !n.IsRaw() {
				t = decodeMarkdownText(v)
			}
			out = append(out, inline{kind: inlineText, text: t})
			switch {
			case n.HardLineBreak():
				out = append(out, inline{kind: inlineHardBreak})
			case n.SoftLineBreak():
				out = append(out, inline{kind: inlineSoftBreak})
			}
		case *ast.String:
			t := string(n.Value)
			if !n.IsRaw() && !n.IsCode() {
				t = decodeMarkdownText(n.Value)
			}
			out = append(out, inline{kind: inlineText, text: t})
		case *ast.CodeSpan:
			var b strings.Builder
			for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
				switch ch := ch.(type) {
				case *ast.Text:
					b.Write(ch.Value(c.src))
				case *ast.String:
					b.Write(ch.Value)
				}
			}
			out = append(out, inline{kind: inlineCode, text: b.String()})
		case *ast.Emphasis:
			kind := inlineEmphasis
			if n.Level >= 2 {
				kind = inlineStrong
			}
			out = append(out, inline{kind: kind, children: c.inlines(n, nesting+1)})
		case *ast.Link:
			out = append(out, link(decodeMarkdownText(n.Destination), c.inlines(n, nesting+1))...)
		case *ast.Image:
			if alt := plainText(c.inlines(n, nesting+1)); strings.TrimSpace(alt) != "" {
				out = append(out, inline{kind: inlineText, text: alt})
			}
		case *ast.AutoLink:
			label := string(n.Label(c.src))
			url := string(n.URL(c.src))
			if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
				url = "mailto:" + url
			}
			out = append(out, inline{kind: inlineLink, url: url, auto: true, children: []inline{{kind: inlineText, text: label}}})
		default:
			out = append(out, c.inlines(n, nesting+1)...)
		}
	}
	for i := len(frames) - 1; i >= 0; i-- {
		out = closeFrame(out, frames[i])
	}
	return out
}

// link builds a link, or keeps just its text when the target goes nowhere.
func link(url string, children []inline) []inline {
	if !usableURL(url) {
		return children
	}
	return []inline{{kind: inlineLink, url: url, children: children}}
}

// rawHTML folds one inline HTML tag (or comment) into the inline list being built.
func (c *converter) rawHTML(raw string, out []inline, frames []frame) ([]inline, []frame) {
	for _, tok := range tokenize(raw) {
		t := &tok.Token
		if c.skipDepth > 0 {
			switch {
			case t.Type == xhtml.StartTagToken && t.Data == c.skipName:
				c.skipDepth++
			case t.Type == xhtml.EndTagToken && t.Data == c.skipName:
				c.skipDepth--
			}
			continue
		}
		switch t.Type {
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			selfClosing := t.Type == xhtml.SelfClosingTagToken
			if sym, ok := iconText(t); ok {
				if sym != "" {
					out = append(out, inline{kind: inlineText, text: sym})
				}
				if !selfClosing {
					c.skipName, c.skipDepth = t.Data, 1
				}
				continue
			}
			switch roleOf(t.DataAtom) {
			case roleBreak, roleDescription, roleRow:
				out = append(out, inline{kind: inlineHardBreak})
			case roleCell:
				out = append(out, inline{kind: inlineText, text: " "})
			case roleBlock, roleHeading, roleList, roleListItem, roleQuote, rolePre, roleRule:
				out = append(out, inline{kind: inlineParagraphBreak})
			case roleTerm:
				out = append(out, inline{kind: inlineParagraphBreak})
				if !selfClosing {
					frames = append(frames, frame{kind: inlineStrong, start: len(out)})
				}
			case roleStrong:
				if !selfClosing {
					frames = append(frames, frame{kind: inlineStrong, start: len(out)})
				}
			case roleEmphasis:
				if !selfClosing {
					frames = append(frames, frame{kind: inlineEmphasis, start: len(out)})
				}
			case roleCode:
				if !selfClosing {
					frames = append(frames, frame{kind: inlineCode, start: len(out)})
				}
			case roleLink:
				if !selfClosing {
					frames = append(frames, frame{kind: inlineLink, start: len(out), url: attrOf(t, "href")})
				}
			case roleImage:
				if alt := strings.TrimSpace(attrOf(t, "alt")); alt != "" {
					out = append(out, inline{kind: inlineText, text: alt})
				}
			case roleSkip:
				if !selfClosing {
					c.skipName, c.skipDepth = t.Data, 1
				}
			}
		case xhtml.EndTagToken:
			kind := inlineKind(-1)
			switch roleOf(t.DataAtom) {
			case roleStrong, roleTerm:
				kind = inlineStrong
			case roleEmphasis:
				kind = inlineEmphasis
			case roleCode:
				kind = inlineCode
			case roleLink:
				kind = inlineLink
			case roleBlock, roleHeading, roleList, roleListItem, roleQuote, rolePre:
				out = append(out, inline{kind: inlineParagraphBreak})
			}
			for i := len(frames) - 1; i >= 0 && kind >= 0; i-- {
				if frames[i].kind == kind {
					out = closeFrame(out, frames[i])
					frames = frames[:i]
					break
				}
			}
		}
		// comments, doctypes and text inside a tag's own markup say nothing to a reader
	}
	return out, frames
}

// closeFrame wraps what was written since the frame opened into the element it stands for.
func closeFrame(out []inline, f frame) []inline {
	if f.start > len(out) {
		return out
	}
	children := append([]inline(nil), out[f.start:]...)
	out = out[:f.start]
	switch f.kind {
	case inlineCode:
		return append(out, inline{kind: inlineCode, text: plainText(children)})
	case inlineLink:
		return append(out, link(f.url, children)...)
	}
	return append(out, inline{kind: f.kind, children: children})
}

// splitParagraphs cuts a paragraph's inlines at its paragraph breaks.
func splitParagraphs(inl []inline) []block {
	var out []block
	start := 0
	for i := 0; i <= len(inl); i++ {
		if i == len(inl) || inl[i].kind == inlineParagraphBreak {
			if part := inl[start:i]; hasContent(part) {
				out = append(out, block{kind: blockParagraph, inlines: part})
			}
			start = i + 1
		}
	}
	return out
}

func hasContent(inl []inline) bool {
	for _, n := range inl {
		switch n.kind {
		case inlineText, inlineCode:
			if strings.TrimSpace(n.text) != "" {
				return true
			}
		case inlineHardBreak, inlineSoftBreak, inlineParagraphBreak:
		default:
			if n.kind == inlineLink || hasContent(n.children) {
				return true
			}
		}
	}
	return false
}

// plainText is the text of inlines as a reader sees it, without any markup.
func plainText(inl []inline) string {
	var b strings.Builder
	for _, n := range inl {
		switch n.kind {
		case inlineText, inlineCode:
			b.WriteString(n.text)
		case inlineHardBreak, inlineSoftBreak, inlineParagraphBreak:
			b.WriteByte(' ')
		default:
			b.WriteString(plainText(n.children))
		}
	}
	return b.String()
}

// decodeMarkdownText resolves what Markdown text means rather than says: backslash
// escapes ("\*" is "*") and entity and character references ("&amp;" is "&"), in one pass
// as CommonMark defines them. A reference to NUL or to no character becomes U+FFFD.
func decodeMarkdownText(v []byte) string {
	if !strings.ContainsAny(string(v), "\\&") {
		return string(v)
	}
	return Sanitize(resolveReferences(v)) // "&#27;" must not become an escape sequence
}

func resolveReferences(v []byte) string {
	s := string(v)
	var b strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && isASCIIPunct(s[i+1]) {
				b.WriteByte(s[i+1])
				i += 2
				continue
			}
		case '&':
			if ref, n := entityAt(s[i:]); n > 0 {
				b.WriteString(ref)
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// entityAt decodes the entity or character reference at the start of s ("&amp;",
// "&#169;", "&#x1F600;") and returns it with its length, or 0 when s starts with none.
func entityAt(s string) (string, int) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 40 {
		return "", 0
	}
	ref := s[:end+1]
	body := ref[1:end]
	if body[0] == '#' {
		digits := body[1:]
		base := 10
		if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
			digits, base = digits[1:], 16
		}
		if len(digits) == 0 || (base == 10 && len(digits) > 7) || (base == 16 && len(digits) > 6) {
			return "", 0
		}
		var r rune
		for i := 0; i < len(digits); i++ {
			d := hexValue(digits[i])
			if d < 0 || d >= base {
				return "", 0
			}
			r = r*rune(base) + rune(d)
		}
		if r == 0 || !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		return string(r), len(ref)
	}
	for i := 0; i < len(body); i++ {
		if !isAlnum(body[i]) {
			return "", 0
		}
	}
	if dec := html.UnescapeString(ref); dec != ref {
		return dec, len(ref)
	}
	return "", 0
}

func hexValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
