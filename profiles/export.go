package profiles

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sshcv/sshcv/profiles/doc"
)

// resumeSchemaURL is the JSON Schema an exported document declares.
const resumeSchemaURL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"

// ExportMarkdown writes p as a Markdown profile: front matter with the header facts,
// "# Name", the intro, and one "## " section per tab. Loading the result gives a
// profile with the same facts.
func ExportMarkdown(p *Profile) []byte {
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
	b.WriteString(singleLine(p.Name))
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

// ExportJSONResume writes p as an indented JSON Resume 1.0.0 document. A profile loaded
// from JSON Resume gives back its document, unknown keys and all. A Markdown profile is
// mapped as far as its structure allows (see resumeFromMarkdown); what fits no schema
// field is kept under meta.sshcv.
func ExportJSONResume(p *Profile) ([]byte, error) {
	doc := p.Resume
	if doc == nil {
		doc = resumeFromMarkdown(p)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // "R&D" stays readable; the document is not embedded in HTML
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("%s: cannot write JSON Resume: %w", p.Source, err)
	}
	return escapeInvisible(out.Bytes()), nil
}

// escapeInvisible writes C1 controls and bidirectional overrides in JSON strings as
// \u escapes. encoding/json leaves them raw, and a terminal showing the document
// would act on them; escaped, the value is the same.
func escapeInvisible(doc []byte) []byte {
	if isClean(string(doc)) {
		return doc
	}
	var b bytes.Buffer
	for i := 0; i < len(doc); {
		r, size := utf8.DecodeRune(doc[i:])
		if (r >= 0x80 && r <= 0x9f) || isBidiControl(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.Write(doc[i : i+size])
		}
		i += size
	}
	return b.Bytes()
}

// resumeFromMarkdown maps a Markdown profile onto the JSON Resume schema. The header
// gives basics; sections are mapped by their title's words (Experience → work,
// Education → education, …), their "### " entries and bold-led paragraphs read as
// entries with a heading, a line of dates, paragraphs and a list. A section that fits
// no schema section, and the intro when an About section exists too, are kept as
// written under meta.sshcv.
func resumeFromMarkdown(p *Profile) *Resume {
	basics := &Basics{
		Name:  p.Name,
		Label: p.Headline,
		Email: p.Email,
		Phone: p.Phone,
	}
	if p.Location != "" {
		basics.Location = &Location{Address: p.Location}
	}
	for _, l := range p.Links {
		switch l.kind() {
		case ContactEmail:
			if basics.Email == "" {
				basics.Email = strings.TrimPrefix(strings.TrimSpace(l.URL)[len("mailto:"):], "//")
			}
		case ContactPhone:
			if basics.Phone == "" {
				basics.Phone = strings.TrimSpace(l.URL)[len("tel:"):]
			}
		case ContactWeb:
			if basics.URL == "" && !isSocialNetwork(l.URL) {
				basics.URL = l.URL
				continue
			}
			username := l.Username
			if username == "" {
				username = usernameOf(l.URL)
			}
			basics.Profiles = append(basics.Profiles, ResumeProfile{Network: l.Label, Username: username, URL: l.URL})
		}
	}

	res := &Resume{Schema: resumeSchemaURL, Basics: basics}
	meta := &SSHCVMeta{Aliases: p.Aliases, Accent: p.Accent, Default: p.Default}
	// keepLoose keeps the text of a mapped section that belongs to none of its entries.
	keepLoose := func(title string, loose []string) {
		if len(loose) > 0 {
			meta.Sections = append(meta.Sections, MarkdownSection{Title: title, Markdown: strings.Join(loose, "\n\n")})
		}
	}
	about := ""
	for _, s := range p.Sections {
		if s.Kind == doc.AboutSection && about == "" {
			about = doc.Markdown(s.Blocks)
			continue
		}
		if mapSection, ok := sectionMappers[s.Kind]; ok {
			keepLoose(s.Title, mapSection(res, s.Blocks))
			continue
		}
		meta.Sections = append(meta.Sections, MarkdownSection{Title: s.Title, Markdown: doc.Markdown(s.Blocks)})
	}
	intro := doc.Markdown(p.Intro)
	switch {
	case about != "":
		basics.Summary = about
		if intro != "" {
			meta.Sections = append([]MarkdownSection{{Title: "", Markdown: intro}}, meta.Sections...)
		}
	default:
		basics.Summary = intro
	}
	res.Meta = &Meta{Version: "v1.0.0", SSHCV: meta}
	if !p.ModTime.IsZero() {
		res.Meta.LastModified = p.ModTime.UTC().Format(time.RFC3339)
	}
	return res
}

// sectionMappers add a section's entries to the schema section its kind maps to, and
// return the Markdown that belongs to none of them.
var sectionMappers = map[doc.SectionKind]func(res *Resume, body []doc.Block) (loose []string){
	doc.WorkSection: func(res *Resume, body []doc.Block) []string {
		entries, loose := workEntries(body)
		res.Work = append(res.Work, entries...)
		return loose
	},
	doc.VolunteerSection: func(res *Resume, body []doc.Block) []string {
		entries, loose := volunteerEntries(body)
		res.Volunteer = append(res.Volunteer, entries...)
		return loose
	},
	doc.EducationSection: func(res *Resume, body []doc.Block) []string {
		entries, loose := educationEntries(body)
		res.Education = append(res.Education, entries...)
		return loose
	},
	doc.AwardsSection: func(res *Resume, body []doc.Block) []string {
		res.Awards = append(res.Awards, awardEntries(body)...)
		return nil
	},
	doc.CertificatesSection: func(res *Resume, body []doc.Block) []string {
		res.Certificates = append(res.Certificates, certificateEntries(body)...)
		return nil
	},
	doc.PublicationsSection: func(res *Resume, body []doc.Block) []string {
		res.Publications = append(res.Publications, publicationEntries(body)...)
		return nil
	},
	doc.ProjectsSection: func(res *Resume, body []doc.Block) []string {
		res.Projects = append(res.Projects, projectEntries(body)...)
		return nil
	},
	doc.SkillsSection: func(res *Resume, body []doc.Block) []string {
		res.Skills = append(res.Skills, skillEntries(body)...)
		return nil
	},
	doc.LanguagesSection: func(res *Resume, body []doc.Block) []string {
		res.Languages = append(res.Languages, languageEntries(body)...)
		return nil
	},
	doc.InterestsSection: func(res *Resume, body []doc.Block) []string {
		res.Interests = append(res.Interests, interestEntries(body)...)
		return nil
	},
	doc.ReferencesSection: func(res *Resume, body []doc.Block) []string {
		res.References = append(res.References, referenceEntries(body)...)
		return nil
	},
}

// socialHosts are sites whose links are profiles on a network rather than the owner's
// own website.
var socialHosts = []string{
	"github.com", "gitlab.com", "bitbucket.org", "linkedin.com", "twitter.com", "x.com",
	"medium.com", "hub.docker.com", "stackoverflow.com", "facebook.com", "instagram.com",
	"youtube.com", "dev.to", "mastodon", "keybase.io", "dribbble.com", "behance.net",
}

func isSocialNetwork(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	for _, h := range socialHosts {
		if host == h || strings.HasSuffix(host, "."+h) || strings.Contains(host, h) {
			return true
		}
	}
	return false
}

// usernameOf guesses the user name in a profile URL: its last path segment.
func usernameOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !isSocialNetwork(raw) {
		return ""
	}
	parts := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(parts) == 0 {
		return ""
	}
	return strings.TrimPrefix(parts[len(parts)-1], "@")
}
