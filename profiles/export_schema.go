package profiles

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/sshcv/sshcv/profiles/doc"
)

// workEntries maps an Experience section: one work entry per role, or per entry when
// it names no roles.
func workEntries(body []doc.Block) ([]Work, []string) {
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
		base.Description = e.text()
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
	return out, looseMarkdown(loose)
}

func volunteerEntries(body []doc.Block) ([]Volunteer, []string) {
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
	return out, looseMarkdown(loose)
}

func educationEntries(body []doc.Block) ([]Education, []string) {
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
		case len(rest) > 0 && !scoreText.MatchString(blocksPlain(rest[0])):
			first, more := firstLineOfBlocks(rest[0])
			ed.Institution = first
			rest = append(more, rest[1:]...)
		}
		ed.Score = mdEntry{paragraphs: rest}.text()
		out = append(out, ed)
	}
	return out, looseMarkdown(loose)
}

// firstLineOfBlocks splits off the first line of a paragraph, as plain text.
func firstLineOfBlocks(blocks []doc.Block) (string, [][]doc.Block) {
	if len(blocks) == 0 || blocks[0].Kind != doc.Paragraph {
		return blocksPlain(blocks), nil
	}
	p := span(blocks[0].Inlines)
	var more [][]doc.Block
	if rest := append(para(p.rest()), blocks[1:]...); len(rest) > 0 {
		more = [][]doc.Block{rest}
	}
	return p.lines()[0].plain(), more
}

// scoreText is a grade: "88.2%", "8.22/10", "CGPA 8.2".
var scoreText = regexp.MustCompile(`(?i)^\s*(c?gpa|grade|score|\d+(\.\d+)?\s*(%|/\s*\d+))`)

func awardEntries(body []doc.Block) []Award {
	entries, loose := readSection(body, true)
	var out []Award
	for _, e := range entries {
		a := Award{Title: e.heading, Date: e.start, Awarder: e.place, Summary: e.summary()}
		if items := plainItems(e.items); len(items) > 0 {
			a.Summary = strings.TrimSpace(a.Summary + "\n\n- " + strings.Join(items, "\n- "))
		}
		if a.Title == "" {
			a.Title, a.Summary = singleLine(e.text()+" "+strings.Join(textItems(e.items), " ")), ""
		}
		out = append(out, a)
	}
	for _, l := range loose {
		out = append(out, Award{Title: blocksPlain(l)})
	}
	return out
}

func certificateEntries(body []doc.Block) []Certificate {
	entries, loose := readSection(body, true)
	var out []Certificate
	for _, e := range entries {
		c := Certificate{Name: e.heading, Issuer: e.place, Date: e.start, URL: e.url}
		if c.Name == "" {
			c.Name = e.text()
		}
		if c.URL == "" {
			c.URL = e.link()
		}
		out = append(out, c)
	}
	for _, l := range loose {
		out = append(out, Certificate{Name: blocksPlain(l), URL: blocksLink(l)})
	}
	return out
}

func publicationEntries(body []doc.Block) []Publication {
	entries, loose := readSection(body, true)
	var out []Publication
	for _, e := range entries {
		p := Publication{Name: e.heading, Publisher: e.place, ReleaseDate: e.start, URL: e.url}
		summary := strings.Join(nonEmpty(e.summary(), itemsMarkdown(e.items)), "\n\n")
		if p.URL == "" {
			p.URL = e.link()
		}
		if p.Name == "" {
			p.Name, summary = singleLine(e.text()+" "+strings.Join(textItems(e.items), " ")), ""
		}
		p.Summary = summary
		out = append(out, p)
	}
	for _, l := range loose {
		out = append(out, Publication{Name: blocksPlain(l), URL: blocksLink(l)})
	}
	return out
}

func projectEntries(body []doc.Block) []Project {
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
		if p.URL == "" {
			p.URL = projectLink(e)
		}
		if p.Name == "" {
			p.Name, p.Description = e.text(), ""
		}
		out = append(out, p)
	}
	for _, l := range loose {
		out = append(out, Project{Description: doc.Markdown(l), URL: blocksLink(l)})
	}
	return out
}

// projectLinkItem is a list item that gives a project's address: "Project: <…>".
var projectLinkItem = regexp.MustCompile(`(?i)^(project|project link|code|source|repository|repo|website|link)\s*:`)

// projectLink finds a project's own address: an item labelled as such, else the first
// link of its description.
func projectLink(e mdEntry) string {
	for _, it := range e.items {
		if projectLinkItem.MatchString(blocksPlain(it)) {
			if u := blocksLink(it); u != "" {
				return u
			}
		}
	}
	return e.link()
}

