package jsonresume

import (
	"strings"

	"github.com/sshcv/sshcv/profiles/cv"
	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/markdown"
)

// A JSON Resume's sections are built straight from its fields: the structure (an
// entry's heading, its line of facts, its address, its list) is made here, and only
// what the owner wrote as prose (summaries, highlights, a reference) is read as the
// Markdown that JSON Resume themes read it as.

// resumeSections builds the tabs of a JSON Resume, in the order the README gives.
func resumeSections(res *cv.Resume) []cv.Section {
	var out []cv.Section
	add := func(title string, entries []doc.Entry, blocks []doc.Block) {
		if len(blocks) > 0 {
			out = append(out, cv.Section{Title: title, Kind: doc.KindOf(title), Blocks: blocks, Entries: entries})
		}
	}
	if res.Basics != nil {
		add("About", nil, prose(res.Basics.Summary))
	}
	add(entrySection("Experience", res.Work, workEntry))
	add(entrySection("Projects", res.Projects, projectEntry))
	add(listSection("Skills", res.Skills, skillEntry))
	add(entrySection("Education", res.Education, educationEntry))
	add(entrySection("Publications", res.Publications, publicationEntry))
	add(entrySection("Awards", res.Awards, awardEntry))
	add(entrySection("Certificates", res.Certificates, certificateEntry))
	add(entrySection("Volunteering", res.Volunteer, volunteerEntry))
	add(listSection("Languages", res.Languages, languageEntry))
	add(listSection("Interests", res.Interests, interestEntry))
	add(entrySection("References", res.References, referenceEntry))
	return out
}

// shownEntry is an entry with what its section shows of it: a heading, a line of facts
// (dates, place, …), the URL, paragraphs and a list.
type shownEntry struct {
	doc.Entry
	heading    string
	facts      []string
	paragraphs []string
	list       []string
}

// entrySection lays out one entry after another.
func entrySection[T any](title string, items []T, entry func(T) shownEntry) (string, []doc.Entry, []doc.Block) {
	var entries []doc.Entry
	var blocks []doc.Block
	for _, it := range items {
		e := entry(it)
		if b := e.blocks(); len(b) > 0 {
			blocks = append(blocks, b...)
			entries = append(entries, e.Entry)
		}
	}
	return title, entries, blocks
}

// listSection lays out short entries (skills, languages, interests) as one tight list
// with an item each: "**Name** (detail): keyword, keyword".
func listSection[T any](title string, items []T, entry func(T) shownEntry) (string, []doc.Entry, []doc.Block) {
	var entries []doc.Entry
	list := doc.Block{Kind: doc.List, Tight: true}
	for _, it := range items {
		e := entry(it)
		var inl []doc.Inline
		if e.Title != "" {
			inl = append(inl, doc.Inline{Kind: doc.Strong, Children: plain(e.Title)})
		}
		if e.heading != "" {
			inl = append(inl, plain(" ("+e.heading+")")...)
		}
		if kw := doc.NonEmpty(e.Keywords...); len(kw) > 0 {
			sep := " "
			if len(inl) > 0 {
				sep = ": "
			}
			inl = append(inl, plain(sep+doc.OneLine(strings.Join(kw, ", ")))...)
		}
		if len(inl) == 0 {
			continue
		}
		list.Items = append(list.Items, []doc.Block{{Kind: doc.Paragraph, Inlines: doc.MergeText(inl)}})
		entries = append(entries, e.Entry)
	}
	if len(list.Items) == 0 {
		return title, nil, nil
	}
	return title, entries, []doc.Block{list}
}

func (e shownEntry) blocks() []doc.Block {
	var out []doc.Block
	if h := doc.OneLine(e.heading); h != "" {
		out = append(out, doc.Block{Kind: doc.Heading, Level: 3, Inlines: plain(h)})
	}
	if facts := doc.NonEmpty(e.facts...); len(facts) > 0 {
		out = append(out, doc.Block{Kind: doc.Paragraph, Inlines: plain(doc.OneLine(strings.Join(facts, " · ")))})
	}
	switch {
	case e.URL != "" && doc.UsableURL(e.URL):
		out = append(out, doc.Block{Kind: doc.Paragraph, Inlines: []doc.Inline{
			{Kind: doc.Link, URL: e.URL, Auto: true, Children: plain(e.URL)},
		}})
	case e.URL != "":
		out = append(out, doc.Block{Kind: doc.Paragraph, Inlines: plain(e.URL)})
	}
	for _, p := range e.paragraphs {
		out = append(out, prose(p)...)
	}
	if items := doc.NonEmpty(e.list...); len(items) > 0 {
		list := doc.Block{Kind: doc.List, Tight: true}
		for _, item := range items {
			list.Items = append(list.Items, prose(item))
		}
		out = append(out, list)
	}
	return out
}

// prose reads text its owner wrote as Markdown, as markdown.Blocks does (text with more
// Markdown marks than the parser reads in linear time is kept as the text it is: a JSON
// file is not pre-scanned, its escapes could hide them).
func prose(s string) []doc.Block {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return markdown.Blocks(s)
}

// highlights are the first paragraphs of items, as an entry keeps its bullet points.
func highlights(items []string) [][]doc.Inline {
	var out [][]doc.Inline
	for _, it := range doc.NonEmpty(items...) {
		for _, b := range prose(it) {
			if b.Kind == doc.Paragraph {
				out = append(out, b.Inlines)
				break
			}
		}
	}
	return out
}

func plain(s string) []doc.Inline { return []doc.Inline{{Kind: doc.Text, Text: s}} }

// titled joins a role and an organisation: "Position — Company".
func titled(what, where string) string {
	return strings.Join(doc.NonEmpty(what, where), " — ")
}

