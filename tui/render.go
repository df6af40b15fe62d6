package tui

import (
	"strings"
	"sync"

	"github.com/sshcv/sshcv/profiles"

	"github.com/sshcv/sshcv/profiles/doc"
)

// Renderer renders profiles and caches the results. One Renderer is shared by every
// session: it is safe for concurrent use and its cache is bounded. Markdown is laid out
// once per (profile, width); each layout is styled once per background; key presses and
// scrolling only pick lines out of what is cached.
type Renderer struct {
	docs   *lru[renderKey, *document]
	linear *lru[renderKey, string]
	pdfs   *lru[pdfKey, pdfResult]
	themes themes
}

// renderKey names one rendering. Profiles are keyed by the hash of their file, so a
// reloaded file renders afresh while an unchanged one keeps its cached layout.
type renderKey struct {
	hash  string
	p     *profiles.Profile // identity for profiles without a hash (built in code)
	width int
	kind  renderKind
	words *words // the language of the labels ("Email", "Phone")
}

type renderKind uint8

const (
	kindViewer renderKind = iota
	kindText
	kindANSIDark
	kindANSILight
)

// Width limits of the renderer: narrower requests are laid out at minWidth (a line can
// then be wider than asked, never garbage), wider ones at MaxWidth. The server's window
// clamp defaults to MaxWidth too, so the two cannot drift apart.
const (
	minWidth = 20
	MaxWidth = 300
)

// NewRenderer returns a Renderer whose cache holds at most maxEntries renderings.
func NewRenderer(maxEntries int) *Renderer {
	maxEntries = max(maxEntries, 2)
	return &Renderer{
		docs:   newLRU[renderKey, *document](maxEntries),
		linear: newLRU[renderKey, string](maxEntries),
		pdfs:   newLRU[pdfKey, pdfResult](max(maxEntries/8, 2)), // ~100 KB each
	}
}

func keyFor(p *profiles.Profile, width int, kind renderKind, w *words) renderKey {
	k := renderKey{hash: p.Hash, width: clampWidth(width), kind: kind, words: w}
	if k.hash == "" {
		k.p = p
	}
	return k
}

func clampWidth(w int) int {
	if w <= 0 {
		return 80
	}
	return min(max(w, minWidth), MaxWidth)
}

// Text renders p as plain text at width columns: no escape sequences, no box drawing, a
// linear reading order. Used for non-PTY sessions, the `text` command and TERM=dumb.
// Its labels are English; TextIn writes them in the CV's language.
func (r *Renderer) Text(p *profiles.Profile, width int) string { return r.TextIn(p, "", width) }

// TextIn is Text for a CV in lang (a BCP 47 tag, as profiles.Localized.Lang gives it):
// its labels ("Email", "Phone") in that language when the viewer speaks it.
func (r *Renderer) TextIn(p *profiles.Profile, lang string, width int) string {
	w := wordsIn(lang)
	k := keyFor(p, width, kindText, w)
	return r.linear.get(k, func() string {
		return joinLines(linearLines(p, k.width, &asciiGlyphs, false, w), nil)
	})
}

// ANSI renders p like Text but styled for a terminal with a dark or light background:
// colours at full depth (downsample with a colorprofile.Writer), OSC 8 hyperlinks.
func (r *Renderer) ANSI(p *profiles.Profile, width int, dark bool) string {
	return r.ANSIIn(p, "", width, dark)
}

// ANSIIn is ANSI for a CV in lang, as TextIn is Text.
func (r *Renderer) ANSIIn(p *profiles.Profile, lang string, width int, dark bool) string {
	kind := kindANSILight
	if dark {
		kind = kindANSIDark
	}
	w := wordsIn(lang)
	k := keyFor(p, width, kind, w)
	return r.linear.get(k, func() string {
		return joinLines(linearLines(p, k.width, &unicodeGlyphs, true, w), r.themes.get(p.Accent, dark))
	})
}

// document returns the viewer's layout of p at width, its labels in w.
func (r *Renderer) document(p *profiles.Profile, width int, w *words) *document {
	k := keyFor(p, width, kindViewer, w)
	return r.docs.get(k, func() *document { return newDocument(p, k.width, w) })
}

