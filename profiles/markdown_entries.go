package profiles

import (
	"strings"

	"github.com/sshcv/sshcv/profiles/doc"
)

// markdownEntries reads the entries of a Markdown CV's section, for the sections whose
// kind has them (experience, education, projects, …): the entries the readers of the
// JSON Resume export tell apart, each with its title, organisation, place, address,
// dates, text and highlights. Text that belongs to no entry stays in the blocks only.
func markdownEntries(s Section) []doc.Entry {
	if _, mapped := sectionMappers[s.Kind]; !mapped {
		return nil
	}
	entries, _ := readSection(s.Blocks, true)
	var out []doc.Entry
	for _, e := range entries {
		base := entryOf(e, s.Kind)
		if len(e.roles) == 0 {
			out = append(out, base)
			continue
		}
		// A company with roles in it: an entry per role, at that company.
		for i, r := range e.roles {
			role := base
			role.Title = r.heading
			if r.start != "" || r.end != "" || r.current {
				role.Dates = datesOf(r)
			}
			role.Summary = flatten(r.paragraphs)
			role.Highlights = highlightsOf(r.items)
			if i == 0 {
				role.Summary = append(flatten(e.paragraphs), role.Summary...)
				role.Highlights = append(highlightsOf(e.items), role.Highlights...)
			}
			out = append(out, role)
		}
	}
	return out
}

// entryOf maps what the readers found onto an entry: for a job the heading is the
// employer and a bold fact the position; elsewhere the heading is the title and what
// follows its " · " the organisation.
func entryOf(e mdEntry, kind doc.SectionKind) doc.Entry {
	out := doc.Entry{
		Title:      e.heading,
		URL:        e.url,
		Dates:      datesOf(e),
		Summary:    flatten(e.paragraphs),
		Highlights: highlightsOf(e.items),
	}
	switch kind {
	case doc.WorkSection, doc.VolunteerSection:
		out.Organization, out.Title = e.heading, e.bold
		if p, c, ok := strings.Cut(e.heading, " — "); ok && e.bold == "" {
			out.Title, out.Organization = p, c
		}
		out.Location = strings.Join(nonEmpty(append([]string{e.place}, e.facts...)...), ", ")
	default:
		out.Organization = e.place
		if out.Organization == "" && len(e.facts) > 0 {
			out.Organization = strings.Join(e.facts, ", ")
		}
	}
	return out
}

func datesOf(e mdEntry) doc.Dates {
	return doc.Dates{Start: doc.SchemaDate(e.start), End: doc.SchemaDate(e.end), Current: e.current}
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
