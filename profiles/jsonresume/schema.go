package jsonresume

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/sshcv/sshcv/profiles/cv"
	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/sections"
)

// workEntries maps an Experience section: one work entry per role, or per entry when
// it names no roles.
func workEntries(body []doc.Block) ([]cv.Work, []string) {
	entries, loose := sections.Read(body, true)
	var out []cv.Work
	for _, e := range entries {
		company, position := e.Heading, e.Bold
		if p, c, ok := strings.Cut(company, " — "); ok && position == "" {
			position, company = p, c
		}
		base := cv.Work{
			Name:     company,
			Location: strings.Join(doc.NonEmpty(append([]string{e.Place}, e.Facts...)...), ", "),
			URL:      e.URL,
		}
		if e.Duration != "" {
			base.Extra = map[string]json.RawMessage{"duration": jsonString(e.Duration)}
		}
		if len(e.Roles) == 0 {
			w := base
			w.Position = position
			w.StartDate, w.EndDate = e.Start, e.End
			w.Summary = e.Summary()
			w.Highlights = plainItems(e.Items)
			out = append(out, w)
			continue
		}
		base.Description = e.Text()
		for i, r := range e.Roles {
			w := base
			w.Position = r.Heading
			w.StartDate, w.EndDate = r.Start, r.End
			if w.StartDate == "" && w.EndDate == "" {
				w.StartDate, w.EndDate = e.Start, e.End
			}
			w.Summary = r.Summary()
			w.Highlights = plainItems(r.Items)
			if i == 0 {
				w.Highlights = append(plainItems(e.Items), w.Highlights...)
			}
			out = append(out, w)
		}
	}
	return out, looseMarkdown(loose)
}

func volunteerEntries(body []doc.Block) ([]cv.Volunteer, []string) {
	entries, loose := sections.Read(body, true)
	out := make([]cv.Volunteer, 0, len(entries))
	for _, e := range entries {
		out = append(out, cv.Volunteer{
			Organization: e.Heading,
			Position:     e.Bold,
			URL:          e.URL,
			StartDate:    e.Start,
			EndDate:      e.End,
			Summary:      strings.Join(doc.NonEmpty(append(e.Facts, e.Summary())...), "\n\n"),
			Highlights:   plainItems(e.Items),
		})
	}
	return out, looseMarkdown(loose)
}

func educationEntries(body []doc.Block) ([]cv.Education, []string) {
	entries, loose := sections.Read(body, true)
	out := make([]cv.Education, 0, len(entries))
	for _, e := range entries {
		ed := cv.Education{StudyType: e.Heading, URL: e.URL, StartDate: e.Start, EndDate: e.End, Courses: textItems(e.Items)}
		if kind, area, ok := strings.Cut(e.Heading, " in "); ok {
			ed.StudyType, ed.Area = strings.TrimSpace(kind), strings.TrimSpace(area)
		}
		rest := e.Paragraphs
		switch {
		case e.Place != "":
			ed.Institution = e.Place
		case len(e.Facts) > 0:
			ed.Institution = strings.Join(e.Facts, ", ")
		case len(rest) > 0 && !scoreText.MatchString(sections.BlocksPlain(rest[0])):
			first, more := firstLineOfBlocks(rest[0])
			ed.Institution = first
			rest = append(more, rest[1:]...)
		}
		ed.Score = sections.Entry{Paragraphs: rest}.Text()
		out = append(out, ed)
	}
	return out, looseMarkdown(loose)
}

// firstLineOfBlocks splits off the first line of a paragraph, as plain text.
func firstLineOfBlocks(blocks []doc.Block) (string, [][]doc.Block) {
	if len(blocks) == 0 || blocks[0].Kind != doc.Paragraph {
		return sections.BlocksPlain(blocks), nil
	}
	p := sections.Span(blocks[0].Inlines)
	var more [][]doc.Block
	if rest := append(sections.Para(p.Rest()), blocks[1:]...); len(rest) > 0 {
		more = [][]doc.Block{rest}
	}
	return p.Lines()[0].Plain(), more
}

