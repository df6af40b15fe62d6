package doc

import "strings"

// CleanTitle is a section title as every output shows it: one line, no trailing colon
// ("Experience Summary:" is "Experience Summary"). The loaders name a section whose
// title is empty.
func CleanTitle(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	return strings.TrimSpace(strings.TrimRight(t, ": \t"))
}

// Heading is the section's title as every output shows it (CleanTitle), or "Section"
// when it has none.
func (s Section) Heading() string {
	if t := CleanTitle(s.Title); t != "" {
		return t
	}
	return "Section"
}
