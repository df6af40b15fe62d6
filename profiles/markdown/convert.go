package markdown

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	gtext "github.com/yuin/goldmark/text"
	xhtml "golang.org/x/net/html"

	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/sanitize"
)

// The Markdown of a profile is read with goldmark and turned into a small tree of blocks
// and inlines (this file), from which normalised Markdown is written again
// (doc.Markdown). The tree has no place for HTML: inline tags are folded into it as
// they are met, and HTML blocks are turned into Markdown and parsed again.

// The tree is package doc's; these names keep the loader's code short.
type (
	inline     = doc.Inline
	inlineKind = doc.InlineKind
	block      = doc.Block
)

const (
	inlineText      = doc.Text
	inlineCode      = doc.Code
	inlineStrong    = doc.Strong
	inlineEmphasis  = doc.Emphasis
	inlineLink      = doc.Link
	inlineHardBreak = doc.LineBreak
	inlineSoftBreak = doc.SoftBreak
	// inlineParagraphBreak is a block tag met inside a paragraph: the paragraph splits
	// there. It lives only while a paragraph is converted and never reaches a document.
	inlineParagraphBreak doc.InlineKind = 255

	blockParagraph = doc.Paragraph
	blockHeading   = doc.Heading
	blockList      = doc.List
	blockQuote     = doc.Quote
	blockCode      = doc.CodeBlock
	blockRule      = doc.Rule
	blockTable     = doc.Table
)

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
				out = append(out, block{Kind: blockParagraph, Inlines: []inline{{Kind: inlineText, Text: t}}})
			}
			continue
		}
		switch n := n.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			out = append(out, splitParagraphs(c.leafInlines(n))...)
		case *ast.Heading:
			inl := c.leafInlines(n)
			out = append(out, block{Kind: blockHeading, Level: n.Level, Inlines: inl})
		case *ast.ThematicBreak:
			out = append(out, block{Kind: blockRule})
		case *ast.CodeBlock:
			out = append(out, block{Kind: blockCode, Text: c.linesText(n)})
		case *ast.FencedCodeBlock:
			lang := ""
			if n.Info != nil {
				if f := strings.Fields(string(n.Language(c.src))); len(f) > 0 {
					lang = f[0]
				}
			}
			out = append(out, block{Kind: blockCode, Text: c.linesText(n), Lang: lang})
		case *ast.Blockquote:
			out = append(out, block{Kind: blockQuote, Children: c.blocks(n, nesting+1)})
		case *ast.List:
			l := block{Kind: blockList, Ordered: n.IsOrdered(), Start: n.Start, Tight: n.IsTight}
			for item := n.FirstChild(); item != nil; item = item.NextSibling() {
				l.Items = append(l.Items, c.blocks(item, nesting+1))
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
	return []block{{Kind: blockParagraph, Inlines: []inline{{Kind: inlineText, Text: t}}}}
}

func (c *converter) definitionList(n *east.DefinitionList, nesting int) []block {
	var out []block
	term := -1
	for d := n.FirstChild(); d != nil; d = d.NextSibling() {
		switch d := d.(type) {
		case *east.DefinitionTerm:
			out = append(out, block{Kind: blockParagraph, Inlines: []inline{{Kind: inlineStrong, Children: c.leafInlines(d)}}})
			term = len(out) - 1
		case *east.DefinitionDescription:
			desc := c.blocks(d, nesting+1)
			if term >= 0 && term == len(out)-1 && len(desc) > 0 && desc[0].Kind == blockParagraph {
				t := &out[term]
				t.Inlines = append(append(t.Inlines, inline{Kind: inlineHardBreak}), desc[0].Inlines...)
				desc = desc[1:]
			}
			out = append(out, desc...)
		}
	}
	return out
}

func (c *converter) table(n *east.Table) block {
	t := block{Kind: blockTable}
	for _, a := range n.Alignments {
		t.Align = append(t.Align, alignments[a])
	}
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		var cells [][]inline
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, c.leafInlines(cell))
		}
		t.Rows = append(t.Rows, cells)
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

var alignments = map[east.Alignment]doc.Align{
	east.AlignLeft:   doc.AlignLeft,
	east.AlignCenter: doc.AlignCenter,
	east.AlignRight:  doc.AlignRight,
	east.AlignNone:   doc.AlignNone,
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
	return doc.OneLine(b.String())
}

// frame is an inline HTML element whose end tag has not come yet.
type frame struct {
	Kind  inlineKind
	Start int    // index in the output where its content starts
	URL   string // link
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
			out = append(out, inline{Kind: inlineText, Text: flattenText(n, c.src)})
			continue
		}
		switch n := n.(type) {
		case *ast.Text:
			v := n.Value(c.src)
			t := string(v)
			if !n.IsRaw() {
				t = decodeMarkdownText(v)
			}
			out = append(out, inline{Kind: inlineText, Text: t})
			switch {
			case n.HardLineBreak():
				out = append(out, inline{Kind: inlineHardBreak})
			case n.SoftLineBreak():
				out = append(out, inline{Kind: inlineSoftBreak})
			}
		case *ast.String:
			t := string(n.Value)
			if !n.IsRaw() && !n.IsCode() {
				t = decodeMarkdownText(n.Value)
			}
			out = append(out, inline{Kind: inlineText, Text: t})
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
			out = append(out, inline{Kind: inlineCode, Text: b.String()})
		case *ast.Emphasis:
			kind := inlineEmphasis
			if n.Level >= 2 {
				kind = inlineStrong
			}
			out = append(out, inline{Kind: kind, Children: c.inlines(n, nesting+1)})
		case *ast.Link:
			out = append(out, link(decodeMarkdownText(n.Destination), c.inlines(n, nesting+1))...)
		case *ast.Image:
			if alt := doc.PlainText(c.inlines(n, nesting+1)); strings.TrimSpace(alt) != "" {
				out = append(out, inline{Kind: inlineText, Text: alt})
			}
		case *ast.AutoLink:
			label := string(n.Label(c.src))
			url := string(n.URL(c.src))
			if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
				url = "mailto:" + url
			}
			out = append(out, inline{Kind: inlineLink, URL: url, Auto: true, Children: []inline{{Kind: inlineText, Text: label}}})
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
	if !doc.UsableURL(url) {
		return children
	}
	return []inline{{Kind: inlineLink, URL: url, Children: children}}
}