// scoreText is a grade: "88.2%", "8.22/10", "CGPA 8.2".
var scoreText = regexp.MustCompile(`(?i)^\s*(c?gpa|grade|score|\d+(\.\d+)?\s*(%|/\s*\d+))`)

func awardEntries(body []doc.Block) []cv.Award {
	entries, loose := sections.Read(body, true)
	out := make([]cv.Award, 0, len(entries)+len(loose))
	for _, e := range entries {
		a := cv.Award{Title: e.Heading, Date: e.Start, Awarder: e.Place, Summary: e.Summary()}
		if items := plainItems(e.Items); len(items) > 0 {
			a.Summary = strings.TrimSpace(a.Summary + "\n\n- " + strings.Join(items, "\n- "))
		}
		if a.Title == "" {
			a.Title, a.Summary = doc.OneLine(e.Text()+" "+strings.Join(textItems(e.Items), " ")), ""
		}
		out = append(out, a)
	}
	for _, l := range loose {
		out = append(out, cv.Award{Title: sections.BlocksPlain(l)})
	}
	return out
}

func certificateEntries(body []doc.Block) []cv.Certificate {
	entries, loose := sections.Read(body, true)
	out := make([]cv.Certificate, 0, len(entries)+len(loose))
	for _, e := range entries {
		c := cv.Certificate{Name: e.Heading, Issuer: e.Place, Date: e.Start, URL: e.URL}
		if c.Name == "" {
			c.Name = e.Text()
		}
		if c.URL == "" {
			c.URL = e.Link()
		}
		out = append(out, c)
	}
	for _, l := range loose {
		out = append(out, cv.Certificate{Name: sections.BlocksPlain(l), URL: sections.BlocksLink(l)})
	}
	return out
}

func publicationEntries(body []doc.Block) []cv.Publication {
	entries, loose := sections.Read(body, true)
	out := make([]cv.Publication, 0, len(entries)+len(loose))
	for _, e := range entries {
		p := cv.Publication{Name: e.Heading, Publisher: e.Place, ReleaseDate: e.Start, URL: e.URL}
		summary := strings.Join(doc.NonEmpty(e.Summary(), itemsMarkdown(e.Items)), "\n\n")
		if p.URL == "" {
			p.URL = e.Link()
		}
		if p.Name == "" {
			p.Name, summary = doc.OneLine(e.Text()+" "+strings.Join(textItems(e.Items), " ")), ""
		}
		p.Summary = summary
		out = append(out, p)
	}
	for _, l := range loose {
		out = append(out, cv.Publication{Name: sections.BlocksPlain(l), URL: sections.BlocksLink(l)})
	}
	return out
}

func projectEntries(body []doc.Block) []cv.Project {
	entries, loose := sections.Read(body, true)
	out := make([]cv.Project, 0, len(entries)+len(loose))
	for _, e := range entries {
		p := cv.Project{
			Name:        e.Heading,
			Entity:      e.Place,
			Description: e.Summary(),
			StartDate:   e.Start,
			EndDate:     e.End,
			URL:         e.URL,
			Highlights:  plainItems(e.Items),
		}
		if e.Bold != "" {
			p.Roles = []string{e.Bold}
		}
		if p.URL == "" {
			p.URL = projectLink(e)
		}
		if p.Name == "" {
			p.Name, p.Description = e.Text(), ""
		}
		out = append(out, p)
	}
	for _, l := range loose {
		out = append(out, cv.Project{Description: doc.Markdown(l), URL: sections.BlocksLink(l)})
	}
	return out
}

// projectLinkItem is a list item that gives a project's address: "Project: <…>".
var projectLinkItem = regexp.MustCompile(`(?i)^(project|project link|code|source|repository|repo|website|link)\s*:`)

