package markdown

import (
	"strings"

	"github.com/sshcv/sshcv/profiles/cv"
	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/sections"
)

// markdownEntries reads the entries of a Markdown CV's section, for the sections whose
// kind has them (experience, education, projects, …): the entries the readers of the
// JSON Resume export tell apart, each with its title, organisation, place, address,
// dates, text and highlights. Text that belongs to no entry stays in the blocks only.
func markdownEntries(s cv.Section) []doc.Entry {
	if !s.Kind.HasEntries() {
		return nil
	}
	entries, _ := sections.Read(s.Blocks, true)
	var out []doc.Entry
	for _, e := range entries {
		base := entryOf(e, s.Kind)
		if len(e.Roles) == 0 {
			out = append(out, base)
			continue
		}
		// A company with roles in it: an entry per role, at that company.
		for i, r := range e.Roles {
			role := base
			role.Title = r.Heading
			if r.Start != "" || r.End != "" || r.Current {
				role.Dates = datesOf(r)
			}
			role.Summary = flatten(r.Paragraphs)
			role.Highlights = highlightsOf(r.Items)
			if i == 0 {
				role.Summary = append(flatten(e.Paragraphs), role.Summary...)
				role.Highlights = append(highlightsOf(e.Items), role.Highlights...)
			}
			out = append(out, role)
		}
	}
	return out
}

// entryOf maps what the readers found onto an entry: for a job the heading is the
// employer and a bold fact the position; elsewhere the heading is the title and what
// follows its " · " the organisation.
func entryOf(e sections.Entry, kind doc.SectionKind) doc.Entry {
	out := doc.Entry{
		Title:      e.Heading,
		URL:        e.URL,
		Dates:      datesOf(e),
		Summary:    flatten(e.Paragraphs),
		Highlights: highlightsOf(e.Items),
	}
	switch kind {
	case doc.WorkSection, doc.VolunteerSection:
		out.Organization, out.Title = e.Heading, e.Bold
		if p, c, ok := strings.Cut(e.Heading, " — "); ok && e.Bold == "" {
			out.Title, out.Organization = p, c
		}
		out.Location = strings.Join(doc.NonEmpty(append([]string{e.Place}, e.Facts...)...), ", ")
	default:
		out.Organization = e.Place
		if out.Organization == "" && len(e.Facts) > 0 {
			out.Organization = strings.Join(e.Facts, ", ")
		}
	}
	return out
}

func datesOf(e sections.Entry) doc.Dates {
	return doc.Dates{Start: doc.SchemaDate(e.Start), End: doc.SchemaDate(e.End), Current: e.Current}
}

func flatten(paragraphs [][]doc.Block) []doc.Block {
	var out []doc.Block
	for _, p := range paragraphs {
		out = append(out, p...)
	}
	return out
}

// highlightsOf keeps the first paragraph of each list item.
func highlightsOf(items [][]doc.Block) [][]doc.Inline {
	var out [][]doc.Inline
	for _, it := range items {
		for _, b := range it {
			if b.Kind == doc.Paragraph {
				out = append(out, b.Inlines)
				break
			}
		}
	}
	return out
}
