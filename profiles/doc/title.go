package doc

import "strings"

// CleanTitle is a section title as every output shows it: one line, no trailing colon
// ("Experience Summary:" is "Experience Summary"). The loaders name a section whose
// title is empty.
func CleanTitle(t string) string {
	return strings.TrimSpace(strings.TrimRight(OneLine(t), ": \t"))
}

// Heading is the section's title as every output shows it (CleanTitle), or "Section"
// when it has none.
func (s Section) Heading() string {
	if t := CleanTitle(s.Title); t != "" {
		return t
	}
	return "Section"
}

// OneLine folds a value's line breaks and runs of white space into single spaces and
// trims it: a name, a label, a heading or a fact line is shown on one line.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// NonEmpty returns the parts that are not blank, trimmed, in order.
func NonEmpty(parts ...string) []string {
	out := parts[:0:0]
	for _, s := range parts {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
