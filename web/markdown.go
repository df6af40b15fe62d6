package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/sshcv/sshcv/profiles/doc"
)

// newMarkdown returns the converter for section bodies: CommonMark with tables,
// strikethrough and bare-URL links. HTML in a body is shown as text, never passed
// through (a page must not run anything a profile says); only http, https, mailto and
// tel links survive; images become links, because the page makes no requests to other
// hosts; dates become <time> elements.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(pageTransformer{}, 100))),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(pageRenderer{}, 100))),
	)
}

// markdownHTML converts one Markdown body to HTML for the page.
func markdownHTML(md goldmark.Markdown, body string) (template.HTML, error) {
	if strings.TrimSpace(body) == "" {
		return "", nil
	}
	var b bytes.Buffer
	if err := md.Convert([]byte(body), &b); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // #nosec: goldmark output with raw HTML off and links filtered
}

// pageTransformer rewrites a parsed body for the page: unsafe links lose their link,
// images become links to the image (or their alt text), headings start at <h3> because
// <h1> is the name and <h2> the section title.
type pageTransformer struct{}

func (pageTransformer) Transform(root *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	var links, autolinks, images []ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		mergeTexts(n)
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(max(n.Level, 3), 6)
		case *ast.Link:
			links = append(links, n)
		case *ast.AutoLink:
			autolinks = append(autolinks, n)
		case *ast.Image:
			images = append(images, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range images {
		img := n.(*ast.Image)
		dest := string(img.Destination)
		if doc.SafeURL(dest) && !strings.EqualFold(strings.SplitN(dest, ":", 2)[0], "tel") {
			link := ast.NewLink()
			link.Destination = img.Destination
			link.Title = img.Title
			moveChildren(link, img)
			if !link.HasChildren() {
				link.AppendChild(link, ast.NewString([]byte("image")))
			}
			img.Parent().ReplaceChild(img.Parent(), img, link)
			links = append(links, link)
		} else {
			unwrap(img)
		}
	}
	for _, n := range links {
		link := n.(*ast.Link)
		if link.Parent() == nil {
			continue
		}
		dest := string(link.Destination)
		if !doc.SafeURL(dest) {
			unwrap(link)
			continue
		}
		if doc.SameAddress(string(plainText(link, source)), dest) {
			link.SetAttributeString("class", []byte("url"))
		}
	}
	for _, n := range autolinks {
		al := n.(*ast.AutoLink)
		dest := string(al.URL(source))
		if al.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
			dest = "mailto:" + dest
		}
		if !doc.SafeURL(dest) {
			al.Parent().ReplaceChild(al.Parent(), al, ast.NewString(al.Label(source)))
			continue
		}
		al.SetAttributeString("class", []byte("url"))
	}
}

// mergeTexts joins n's adjacent text children that are adjacent in the source too. The
// parser splits text wherever an inline rule might start ("2014 –| Present"); joined,
// a date reads as one piece again.
func mergeTexts(n ast.Node) {
	for c := n.FirstChild(); c != nil; {
		t, ok := c.(*ast.Text)
		next, nextOK := c.NextSibling().(*ast.Text)
		if !ok || !nextOK || t.IsRaw() || next.IsRaw() || t.SoftLineBreak() || t.HardLineBreak() ||
			t.Segment.Stop != next.Segment.Start || t.Segment.Padding != 0 || next.Segment.Padding != 0 {
			c = c.NextSibling()
			continue
		}
		t.Segment = t.Segment.WithStop(next.Segment.Stop)
		t.SetSoftLineBreak(next.SoftLineBreak())
		t.SetHardLineBreak(next.HardLineBreak())
		n.RemoveChild(n, next) // c stays: it may absorb the one after too
	}
}

// unwrap replaces n by its children: the text stays, the element goes.
func unwrap(n ast.Node) {
	parent := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

func moveChildren(to, from ast.Node) {
	for c := from.FirstChild(); c != nil; {
		next := c.NextSibling()
		to.AppendChild(to, c)
		c = next
	}
}

// plainText is the text inside n, without markup.
func plainText(n ast.Node, source []byte) []byte {
	var b bytes.Buffer
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(source))
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.Label(source))
		}
		return ast.WalkContinue, nil
	})
	return b.Bytes()
}

// pageRenderer overrides three of goldmark's HTML renderers. It marks dates up as
// <time datetime="…">: in running text "January 2016", "2017-12" and year ranges such as
// "2012-2016"; a code span that holds nothing but dates (`2012-2016`, `Dec 17-Oct 18`, as
// Jekyll CVs write them) becomes a date label. And HTML in a body is shown as the text it
// is, never passed to the browser: the loaders convert the HTML they understand, so what
// is left is text someone wrote.
type pageRenderer struct{}

func (pageRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindText, renderText)
	reg.Register(ast.KindCodeSpan, renderCodeSpan)
	reg.Register(ast.KindRawHTML, renderRawHTMLAsText)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlockAsText)
}

func renderRawHTMLAsText(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*ast.RawHTML)
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			_, _ = w.Write(util.EscapeHTML(seg.Value(source)))
		}
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlockAsText(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.HTMLBlock)
	var b bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		line := n.Lines().At(i)
		b.Write(line.Value(source))
	}
	if n.HasClosure() {
		b.Write(n.ClosureLine.Value(source))
	}
	_, _ = w.WriteString("<p>")
	_, _ = w.Write(bytes.ReplaceAll(util.EscapeHTML(bytes.TrimRight(b.Bytes(), "\n")), []byte("\n"), []byte("<br>\n")))
	_, _ = w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

// renderText is goldmark's text renderer with dates wrapped in <time>.
func renderText(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Text)
	value := n.Segment.Value(source)
	if n.IsRaw() {
		html.DefaultWriter.RawWrite(w, value)
		return ast.WalkContinue, nil
	}
	writeWithDates(w, value, doc.FindDates(string(value), false))
	switch {
	case n.HardLineBreak():
		_, _ = w.WriteString("<br>\n")
	case n.SoftLineBreak():
		_ = w.WriteByte('\n')
	}
	return ast.WalkContinue, nil
}

func renderCodeSpan(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	var content bytes.Buffer
	for c := node.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			v := t.Segment.Value(source)
			content.Write(bytes.TrimSuffix(v, []byte("\n")))
			if bytes.HasSuffix(v, []byte("\n")) {
				content.WriteByte(' ')
			}
		}
	}
	s := content.String()
	if dates := doc.FindDates(s, true); len(dates) > 0 && doc.OnlyDates(s, dates) {
		_, _ = w.WriteString(`<span class="when">`)
		writeWithDates(w, content.Bytes(), dates)
		_, _ = w.WriteString(`</span>`)
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString("<code>")
	_, _ = w.Write(util.EscapeHTML(content.Bytes()))
	_, _ = w.WriteString("</code>")
	return ast.WalkSkipChildren, nil
}

// writeWithDates writes value escaped, with each date span wrapped in <time>.
func writeWithDates(w util.BufWriter, value []byte, dates []doc.DateSpan) {
	at := 0
	for _, d := range dates {
		html.DefaultWriter.Write(w, value[at:d.Start])
		fmt.Fprintf(w, `<time datetime="%s">`, d.ISO)
		html.DefaultWriter.Write(w, value[d.Start:d.End])
		_, _ = w.WriteString("</time>")
		at = d.End
	}
	html.DefaultWriter.Write(w, value[at:])
}
