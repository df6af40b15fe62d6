package profiles

import (
	"regexp"
	"strings"

	"github.com/sshcv/sshcv/profiles/doc"
)

// This file reads the Markdown of a section back into entries: CV sections
// are written the same few ways (a "### " heading per entry, a line of dates, a bold
// role or degree leading a paragraph, a list of highlights), and that is what is read.

// mdBlock is a top-level block of a section body.
type mdBlock struct {
	kind     byte // 'p' paragraph, 'l' list, 'q' quote, 'h' heading, 'c' code, 't' table
	level    int  // heading level
	text     string
	items    [][]doc.Block // list
	children []doc.Block   // quote
}

var (
	boldLead     = regexp.MustCompile(`^(?:\*\*|__)(.+?)(?:\*\*|__)(.*)$`)
	durationText = regexp.MustCompile(`(?i)^\d+\s*(years?|yrs?|months?|mos?)\b`)
	bareURL      = regexp.MustCompile(`^<?((?:https?|mailto):[^\s>]+)>?$`)
	mdLink       = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	angleLink    = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
)

// mdBlocksOf lists a body's top-level blocks with the Markdown the writer gives each
// (doc.Markdown): the blocks come from the document, only their inline text is read.
func mdBlocksOf(blocks []doc.Block) []mdBlock {
	out := make([]mdBlock, 0, len(blocks))
	for _, b := range blocks {
		md := doc.Markdown([]doc.Block{b})
		if md == "" {
			continue
		}
		mb := mdBlock{text: md}
		switch b.Kind {
		case doc.Heading:
			mb.kind, mb.level = 'h', min(max(b.Level, 3), 6)
			mb.text = strings.TrimSpace(strings.TrimLeft(md, "#"))
		case doc.List:
			mb.kind, mb.items = 'l', b.Items
		case doc.Quote:
			mb.kind, mb.children = 'q', b.Children
		case doc.CodeBlock:
			mb.kind = 'c'
		case doc.Table:
			mb.kind = 't'
		default:
			mb.kind = 'p'
		}
		out = append(out, mb)
	}
	return out
}

// itemTexts are list items as the writer gives them, one Markdown string each.
func itemTexts(items [][]doc.Block) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if md := doc.Markdown(it); md != "" {
			out = append(out, md)
		}
	}
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// mdPlain turns inline Markdown into plain text: links become their text, emphasis
// and code markers go, white space folds.
func mdPlain(s string) string {
	s = mdLink.ReplaceAllString(s, "$1")
	s = angleLink.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("**", "", "__", "", "`", "", "\\", "").Replace(s)
	s = italicMarks.ReplaceAllString(s, "$1$2$3")
	return singleLine(s)
}

var italicMarks = regexp.MustCompile(`(^|[\s(])[*_]([^*_\n]+)[*_]([\s).,;:!?]|$)`)