// projectLink finds a project's own address: an item labelled as such, else the first
// link of its description.
func projectLink(e sections.Entry) string {
	for _, it := range e.Items {
		if projectLinkItem.MatchString(sections.BlocksPlain(it)) {
			if u := sections.BlocksLink(it); u != "" {
				return u
			}
		}
	}
	return e.Link()
}

func skillEntries(body []doc.Block) []cv.Skill {
	entries, loose := sections.Read(body, true)
	out := make([]cv.Skill, 0, len(entries)+len(loose))
	for _, e := range entries {
		s := cv.Skill{Name: e.Heading}
		for _, p := range e.Paragraphs {
			s.Keywords = append(s.Keywords, sections.SplitKeywords(sections.BlocksPlain(p))...)
		}
		for _, f := range e.Facts {
			s.Keywords = append(s.Keywords, sections.SplitKeywords(f)...)
		}
		s.Keywords = append(s.Keywords, textItems(e.Items)...)
		if s.Name == "" && len(s.Keywords) > 0 {
			// "Proficient at **Python**, **Go**": the sentence names the skill, the
			// bold words are its keywords.
			s.Name = strings.Join(s.Keywords, ", ")
			s.Keywords = boldWords(e.Paragraphs)
		}
		out = append(out, s)
	}
	for _, l := range loose {
		out = append(out, cv.Skill{Name: sections.BlocksPlain(l)})
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
				if s := sections.Span(n.Children).Plain(); s != "" {
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

func languageEntries(body []doc.Block) []cv.Language {
	entries, loose := sections.Read(body, true)
	out := make([]cv.Language, 0, len(entries)+len(loose))
	for _, e := range entries {
		l := cv.Language{Language: e.Heading, Fluency: doc.OneLine(strings.Join(e.Facts, " ") + " " + e.Text())}
		if l.Language == "" {
			l.Language, l.Fluency = l.Fluency, ""
		}
		out = append(out, l)
	}
	for _, l := range loose {
		out = append(out, cv.Language{Language: sections.BlocksPlain(l)})
	}
	return out
}

func interestEntries(body []doc.Block) []cv.Interest {
	entries, loose := sections.Read(body, true)
	out := make([]cv.Interest, 0, len(entries)+len(loose))
	for _, e := range entries {
		in := cv.Interest{Name: e.Heading}
		for _, p := range e.Paragraphs {
			if in.Name == "" {
				in.Name = sections.BlocksPlain(p)
				continue
			}
			in.Keywords = append(in.Keywords, sections.SplitKeywords(sections.BlocksPlain(p))...)
		}
		in.Keywords = append(in.Keywords, textItems(e.Items)...)
		out = append(out, in)
	}
	for _, l := range loose {
		out = append(out, cv.Interest{Name: sections.BlocksPlain(l)})
	}
	return out
}

func referenceEntries(body []doc.Block) []cv.Reference {
	entries, loose := sections.Read(body, true)
	out := make([]cv.Reference, 0, len(entries)+len(loose))
	for _, e := range entries {
		out = append(out, cv.Reference{Name: e.Heading, Reference: strings.Join(doc.NonEmpty(e.Summary(), itemsMarkdown(e.Items)), "\n\n")})
	}
	for _, l := range loose {
		out = append(out, cv.Reference{Reference: doc.Markdown(l)})
	}
	return out
}

// plainItems turns list items into one-line strings. Their inline Markdown (links,
// emphasis) stays: JSON Resume themes render highlights as Markdown, and a link
// dropped would be a fact lost.
func plainItems(items [][]doc.Block) []string {
	var out []string
	for _, it := range items {
		if s := doc.OneLine(doc.Markdown(it)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// textItems turns list items into plain text, for the schema's keyword lists.
func textItems(items [][]doc.Block) []string {
	var out []string
	for _, it := range items {
		if s := sections.BlocksPlain(it); s != "" {
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
