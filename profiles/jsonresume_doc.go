package profiles

import (
	"strings"

	"github.com/sshcv/sshcv/profiles/doc"
)

// A JSON Resume's sections are built straight from its fields: the structure (an
// entry's heading, its line of facts, its address, its list) is made here, and only
// what the owner wrote as prose (summaries, highlights, a reference) is read as the
// Markdown that JSON Resume themes read it as.

// resumeSections builds the tabs of a JSON Resume, in the order the README gives.
func resumeSections(res *Resume) []Section {
	var out []Section
	add := func(title string, entries []doc.Entry, blocks []doc.Block) {
		if len(blocks) > 0 {
			out = append(out, Section{Title: title, Kind: doc.KindOf(title), Blocks: blocks, Entries: entries})
		}
	}
	if res.Basics != nil {
		add("About", nil, prose(res.Basics.Summary))
	}
	add(entrySection("Experience", res.Work, Work.entry))
	add(entrySection("Projects", res.Projects, Project.entry))
	add(listSection("Skills", res.Skills, Skill.entry))
	add(entrySection("Education", res.Education, Education.entry))
	add(entrySection("Publications", res.Publications, Publication.entry))
	add(entrySection("Awards", res.Awards, Award.entry))
	add(entrySection("Certificates", res.Certificates, Certificate.entry))
	add(entrySection("Volunteering", res.Volunteer, Volunteer.entry))
	add(listSection("Languages", res.Languages, Language.entry))
	add(listSection("Interests", res.Interests, Interest.entry))
	add(entrySection("References", res.References, Reference.entry))
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
		if kw := nonEmpty(e.Keywords...); len(kw) > 0 {
			sep := " "
			if len(inl) > 0 {
				sep = ": "
			}
			inl = append(inl, plain(sep+singleLine(strings.Join(kw, ", ")))...)
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
	if h := singleLine(e.heading); h != "" {
		out = append(out, doc.Block{Kind: doc.Heading, Level: 3, Inlines: plain(h)})
	}
	if facts := nonEmpty(e.facts...); len(facts) > 0 {
		out = append(out, doc.Block{Kind: doc.Paragraph, Inlines: plain(singleLine(strings.Join(facts, " · ")))})
	}
	switch {
	case e.URL != "" && usableURL(e.URL):
		out = append(out, doc.Block{Kind: doc.Paragraph, Inlines: []doc.Inline{
			{Kind: doc.Link, URL: e.URL, Auto: true, Children: plain(e.URL)},
		}})
	case e.URL != "":
		out = append(out, doc.Block{Kind: doc.Paragraph, Inlines: plain(e.URL)})
	}
	for _, p := range e.paragraphs {
		out = append(out, prose(p)...)
	}
	if items := nonEmpty(e.list...); len(items) > 0 {
		list := doc.Block{Kind: doc.List, Tight: true}
		for _, item := range items {
			list.Items = append(list.Items, prose(item))
		}
		out = append(out, list)
	}
	return out
}

// prose reads text its owner wrote as Markdown. Text with more Markdown marks than
// the parser reads in linear time (see guard.go; a JSON file is not pre-scanned, its
// escapes could hide them) is kept as the text it is.
func prose(s string) []doc.Block {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	if !noMarkOverflow([]byte(s)) {
		return []doc.Block{{Kind: doc.Paragraph, Inlines: plain(singleLine(s))}}
	}
	return parseBlocks([]byte(s), 0)
}

// highlights are the first paragraphs of items, as an entry keeps its bullet points.
func highlights(items []string) [][]doc.Inline {
	var out [][]doc.Inline
	for _, it := range nonEmpty(items...) {
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

// singleLine folds line breaks into spaces, for headings and fact lines.
func singleLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// titled joins a role and an organisation: "Position — Company".
func titled(what, where string) string {
	return strings.Join(nonEmpty(what, where), " — ")
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

func (w Work) entry() shownEntry {
	d := doc.SchemaDates(w.StartDate, w.EndDate)
	return shownEntry{
		Entry: doc.Entry{Title: singleLine(w.Position), Organization: singleLine(w.Name), Location: singleLine(w.Location),
			URL: strings.TrimSpace(w.URL), Dates: d, Summary: append(prose(w.Description), prose(w.Summary)...), Highlights: highlights(w.Highlights)},
		heading:    titled(w.Position, w.Name),
		facts:      []string{d.String(), w.Location},
		paragraphs: []string{italic(w.Description), w.Summary},
		list:       w.Highlights,
	}
}

func (v Volunteer) entry() shownEntry {
	d := doc.SchemaDates(v.StartDate, v.EndDate)
	return shownEntry{
		Entry: doc.Entry{Title: singleLine(v.Position), Organization: singleLine(v.Organization), URL: strings.TrimSpace(v.URL),
			Dates: d, Summary: prose(v.Summary), Highlights: highlights(v.Highlights)},
		heading:    titled(v.Position, v.Organization),
		facts:      []string{d.String()},
		paragraphs: []string{v.Summary},
		list:       v.Highlights,
	}
}

func (e Education) entry() shownEntry {
	study := strings.Join(nonEmpty(e.StudyType, e.Area), ", ")
	d := doc.SchemaDates(e.StartDate, e.EndDate)
	return shownEntry{
		Entry: doc.Entry{Title: singleLine(study), Organization: singleLine(e.Institution), URL: strings.TrimSpace(e.URL),
			Dates: d, Highlights: highlights(e.Courses)},
		heading: titled(study, e.Institution),
		facts:   []string{d.String(), labelled("Score", e.Score)},
		list:    e.Courses,
	}
}

func (a Award) entry() shownEntry {
	d := doc.Dates{Start: doc.SchemaDate(a.Date)}
	return shownEntry{
		Entry:      doc.Entry{Title: singleLine(a.Title), Organization: singleLine(a.Awarder), Dates: d, Summary: prose(a.Summary)},
		heading:    titled(a.Title, a.Awarder),
		facts:      []string{d.Start.String()},
		paragraphs: []string{a.Summary},
	}
}

func (c Certificate) entry() shownEntry {
	d := doc.Dates{Start: doc.SchemaDate(c.Date)}
	return shownEntry{
		Entry:   doc.Entry{Title: singleLine(c.Name), Organization: singleLine(c.Issuer), URL: strings.TrimSpace(c.URL), Dates: d},
		heading: titled(c.Name, c.Issuer),
		facts:   []string{d.Start.String()},
	}
}

func (p Publication) entry() shownEntry {
	d := doc.Dates{Start: doc.SchemaDate(p.ReleaseDate)}
	return shownEntry{
		Entry: doc.Entry{Title: singleLine(p.Name), Organization: singleLine(p.Publisher), URL: strings.TrimSpace(p.URL),
			Dates: d, Summary: prose(p.Summary)},
		heading:    titled(p.Name, p.Publisher),
		facts:      []string{d.Start.String()},
		paragraphs: []string{p.Summary},
	}
}

func (p Project) entry() shownEntry {
	d := doc.SchemaDates(p.StartDate, p.EndDate)
	return shownEntry{
		Entry: doc.Entry{Title: singleLine(p.Name), Organization: singleLine(p.Entity), URL: strings.TrimSpace(p.URL),
			Dates: d, Summary: prose(p.Description), Highlights: highlights(p.Highlights), Keywords: nonEmpty(p.Keywords...)},
		heading:    titled(p.Name, p.Entity),
		facts:      []string{d.String(), p.Type, labelled("Roles", strings.Join(p.Roles, ", "))},
		paragraphs: []string{p.Description},
		list:       append(append([]string(nil), p.Highlights...), labelled("Keywords", strings.Join(p.Keywords, ", "))),
	}
}

// Skills, languages and interests are short: the list item shows the title, the
// detail in brackets (held in heading) and the keywords.

func (s Skill) entry() shownEntry {
	return shownEntry{Entry: doc.Entry{Title: singleLine(s.Name), Keywords: nonEmpty(s.Keywords...)}, heading: singleLine(s.Level)}
}

func (l Language) entry() shownEntry {
	return shownEntry{Entry: doc.Entry{Title: singleLine(l.Language), Keywords: nonEmpty(l.Fluency)}}
}

func (i Interest) entry() shownEntry {
	return shownEntry{Entry: doc.Entry{Title: singleLine(i.Name), Keywords: nonEmpty(i.Keywords...)}}
}

func (r Reference) entry() shownEntry {
	return shownEntry{
		Entry:      doc.Entry{Title: singleLine(r.Name), Summary: prose(r.Reference)},
		heading:    r.Name,
		paragraphs: []string{r.Reference},
	}
}
