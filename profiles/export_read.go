package profiles

import (
	"regexp"
	"strings"

	"github.com/sshcv/sshcv/profiles/doc"
)

// This file reads a section's blocks back into entries: CV sections are written the
// same few ways (a "### " heading per entry, a line of dates, a bold role or degree
// leading a paragraph, a list of highlights), and that is what is read. It reads the
// document's inlines; what it hands on as text for the schema's Markdown fields
// (summaries, highlights) is written from them with doc.Markdown.

var (
	durationText = regexp.MustCompile(`(?i)^\d+\s*(years?|yrs?|months?|mos?)\b`)
	bareURL      = regexp.MustCompile(`^<?((?:https?|mailto):[^\s>]+)>?$`)
)

// span is a run of inline text: a line of a paragraph, a heading, a part of a line.
type span []doc.Inline

// para makes inlines a paragraph block.
func para(s span) []doc.Block {
	if s = span(doc.TrimBreaks(s)); len(s) == 0 {
		return nil
	}
	return []doc.Block{{Kind: doc.Paragraph, Inlines: s}}
}

// plain is the span's text as a reader sees it, on one line.
func (s span) plain() string { return singleLine(doc.PlainText(s)) }

// firstLink is the target of the first link in the span.
func (s span) firstLink() string {
	for _, n := range s {
		if n.Kind == doc.Link && n.URL != "" {
			return n.URL
		}
		if u := span(n.Children).firstLink(); u != "" {
			return u
		}
	}
	return ""
}

// withoutAddresses drops the links written as their own address (<https://…>).
func (s span) withoutAddresses() span {
	var out span
	for _, n := range s {
		if n.Kind == doc.Link && n.Auto {
			continue
		}
		out = append(out, n)
	}
	return out
}

// lines cuts the span at its line breaks.
func (s span) lines() []span {
	out := []span{nil}
	for _, n := range s {
		if n.Kind == doc.LineBreak || n.Kind == doc.SoftBreak {
			out = append(out, nil)
			continue
		}
		out[len(out)-1] = append(out[len(out)-1], n)
	}
	return out
}

// rest is what follows the span's first line.
func (s span) rest() span {
	for i, n := range s {
		if n.Kind == doc.LineBreak || n.Kind == doc.SoftBreak {
			return s[i+1:]
		}
	}
	return nil
}

// boldLead splits a span that starts with strong text into that text and the rest.
func (s span) boldLead() (bold, rest span, ok bool) {
	s = span(doc.TrimBreaks(s))
	if len(s) == 0 || s[0].Kind != doc.Strong {
		return nil, nil, false
	}
	bold = s[0].Children
	return bold, s[1:], bold.plain() != ""
}