// rawHTML folds one inline HTML tag (or comment) into the inline list being built. It
// is over 80 lines: one switch over tag roles for start tags and one for end tags, kept
// side by side so that what opens and what closes each role read together.
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
					out = append(out, inline{Kind: inlineText, Text: sym})
				}
				if !selfClosing {
					c.skipName, c.skipDepth = t.Data, 1
				}
				continue
			}
			switch roleOf(t.DataAtom) {
			case roleBreak, roleDescription, roleRow:
				out = append(out, inline{Kind: inlineHardBreak})
			case roleCell:
				out = append(out, inline{Kind: inlineText, Text: " "})
			case roleBlock, roleHeading, roleList, roleListItem, roleQuote, rolePre, roleRule:
				out = append(out, inline{Kind: inlineParagraphBreak})
			case roleTerm:
				out = append(out, inline{Kind: inlineParagraphBreak})
				if !selfClosing {
					frames = append(frames, frame{Kind: inlineStrong, Start: len(out)})
				}
			case roleStrong:
				if !selfClosing {
					frames = append(frames, frame{Kind: inlineStrong, Start: len(out)})
				}
			case roleEmphasis:
				if !selfClosing {
					frames = append(frames, frame{Kind: inlineEmphasis, Start: len(out)})
				}
			case roleCode:
				if !selfClosing {
					frames = append(frames, frame{Kind: inlineCode, Start: len(out)})
				}
			case roleLink:
				if !selfClosing {
					frames = append(frames, frame{Kind: inlineLink, Start: len(out), URL: attrOf(t, "href")})
				}
			case roleImage:
				if alt := strings.TrimSpace(attrOf(t, "alt")); alt != "" {
					out = append(out, inline{Kind: inlineText, Text: alt})
				}
			case roleSkip:
				if !selfClosing {
					c.skipName, c.skipDepth = t.Data, 1
				}
			default:
				// roleIgnore: the tag disappears, its content stays
			}
		case xhtml.EndTagToken:
			kind, closes := inlineKind(0), true
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
				out = append(out, inline{Kind: inlineParagraphBreak})
				closes = false
			default:
				closes = false
			}
			for i := len(frames) - 1; i >= 0 && closes; i-- {
				if frames[i].Kind == kind {
					out = closeFrame(out, frames[i])
					frames = frames[:i]
					break
				}
			}
		default:
			// comments, doctypes and text inside a tag's own markup say nothing to a reader
		}
	}
	return out, frames
}

// closeFrame wraps what was written since the frame opened into the element it stands for.
func closeFrame(out []inline, f frame) []inline {
	if f.Start > len(out) {
		return out
	}
	children := append([]inline(nil), out[f.Start:]...)
	out = out[:f.Start]
	switch f.Kind {
	case inlineCode:
		return append(out, inline{Kind: inlineCode, Text: doc.PlainText(children)})
	case inlineLink:
		return append(out, link(f.URL, children)...)
	default:
		// strong and emphasis wrap their children as they are
	}
	return append(out, inline{Kind: f.Kind, Children: children})
}

// splitParagraphs cuts a paragraph's inlines at its paragraph breaks.
func splitParagraphs(inl []inline) []block {
	var out []block
	start := 0
	for i := 0; i <= len(inl); i++ {
		if i == len(inl) || inl[i].Kind == inlineParagraphBreak {
			if part := inl[start:i]; hasContent(part) {
				out = append(out, block{Kind: blockParagraph, Inlines: part})
			}
			start = i + 1
		}
	}
	return out
}

func hasContent(inl []inline) bool {
	for _, n := range inl {
		switch n.Kind {
		case inlineText, inlineCode:
			if strings.TrimSpace(n.Text) != "" {
				return true
			}
		case inlineHardBreak, inlineSoftBreak, inlineParagraphBreak:
		default:
			if n.Kind == inlineLink || hasContent(n.Children) {
				return true
			}
		}
	}
	return false
}

// decodeMarkdownText resolves what Markdown text means rather than says: backslash
// escapes ("\*" is "*") and entity and character references ("&amp;" is "&"), in one pass
// as CommonMark defines them. A reference to NUL or to no character becomes U+FFFD.
func decodeMarkdownText(v []byte) string {
	if !strings.ContainsAny(string(v), "\\&") {
		return string(v)
	}
	return sanitize.Text(doc.ResolveReferences(v)) // "&#27;" must not become an escape sequence
}
