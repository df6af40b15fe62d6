package profiles

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sshcv/sshcv/profiles/doc"
)

// resumeSchemaURL is the JSON Schema an exported document declares.
const resumeSchemaURL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"

// ExportMarkdown writes p as a Markdown profile: front matter with the header facts,
// "# Name", the intro, and one "## " section per tab. Loading the result gives a
// profile with the same facts.
func ExportMarkdown(p *Profile) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	yamlField(&b, "name", p.Name)
	yamlField(&b, "headline", p.Headline)
	if len(p.Aliases) > 0 {
		quoted := make([]string, len(p.Aliases))
		for i, a := range p.Aliases {
			quoted[i] = yamlScalar(a)
		}
		fmt.Fprintf(&b, "aliases: [%s]\n", strings.Join(quoted, ", "))
	}
	yamlField(&b, "location", p.Location)
	yamlField(&b, "email", p.Email)
	yamlField(&b, "phone", p.Phone)
	if len(p.Links) > 0 {
		b.WriteString("links:\n")
		for _, l := range p.Links {
			fmt.Fprintf(&b, "  - label: %s\n    url: %s\n", yamlScalar(l.Label), yamlScalar(l.URL))
			if l.Username != "" {
				fmt.Fprintf(&b, "    username: %s\n", yamlScalar(l.Username))
			}
		}
	}
	if p.Accent != "" {
		fmt.Fprintf(&b, "accent: %s\n", strconv.Quote(p.Accent))
	}
	if p.Default {
		b.WriteString("default: true\n")
	}
	b.WriteString("---\n\n# ")
	b.WriteString(singleLine(p.Name))
	b.WriteString("\n")
	if intro := doc.Markdown(p.Intro); intro != "" {
		b.WriteString("\n" + intro + "\n")
	}
	for _, s := range p.Sections {
		fmt.Fprintf(&b, "\n## %s\n", singleLine(s.Title))
		if body := doc.Markdown(s.Blocks); body != "" {
			b.WriteString("\n" + body + "\n")
		}
	}
	return b.Bytes()
}

func yamlField(b *bytes.Buffer, key, value string) {
	if value = strings.TrimSpace(value); value != "" {
		fmt.Fprintf(b, "%s: %s\n", key, yamlScalar(value))
	}
}

// plainYAML is text YAML reads back as the same string without quotes.
var plainYAML = regexp.MustCompile(`^[\pL\pN(][^:#"'\n\t\\{}\[\],&*!|>%@` + "`" + `]*$`)

// yamlScalar writes s as a YAML string: bare when that reads back as the same text,
// else double-quoted (Go's escapes are a subset of YAML's).
func yamlScalar(s string) string {
	lower := strings.ToLower(s)
	switch lower {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n":
		return strconv.Quote(s)
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.Quote(s)
	}
	if plainYAML.MatchString(s) && !strings.HasSuffix(s, " ") && !strings.Contains(s, ": ") && !strings.Contains(s, " #") {
		return s
	}
	return strconv.Quote(s)
}

// ExportJSONResume writes p as an indented JSON Resume 1.0.0 document. A profile loaded
// from JSON Resume gives back its document, unknown keys and all. A Markdown profile is
// mapped as far as its structure allows (see resumeFromMarkdown); what fits no schema
// field is kept under meta.sshcv.
func ExportJSONResume(p *Profile) ([]byte, error) {
	doc := p.Resume
	if doc == nil {
		doc = resumeFromMarkdown(p)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // "R&D" stays readable; the document is not embedded in HTML
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("%s: cannot write JSON Resume: %w", p.Source, err)
	}
	return escapeInvisible(out.Bytes()), nil
}

// escapeInvisible writes C1 controls and bidirectional overrides in JSON strings as
// \u escapes. encoding/json leaves them raw, and a terminal showing the document
// would act on them; escaped, the value is the same.
func escapeInvisible(doc []byte) []byte {
	if isClean(string(doc)) {
		return doc
	}
	var b bytes.Buffer
	for i := 0; i < len(doc); {
		r, size := utf8.DecodeRune(doc[i:])
		if (r >= 0x80 && r <= 0x9f) || isBidiControl(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.Write(doc[i : i+size])
		}
		i += size
	}
	return b.Bytes()
}

