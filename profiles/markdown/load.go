// Package markdown is the Markdown loader: YAML front matter, then a body whose "# "
// heading is the name and whose "## " headings start the sections, parsed once with
// goldmark (convert.go is the one place Markdown is parsed) into the document of package
// doc. The inline HTML of static-site CVs is turned into the structure it means
// (html.go, html_source.go), the header's contacts are found in the intro, the entries
// of each section are read (package sections), and inputs that would cost the parser
// far more than their size are refused first (guard.go).
//
// It builds the model (profiles/cv) and may import profiles/doc, profiles/sanitize and
// profiles/sections; it must not import profiles itself (the registry calls it), the
// other loaders, the exporters or any front end.
package markdown

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/sshcv/sshcv/profiles/cv"
	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/sanitize"
)

// Parse reads a Markdown profile: optional YAML front matter, then Markdown whose
// first "# " heading is the name, whose text before the first "## " heading is the intro,
// and whose "## " headings start the sections. name is the file's path as its owner
// knows it, used in error messages ("profiles/rohit.md:3:10: …"). The caller sets
// Handle, Source, ModTime and Hash.
//
// Intro and section bodies come out as blocks of the document (package doc) without any
// HTML: the inline HTML of static-site CVs is turned into the structure it means,
// entities are decoded, and every string passes through Sanitize. The sections of a
// kind that has entries (experience, education, …) carry them too.
func Parse(name string, data []byte) (*cv.Profile, error) {
	if err := CheckMarks(name, data); err != nil {
		return nil, err
	}
	yml, body, bodyLine, err := splitFrontMatter(name, data)
	if err != nil {
		return nil, err
	}
	if err := checkQuoteDepth(name, body, bodyLine+1); err != nil {
		return nil, err
	}
	var fm frontMatter
	if yml != nil {
		if fm, err = parseFrontMatter(name, yml); err != nil {
			return nil, err
		}
	}

	title, intro, sections := splitSections(parseBlocks([]byte(sanitize.Text(string(body))), 0))
	p := &cv.Profile{
		Name:     clean(fm.name),
		Headline: clean(fm.headline),
		Location: clean(fm.location),
		Email:    clean(fm.email),
		Phone:    clean(fm.phone),
		Aliases:  fm.aliases,
		Accent:   fm.accent,
		Default:  fm.isDefault,
		Owner:    fm.owner,
		Format:   cv.FormatMarkdown,
	}
	if p.Name == "" {
		p.Name = clean(title)
	}
	if p.Name == "" {
		return nil, cv.Errorf(name, 1, 0, `no name: add "name: …" to the front matter or start with a "# Name" heading`)
	}

	found := collectContacts(intro)
	if fm.hasLinks {
		for _, l := range fm.links {
			p.Links = append(p.Links, cv.Link{Label: clean(l.Label), URL: sanitize.Text(l.URL), Username: clean(l.Username)})
		}
	} else {
		p.Links = found.links
	}
	if p.Email == "" {
		p.Email = found.email
	}
	if p.Phone == "" {
		p.Phone = found.phone
	}

	if len(sections) == 0 {
		// a CV without sections is one page: it becomes the About tab
		p.Sections = []cv.Section{{Title: "About", Kind: doc.AboutSection, Blocks: intro}}
		return p, nil
	}
	p.Intro = intro
	for i := range sections {
		sections[i].Entries = markdownEntries(sections[i])
	}
	p.Sections = sections
	return p, nil
}

// splitSections cuts a body at its "# " and "## " headings: the first "# " before any
// section is the name, what comes before the first section the intro, and every other
// heading of level 1 or 2 starts a section.
func splitSections(blocks []block) (title string, intro []block, sections []cv.Section) {
	hasTitle := false
	for _, bl := range blocks {
		if bl.Kind == blockHeading && bl.Level <= 2 {
			if bl.Level == 1 && !hasTitle && len(sections) == 0 {
				title, hasTitle = doc.OneLine(doc.PlainText(bl.Inlines)), true
				continue
			}
			t := doc.CleanTitle(clean(doc.PlainText(bl.Inlines)))
			if t == "" {
				t = "Section " + strconv.Itoa(len(sections)+1)
			}
			sections = append(sections, cv.Section{Title: t, Kind: doc.KindOf(t)})
			continue
		}
		if len(sections) == 0 {
			intro = append(intro, bl)
		} else {
			s := &sections[len(sections)-1]
			s.Blocks = append(s.Blocks, bl)
		}
	}
	return title, intro, sections
}

