package pdf

import (
	"strconv"
	"strings"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/profiles/doc"
)

// Render typesets a CV on paper of the given size. The same profile gives the same
// bytes.
func Render(p *profiles.Profile, paper Paper) ([]byte, error) {
	if paper != Letter {
		paper = A4
	}
	name := p.Name
	if name == "" {
		name = p.Handle
	}
	t := newTypesetter(paper, name+" — CV", name, accentOf(p))
	t.header(name, p.Headline, p.Location, contactSpans(p))
	w := walker{t: t}
	w.blocks(p.Intro, 0)
	for _, s := range p.Sections {
		t.heading(s.Title)
		w.blocks(s.Blocks, 0)
	}
	return t.bytes()
}

// walker turns a document's blocks into typeset text. It walks the blocks, not the
// typed entries: the blocks show every fact (a score, a role, a network) and the
// entries only some.
type walker struct {
	t *typesetter
}

func (w walker) blocks(bs []doc.Block, level int) {
	for i := 0; i < len(bs); i++ {
		b := bs[i]
		if b.Kind != doc.Heading {
			w.block(b, level)
			continue
		}
		// A heading inside a section is an entry's title (a job, a degree). The
		// paragraph under it, when it is a short line with a date in it (its dates,
		// place, …), goes on the title's line, aligned right.
		title := doc.PlainText(b.Inlines)
		if i+1 < len(bs) && bs[i+1].Kind == doc.Paragraph {
			next := bs[i+1]
			if right := spans(next.Inlines); len(doc.FindDates(doc.PlainText(next.Inlines), false)) > 0 && w.t.fitsRight(right) {
				w.t.entry(title, right)
				i++
				continue
			}
		}
		w.t.entry(title, nil)
	}
}

func (w walker) block(b doc.Block, level int) {
	t := w.t
	switch b.Kind {
	case doc.Paragraph:
		t.paragraph(spans(b.Inlines), level)
	case doc.List:
		for i, item := range b.Items {
			marker := "•"
			if b.Ordered {
				marker = strconv.Itoa(b.Start+i) + "."
			}
			w.item(marker, item, level)
		}
	case doc.Quote:
		var all []span
		for i, c := range b.Children {
			if i > 0 {
				all = append(all, span{text: "\n"})
			}
			all = append(all, spans(c.Inlines)...)
		}
		t.quote(all)
	case doc.CodeBlock:
		t.code(b.Text)
	case doc.Rule:
		t.rule()
	case doc.Heading: // blocks sets headings as entry titles
	case doc.Table:
		for _, row := range b.Rows {
			var cells []span
			for i, cell := range row {
				if i > 0 {
					cells = append(cells, span{text: " · "})
				}
				cells = append(cells, spans(cell)...)
			}
			t.bullet("", cells, level)
		}
	}
}

// item draws a list item: its first paragraph beside the marker, the rest below.
func (w walker) item(marker string, item []doc.Block, level int) {
	if len(item) == 0 || item[0].Kind != doc.Paragraph {
		w.t.bullet(marker, nil, level)
		w.blocks(item, level+1)
		return
	}
	w.t.bullet(marker, spans(item[0].Inlines), level)
	w.blocks(item[1:], level+1)
}

// spans flattens inlines into styled runs.
func spans(inl []doc.Inline) []span {
	var out []span
	var walk func([]doc.Inline, span)
	walk = func(inl []doc.Inline, style span) {
		for _, n := range inl {
			s := style
			switch n.Kind {
			case doc.Text:
				s.text = n.Text
				out = append(out, s)
			case doc.Code:
				s.text, s.code = n.Text, true
				out = append(out, s)
			case doc.Strong:
				s.bold = true
				walk(n.Children, s)
			case doc.Emphasis:
				s.italic = true
				walk(n.Children, s)
			case doc.Link:
				// As in the viewer: a link whose text is not its address is followed
				// by the address, so that the CV still says it on paper.
				if !doc.SafeURL(n.URL) {
					walk(n.Children, s)
					continue
				}
				s.url = n.URL
				label := doc.PlainText(n.Children)
				if strings.TrimSpace(label) == "" {
					s.text = doc.DisplayURL(n.URL)
					out = append(out, s)
					continue
				}
				walk(n.Children, s)
				if !doc.SameAddress(label, n.URL) {
					out = append(out, span{text: " (" + doc.DisplayURL(n.URL) + ")", url: n.URL})
				}
			case doc.LineBreak:
				s.text = "\n"
				out = append(out, s)
			case doc.SoftBreak:
				s.text = " "
				out = append(out, s)
			}
		}
	}
	walk(inl, span{})
	return out
}

// accentOf is the profile's accent colour (the default violet when it names none),
// darkened where it must be to read on white paper.
func accentOf(p *profiles.Profile) RGB {
	c, ok := doc.ParseColour(p.Accent)
	if !ok {
		c = doc.RGB(0x7d, 0x56, 0xf4)
	}
	c = c.ReadableOn(doc.RGB(0, 0, 0), doc.RGB(0xff, 0xff, 0xff))
	return RGB{c.R, c.G, c.B}
}