// resumeFromMarkdown maps a Markdown profile onto the JSON Resume schema. The header
// gives basics; sections are mapped by their title's words (Experience → work,
// Education → education, …), their "### " entries and bold-led paragraphs read as
// entries with a heading, a line of dates, paragraphs and a list. A section that fits
// no schema section, and the intro when an About section exists too, are kept as
// written under meta.sshcv.
func resumeFromMarkdown(p *Profile) *Resume {
	basics := &Basics{
		Name:  p.Name,
		Label: p.Headline,
		Email: p.Email,
		Phone: p.Phone,
	}
	if p.Location != "" {
		basics.Location = &Location{Address: p.Location}
	}
	for _, l := range p.Links {
		switch u := strings.ToLower(l.URL); {
		case strings.HasPrefix(u, "mailto:"):
			if basics.Email == "" {
				basics.Email = strings.TrimPrefix(l.URL[len("mailto:"):], "//")
			}
		case strings.HasPrefix(u, "tel:"):
			if basics.Phone == "" {
				basics.Phone = l.URL[len("tel:"):]
			}
		case basics.URL == "" && !isSocialNetwork(l.URL):
			basics.URL = l.URL
		default:
			username := l.Username
			if username == "" {
				username = usernameOf(l.URL)
			}
			basics.Profiles = append(basics.Profiles, ResumeProfile{Network: l.Label, Username: username, URL: l.URL})
		}
	}
	res := &Resume{Schema: resumeSchemaURL, Basics: basics}
	meta := &SSHCVMeta{Aliases: p.Aliases, Accent: p.Accent, Default: p.Default}
	// keepLoose keeps the text of a mapped section that belongs to none of its entries.
	keepLoose := func(title string, loose []string) {
		if len(loose) > 0 {
			meta.Sections = append(meta.Sections, MarkdownSection{Title: title, Markdown: strings.Join(loose, "\n\n")})
		}
	}
	about := ""
	for _, s := range p.Sections {
		body := doc.Markdown(s.Blocks)
		switch s.Kind {
		case doc.AboutSection:
			if about == "" {
				about = body
				continue
			}
		case doc.WorkSection:
			entries, loose := workEntries(body)
			res.Work = append(res.Work, entries...)
			keepLoose(s.Title, loose)
			continue
		case doc.VolunteerSection:
			entries, loose := volunteerEntries(body)
			res.Volunteer = append(res.Volunteer, entries...)
			keepLoose(s.Title, loose)
			continue
		case doc.EducationSection:
			entries, loose := educationEntries(body)
			res.Education = append(res.Education, entries...)
			keepLoose(s.Title, loose)
			continue
		case doc.AwardsSection:
			res.Awards = append(res.Awards, awardEntries(body)...)
			continue
		case doc.CertificatesSection:
			res.Certificates = append(res.Certificates, certificateEntries(body)...)
			continue
		case doc.PublicationsSection:
			res.Publications = append(res.Publications, publicationEntries(body)...)
			continue
		case doc.ProjectsSection:
			res.Projects = append(res.Projects, projectEntries(body)...)
			continue
		case doc.SkillsSection:
			res.Skills = append(res.Skills, skillEntries(body)...)
			continue
		case doc.LanguagesSection:
			res.Languages = append(res.Languages, languageEntries(body)...)
			continue
		case doc.InterestsSection:
			res.Interests = append(res.Interests, interestEntries(body)...)
			continue
		case doc.ReferencesSection:
			res.References = append(res.References, referenceEntries(body)...)
			continue
		}
		meta.Sections = append(meta.Sections, MarkdownSection{Title: s.Title, Markdown: body})
	}
	intro := doc.Markdown(p.Intro)
	switch {
	case about != "":
		basics.Summary = about
		if intro != "" {
			meta.Sections = append([]MarkdownSection{{Title: "", Markdown: intro}}, meta.Sections...)
		}
	default:
		basics.Summary = intro
	}
	res.Meta = &Meta{Version: "v1.0.0", SSHCV: meta}
	if !p.ModTime.IsZero() {
		res.Meta.LastModified = p.ModTime.UTC().Format(time.RFC3339)
	}
	return res
}