// clean sanitises a one-line value and folds its white space.
func clean(s string) string {
	return doc.OneLine(sanitize.Text(s))
}

// contacts are the header facts found in an intro.
type contacts struct {
	links []cv.Link
	email string
	phone string
}

// collectContacts finds the contact details in an intro: links (with a label from the
// text before them, "Blog: <…>", or from the site they point to), mailto: and tel:
// links, e-mail addresses (also written "hello [AT] rohit.io") and phone numbers.
func collectContacts(blocks []block) contacts {
	var c contacts
	var walk func([]block)
	walk = func(bs []block) {
		for _, bl := range bs {
			switch bl.Kind {
			case blockParagraph:
				for _, line := range splitLines(bl.Inlines) {
					c.scanLine(line)
				}
			case blockList:
				for _, item := range bl.Items {
					walk(item)
				}
			case blockQuote:
				walk(bl.Children)
			default:
				// headings, code, rules and tables hold no contact lines
			}
		}
	}
	walk(blocks)
	return c
}

// segment is a piece of a line: text, or a link with its text.
type segment struct {
	Text string
	URL  string
}

// splitLines flattens inlines into lines of text and link segments.
func splitLines(inl []inline) [][]segment {
	lines := [][]segment{nil}
	var flatten func([]inline)
	flatten = func(inl []inline) {
		for _, n := range inl {
			switch n.Kind {
			case inlineText, inlineCode:
				lines[len(lines)-1] = append(lines[len(lines)-1], segment{Text: n.Text})
			case inlineHardBreak, inlineSoftBreak, inlineParagraphBreak:
				lines = append(lines, nil)
			case inlineLink:
				lines[len(lines)-1] = append(lines[len(lines)-1], segment{Text: doc.OneLine(doc.PlainText(n.Children)), URL: n.URL})
			default:
				flatten(n.Children)
			}
		}
	}
	flatten(inl)
	return lines
}

func (c *contacts) scanLine(line []segment) {
	var before, all strings.Builder
	for _, s := range line {
		all.WriteString(s.Text)
		all.WriteString(" ")
		if s.URL == "" {
			before.WriteString(s.Text)
			continue
		}
		c.addLink(labelBefore(before.String()), s.Text, s.URL)
		before.Reset()
	}
	c.scanText(all.String())
}

func (c *contacts) addLink(label, text, target string) {
	target = sanitize.Text(strings.TrimSpace(target))
	lower := strings.ToLower(target)
	switch {
	case strings.HasPrefix(lower, "mailto:"):
		if c.email == "" {
			addr, _, _ := strings.Cut(target[len("mailto:"):], "?")
			c.email = clean(addr)
		}
		return
	case strings.HasPrefix(lower, "tel:"):
		if c.phone == "" {
			if c.phone = clean(text); c.phone == "" {
				c.phone = clean(target[len("tel:"):])
			}
		}
		return
	}
	for _, l := range c.links {
		if l.URL == target {
			return
		}
	}
	if label == "" {
		label = linkLabel(text, target)
	}
	c.links = append(c.links, cv.Link{Label: clean(label), URL: target})
}

var (
	plainEmail      = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)
	obfuscatedEmail = regexp.MustCompile(`(?i)([a-z0-9._%+-]+)\s*[\[({<]\s*at\s*[\])}>]\s*([a-z0-9-]+(?:\s*(?:[\[({<]\s*dot\s*[\])}>]|\.)\s*[a-z0-9-]+)+)`)
	obfuscatedDot   = regexp.MustCompile(`(?i)\s*[\[({<]\s*dot\s*[\])}>]\s*|\s*\.\s*`)
	phoneNumber     = regexp.MustCompile(`\(?\+?\(?[0-9][0-9 ().-]{5,}[0-9]`)
	phoneLabel      = regexp.MustCompile(`(?i)phone|tel\b|mobile|cell|☎`)
)