// split cuts the span at each sep inside its text.
func (s span) split(sep string) []span {
	out := []span{nil}
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

// blocksPlain is the text of blocks on one line, as a reader sees it.
func blocksPlain(blocks []doc.Block) string {
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
	return singleLine(strings.Join(parts, " "))
}

// blocksLink is the target of the first link in blocks.
func blocksLink(blocks []doc.Block) string {
	for _, b := range blocks {
		if u := span(b.Inlines).firstLink(); u != "" {
			return u
		}
		for _, item := range b.Items {
			if u := blocksLink(item); u != "" {
				return u
			}
		}
		if u := blocksLink(b.Children); u != "" {
			return u
		}
	}
	return ""
}

// mdEntry is one entry of a section as written.
type mdEntry struct {
	heading    string        // the entry's title, plain text
	place      string        // what follows " · " in the heading (a city, a team)
	start, end string        // dates, ISO where recognised
	current    bool          // the dates run to the present
	url        string        // the entry's link, from its facts line or heading
	bold       string        // a bold fact (a role) in the facts line
	facts      []string      // other facts of the facts line
	duration   string        // "1 year, 6 months"
	paragraphs [][]doc.Block // the entry's text, a paragraph (or quote) each
	items      [][]doc.Block // list items
	roles      []mdEntry
}

// summary is the entry's text as Markdown.
func (e mdEntry) summary() string {
	var parts []string
	for _, p := range e.paragraphs {
		if md := doc.Markdown(p); md != "" {
			parts = append(parts, md)
		}
	}
	return strings.Join(parts, "\n\n")
}

// link is the target of the first link in the entry's text.
func (e mdEntry) link() string {
	for _, p := range e.paragraphs {
		if u := blocksLink(p); u != "" {
			return u
		}
	}
	return ""
}

// text is the entry's text on one line, as a reader sees it.
func (e mdEntry) text() string {
	var parts []string
	for _, p := range e.paragraphs {
		parts = append(parts, blocksPlain(p))
	}
	return singleLine(strings.Join(parts, " "))
}

// readSection splits a section body into entries. Entries are "### " subsections; in a
// section without them, bold-led paragraphs, list items or block quotes are the entries.
// loose is what belongs to no entry, a block each.
func readSection(body []doc.Block, itemsAreEntries bool) (entries []mdEntry, loose [][]doc.Block) {
	var preamble []doc.Block
	var chunks [][]doc.Block
	var headings []span
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
	_, _, ok := span(span(bl.Inlines).lines()[0]).boldLead()
	return ok
}

// quoteEntry reads a quotation and its "— Name, title" attribution on its last line.
func quoteEntry(children []doc.Block) mdEntry {
	if n := len(children); n > 0 && children[n-1].Kind == doc.Paragraph {
		last := children[n-1]
		lines := span(last.Inlines).lines()
		final := lines[len(lines)-1].plain()
		for _, dash := range []string{"— ", "– ", "-- ", "- "} {
			if strings.HasPrefix(final, dash) {
				text := append([]doc.Block(nil), children[:n-1]...)
				cut := len(last.Inlines) - len(lines[len(lines)-1])
				text = append(text, para(span(last.Inlines[:cut]))...)
				return mdEntry{heading: strings.TrimPrefix(final, dash), paragraphs: [][]doc.Block{text}}
			}
		}
	}
	return mdEntry{paragraphs: [][]doc.Block{children}}
}

// readEntry reads an entry from its heading (may be empty) and its blocks.
func readEntry(heading span, blocks []doc.Block) mdEntry {
	var e mdEntry
	if len(heading) > 0 {
		e.setHeading(heading)
	}
	for i, bl := range blocks {
		switch bl.Kind {
		case doc.Paragraph:
			if e.readParagraph(span(bl.Inlines), i) {
				continue
			}
			if len(e.roles) > 0 {
				r := &e.roles[len(e.roles)-1]
				r.paragraphs = append(r.paragraphs, []doc.Block{bl})
				continue
			}
			e.paragraphs = append(e.paragraphs, []doc.Block{bl})
		case doc.List:
			if len(e.roles) > 0 {
				r := &e.roles[len(e.roles)-1]
				r.items = append(r.items, bl.Items...)
			} else {
				e.items = append(e.items, bl.Items...)
			}
		case doc.Quote:
			e.paragraphs = append(e.paragraphs, bl.Children)
		default:
			e.paragraphs = append(e.paragraphs, []doc.Block{bl})
		}
	}
	return e
}

// readParagraph reads a paragraph that titles the entry or one of its roles in bold,
// or whose first line is the entry's facts; it reports whether the paragraph was one.
func (e *mdEntry) readParagraph(p span, i int) bool {
	first, rest := p.lines()[0], p.rest()
	if bold, after, ok := first.boldLead(); ok {
		target := e
		if e.heading != "" || i > 0 {
			e.roles = append(e.roles, mdEntry{})
			target = &e.roles[len(e.roles)-1]
		}
		// The bold text titles this entry (a list item, a degree) or a role in it; the
		// rest of its line is facts, or the start of the text.
		target.setHeading(bold)
		if !target.readFacts(after) {
			rest = append(append(span(nil), after...), append(span{{Kind: doc.LineBreak}}, rest...)...)
		}
		if text := para(rest); text != nil {
			target.paragraphs = append(target.paragraphs, text)
		}
		return true
	}
	if len(e.paragraphs) == 0 && len(e.roles) == 0 && e.readFacts(first) {
		if text := para(rest); text != nil {
			e.paragraphs = append(e.paragraphs, text)
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
func (e *mdEntry) setHeading(heading span) {
	if u := heading.firstLink(); u != "" && e.url == "" {
		e.url = u
		heading = heading.withoutAddresses()
	}
	h := strings.TrimSpace(strings.TrimRight(heading.plain(), ":"))
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
			e.duration = h[m[2]:m[3]]
			h = h[:m[0]]
			continue
		}
		break
	}
	h = headingLabel.ReplaceAllString(h, "")
	h = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), ":-–—"))
	if name, place, ok := strings.Cut(h, " · "); ok {
		h, e.place = strings.TrimSpace(name), strings.TrimSpace(place)
	}
	e.heading = h
}

func (e *mdEntry) setDates(start, end string, current bool) {
	if e.start == "" && e.end == "" && !e.current {
		e.start, e.end, e.current = start, end, current
	}
}

// readFacts reads a line of facts separated by " · ": dates (also in a code span), a
// URL, a bold role, a duration. It reports whether the line was one: every part known,
// or at least a date and a URL among them.
func (e *mdEntry) readFacts(line span) bool {
	if strings.Trim(line.plain(), " ·,") == "" {
		return false
	}
	var (
		found  mdEntry
		known  int
		others []span
	)
	for _, part := range line.split(" · ") {
		part = span(doc.TrimBreaks(part))
		plain := strings.Trim(part.plain(), "·, ")
		if start, end, current, ok := parseDateRange(plain); ok {
			found.setDates(start, end, current)
			known++
		} else if u := part.address(); u != "" {
			found.url = u
			known++
		} else if durationText.MatchString(plain) {
			found.duration = plain
			known++
		} else if bold, after, ok := part.boldLead(); ok && strings.TrimSpace(after.plain()) == "" {
			found.bold = bold.plain()
			known++
		} else if plain != "" {
			others = append(others, part)
		}
	}
	if known == 0 {
		return false
	}
	e.setDates(found.start, found.end, found.current)
	if e.url == "" {
		e.url = found.url
	}
	if e.duration == "" {
		e.duration = found.duration
	}
	if found.bold != "" {
		e.bold = found.bold
	}
	for _, o := range others {
		if u := o.firstLink(); u != "" && e.url == "" {
			e.url = u
		}
		if s := strings.Trim(o.plain(), " ,"); s != "" {
			e.facts = append(e.facts, s)
		}
	}
	return true
}

// address is the URL a part of a facts line is, when it is nothing but an address:
// a link written as its own address, or a bare URL.
func (s span) address() string {
	if len(s) == 1 && s[0].Kind == doc.Link && doc.SameAddress(doc.PlainText(s[0].Children), s[0].URL) {
		return s[0].URL
	}
	if m := bareURL.FindStringSubmatch(s.plain()); m != nil && len(s) == 1 && s[0].Kind == doc.Text {
		return m[1]
	}
	return ""
}

// parseDateRange reads a span of dates as CVs write it (see doc.ParseDates) into
// schema dates.
func parseDateRange(s string) (start, end string, current, ok bool) {
	r, ok := doc.ParseDates(s)
	return r.Start.ISO(), r.End.ISO(), r.Current, ok
}

// splitKeywords splits "Ansible, Chef (x, y), Rackspace" at top-level commas.
func splitKeywords(s string) []string {
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
	return nonEmpty(out...)
}