// firstLink returns the first URL linked in s.
func firstLink(s string) string {
	if m := mdLink.FindStringSubmatch(s); m != nil {
		return m[2]
	}
	if m := angleLink.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// mdEntry is one entry of a section as written.
type mdEntry struct {
	heading    string   // the entry's title, plain text
	place      string   // what follows " · " in the heading (a city, a team)
	start, end string   // dates, ISO where recognised
	current    bool     // the dates run to the present
	url        string   // the entry's link, from its facts line or heading
	bold       string   // a bold fact (a role) in the facts line
	facts      []string // other facts of the facts line
	duration   string   // "1 year, 6 months"
	paragraphs []string // Markdown
	items      []string // list items, Markdown
	roles      []mdEntry
}

func (e mdEntry) summary() string { return strings.Join(e.paragraphs, "\n\n") }

// readSection splits a section body into entries. Entries are "### " subsections; in a
// section without them, bold-led paragraphs, list items or block quotes are the entries.
// loose is the Markdown that belongs to no entry.
func readSection(body []doc.Block, itemsAreEntries bool) (entries []mdEntry, loose []string) {
	blocks := mdBlocksOf(body)
	var preamble []mdBlock
	var chunks [][]mdBlock
	var headings []string
	for _, bl := range blocks {
		if bl.kind == 'h' && bl.level >= 3 {
			headings = append(headings, bl.text)
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
		case bl.kind == 'p' && boldLead.MatchString(firstLine(bl.text)):
			entries = append(entries, readEntry("", []mdBlock{bl}))
		case bl.kind == 'l' && itemsAreEntries:
			for _, item := range bl.items {
				entries = append(entries, readEntry("", mdBlocksOf(item)))
			}
		case bl.kind == 'q':
			entries = append(entries, quoteEntry(doc.Markdown(bl.children)))
		default:
			loose = append(loose, bl.text)
		}
	}
	for i, h := range headings {
		entries = append(entries, readEntry(h, chunks[i]))
	}
	return entries, loose
}

// quoteEntry reads a quotation and its "— Name, title" attribution.
func quoteEntry(q string) mdEntry {
	lines := strings.Split(q, "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	for _, dash := range []string{"— ", "– ", "-- ", "- "} {
		if strings.HasPrefix(last, dash) {
			return mdEntry{heading: mdPlain(strings.TrimPrefix(last, dash)), paragraphs: []string{strings.TrimSpace(strings.Join(lines[:len(lines)-1], "\n"))}}
		}
	}
	return mdEntry{paragraphs: []string{q}}
}

// readEntry reads an entry from its heading (may be empty) and its blocks.
func readEntry(heading string, blocks []mdBlock) mdEntry {
	var e mdEntry
	if heading != "" {
		e.setHeading(heading)
	}
	for i, bl := range blocks {
		switch bl.kind {
		case 'p':
			first, rest, _ := strings.Cut(bl.text, "\n")
			if m := boldLead.FindStringSubmatch(first); m != nil {
				target := &e
				if e.heading != "" || i > 0 {
					e.roles = append(e.roles, mdEntry{})
					target = &e.roles[len(e.roles)-1]
				}
				// The bold text titles this entry (a list item, a degree) or a role in it;
				// the rest of its line is facts, or the start of the text.
				target.setHeading(m[1])
				if !target.readFacts(m[2]) {
					rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m[2]), "\\") + "\n" + rest)
				}
				if rest = strings.TrimSpace(rest); rest != "" {
					target.paragraphs = append(target.paragraphs, rest)
				}
				continue
			}
			if len(e.paragraphs) == 0 && len(e.roles) == 0 && e.readFacts(first) {
				if rest = strings.TrimSpace(rest); rest != "" {
					e.paragraphs = append(e.paragraphs, rest)
				}
				continue
			}
			if len(e.roles) > 0 {
				r := &e.roles[len(e.roles)-1]
				r.paragraphs = append(r.paragraphs, bl.text)
				continue
			}
			e.paragraphs = append(e.paragraphs, bl.text)
		case 'l':
			items := itemTexts(bl.items)
			if len(e.roles) > 0 {
				r := &e.roles[len(e.roles)-1]
				r.items = append(r.items, items...)
			} else {
				e.items = append(e.items, items...)
			}
		case 'q':
			e.paragraphs = append(e.paragraphs, doc.Markdown(bl.children))
		default:
			e.paragraphs = append(e.paragraphs, bl.text)
		}
	}
	return e
}

// headingLabel is a "Company: " style label before a heading's title.
var headingLabel = regexp.MustCompile(`(?i)^(company|employer|organi[sz]ation|project|role|position|title|school|institution)\s*:\s*`)

// trailingParens is a parenthesised part at the end of a heading: "(January 2016 - present)".
var trailingParens = regexp.MustCompile(`\s*\(([^()]*)\)\s*:?\s*$`)

// setHeading reads a heading: its URL, its dates in parentheses, a " · place".
func (e *mdEntry) setHeading(h string) {
	if u := firstLink(h); u != "" && e.url == "" {
		e.url = u
		h = angleLink.ReplaceAllString(h, "")
	}
	h = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), ":"))
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
	h = headingLabel.ReplaceAllString(mdPlain(h), "")
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
func (e *mdEntry) readFacts(line string) bool {
	line = strings.TrimSpace(strings.TrimSuffix(strings.TrimRight(line, " "), "\\"))
	line = strings.TrimPrefix(strings.TrimPrefix(line, "·"), ",")
	line = strings.TrimSpace(line)
	if line == "" {
		return false
	}
	var (
		found  mdEntry
		known  int
		others []string
	)
	parts := strings.Split(line, " · ")
	for _, part := range parts {
		part = strings.TrimSpace(part)
		plain := strings.Trim(part, "`*_ ")
		if start, end, current, ok := parseDateRange(plain); ok {
			found.setDates(start, end, current)
			known++
		} else if m := bareURL.FindStringSubmatch(part); m != nil {
			found.url = m[1]
			known++
		} else if durationText.MatchString(plain) {
			found.duration = plain
			known++
		} else if b := boldLead.FindStringSubmatch(part); b != nil && strings.TrimSpace(b[2]) == "" {
			found.bold = mdPlain(b[1])
			known++
		} else {
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
		if u := firstLink(o); u != "" && e.url == "" {
			e.url = u
		}
		if o = strings.Trim(mdPlain(o), " ,"); o != "" {
			e.facts = append(e.facts, o)
		}
	}
	return true
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