// labelled writes "Label: value", or nothing when value is empty.
func labelled(label, value string) string {
	if strings.TrimSpace(value) == "" {
		return ""
	}
	return label + ": " + strings.TrimSpace(value)
}

// italic marks a one-line text as emphasised Markdown.
func italic(s string) string {
	if s = strings.TrimSpace(s); s == "" || strings.Contains(s, "\n") {
		return s
	}
	return "_" + s + "_"
}

func workEntry(w cv.Work) shownEntry {
	d := doc.SchemaDates(w.StartDate, w.EndDate)
	return shownEntry{
		Entry: doc.Entry{Title: doc.OneLine(w.Position), Organization: doc.OneLine(w.Name), Location: doc.OneLine(w.Location),
			URL: strings.TrimSpace(w.URL), Dates: d, Summary: append(prose(w.Description), prose(w.Summary)...), Highlights: highlights(w.Highlights)},
		heading:    titled(w.Position, w.Name),
		facts:      []string{d.String(), w.Location},
		paragraphs: []string{italic(w.Description), w.Summary},
		list:       w.Highlights,
	}
}

func volunteerEntry(v cv.Volunteer) shownEntry {
	d := doc.SchemaDates(v.StartDate, v.EndDate)
	return shownEntry{
		Entry: doc.Entry{Title: doc.OneLine(v.Position), Organization: doc.OneLine(v.Organization), URL: strings.TrimSpace(v.URL),
			Dates: d, Summary: prose(v.Summary), Highlights: highlights(v.Highlights)},
		heading:    titled(v.Position, v.Organization),
		facts:      []string{d.String()},
		paragraphs: []string{v.Summary},
		list:       v.Highlights,
	}
}

func educationEntry(e cv.Education) shownEntry {
	study := strings.Join(doc.NonEmpty(e.StudyType, e.Area), ", ")
	d := doc.SchemaDates(e.StartDate, e.EndDate)
	return shownEntry{
		Entry: doc.Entry{Title: doc.OneLine(study), Organization: doc.OneLine(e.Institution), URL: strings.TrimSpace(e.URL),
			Dates: d, Highlights: highlights(e.Courses)},
		heading: titled(study, e.Institution),
		facts:   []string{d.String(), labelled("Score", e.Score)},
		list:    e.Courses,
	}
}

func awardEntry(a cv.Award) shownEntry {
	d := doc.Dates{Start: doc.SchemaDate(a.Date)}
	return shownEntry{
		Entry:      doc.Entry{Title: doc.OneLine(a.Title), Organization: doc.OneLine(a.Awarder), Dates: d, Summary: prose(a.Summary)},
		heading:    titled(a.Title, a.Awarder),
		facts:      []string{d.Start.String()},
		paragraphs: []string{a.Summary},
	}
}

func certificateEntry(c cv.Certificate) shownEntry {
	d := doc.Dates{Start: doc.SchemaDate(c.Date)}
	return shownEntry{
		Entry:   doc.Entry{Title: doc.OneLine(c.Name), Organization: doc.OneLine(c.Issuer), URL: strings.TrimSpace(c.URL), Dates: d},
		heading: titled(c.Name, c.Issuer),
		facts:   []string{d.Start.String()},
	}
}

func publicationEntry(p cv.Publication) shownEntry {
	d := doc.Dates{Start: doc.SchemaDate(p.ReleaseDate)}
	return shownEntry{
		Entry: doc.Entry{Title: doc.OneLine(p.Name), Organization: doc.OneLine(p.Publisher), URL: strings.TrimSpace(p.URL),
			Dates: d, Summary: prose(p.Summary)},
		heading:    titled(p.Name, p.Publisher),
		facts:      []string{d.Start.String()},
		paragraphs: []string{p.Summary},
	}
}

func projectEntry(p cv.Project) shownEntry {
	d := doc.SchemaDates(p.StartDate, p.EndDate)
	return shownEntry{
		Entry: doc.Entry{Title: doc.OneLine(p.Name), Organization: doc.OneLine(p.Entity), URL: strings.TrimSpace(p.URL),
			Dates: d, Summary: prose(p.Description), Highlights: highlights(p.Highlights), Keywords: doc.NonEmpty(p.Keywords...)},
		heading:    titled(p.Name, p.Entity),
		facts:      []string{d.String(), p.Type, labelled("Roles", strings.Join(p.Roles, ", "))},
		paragraphs: []string{p.Description},
		list:       append(append([]string(nil), p.Highlights...), labelled("Keywords", strings.Join(p.Keywords, ", "))),
	}
}

// Skills, languages and interests are short: the list item shows the title, the
// detail in brackets (held in heading) and the keywords.

func skillEntry(s cv.Skill) shownEntry {
	return shownEntry{Entry: doc.Entry{Title: doc.OneLine(s.Name), Keywords: doc.NonEmpty(s.Keywords...)}, heading: doc.OneLine(s.Level)}
}

func languageEntry(l cv.Language) shownEntry {
	return shownEntry{Entry: doc.Entry{Title: doc.OneLine(l.Language), Keywords: doc.NonEmpty(l.Fluency)}}
}

func interestEntry(i cv.Interest) shownEntry {
	return shownEntry{Entry: doc.Entry{Title: doc.OneLine(i.Name), Keywords: doc.NonEmpty(i.Keywords...)}}
}

func referenceEntry(r cv.Reference) shownEntry {
	return shownEntry{
		Entry:      doc.Entry{Title: doc.OneLine(r.Name), Summary: prose(r.Reference)},
		heading:    r.Name,
		paragraphs: []string{r.Reference},
	}
}