// socialHosts are sites whose links are profiles on a network rather than the owner's
// own website.
var socialHosts = []string{
	"github.com", "gitlab.com", "bitbucket.org", "linkedin.com", "twitter.com", "x.com",
	"medium.com", "hub.docker.com", "stackoverflow.com", "facebook.com", "instagram.com",
	"youtube.com", "dev.to", "mastodon", "keybase.io", "dribbble.com", "behance.net",
}

func isSocialNetwork(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	for _, h := range socialHosts {
		if host == h || strings.HasSuffix(host, "."+h) || strings.Contains(host, h) {
			return true
		}
	}
	return false
}

// usernameOf guesses the user name in a profile URL: its last path segment.
func usernameOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !isSocialNetwork(raw) {
		return ""
	}
	parts := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(parts) == 0 {
		return ""
	}
	return strings.TrimPrefix(parts[len(parts)-1], "@")
}

// The rest of this file reads the Markdown of a section back into entries: CV sections
// are written the same few ways (a "### " heading per entry, a line of dates, a bold
// role or degree leading a paragraph, a list of highlights), and that is what is read.

// mdBlock is a top-level block of a section body.
type mdBlock struct {
	kind  byte // 'p' paragraph, 'l' list, 'q' quote, 'h' heading, 'c' code, 't' table
	level int  // heading level
	text  string
}

var (
	listMarker   = regexp.MustCompile(`^( {0,3})([-*+]|\d{1,9}[.)])( +|$)`)
	headingLine  = regexp.MustCompile(`^ {0,3}(#{1,6})(?: +(.*?))?(?: +#+)? *$`)
	fenceLine    = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	boldLead     = regexp.MustCompile(`^(?:\*\*|__)(.+?)(?:\*\*|__)(.*)$`)
	durationText = regexp.MustCompile(`(?i)^\d+\s*(years?|yrs?|months?|mos?)\b`)
	bareURL      = regexp.MustCompile(`^<?((?:https?|mailto):[^\s>]+)>?$`)
	mdLink       = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	angleLink    = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
)

// splitBlocks splits Markdown into its top-level blocks. It knows what the Markdown
// writer emits: paragraphs, lists (with indented continuation lines), block quotes,
// headings, fenced code and tables.
func splitBlocks(md string) []mdBlock {
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	var blocks []mdBlock
	for i := 0; i < len(lines); {
		line := lines[i]
		switch {
		case strings.TrimSpace(line) == "":
			i++
		case headingLine.MatchString(line):
			m := headingLine.FindStringSubmatch(line)
			blocks = append(blocks, mdBlock{kind: 'h', level: len(m[1]), text: strings.TrimSpace(m[2])})
			i++
		case fenceLine.MatchString(line):
			fence := strings.TrimSpace(fenceLine.FindString(line))
			j := i + 1
			for j < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[j]), fence) {
				j++
			}
			end := min(j+1, len(lines))
			blocks = append(blocks, mdBlock{kind: 'c', text: strings.Join(lines[i:end], "\n")})
			i = end
		case listMarker.MatchString(line):
			j := i + 1
			for j < len(lines) {
				l := lines[j]
				if strings.TrimSpace(l) == "" {
					// A blank line continues the list when an item or an indented line follows.
					if j+1 < len(lines) && (listMarker.MatchString(lines[j+1]) || strings.HasPrefix(lines[j+1], "  ")) {
						j++
						continue
					}
					break
				}
				if listMarker.MatchString(l) || strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") || !startsBlock(l) {
					j++
					continue
				}
				break
			}
			blocks = append(blocks, mdBlock{kind: 'l', text: strings.Join(lines[i:j], "\n")})
			i = j
		default:
			kind := byte('p')
			if strings.HasPrefix(strings.TrimSpace(line), ">") {
				kind = 'q'
			} else if strings.HasPrefix(strings.TrimSpace(line), "|") {
				kind = 't'
			}
			j := i + 1
			for j < len(lines) && strings.TrimSpace(lines[j]) != "" && (kind != 'p' || !startsBlock(lines[j])) {
				j++
			}
			blocks = append(blocks, mdBlock{kind: kind, text: strings.Join(lines[i:j], "\n")})
			i = j
		}
	}
	return blocks
}

