package web

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"github.com/sshcv/sshcv/profiles/doc"
)

// The page's HTML for a CV body is written from the document the loader built; nothing
// is parsed here. The loader has already turned the HTML it understands into the
// document and dropped the rest, so no markup of a profile reaches the browser; only
// links doc.SafeURL accepts are links; headings start at <h3>, because <h1> is the name
// and <h2> the section title; dates become <time> elements: in running text "January
// 2016", "2017-12" and year ranges such as "2012-2016", and a code span that holds
// nothing but dates (`2012-2016`, `Dec 17-Oct 18`, as Jekyll CVs write them) becomes a
// date label. The markup is the one CommonMark renderers write, so that the page's CSS
// and its print rules apply as before.

// blocksHTML writes blocks as HTML for the page.
func blocksHTML(blocks []doc.Block) template.HTML {
	if len(blocks) == 0 {
		return ""
	}
	var b bytes.Buffer
	for _, bl := range blocks {
		writeBlock(&b, bl, false)
	}
	return template.HTML(b.String()) // #nosec G203: text escaped, links checked by doc.SafeURL
}

// writeBlock writes one block; tight says it is a tight list item's, whose paragraphs
// carry no <p>.
func writeBlock(b *bytes.Buffer, bl doc.Block, tight bool) {
	switch bl.Kind {
	case doc.Paragraph:
		inl := doc.TrimBreaks(bl.Inlines)
		if len(inl) == 0 {
			return
		}
		if !tight {
			b.WriteString("<p>")
		}
		writeInlines(b, inl, false)
		trimSpaceEnd(b)
		if !tight {
			b.WriteString("</p>\n")
		}
	case doc.Heading:
		inl := doc.TrimBreaks(bl.Inlines)
		if strings.TrimSpace(doc.PlainText(inl)) == "" {
			return
		}
		level := strconv.Itoa(min(max(bl.Level, 3), 6))
		b.WriteString("<h" + level + ">")
		writeInlines(b, inl, false)
		trimSpaceEnd(b)
		b.WriteString("</h" + level + ">\n")
	case doc.Rule:
		b.WriteString("<hr>\n")
	case doc.CodeBlock:
		b.WriteString("<pre><code")
		if bl.Lang != "" {
			b.WriteString(` class="language-` + escapeHTML(bl.Lang) + `"`)
		}
		b.WriteString(">")
		text := strings.TrimSuffix(bl.Text, "\n")
		if text != "" {
			b.WriteString(escapeHTML(text) + "\n")
		}
		b.WriteString("</code></pre>\n")
	case doc.Quote:
		b.WriteString("<blockquote>\n")
		for _, c := range bl.Children {
			writeBlock(b, c, false)
		}
		b.WriteString("</blockquote>\n")
	case doc.List:
		writeList(b, bl)
	case doc.Table:
		writeTable(b, bl)
	}
}

func writeList(b *bytes.Buffer, l doc.Block) {
	tag := "ul"
	if l.Ordered {
		tag = "ol"
	}
	b.WriteString("<" + tag)
	if l.Ordered && l.Start != 1 && l.Start != 0 {
		b.WriteString(` start="` + strconv.Itoa(l.Start) + `"`)
	}
	b.WriteString(">\n")
	for _, item := range l.Items {
		b.WriteString("<li>")
		for i, bl := range item {
			tightParagraph := l.Tight && bl.Kind == doc.Paragraph
			if i == 0 && !tightParagraph {
				b.WriteByte('\n')
			}
			writeBlock(b, bl, l.Tight)
			if l.Tight && bl.Kind == doc.Paragraph && i+1 < len(item) {
				b.WriteByte('\n')
			}
		}
		b.WriteString("</li>\n")
	}
	b.WriteString("</" + tag + ">\n")
}

var alignAttr = map[doc.Align]string{doc.AlignLeft: "left", doc.AlignCenter: "center", doc.AlignRight: "right"}

func writeTable(b *bytes.Buffer, t doc.Block) {
	b.WriteString("<table>\n")
	for r, row := range t.Rows {
		cell := "td"
		switch r {
		case 0:
			cell = "th"
			b.WriteString("<thead>\n")
		case 1:
			b.WriteString("<tbody>\n")
		}
		b.WriteString("<tr>\n")
		for c, inl := range row {
			b.WriteString("<" + cell)
			if c < len(t.Align) && alignAttr[t.Align[c]] != "" {
				b.WriteString(` style="text-align:` + alignAttr[t.Align[c]] + `"`)
			}
			b.WriteString(">")
			writeInlines(b, doc.TrimBreaks(inl), false)
			trimSpaceEnd(b)
			b.WriteString("</" + cell + ">\n")
		}
		b.WriteString("</tr>\n")
		if r == 0 {
			b.WriteString("</thead>\n")
		}
	}
	if len(t.Rows) > 1 {
		b.WriteString("</tbody>\n")
	}
	b.WriteString("</table>\n")
}

