package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// Paper is a page size.
type Paper string

// The paper sizes sshcv typesets on.
const (
	A4     Paper = "A4"
	Letter Paper = "Letter"
)

// RGB is an opaque colour.
type RGB struct{ R, G, B uint8 }

// span is a run of text in one style; a span with a URL is a link.
type span struct {
	text         string
	bold, italic bool
	code         bool
	muted        bool // a label: in grey
	url          string
}

// Measures of the page, in millimetres and points.
const (
	marginSide   = 18.0
	marginTop    = 16.0
	marginBottom = 20.0 // the footer sits in it
	sizeName     = 22.0
	sizeHeadline = 11.5
	sizeHeading  = 12.5
	sizeBody     = 10.0
	sizeSmall    = 8.5
	lineBody     = 4.9 // line height of body text
	indentList   = 5.0 // per list level
)

var (
	colourText  = RGB{0x22, 0x24, 0x2a}
	colourMuted = RGB{0x5f, 0x64, 0x6e}
	colourRule  = RGB{0xc8, 0xcc, 0xd2}
)

// epoch is the fixed creation date of every document: the same CV gives the same
// bytes, whenever it is rendered.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// typesetter draws a CV on pages, top to bottom. A heading waits for the block after
// it, so that the two start on the same page.
type typesetter struct {
	f       *fpdf.Fpdf
	accent  RGB
	width   float64 // of the text column
	pending *pendingHeading
	fonts   map[string]bool // registered with the document
}

type pendingHeading struct {
	title string
}

// newTypesetter starts a document with its metadata and the footer: the name and the
// page number on every page.
func newTypesetter(paper Paper, title, author string, accent RGB) *typesetter {
	f := fpdf.New("P", "mm", string(paper), "")
	f.SetCatalogSort(true)
	f.SetCreationDate(epoch)
	f.SetModificationDate(epoch)
	f.SetCompression(true)
	f.SetProducer("sshcv", true)
	f.SetCreator("sshcv", true)
	f.SetTitle(printable(title), true)
	f.SetAuthor(printable(author), true)
	f.SetMargins(marginSide, marginTop, marginSide)
	f.SetAutoPageBreak(true, marginBottom)
	f.AliasNbPages("{nb}")
	t := &typesetter{f: f, accent: accent, fonts: map[string]bool{}}
	w, _ := f.GetPageSize()
	t.width = w - 2*marginSide
	footer := printable(author)
	f.SetFooterFunc(func() {
		f.SetY(-marginBottom + 6)
		t.font("", sizeSmall, colourMuted)
		f.CellFormat(t.width/2, 4, footer, "", 0, "L", false, 0, "")
		f.CellFormat(t.width/2, 4, fmt.Sprintf("%d / {nb}", f.PageNo()), "", 0, "R", false, 0, "")
	})
	f.AddPage()
	return t
}

// setFont selects a font, registering it with the document on first use, so that no
// time goes into fonts a CV never uses. fpdf writes into the font bytes it is given
// while it subsets them: each document gets its own copy, or the shared Go fonts
// would change from one rendering to the next, and so would the PDF's bytes.
func (t *typesetter) setFont(family, style string, size float64) {
	key := family + "/" + style
	if !t.fonts[key] {
		for _, ff := range fontFiles {
			if ff.family == family && ff.style == style {
				t.f.AddUTF8FontFromBytes(ff.family, ff.style, bytes.Clone(ff.ttf))
			}
		}
		t.fonts[key] = true
	}
	t.f.SetFont(family, style, size)
}

func (t *typesetter) font(style string, size float64, c RGB) {
	t.setFont(familySans, style, size)
	t.f.SetTextColor(int(c.R), int(c.G), int(c.B))
}

func (t *typesetter) spanFont(s span, size float64) {
	style := ""
	if s.bold {
		style += "B"
	}
	if s.italic {
		style += "I"
	}
	c := colourText
	switch {
	case s.url != "":
		c = t.accent
	case s.muted:
		c = colourMuted
	}
	if s.code {
		t.setFont(familyMono, "", size*0.92)
		t.f.SetTextColor(int(c.R), int(c.G), int(c.B))
		return
	}
	t.font(style, size, c)
}

// room reports whether h more millimetres fit on the current page.
func (t *typesetter) room(h float64) bool {
	_, ph := t.f.GetPageSize()
	return t.f.GetY()+h <= ph-marginBottom
}