// startsBlock reports whether a line begins a new block even without a blank line.
func startsBlock(line string) bool {
	t := strings.TrimSpace(line)
	return headingLine.MatchString(line) || fenceLine.MatchString(line) || strings.HasPrefix(t, ">") || listMarker.MatchString(line)
}

// listItems splits a list block into its top-level items, each with its marker
// removed and its continuation lines dedented.
func listItems(list string) []string {
	var items []string
	var cur []string
	indent := -1
	flush := func() {
		if len(cur) > 0 {
			items = append(items, strings.TrimSpace(strings.Join(cur, "\n")))
		}
		cur = nil
	}
	for _, line := range strings.Split(list, "\n") {
		if m := listMarker.FindStringSubmatchIndex(line); m != nil && (indent < 0 || m[3]-m[2] <= indent) {
			if indent < 0 {
				indent = m[3] - m[2]
			}
			flush()
			cur = append(cur, line[m[1]:])
			continue
		}
		cur = append(cur, dedent(line, indent+2))
	}
	flush()
	return items
}

// dedent removes up to n leading spaces.
func dedent(line string, n int) string {
	i := 0
	for i < len(line) && i < n+2 && line[i] == ' ' {
		i++
	}
	return line[i:]
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// quoteText removes the "> " markers of a block quote.
func quoteText(q string) string {
	lines := strings.Split(q, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		l = strings.TrimPrefix(l, ">")
		lines[i] = strings.TrimPrefix(l, " ")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
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
func readSection(body string, itemsAreEntries bool) (entries []mdEntry, loose []string) {
	blocks := splitBlocks(body)
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
			for _, item := range listItems(bl.text) {
				entries = append(entries, readEntry("", splitBlocks(item)))
			}
		case bl.kind == 'q':
			entries = append(entries, quoteEntry(quoteText(bl.text)))
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
			items := listItems(bl.text)
			if len(e.roles) > 0 {
				r := &e.roles[len(e.roles)-1]
				r.items = append(r.items, items...)
			} else {
				e.items = append(e.items, items...)
			}
		case 'q':
			e.paragraphs = append(e.paragraphs, quoteText(bl.text))
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

// workEntries maps an Experience section: one work entry per role, or per entry when
// it names no roles.
func workEntries(body string) ([]Work, []string) {
	entries, loose := readSection(body, true)
	var out []Work
	for _, e := range entries {
		company, position := e.heading, e.bold
		if p, c, ok := strings.Cut(company, " — "); ok && position == "" {
			position, company = p, c
		}
		base := Work{
			Name:     company,
			Location: strings.Join(nonEmpty(append([]string{e.place}, e.facts...)...), ", "),
			URL:      e.url,
		}
		if e.duration != "" {
			base.Extra = map[string]json.RawMessage{"duration": jsonString(e.duration)}
		}
		if len(e.roles) == 0 {
			w := base
			w.Position = position
			w.StartDate, w.EndDate = e.start, e.end
			w.Summary = e.summary()
			w.Highlights = plainItems(e.items)
			out = append(out, w)
			continue
		}
		base.Description = mdPlain(strings.Join(e.paragraphs, " "))
		for i, r := range e.roles {
			w := base
			w.Position = r.heading
			w.StartDate, w.EndDate = r.start, r.end
			if w.StartDate == "" && w.EndDate == "" {
				w.StartDate, w.EndDate = e.start, e.end
			}
			w.Summary = r.summary()
			w.Highlights = plainItems(r.items)
			if i == 0 {
				w.Highlights = append(plainItems(e.items), w.Highlights...)
			}
			out = append(out, w)
		}
	}
	return out, loose
}

func volunteerEntries(body string) ([]Volunteer, []string) {
	entries, loose := readSection(body, true)
	var out []Volunteer
	for _, e := range entries {
		out = append(out, Volunteer{
			Organization: e.heading,
			Position:     e.bold,
			URL:          e.url,
			StartDate:    e.start,
			EndDate:      e.end,
			Summary:      strings.Join(nonEmpty(append(e.facts, e.summary())...), "\n\n"),
			Highlights:   plainItems(e.items),
		})
	}
	return out, loose
}

func educationEntries(body string) ([]Education, []string) {
	entries, loose := readSection(body, true)
	var out []Education
	for _, e := range entries {
		ed := Education{StudyType: e.heading, URL: e.url, StartDate: e.start, EndDate: e.end, Courses: textItems(e.items)}
		if kind, area, ok := strings.Cut(e.heading, " in "); ok {
			ed.StudyType, ed.Area = strings.TrimSpace(kind), strings.TrimSpace(area)
		}
		rest := e.paragraphs
		switch {
		case e.place != "":
			ed.Institution = e.place
		case len(e.facts) > 0:
			ed.Institution = strings.Join(e.facts, ", ")
		case len(rest) > 0 && !scoreText.MatchString(rest[0]):
			first, more, _ := strings.Cut(rest[0], "\n")
			ed.Institution = mdPlain(first)
			rest = append(nonEmpty(more), rest[1:]...)
		}
		ed.Score = mdPlain(strings.Join(rest, " "))
		out = append(out, ed)
	}
	return out, loose
}

// scoreText is a grade: "88.2%", "8.22/10", "CGPA 8.2".
var scoreText = regexp.MustCompile(`(?i)^\s*(c?gpa|grade|score|\d+(\.\d+)?\s*(%|/\s*\d+))`)

func awardEntries(body string) []Award {
	entries, loose := readSection(body, true)
	var out []Award
	for _, e := range entries {
		a := Award{Title: e.heading, Date: e.start, Awarder: e.place, Summary: e.summary()}
		if items := plainItems(e.items); len(items) > 0 {
			a.Summary = strings.TrimSpace(a.Summary + "\n\n- " + strings.Join(items, "\n- "))
		}
		if a.Title == "" {
			a.Title, a.Summary = mdPlain(a.Summary), ""
		}
		out = append(out, a)
	}
	for _, l := range loose {
		out = append(out, Award{Title: mdPlain(l)})
	}
	return out
}

func certificateEntries(body string) []Certificate {
	entries, loose := readSection(body, true)
	var out []Certificate
	for _, e := range entries {
		c := Certificate{Name: e.heading, Issuer: e.place, Date: e.start, URL: e.url}
		if c.Name == "" {
			c.Name = mdPlain(e.summary())
		}
		if c.URL == "" {
			c.URL = firstLink(e.summary())
		}
		out = append(out, c)
	}
	for _, l := range loose {
		out = append(out, Certificate{Name: mdPlain(l), URL: firstLink(l)})
	}
	return out
}

func publicationEntries(body string) []Publication {
	entries, loose := readSection(body, true)
	var out []Publication
	for _, e := range entries {
		p := Publication{Name: e.heading, Publisher: e.place, ReleaseDate: e.start, URL: e.url}
		summary := strings.Join(nonEmpty(e.summary(), itemsMarkdown(e.items)), "\n\n")
		if p.Name == "" {
			p.Name, summary = mdPlain(summary), ""
		}
		if p.URL == "" {
			p.URL = firstLink(summary)
		}
		p.Summary = summary
		out = append(out, p)
	}
	for _, l := range loose {
		out = append(out, Publication{Name: mdPlain(l), URL: firstLink(l)})
	}
	return out
}

func projectEntries(body string) []Project {
	entries, loose := readSection(body, true)
	var out []Project
	for _, e := range entries {
		p := Project{
			Name:        e.heading,
			Entity:      e.place,
			Description: e.summary(),
			StartDate:   e.start,
			EndDate:     e.end,
			URL:         e.url,
			Highlights:  plainItems(e.items),
		}
		if e.bold != "" {
			p.Roles = []string{e.bold}
		}
		if p.Name == "" {
			p.Name, p.Description = mdPlain(p.Description), ""
		}
		if p.URL == "" {
			p.URL = projectLink(p.Description, e.items)
		}
		out = append(out, p)
	}
	for _, l := range loose {
		out = append(out, Project{Description: l, URL: firstLink(l)})
	}
	return out
}

// projectLinkItem is a list item that gives a project's address: "Project: <…>".
var projectLinkItem = regexp.MustCompile(`(?i)^(project|project link|code|source|repository|repo|website|link)\s*:`)

// projectLink finds a project's own address: an item labelled as such, else the first
// link of its description.
func projectLink(description string, items []string) string {
	for _, it := range items {
		if projectLinkItem.MatchString(mdPlain(it)) {
			if u := firstLink(it); u != "" {
				return u
			}
		}
	}
	return firstLink(description)
}

func skillEntries(body string) []Skill {
	entries, loose := readSection(body, true)
	var out []Skill
	for _, e := range entries {
		s := Skill{Name: e.heading}
		for _, p := range e.paragraphs {
			s.Keywords = append(s.Keywords, splitKeywords(mdPlain(p))...)
		}
		for _, f := range e.facts {
			s.Keywords = append(s.Keywords, splitKeywords(f)...)
		}
		s.Keywords = append(s.Keywords, textItems(e.items)...)
		if s.Name == "" && len(s.Keywords) > 0 {
			// "Proficient at **Python**, **Go**": the sentence names the skill, the
			// bold words are its keywords.
			s.Name = strings.Join(s.Keywords, ", ")
			s.Keywords = boldWords(strings.Join(e.paragraphs, " "))
		}
		out = append(out, s)
	}
	for _, l := range loose {
		out = append(out, Skill{Name: mdPlain(l)})
	}
	return out
}

// boldWords returns the **bold** phrases of s, as plain text.
func boldWords(s string) []string {
	var out []string
	for _, m := range boldPhrase.FindAllStringSubmatch(s, -1) {
		out = append(out, mdPlain(m[1]))
	}
	return out
}

var boldPhrase = regexp.MustCompile(`\*\*([^*]+)\*\*`)

func languageEntries(body string) []Language {
	entries, loose := readSection(body, true)
	var out []Language
	for _, e := range entries {
		l := Language{Language: e.heading, Fluency: mdPlain(strings.Join(append(e.facts, e.paragraphs...), " "))}
		if l.Language == "" {
			l.Language, l.Fluency = l.Fluency, ""
		}
		out = append(out, l)
	}
	for _, l := range loose {
		out = append(out, Language{Language: mdPlain(l)})
	}
	return out
}

func interestEntries(body string) []Interest {
	entries, loose := readSection(body, true)
	var out []Interest
	for _, e := range entries {
		in := Interest{Name: e.heading}
		for _, p := range e.paragraphs {
			if in.Name == "" {
				in.Name = mdPlain(p)
				continue
			}
			in.Keywords = append(in.Keywords, splitKeywords(mdPlain(p))...)
		}
		in.Keywords = append(in.Keywords, textItems(e.items)...)
		out = append(out, in)
	}
	for _, l := range loose {
		out = append(out, Interest{Name: mdPlain(l)})
	}
	return out
}

func referenceEntries(body string) []Reference {
	entries, loose := readSection(body, true)
	var out []Reference
	for _, e := range entries {
		out = append(out, Reference{Name: e.heading, Reference: strings.Join(nonEmpty(e.summary(), itemsMarkdown(e.items)), "\n\n")})
	}
	for _, l := range loose {
		out = append(out, Reference{Reference: l})
	}
	return out
}

// plainItems turns list items into one-line strings. Their inline Markdown (links,
// emphasis) stays: JSON Resume themes render highlights as Markdown, and a link
// dropped would be a fact lost.
func plainItems(items []string) []string {
	var out []string
	for _, it := range items {
		if s := singleLine(it); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// textItems turns list items into plain text, for the schema's keyword lists.
func textItems(items []string) []string {
	var out []string
	for _, it := range items {
		if s := mdPlain(it); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func itemsMarkdown(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return "- " + strings.Join(items, "\n- ")
}

func jsonString(s string) json.RawMessage {
	out, _ := json.Marshal(s)
	return out
}