// scanText finds an e-mail address and a phone number written as text.
func (c *contacts) scanText(s string) {
	if c.email == "" {
		if m := plainEmail.FindString(s); m != "" {
			c.email = m
		} else if m := obfuscatedEmail.FindStringSubmatch(s); m != nil {
			c.email = strings.ToLower(m[1] + "@" + obfuscatedDot.ReplaceAllString(m[2], "."))
		}
	}
	if c.phone == "" {
		for _, m := range phoneNumber.FindAllString(s, -1) {
			m = strings.TrimSpace(m)
			digits := 0
			for _, r := range m {
				if r >= '0' && r <= '9' {
					digits++
				}
			}
			if digits < 7 || digits > 15 {
				continue
			}
			if strings.Contains(m, "+") || digits >= 10 || phoneLabel.MatchString(s) {
				if strings.Count(m, "(") != strings.Count(m, ")") {
					m = strings.Trim(m, "()")
				}
				c.phone = m
				return
			}
		}
	}
}

// labelBefore returns the label an author wrote before a link ("Blog:" in "Blog:
// <http://…>"), or "".
func labelBefore(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ":") {
		return ""
	}
	s = strings.TrimSpace(strings.TrimSuffix(s, ":"))
	for _, sep := range []string{"|", "·", "•", ",", " - ", "–", "—"} {
		if i := strings.LastIndex(s, sep); i >= 0 {
			s = strings.TrimSpace(s[i+len(sep):])
		}
	}
	s = strings.TrimLeft(s, "*-+ ✉☎")
	if n := len([]rune(s)); n == 0 || n > 30 {
		return ""
	}
	return s
}

// knownSites names the sites whose links say nothing about themselves in their text
// ("[darxtrix](https://github.com/darxtrix)").
var knownSites = map[string]string{
	"github.com": "GitHub", "gitlab.com": "GitLab", "bitbucket.org": "Bitbucket",
	"twitter.com": "Twitter", "x.com": "X", "linkedin.com": "LinkedIn",
	"medium.com": "Medium", "hub.docker.com": "Docker Hub", "stackoverflow.com": "Stack Overflow",
	"youtube.com": "YouTube", "facebook.com": "Facebook", "instagram.com": "Instagram",
	"mastodon.social": "Mastodon", "bsky.app": "Bluesky", "dev.to": "DEV", "keybase.io": "Keybase",
	"codeberg.org": "Codeberg", "sourcehut.org": "SourceHut", "sr.ht": "SourceHut",
}

// linkLabel names a link that its author did not label: by the site it points to when
// that is well known, else by its text, else by its host.
func linkLabel(text, target string) string {
	u, err := url.Parse(target)
	host := ""
	if err == nil {
		host = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	if site, ok := knownSites[host]; ok {
		return site
	}
	text = doc.OneLine(text)
	if text != "" && text != target {
		return text
	}
	if host != "" {
		return host
	}
	return target
}

// maxQuoteDepth bounds blockquote nesting. The Markdown parser's time grows with the square
// of the depth (a single line of 64 Ki '>' takes over a second, 256 Ki a quarter of a
// minute), so a hostile file could stall every reload; no CV quotes more than a few deep.
const maxQuoteDepth = 32

// checkQuoteDepth rejects a body with a line nested more than maxQuoteDepth blockquotes
// deep, naming the line. firstLine is the body's first line in the file.
func checkQuoteDepth(file string, body []byte, firstLine int) error {
	line := firstLine
	for len(body) > 0 {
		depth := 0
		i := 0
		for i < len(body) && body[i] != '\n' {
			c := body[i]
			if c == '>' {
				depth++
			} else if c != ' ' && c != '\t' {
				break
			}
			i++
		}
		if depth > maxQuoteDepth {
			return cv.Errorf(file, line, 1, "blockquotes nested %d deep; at most %d are read", depth, maxQuoteDepth)
		}
		next := bytes.IndexByte(body, '\n')
		if next < 0 {
			break
		}
		body = body[next+1:]
		line++
	}
	return nil
}

// Blocks reads a Markdown body (no front matter, no name, no "## " sections) into
// blocks as the loader does: HTML turned into Markdown, text sanitised, and text with
// more Markdown marks than the parser reads in linear time kept as plain text. It serves
// programs that build a Profile of their own, such as tests of the outputs.
func Blocks(md string) []doc.Block {
	md = sanitize.Text(md)
	if !noMarkOverflow([]byte(md)) {
		return []doc.Block{{Kind: doc.Paragraph, Inlines: []doc.Inline{{Kind: doc.Text, Text: doc.OneLine(md)}}}}
	}
	return parseBlocks([]byte(md), 0)
}