func joinLines(lines []line, t *theme) string {
	var b strings.Builder
	n := 0
	for _, l := range lines {
		n += len(l.text) + 1
	}
	b.Grow(n + n/4)
	for _, l := range lines {
		if t == nil {
			b.WriteString(l.text)
		} else {
			styled(&b, l, t, nil)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// document is the viewer's layout of one profile at one width: every line of every
// part, in one slice, with the parts as ranges of it. It is immutable once built, apart
// from the styled strings, which are filled once per background on first use.
type document struct {
	width    int
	accent   string
	lines    []line
	header   lineRange // wide header: name and headline, then location and contacts
	compact  lineRange // narrow header: name and headline on one line
	card     lineRange // headline, location and contacts, one a line, and a blank line
	intro    lineRange // the intro and a blank line
	sections []docSection

	once   [2]sync.Once
	styles [2][]string // styled lines, light [0] and dark [1]
}

type lineRange struct{ from, to int }

func (r lineRange) len() int { return r.to - r.from }

type docSection struct {
	title string // the tab label
	body  lineRange
}

// styled returns the document's lines styled with t, parallel to d.lines.
func (d *document) styled(t *theme) []string {
	i := 0
	if t.dark {
		i = 1
	}
	d.once[i].Do(func() {
		out := make([]string, len(d.lines))
		var b strings.Builder
		for n, l := range d.lines {
			if len(l.spans) == 0 {
				out[n] = l.text
				continue
			}
			b.Reset()
			styled(&b, l, t, nil)
			out[n] = b.String()
		}
		d.styles[i] = out
	})
	return d.styles[i]
}

// page returns the range of lines shown under tab i: the first tab opens with the intro,
// and with the contact card when the header is too small to carry it.
func (d *document) page(i int, compact bool) lineRange {
	if i < 0 || i >= len(d.sections) {
		return lineRange{}
	}
	r := d.sections[i].body
	if i == 0 {
		r.from = d.intro.from
		if compact {
			r.from = d.card.from
		}
	}
	return r
}

func newDocument(p *profiles.Profile, width int, w *words) *document {
	d := &document{width: width, accent: p.Accent}
	add := func(ls []line) lineRange {
		from := len(d.lines)
		d.lines = append(d.lines, ls...)
		return lineRange{from, len(d.lines)}
	}
	g := &unicodeGlyphs
	name, headline := field(p.Name), field(p.Headline)
	if name == "" {
		name = p.Handle
	}

	// Wide header: "Name · Headline" flowing over at most two lines, then the contacts.
	nameP := piece{name, attrName, ""}
	head := []piece{nameP}
	if headline != "" {
		head = append(head, piece{g.sep, attrMuted, ""}, piece{headline, 0, ""})
	}
	headLines := wrap(head, width, nil, nil)
	if len(headLines) > 2 {
		headLines = append(headLines[:1], truncateLine(joinTwo(headLines[1], headLines[2]), width))
	}
	items := make([][]piece, 0, 8)
	if loc := field(p.Location); loc != "" {
		items = append(items, []piece{{loc, attrMuted, ""}})
	}
	for _, c := range contactsOf(p) {
		items = append(items, []piece{{c.Shown(" "), attrLink, c.URL}})
	}
	d.header = add(append(headLines, joinWrapped(items, piece{g.sep, attrMuted, ""}, width)...))

	// Narrow header: one line.
	cl := []piece{nameP}
	if headline != "" {
		cl = append(cl, piece{g.sep, attrMuted, ""}, piece{headline, 0, ""})
	}
	var lb lineBuilder
	for _, pc := range cl {
		lb.addPiece(pc)
	}
	d.compact = add([]line{truncateLine(lb.finish(), width)})

	// The card: what the wide header says, for the first page of a narrow screen.
	var card []line
	if headline != "" {
		card = append(card, wrap([]piece{{headline, attrStrong, ""}}, width, nil, nil)...)
	}
	if loc := field(p.Location); loc != "" {
		card = append(card, wrap([]piece{{loc, attrMuted, ""}}, width, nil, nil)...)
	}
	for _, c := range contactsOf(p) {
		card = append(card, wrap([]piece{{contactLabel(c, w) + ": ", attrMuted, ""}, {c.Shown(g.sep), attrLink, c.URL}}, width, nil, nil)...)
	}
	if len(card) > 0 {
		card = append(card, line{})
	}
	d.card = add(card)

	intro := renderBlocks(p.Intro, width, g)
	if len(intro) > 0 {
		intro = append(intro, line{})
	}
	d.intro = add(intro)

	for _, s := range p.Sections {
		body := renderBlocks(s.Blocks, width, g)
		d.sections = append(d.sections, docSection{title: tabTitle(s.Title, w), body: add(body)})
	}
	if len(d.sections) == 0 {
		// A profile with no sections still has a page: its intro (or its card).
		d.sections = append(d.sections, docSection{title: w.get(wAbout), body: lineRange{len(d.lines), len(d.lines)}})
	}
	return d
}

// joinTwo joins two lines with a space (used to fold an overlong headline).
func joinTwo(a, b line) line {
	var lb lineBuilder
	lb.add(a.text+" "+b.text, 0, "", a.width+1+b.width)
	return lb.finish()
}

// joinWrapped lays items out separated by sep, breaking lines between items only.
func joinWrapped(items [][]piece, sep piece, width int) []line {
	var lines []line
	var lb lineBuilder
	sepW := textWidth(sep.text)
	for _, it := range items {
		w := piecesWidth(it)
		if !lb.empty() && lb.width+sepW+w > width {
			lines = append(lines, lb.finish())
		}
		if !lb.empty() {
			lb.addPiece(sep)
		}
		if w > width {
			// An item wider than the screen wraps on its own lines.
			if !lb.empty() {
				lines = append(lines, lb.finish())
			}
			lines = append(lines, wrap(it, width, nil, nil)...)
			continue
		}
		for _, pc := range it {
			lb.addPiece(pc)
		}
	}
	if !lb.empty() {
		lines = append(lines, lb.finish())
	}
	return lines
}

// contactsOf lists the contacts a terminal may link to (see profiles.Contacts).
func contactsOf(p *profiles.Profile) []profiles.Contact {
	all := p.Contacts()
	out := all[:0]
	for _, c := range all {
		if c.URL != "" {
			out = append(out, c)
		}
	}
	return out
}

// fullAddress is a contact as linear output writes it: a web address in full.
func fullAddress(c profiles.Contact, sep string) string {
	if c.Kind == profiles.ContactWeb {
		c.Text = c.URL
	}
	return c.Shown(sep)
}

// field makes a one-line profile field safe and tidy: no escapes, no line breaks.
func field(s string) string {
	s = profiles.Sanitize(s)
	if strings.ContainsAny(s, "\n\t") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return strings.TrimSpace(s)
}

// tabTitle is a section title as a tab label (see doc.Section.Heading), in w when the
// section has no title of its own.
func tabTitle(t string, w *words) string {
	if doc.CleanTitle(field(t)) == "" {
		return w.get(wSectionTitle)
	}
	return doc.Section{Title: field(t)}.Heading()
}

// contactLabel is what the card calls a contact, in w: "E-Mail", "Telefon", or the
// link's own label.
func contactLabel(c profiles.Contact, w *words) string {
	switch {
	case c.Kind == profiles.ContactEmail:
		return w.get(wEmail)
	case c.Kind == profiles.ContactPhone:
		return w.get(wPhone)
	case c.Label == "":
		return w.get(wWebLabel)
	}
	return c.Label
}

// linearLines lays the whole profile out for reading top to bottom: the plain-text and
// ANSI outputs. Addresses are written in full; titles are underlined with glyphs.
func linearLines(p *profiles.Profile, width int, g *glyphs, fancy bool, w *words) []line {
	var out []line
	name := field(p.Name)
	if name == "" {
		name = p.Handle
	}
	out = append(out, wrap([]piece{{name, attrName, ""}}, width, nil, nil)...)
	out = append(out, plainLine(strings.Repeat(g.name, min(textWidth(name), width)), attrRule))
	if h := field(p.Headline); h != "" {
		out = append(out, wrap([]piece{{h, attrStrong, ""}}, width, nil, nil)...)
	}
	if loc := field(p.Location); loc != "" {
		out = append(out, wrap([]piece{{loc, attrMuted, ""}}, width, nil, nil)...)
	}
	if cs := contactsOf(p); len(cs) > 0 {
		out = append(out, line{})
		for _, c := range cs {
			out = append(out, wrap([]piece{{contactLabel(c, w) + ": ", attrMuted, ""}, {fullAddress(c, g.sep), attrLink, c.URL}}, width, nil, nil)...)
		}
	}
	if intro := renderBlocks(p.Intro, width, g); len(intro) > 0 {
		out = append(out, line{})
		out = append(out, intro...)
	}
	for _, s := range p.Sections {
		title := tabTitle(s.Title, w)
		out = append(out, line{})
		out = append(out, wrap([]piece{{title, attrHeading, ""}}, width, nil, nil)...)
		out = append(out, plainLine(strings.Repeat(g.title, min(textWidth(title), width)), attrRule))
		if body := renderBlocks(s.Blocks, width, g); len(body) > 0 {
			out = append(out, line{})
			out = append(out, body...)
		}
	}
	if !fancy {
		for i := range out {
			out[i].spans = nil
		}
	}
	return out
}
