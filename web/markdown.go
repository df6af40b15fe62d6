package web

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
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
	writeWithDates(w, value, findDates(string(value), false))
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
	if dates := findDates(s, true); len(dates) > 0 && onlyDates(s, dates) {
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
func writeWithDates(w util.BufWriter, value []byte, dates []dateSpan) {
	at := 0
	for _, d := range dates {
		html.DefaultWriter.Write(w, value[at:d.start])
		fmt.Fprintf(w, `<time datetime="%s">`, d.datetime)
		html.DefaultWriter.Write(w, value[d.start:d.end])
		_, _ = w.WriteString("</time>")
		at = d.end
	}
	html.DefaultWriter.Write(w, value[at:])
}

// dateSpan is a date found in text: bytes [start, end) and its machine-readable form.
type dateSpan struct {
	start, end int
	datetime   string // "2016", "2016-01" or "2016-01-15"
}

const monthPattern = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`

var (
	// fullDateRE: 2016-01-15. monthYearRE: January 2016, Sept. 2016. yearMonthRE: 2016-01, 2016/01.
	fullDateRE  = regexp.MustCompile(`\b((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b`)
	monthYearRE = regexp.MustCompile(`(?i)\b` + monthPattern + `\.?,?\s+((?:19|20)\d{2})\b`)
	yearMonthRE = regexp.MustCompile(`\b((?:19|20)\d{2})[-/](0[1-9]|1[0-2])\b`)
	// monthRangeRE: the first month of "May – Aug 2016", which shares the year after it.
	monthRangeRE = regexp.MustCompile(`(?i)\b` + monthPattern + `\.?(\s*(?:-|–|—|to)\s*)` + monthPattern + `\.?,?\s+((?:19|20)\d{2})\b`)
	// yearRangeRE: 2012-2016, 2014 – present. Only years that are part of a range, so
	// that "500 servers in 2048 racks" stays text.
	yearRangeRE = regexp.MustCompile(`(?i)\b((?:19|20)\d{2})(\s*(?:-|–|—|to)\s*)((?:19|20)\d{2}\b|present\b|now\b|current\b|today\b)`)
	// In a code span that holds only dates, two-digit years and lone years count too.
	shortMonthYearRE = regexp.MustCompile(`(?i)\b` + monthPattern + `\.?\s*'?(\d{2})\b`)
	loneYearRE       = regexp.MustCompile(`\b((?:19|20)\d{2})\b`)
	dateFillerRE     = regexp.MustCompile(`(?i)^(?:\s|-|–|—|,|to|since|present|now|current|today|\(|\))*$`)
)

// findDates returns the dates in s, in order, without overlaps. loose also accepts
// "Dec 17" and a lone "2011", which only mean dates in a code span of dates.
func findDates(s string, loose bool) []dateSpan {
	var spans []dateSpan
	taken := func(a, b int) bool {
		for _, d := range spans {
			if a < d.end && d.start < b {
				return true
			}
		}
		return false
	}
	add := func(a, b int, datetime string) {
		if !taken(a, b) {
			spans = append(spans, dateSpan{a, b, datetime})
		}
	}
	for _, m := range fullDateRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], m[1], s[m[0]:m[1]])
	}
	for _, m := range monthRangeRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[2], m[3], s[m[8]:m[9]]+"-"+monthNumber(s[m[2]:m[3]]))
	}
	for _, m := range monthYearRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], m[1], s[m[4]:m[5]]+"-"+monthNumber(s[m[2]:m[3]]))
	}
	for _, m := range yearMonthRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], m[1], s[m[2]:m[3]]+"-"+s[m[4]:m[5]])
	}
	for _, m := range yearRangeRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[2], m[3], s[m[2]:m[3]])
		if end := s[m[6]:m[7]]; len(end) == 4 && end[0] >= '0' && end[0] <= '9' {
			add(m[6], m[7], end)
		}
	}
	if loose {
		for _, m := range shortMonthYearRE.FindAllStringSubmatchIndex(s, -1) {
			add(m[0], m[1], "20"+s[m[4]:m[5]]+"-"+monthNumber(s[m[2]:m[3]]))
		}
		for _, m := range loneYearRE.FindAllStringSubmatchIndex(s, -1) {
			add(m[0], m[1], s[m[0]:m[1]])
		}
	}
	// Insertion sort: a handful of spans at most.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].start < spans[j-1].start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	return spans
}

// onlyDates reports whether s is nothing but the dates found in it and the words and
// dashes that join them.
func onlyDates(s string, dates []dateSpan) bool {
	at := 0
	for _, d := range dates {
		if !dateFillerRE.MatchString(s[at:d.start]) {
			return false
		}
		at = d.end
	}
	return dateFillerRE.MatchString(s[at:])
}

func monthNumber(name string) string {
	months := []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	prefix := strings.ToLower(name)[:3]
	for i, m := range months {
		if m == prefix {
			return fmt.Sprintf("%02d", i+1)
		}
	}
	return "01"
}