// header draws the name in the accent colour, the headline, the location and the
// contact line.
func (t *typesetter) header(name, headline, location string, contacts []span) {
	t.font("B", sizeName, t.accent)
	t.f.MultiCell(t.width, 9.5, printable(name), "", "L", false)
	if headline != "" {
		t.font("", sizeHeadline, colourMuted)
		t.f.MultiCell(t.width, 5.6, printable(headline), "", "L", false)
	}
	if location != "" {
		t.font("", sizeBody, colourMuted)
		t.f.MultiCell(t.width, lineBody, printable(location), "", "L", false)
	}
	if len(contacts) > 0 {
		t.f.Ln(1.2)
		var line []span
		for i, c := range contacts {
			if i > 0 && !contacts[i-1].muted {
				line = append(line, span{text: "  ·  ", muted: true})
			}
			line = append(line, c)
		}
		t.flow(line, sizeBody-0.5)
	}
	t.f.Ln(2)
}

// heading queues a section heading: it is drawn with the start of the next block.
func (t *typesetter) heading(title string) {
	t.flushHeading(0)
	t.pending = &pendingHeading{title: title}
}

const headingHeight = 6.5 + 1.5 + 3 // the title, its rule and the space before it

// flushHeading draws a queued heading, first moving to a new page unless it fits
// together with the next need millimetres.
func (t *typesetter) flushHeading(need float64) {
	h := t.pending
	if h == nil {
		return
	}
	t.pending = nil
	if !t.room(headingHeight + need) {
		t.f.AddPage()
	} else if t.f.GetY() > marginTop+1 {
		t.f.Ln(3)
	}
	t.font("B", sizeHeading, t.accent)
	t.f.CellFormat(t.width, 6.5, printable(h.title), "", 1, "L", false, 0, "")
	y := t.f.GetY()
	c := colourRule
	t.f.SetDrawColor(int(c.R), int(c.G), int(c.B))
	t.f.SetLineWidth(0.3)
	t.f.Line(marginSide, y, marginSide+t.width, y)
	t.f.Ln(1.5)
}

// keep makes room for a block that starts with need millimetres that must not be
// split from what comes before (a pending heading) or cut at the page's end.
func (t *typesetter) keep(need float64) {
	if t.pending != nil {
		t.flushHeading(need)
		return
	}
	if !t.room(need) {
		t.f.AddPage()
	}
}

// Right-aligned text beside an entry's title may take this share of the column.
const maxRightShare = 0.45

// fitsRight reports whether spans fit on one line beside an entry's title.
func (t *typesetter) fitsRight(spans []span) bool {
	w := 0.0
	for _, s := range spans {
		if strings.Contains(s.text, "\n") {
			return false
		}
		t.spanFont(s, sizeBody-0.5)
		w += t.f.GetStringWidth(printable(s.text))
	}
	return w > 0 && w <= maxRightShare*t.width
}

// entry draws an entry's title in bold and, when given, right (its dates and place)
// aligned right on the same line, links kept as links.
func (t *typesetter) entry(title string, right []span) {
	title = printable(title)
	rw := 0.0
	for i := range right {
		right[i].text = printable(right[i].text)
		t.spanFont(right[i], sizeBody-0.5)
		rw += t.f.GetStringWidth(right[i].text)
	}
	gap := 0.0
	if rw > 0 {
		gap = 3
	}
	t.font("B", sizeBody+0.5, colourText)
	lines := t.split(title, t.width-rw-gap)
	t.keep(float64(len(lines))*5.4 + lineBody*2)
	t.f.Ln(1.2)
	for i, l := range lines {
		t.font("B", sizeBody+0.5, colourText)
		if i > 0 || rw == 0 {
			t.f.CellFormat(t.width, 5.4, l, "", 1, "L", false, 0, "")
			continue
		}
		t.f.CellFormat(t.width-rw, 5.4, l, "", 0, "L", false, 0, "")
		t.f.SetX(marginSide + t.width - rw)
		for _, s := range right {
			t.spanFont(s, sizeBody-0.5)
			if s.url == "" {
				t.f.SetTextColor(int(colourMuted.R), int(colourMuted.G), int(colourMuted.B))
			}
			t.f.CellFormat(t.f.GetStringWidth(s.text), 5.4, s.text, "", 0, "L", false, 0, s.url)
		}
		t.f.Ln(5.4)
	}
	t.f.Ln(0.6)
}

