// Package export writes a CV in the formats that need no schema of their own: Markdown
// (a profile that loads back with the same facts) and vCard 4.0 (the contact details).
// Both walk the profile's document; neither parses text. The JSON Resume exporter is
// package jsonresume's, beside its loader.
//
// It reads the model (profiles/cv) and may import profiles/doc; it must not import
// profiles itself, the loaders or any front end.
package export

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/sshcv/sshcv/profiles/cv"
	"github.com/sshcv/sshcv/profiles/doc"
)

// Markdown writes p as a Markdown profile: front matter with the header facts,
// "# Name", the intro, and one "## " section per tab. Loading the result gives a
// profile with the same facts.
func Markdown(p *cv.Profile) []byte {
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
	b.WriteString(doc.OneLine(p.Name))
	b.WriteString("\n")
	if intro := doc.Markdown(p.Intro); intro != "" {
		b.WriteString("\n" + intro + "\n")
	}
	for _, s := range p.Sections {
		fmt.Fprintf(&b, "\n## %s\n", s.Heading())
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