// writeInlines writes inlines escaped, with their dates marked; inLink drops the links
// inside a link, which HTML does not allow.
func writeInlines(b *bytes.Buffer, inl []doc.Inline, inLink bool) {
	inl = doc.MergeText(inl)
	for _, n := range inl {
		switch n.Kind {
		case doc.Text:
			t := spaces.ReplaceAllString(n.Text, " ") // white space means one space
			if endsLine(b) {
				t = strings.TrimLeft(t, " ")
			}
			if strings.HasPrefix(t, " ") && bytes.HasSuffix(b.Bytes(), []byte(" ")) {
				t = t[1:]
			}
			writeWithDates(b, t, doc.FindDates(t, false))
		case doc.SoftBreak, doc.LineBreak:
			trimSpaceEnd(b)
			if endsLine(b) {
				continue // two breaks in a row are one
			}
			if n.Kind == doc.LineBreak {
				b.WriteString("<br>")
			}
			b.WriteByte('\n')
		case doc.Code:
			writeCode(b, n.Text)
		case doc.Strong, doc.Emphasis:
			tag := "em"
			if n.Kind == doc.Strong {
				tag = "strong"
			}
			children := doc.TrimBreaks(n.Children)
			if strings.TrimSpace(doc.PlainText(children)) == "" {
				continue
			}
			b.WriteString("<" + tag + ">")
			writeInlines(b, children, inLink)
			b.WriteString("</" + tag + ">")
		case doc.Link:
			writeLink(b, n, inLink)
		}
	}
}

func writeLink(b *bytes.Buffer, n doc.Inline, inLink bool) {
	if inLink || !doc.SafeURL(n.URL) {
		writeInlines(b, n.Children, inLink)
		return
	}
	label := doc.PlainText(n.Children)
	b.WriteString(`<a href="` + escapeHTML(n.URL) + `"`)
	if doc.SameAddress(label, n.URL) {
		b.WriteString(` class="url"`)
	}
	b.WriteString(">")
	if strings.TrimSpace(label) == "" {
		b.WriteString(escapeHTML(doc.DisplayURL(n.URL)))
	} else {
		writeInlines(b, n.Children, true)
	}
	b.WriteString("</a>")
}

var spaces = regexp.MustCompile(`[ \t\n]+`)

// endsLine reports whether b is at the start of a line of text: empty, after a tag
// that opens a block, or after a line break.
func endsLine(b *bytes.Buffer) bool {
	s := b.Bytes()
	return len(s) == 0 || s[len(s)-1] == '\n' || s[len(s)-1] == '>' && (bytes.HasSuffix(s, []byte("<p>")) ||
		bytes.HasSuffix(s, []byte("<li>")) || bytes.HasSuffix(s, []byte("<td>")) || bytes.HasSuffix(s, []byte("<th>")))
}

// trimSpaceEnd drops the spaces at the end of b: a line never ends in one.
func trimSpaceEnd(b *bytes.Buffer) {
	s := b.Bytes()
	n := len(s)
	for n > 0 && s[n-1] == ' ' {
		n--
	}
	b.Truncate(n)
}

// writeCode writes a code span: a date label when it holds nothing but dates.
func writeCode(b *bytes.Buffer, s string) {
	s = strings.ReplaceAll(s, "\n", " ")
	if strings.TrimSpace(s) == "" {
		return
	}
	if dates := doc.FindDates(s, true); len(dates) > 0 && doc.OnlyDates(s, dates) {
		b.WriteString(`<span class="when">`)
		writeWithDates(b, s, dates)
		b.WriteString(`</span>`)
		return
	}
	b.WriteString("<code>" + escapeHTML(s) + "</code>")
}

// writeWithDates writes s escaped, with each date span wrapped in <time>.
func writeWithDates(b *bytes.Buffer, s string, dates []doc.DateSpan) {
	at := 0
	for _, d := range dates {
		b.WriteString(escapeHTML(s[at:d.Start]))
		fmt.Fprintf(b, `<time datetime="%s">`, d.ISO)
		b.WriteString(escapeHTML(s[d.Start:d.End]))
		b.WriteString("</time>")
		at = d.End
	}
	b.WriteString(escapeHTML(s[at:]))
}

// escapeHTML escapes text for HTML as CommonMark renderers do: &, <, > and ".
var escapeHTML = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace
