// Package sections reads the blocks of a CV section back into entries: CV sections are
// written the same few ways (a "### " heading per entry, a line of dates, a bold role or
// degree leading a paragraph, a list of highlights), and Read finds them. The Markdown
// loader builds a section's typed entries from what it reads, and the JSON Resume
// exporter maps them onto the schema.
//
// It reads the document (package doc) only; it must not import any other sshcv package
// nor a Markdown parser.
package sections

import (
	"regexp"
	"strings"

	"github.com/sshcv/sshcv/profiles/doc"
)

// Read reads a section's blocks back into entries: CV sections are written the
// same few ways (a "### " heading per entry, a line of dates, a bold role or degree
// leading a paragraph, a list of highlights), and that is what is read. It reads the
// document's inlines; what it hands on as text for the schema's Markdown fields
// (summaries, highlights) is written from them with doc.Markdown.

var (
	durationText = regexp.MustCompile(`(?i)^\d+\s*(years?|yrs?|months?|mos?)\b`)
	bareURL      = regexp.MustCompile(`^<?((?:https?|mailto):[^\s>]+)>?$`)
)

// Span is a run of inline text: a line of a paragraph, a heading, a part of a line.
type Span []doc.Inline

// Para makes inlines a paragraph block.
func Para(s Span) []doc.Block {
	if s = Span(doc.TrimBreaks(s)); len(s) == 0 {
		return nil
	}
	return []doc.Block{{Kind: doc.Paragraph, Inlines: s}}
}

// Plain is the Span's text as a reader sees it, on one line.
func (s Span) Plain() string { return doc.OneLine(doc.PlainText(s)) }

// firstLink is the target of the first link in the Span.
func (s Span) firstLink() string {
	for _, n := range s {
		if n.Kind == doc.Link && n.URL != "" {
			return n.URL
		}
		if u := Span(n.Children).firstLink(); u != "" {
			return u
		}
	}
	return ""
}

// withoutAddresses drops the links written as their own address (<https://…>).
func (s Span) withoutAddresses() Span {
	var out Span
	for _, n := range s {
		if n.Kind == doc.Link && n.Auto {
			continue
		}
		out = append(out, n)
	}
	return out
}

// Lines cuts the Span at its line breaks.
func (s Span) Lines() []Span {
	out := []Span{nil}
	for _, n := range s {
		if n.Kind == doc.LineBreak || n.Kind == doc.SoftBreak {
			out = append(out, nil)
			continue
		}
		out[len(out)-1] = append(out[len(out)-1], n)
	}
	return out
}

// Rest is what follows the Span's first line.
func (s Span) Rest() Span {
	for i, n := range s {
		if n.Kind == doc.LineBreak || n.Kind == doc.SoftBreak {
			return s[i+1:]
		}
	}
	return nil
}

// boldLead splits a Span that starts with strong text into that text and the rest.
func (s Span) boldLead() (bold, rest Span, ok bool) {
	s = Span(doc.TrimBreaks(s))
	if len(s) == 0 || s[0].Kind != doc.Strong {
		return nil, nil, false
	}
	bold = s[0].Children
	return bold, s[1:], bold.Plain() != ""
}

// split cuts the Span at each sep inside its text.
func (s Span) split(sep string) []Span {
	out := []Span{nil}
	for _, n := range doc.MergeText(s) {
		if n.Kind != doc.Text {
			out[len(out)-1] = append(out[len(out)-1], n)
			continue
		}
		parts := strings.Split(n.Text, sep)
		for i, p := range parts {
			if i > 0 {
				out = append(out, nil)
			}
			if p != "" {
				out[len(out)-1] = append(out[len(out)-1], doc.Inline{Kind: doc.Text, Text: p})
			}
		}
	}
	return out
}

// BlocksPlain is the text of blocks on one line, as a reader sees it.
func BlocksPlain(blocks []doc.Block) string {
	var parts []string
	var walk func([]doc.Block)
	walk = func(bs []doc.Block) {
		for _, b := range bs {
			if t := doc.PlainText(b.Inlines); strings.TrimSpace(t) != "" {
				parts = append(parts, t)
			}
			if b.Kind == doc.CodeBlock {
				parts = append(parts, b.Text)
			}
			for _, item := range b.Items {
				walk(item)
			}
			walk(b.Children)
			for _, row := range b.Rows {
				for _, cell := range row {
					parts = append(parts, doc.PlainText(cell))
				}
			}
		}
	}
	walk(blocks)
	return doc.OneLine(strings.Join(parts, " "))
}

// BlocksLink is the target of the first link in blocks.
func BlocksLink(blocks []doc.Block) string {
	for _, b := range blocks {
		if u := Span(b.Inlines).firstLink(); u != "" {
			return u
		}
		for _, item := range b.Items {
			if u := BlocksLink(item); u != "" {
				return u
			}
		}
		if u := BlocksLink(b.Children); u != "" {
			return u
		}
	}
	return ""
}

// Entry is one entry of a section as written.
type Entry struct {
	Heading    string        // the entry's title, plain text
	Place      string        // what follows " · " in the heading (a city, a team)
	Start, End string        // dates, ISO where recognised
	Current    bool          // the dates run to the present
	URL        string        // the entry's link, from its facts line or heading
	Bold       string        // a bold fact (a role) in the facts line
	Facts      []string      // other facts of the facts line
	Duration   string        // "1 year, 6 months"
	Paragraphs [][]doc.Block // the entry's text, a paragraph (or quote) each
	Items      [][]doc.Block // list items
	Roles      []Entry
}

// Summary is the entry's text as Markdown.
func (e Entry) Summary() string {
	var parts []string
	for _, p := range e.Paragraphs {
		if md := doc.Markdown(p); md != "" {
			parts = append(parts, md)
		}
	}
	return strings.Join(parts, "\n\n")
}

// Link is the target of the first link in the entry's text.
func (e Entry) Link() string {
	for _, p := range e.Paragraphs {
		if u := BlocksLink(p); u != "" {
			return u
		}
	}
	return ""
}

// Text is the entry's text on one line, as a reader sees it.
func (e Entry) Text() string {
	parts := make([]string, 0, len(e.Paragraphs))
	for _, p := range e.Paragraphs {
		parts = append(parts, BlocksPlain(p))
	}
	return doc.OneLine(strings.Join(parts, " "))
}

// Read splits a section body into entries. Entries are "### " subsections; in a
// section without them, bold-led paragraphs, list items or block quotes are the entries.
// loose is what belongs to no entry, a block each.
func Read(body []doc.Block, itemsAreEntries bool) (entries []Entry, loose [][]doc.Block) {
	var preamble []doc.Block
	var chunks [][]doc.Block
	var headings []Span
	for _, bl := range body {
		if bl.Kind == doc.Heading {
			if len(doc.TrimBreaks(bl.Inlines)) == 0 {
				continue
			}
			headings = append(headings, bl.Inlines)
			chunks = append(chunks, nil)
			continue
		}
		if len(chunks) == 0 {
			preamble = append(preamble, bl)
		} else {
			chunks[len(chunks)-1] = append(chunks[len(chunks)-1], bl)
		}
	}
	for _, bl := range preamble {
		switch {
		case bl.Kind == doc.Paragraph && hasBoldLead(bl):
			entries = append(entries, readEntry(nil, []doc.Block{bl}))
		case bl.Kind == doc.List && itemsAreEntries:
			for _, item := range bl.Items {
				entries = append(entries, readEntry(nil, item))
			}
		case bl.Kind == doc.Quote:
			entries = append(entries, quoteEntry(bl.Children))
		default:
			if doc.Markdown([]doc.Block{bl}) != "" {
				loose = append(loose, []doc.Block{bl})
			}
		}
	}
	for i, h := range headings {
		entries = append(entries, readEntry(h, chunks[i]))
	}
	return entries, loose
}

func hasBoldLead(bl doc.Block) bool {
	_, _, ok := Span(bl.Inlines).Lines()[0].boldLead()
	return ok
}

// quoteEntry reads a quotation and its "— Name, title" attribution on its last line.
func quoteEntry(children []doc.Block) Entry {
	if n := len(children); n > 0 && children[n-1].Kind == doc.Paragraph {
		last := children[n-1]
		lines := Span(last.Inlines).Lines()
		final := lines[len(lines)-1].Plain()
		for _, dash := range []string{"— ", "– ", "-- ", "- "} {
			if strings.HasPrefix(final, dash) {
				text := append([]doc.Block(nil), children[:n-1]...)
				cut := len(last.Inlines) - len(lines[len(lines)-1])
				text = append(text, Para(Span(last.Inlines[:cut]))...)
				return Entry{Heading: strings.TrimPrefix(final, dash), Paragraphs: [][]doc.Block{text}}
			}
		}
	}
	return Entry{Paragraphs: [][]doc.Block{children}}
}

// readEntry reads an entry from its heading (may be empty) and its blocks.
func readEntry(heading Span, blocks []doc.Block) Entry {
	var e Entry
	if len(heading) > 0 {
		e.setHeading(heading)
	}
	for i, bl := range blocks {
		switch bl.Kind {
		case doc.Paragraph:
			if e.readParagraph(Span(bl.Inlines), i) {
				continue
			}
			if len(e.Roles) > 0 {
				r := &e.Roles[len(e.Roles)-1]
				r.Paragraphs = append(r.Paragraphs, []doc.Block{bl})
				continue
			}
			e.Paragraphs = append(e.Paragraphs, []doc.Block{bl})
		case doc.List:
			if len(e.Roles) > 0 {
				r := &e.Roles[len(e.Roles)-1]
				r.Items = append(r.Items, bl.Items...)
			} else {
				e.Items = append(e.Items, bl.Items...)
			}
		case doc.Quote:
			e.Paragraphs = append(e.Paragraphs, bl.Children)
		default:
			e.Paragraphs = append(e.Paragraphs, []doc.Block{bl})
		}
	}
	return e
}

// readParagraph reads a paragraph that titles the entry or one of its roles in bold,
// or whose first line is the entry's facts; it reports whether the paragraph was one.
func (e *Entry) readParagraph(p Span, i int) bool {
	first, rest := p.Lines()[0], p.Rest()
	if bold, after, ok := first.boldLead(); ok {
		target := e
		if e.Heading != "" || i > 0 {
			e.Roles = append(e.Roles, Entry{})
			target = &e.Roles[len(e.Roles)-1]
		}
		// The bold text titles this entry (a list item, a degree) or a role in it; the
		// rest of its line is facts, or the start of the text.
		target.setHeading(bold)
		if !target.readFacts(after) {
			rest = append(append(Span(nil), after...), append(Span{{Kind: doc.LineBreak}}, rest...)...)
		}
		if text := Para(rest); text != nil {
			target.Paragraphs = append(target.Paragraphs, text)
		}
		return true
	}
	if len(e.Paragraphs) == 0 && len(e.Roles) == 0 && e.readFacts(first) {
		if text := Para(rest); text != nil {
			e.Paragraphs = append(e.Paragraphs, text)
		}
		return true
	}
	return false
}

// headingLabel is a "Company: " style label before a heading's title.
var headingLabel = regexp.MustCompile(`(?i)^(company|employer|organi[sz]ation|project|role|position|title|school|institution)\s*:\s*`)

// trailingParens is a parenthesised part at the end of a heading: "(January 2016 - present)".
var trailingParens = regexp.MustCompile(`\s*\(([^()]*)\)\s*:?\s*$`)