func skillEntries(body []doc.Block) []Skill {
	entries, loose := readSection(body, true)
	var out []Skill
	for _, e := range entries {
		s := Skill{Name: e.heading}
		for _, p := range e.paragraphs {
			s.Keywords = append(s.Keywords, splitKeywords(blocksPlain(p))...)
		}
		for _, f := range e.facts {
			s.Keywords = append(s.Keywords, splitKeywords(f)...)
		}
		s.Keywords = append(s.Keywords, textItems(e.items)...)
		if s.Name == "" && len(s.Keywords) > 0 {
			// "Proficient at **Python**, **Go**": the sentence names the skill, the
			// bold words are its keywords.
			s.Name = strings.Join(s.Keywords, ", ")
			s.Keywords = boldWords(e.paragraphs)
		}
		out = append(out, s)
	}
	for _, l := range loose {
		out = append(out, Skill{Name: blocksPlain(l)})
	}
	return out
}

// boldWords returns the strong phrases of paragraphs, as plain text.
func boldWords(paragraphs [][]doc.Block) []string {
	var out []string
	var walk func([]doc.Inline)
	walk = func(inl []doc.Inline) {
		for _, n := range inl {
			if n.Kind == doc.Strong {
				if s := span(n.Children).plain(); s != "" {
					out = append(out, s)
				}
				continue
			}
			walk(n.Children)
		}
	}
	for _, p := range paragraphs {
		for _, b := range p {
			walk(b.Inlines)
		}
	}
	return out
}

func languageEntries(body []doc.Block) []Language {
	entries, loose := readSection(body, true)
	var out []Language
	for _, e := range entries {
		l := Language{Language: e.heading, Fluency: singleLine(strings.Join(e.facts, " ") + " " + e.text())}
		if l.Language == "" {
			l.Language, l.Fluency = l.Fluency, ""
		}
		out = append(out, l)
	}
	for _, l := range loose {
		out = append(out, Language{Language: blocksPlain(l)})
	}
	return out
}

func interestEntries(body []doc.Block) []Interest {
	entries, loose := readSection(body, true)
	var out []Interest
	for _, e := range entries {
		in := Interest{Name: e.heading}
		for _, p := range e.paragraphs {
			if in.Name == "" {
				in.Name = blocksPlain(p)
				continue
			}
			in.Keywords = append(in.Keywords, splitKeywords(blocksPlain(p))...)
		}
		in.Keywords = append(in.Keywords, textItems(e.items)...)
		out = append(out, in)
	}
	for _, l := range loose {
		out = append(out, Interest{Name: blocksPlain(l)})
	}
	return out
}

func referenceEntries(body []doc.Block) []Reference {
	entries, loose := readSection(body, true)
	var out []Reference
	for _, e := range entries {
		out = append(out, Reference{Name: e.heading, Reference: strings.Join(nonEmpty(e.summary(), itemsMarkdown(e.items)), "\n\n")})
	}
	for _, l := range loose {
		out = append(out, Reference{Reference: doc.Markdown(l)})
	}
	return out
}

// plainItems turns list items into one-line strings. Their inline Markdown (links,
// emphasis) stays: JSON Resume themes render highlights as Markdown, and a link
// dropped would be a fact lost.
func plainItems(items [][]doc.Block) []string {
	var out []string
	for _, it := range items {
		if s := singleLine(doc.Markdown(it)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// textItems turns list items into plain text, for the schema's keyword lists.
func textItems(items [][]doc.Block) []string {
	var out []string
	for _, it := range items {
		if s := blocksPlain(it); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// itemsMarkdown writes list items as one Markdown list.
func itemsMarkdown(items [][]doc.Block) string {
	var md []string
	for _, it := range items {
		if s := doc.Markdown(it); s != "" {
			md = append(md, strings.ReplaceAll(s, "\n", "\n  "))
		}
	}
	if len(md) == 0 {
		return ""
	}
	return "- " + strings.Join(md, "\n- ")
}

// looseMarkdown writes the blocks that belong to no entry, as Markdown.
func looseMarkdown(loose [][]doc.Block) []string {
	var out []string
	for _, l := range loose {
		if md := doc.Markdown(l); md != "" {
			out = append(out, md)
		}
	}
	return out
}

func jsonString(s string) json.RawMessage {
	out, _ := json.Marshal(s)
	return out
}
