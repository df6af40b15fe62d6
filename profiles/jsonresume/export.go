package jsonresume

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sshcv/sshcv/profiles/cv"
	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/sanitize"
)

// resumeSchemaURL is the JSON Schema an exported document declares.
const resumeSchemaURL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"

// Export writes p as an indented JSON Resume 1.0.0 document. A profile loaded
// from JSON Resume gives back its document, unknown keys and all. A Markdown profile is
// mapped as far as its structure allows (see resumeFromMarkdown); what fits no schema
// field is kept under meta.sshcv.
func Export(p *cv.Profile) ([]byte, error) {
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
	if sanitize.IsClean(string(doc)) {
		return doc
	}
	var b bytes.Buffer
	for i := 0; i < len(doc); {
		r, size := utf8.DecodeRune(doc[i:])
		if (r >= 0x80 && r <= 0x9f) || sanitize.IsBidiControl(r) {
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
func resumeFromMarkdown(p *cv.Profile) *cv.Resume {
	basics := &cv.Basics{
		Name:  p.Name,
		Label: p.Headline,
		Email: p.Email,
		Phone: p.Phone,
	}
	if p.Location != "" {
		basics.Location = &cv.Location{Address: p.Location}
	}
	for _, l := range p.Links {
		switch l.Kind() {
		case cv.ContactEmail:
			if basics.Email == "" {
				basics.Email = strings.TrimPrefix(strings.TrimSpace(l.URL)[len("mailto:"):], "//")
			}
		case cv.ContactPhone:
			if basics.Phone == "" {
				basics.Phone = strings.TrimSpace(l.URL)[len("tel:"):]
			}
		case cv.ContactWeb:
			if basics.URL == "" && !isSocialNetwork(l.URL) {
				basics.URL = l.URL
				continue
			}
			username := l.Username
			if username == "" {
				username = usernameOf(l.URL)
			}
			basics.Profiles = append(basics.Profiles, cv.ResumeProfile{Network: l.Label, Username: username, URL: l.URL})
		}
	}

	res := &cv.Resume{Schema: resumeSchemaURL, Basics: basics}
	meta := &cv.SSHCVMeta{Aliases: p.Aliases, Accent: p.Accent, Default: p.Default}
	// keepLoose keeps the text of a mapped section that belongs to none of its entries.
	keepLoose := func(title string, loose []string) {
		if len(loose) > 0 {
			meta.Sections = append(meta.Sections, cv.MarkdownSection{Title: title, Markdown: strings.Join(loose, "\n\n")})
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
		meta.Sections = append(meta.Sections, cv.MarkdownSection{Title: s.Title, Markdown: doc.Markdown(s.Blocks)})
	}
	intro := doc.Markdown(p.Intro)
	switch {
	case about != "":
		basics.Summary = about
		if intro != "" {
			meta.Sections = append([]cv.MarkdownSection{{Title: "", Markdown: intro}}, meta.Sections...)
		}
	default:
		basics.Summary = intro
	}
	res.Meta = &cv.Meta{Version: "v1.0.0", SSHCV: meta}
	if !p.ModTime.IsZero() {
		res.Meta.LastModified = p.ModTime.UTC().Format(time.RFC3339)
	}
	return res
}

// sectionMappers add a section's entries to the schema section its kind maps to, and
// return the Markdown that belongs to none of them.
var sectionMappers = map[doc.SectionKind]func(res *cv.Resume, body []doc.Block) (loose []string){
	doc.WorkSection: func(res *cv.Resume, body []doc.Block) []string {
		entries, loose := workEntries(body)
		res.Work = append(res.Work, entries...)
		return loose
	},
	doc.VolunteerSection: func(res *cv.Resume, body []doc.Block) []string {
		entries, loose := volunteerEntries(body)
		res.Volunteer = append(res.Volunteer, entries...)
		return loose
	},
	doc.EducationSection: func(res *cv.Resume, body []doc.Block) []string {
		entries, loose := educationEntries(body)
		res.Education = append(res.Education, entries...)
		return loose
	},
	doc.AwardsSection: func(res *cv.Resume, body []doc.Block) []string {
		res.Awards = append(res.Awards, awardEntries(body)...)
		return nil
	},
	doc.CertificatesSection: func(res *cv.Resume, body []doc.Block) []string {
		res.Certificates = append(res.Certificates, certificateEntries(body)...)
		return nil
	},
	doc.PublicationsSection: func(res *cv.Resume, body []doc.Block) []string {
		res.Publications = append(res.Publications, publicationEntries(body)...)
		return nil
	},
	doc.ProjectsSection: func(res *cv.Resume, body []doc.Block) []string {
		res.Projects = append(res.Projects, projectEntries(body)...)
		return nil
	},
	doc.SkillsSection: func(res *cv.Resume, body []doc.Block) []string {
		res.Skills = append(res.Skills, skillEntries(body)...)
		return nil
	},
	doc.LanguagesSection: func(res *cv.Resume, body []doc.Block) []string {
		res.Languages = append(res.Languages, languageEntries(body)...)
		return nil
	},
	doc.InterestsSection: func(res *cv.Resume, body []doc.Block) []string {
		res.Interests = append(res.Interests, interestEntries(body)...)
		return nil
	},
	doc.ReferencesSection: func(res *cv.Resume, body []doc.Block) []string {
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