// setHeading reads a heading: its URL, its dates in parentheses, a " · place".
func (e *Entry) setHeading(heading Span) {
	if u := heading.firstLink(); u != "" && e.URL == "" {
		e.URL = u
		heading = heading.withoutAddresses()
	}
	h := strings.TrimSpace(strings.TrimRight(heading.Plain(), ":"))
	for {
		m := trailingParens.FindStringSubmatchIndex(h)
		if m == nil {
			break
		}
		if start, end, current, ok := parseDateRange(h[m[2]:m[3]]); ok {
			e.setDates(start, end, current)
			h = h[:m[0]]
			continue
		}
		if durationText.MatchString(h[m[2]:m[3]]) {
			e.Duration = h[m[2]:m[3]]
			h = h[:m[0]]
			continue
		}
		break
	}
	h = headingLabel.ReplaceAllString(h, "")
	h = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), ":-–—"))
	if name, place, ok := strings.Cut(h, " · "); ok {
		h, e.Place = strings.TrimSpace(name), strings.TrimSpace(place)
	}
	e.Heading = h
}

func (e *Entry) setDates(start, end string, current bool) {
	if e.Start == "" && e.End == "" && !e.Current {
		e.Start, e.End, e.Current = start, end, current
	}
}

// readFacts reads a line of facts separated by " · ": dates (also in a code Span), a
// URL, a bold role, a duration. It reports whether the line was one: every part known,
// or at least a date and a URL among them.
func (e *Entry) readFacts(line Span) bool {
	if strings.Trim(line.Plain(), " ·,") == "" {
		return false
	}
	var (
		found  Entry
		known  int
		others []Span
	)
	for _, part := range line.split(" · ") {
		part = Span(doc.TrimBreaks(part))
		plain := strings.Trim(part.Plain(), "·, ")
		if start, end, current, ok := parseDateRange(plain); ok {
			found.setDates(start, end, current)
			known++
		} else if u := part.address(); u != "" {
			found.URL = u
			known++
		} else if durationText.MatchString(plain) {
			found.Duration = plain
			known++
		} else if bold, after, ok := part.boldLead(); ok && strings.TrimSpace(after.Plain()) == "" {
			found.Bold = bold.Plain()
			known++
		} else if plain != "" {
			others = append(others, part)
		}
	}
	if known == 0 {
		return false
	}
	e.setDates(found.Start, found.End, found.Current)
	if e.URL == "" {
		e.URL = found.URL
	}
	if e.Duration == "" {
		e.Duration = found.Duration
	}
	if found.Bold != "" {
		e.Bold = found.Bold
	}
	for _, o := range others {
		if u := o.firstLink(); u != "" && e.URL == "" {
			e.URL = u
		}
		if s := strings.Trim(o.Plain(), " ,"); s != "" {
			e.Facts = append(e.Facts, s)
		}
	}
	return true
}

// address is the URL a part of a facts line is, when it is nothing but an address:
// a link written as its own address, or a bare URL.
func (s Span) address() string {
	if len(s) == 1 && s[0].Kind == doc.Link && doc.SameAddress(doc.PlainText(s[0].Children), s[0].URL) {
		return s[0].URL
	}
	if m := bareURL.FindStringSubmatch(s.Plain()); m != nil && len(s) == 1 && s[0].Kind == doc.Text {
		return m[1]
	}
	return ""
}

// parseDateRange reads a Span of dates as CVs write it (see doc.ParseDates) into
// schema dates.
func parseDateRange(s string) (start, end string, current, ok bool) {
	r, ok := doc.ParseDates(s)
	return r.Start.ISO(), r.End.ISO(), r.Current, ok
}

// SplitKeywords splits "Ansible, Chef (x, y), Rackspace" at top-level commas.
func SplitKeywords(s string) []string {
	var out []string
	depth, startAt := 0, 0
	for i, r := range s {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			depth = max(depth-1, 0)
		case ',':
			if depth == 0 {
				out = append(out, s[startAt:i])
				startAt = i + 1
			}
		}
	}
	out = append(out, s[startAt:])
	return doc.NonEmpty(out...)
}