// paragraph draws flowing text; level indents it (a paragraph inside a list item).
func (t *typesetter) paragraph(spans []span, level int) {
	t.keep(2 * lineBody)
	t.indented(float64(level)*indentList, func() { t.flow(spans, sizeBody) })
	t.f.Ln(1.4)
}

// bullet draws one list item: its marker ("•", or "3." in a numbered list) hanging
// in the margin of its level.
func (t *typesetter) bullet(marker string, spans []span, level int) {
	t.keep(lineBody)
	left := float64(level) * indentList
	t.font("", sizeBody, t.accent)
	t.f.SetX(marginSide + left)
	t.f.CellFormat(indentList, lineBody, marker, "", 0, "L", false, 0, "")
	t.indented(left+indentList, func() { t.flow(spans, sizeBody) })
	t.f.Ln(0.5)
}

// quote draws a quotation, indented and in italics, with a bar in the accent colour.
func (t *typesetter) quote(spans []span) {
	t.keep(2 * lineBody)
	y0, p0 := t.f.GetY(), t.f.PageNo()
	for i := range spans {
		spans[i].italic = true
	}
	t.indented(indentList, func() { t.flow(spans, sizeBody) })
	if t.f.PageNo() == p0 {
		c := t.accent
		t.f.SetDrawColor(int(c.R), int(c.G), int(c.B))
		t.f.SetLineWidth(0.6)
		t.f.Line(marginSide+1, y0+0.5, marginSide+1, t.f.GetY()+lineBody-0.5)
	}
	t.f.Ln(1.4)
}

// code draws preformatted lines in the monospaced font, cut to the column.
func (t *typesetter) code(text string) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	t.keep(min(float64(len(lines)), 3) * 4.4)
	t.setFont(familyMono, "", sizeBody-1)
	t.f.SetTextColor(int(colourText.R), int(colourText.G), int(colourText.B))
	for _, l := range lines {
		t.f.SetX(marginSide + indentList)
		t.f.CellFormat(t.width-indentList, 4.4, printable(strings.ReplaceAll(l, "\t", "    ")), "", 1, "L", false, 0, "")
	}
	t.f.Ln(1.4)
}

// rule draws a thin line across the column.
func (t *typesetter) rule() {
	t.keep(4)
	y := t.f.GetY() + 1.5
	c := colourRule
	t.f.SetDrawColor(int(c.R), int(c.G), int(c.B))
	t.f.SetLineWidth(0.2)
	t.f.Line(marginSide, y, marginSide+t.width, y)
	t.f.Ln(3.5)
}

// indented runs draw with the left margin moved right by dx.
func (t *typesetter) indented(dx float64, draw func()) {
	t.f.SetLeftMargin(marginSide + dx)
	t.f.SetX(marginSide + dx)
	draw()
	t.f.SetLeftMargin(marginSide)
}

// flow writes spans as one wrapped paragraph of body lines; links become link
// annotations. The paragraph ends on a new line.
func (t *typesetter) flow(spans []span, size float64) {
	const h = lineBody
	for _, s := range spans {
		if s.text == "" {
			continue
		}
		t.spanFont(s, size)
		for i, part := range strings.Split(s.text, "\n") {
			if i > 0 {
				t.f.Ln(h)
			}
			if part = printable(part); part == "" {
				continue
			}
			if s.url != "" {
				t.f.WriteLinkString(h, part, s.url)
			} else {
				t.f.Write(h, part)
			}
		}
	}
	t.f.Ln(h)
}

// split breaks text into lines no wider than w in the current font, at spaces; a
// word wider than w is cut.
func (t *typesetter) split(text string, w float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if t.f.GetStringWidth(try) <= w || line == "" && t.f.GetStringWidth(word) <= w {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		for t.f.GetStringWidth(word) > w {
			r := []rune(word)
			n := len(r) - 1
			for n > 1 && t.f.GetStringWidth(string(r[:n])) > w {
				n--
			}
			lines = append(lines, string(r[:n]))
			word = string(r[n:])
		}
		line = word
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// bytes finishes the document.
func (t *typesetter) bytes() ([]byte, error) {
	t.flushHeading(0)
	var b bytes.Buffer
	if err := t.f.Output(&b); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return b.Bytes(), nil
}
