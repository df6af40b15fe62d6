// Package profiles turns CV files into Profile values: the Markdown and JSON Resume
// loaders, the sanitiser that keeps terminal escapes out of profile text, validation
// with file:line:col messages, the exporters (Markdown, JSON Resume, vCard), the
// registry that looks profiles up by handle or alias and follows a folder as it
// changes, and the two bundled CVs.
//
// A Profile's intro and sections are a document (package doc), built once when the file
// is loaded: the Markdown loader converts goldmark's tree (markdown_convert.go: the one
// place Markdown is parsed), the JSON Resume loader builds it from the fields
// (jsonresume_doc.go). Every output walks that document; none parses text another
// wrote. Contacts lists a profile's contacts for every output, ExportFormats the formats
// every front end offers.
//
// # Translations
//
// A CV's translations live in sub-folders of the profiles folder named by a BCP 47 tag,
// with the CV's file name: profiles/de/rohit.md is the German rohit, profiles/pt-BR/rohit.yaml
// the Brazilian Portuguese one. The CVs at the top are in RegistryOptions.Lang (English
// by default). The registry loads, reloads and checks translations with the CVs;
// Lookup, Default and List are unchanged and give the CVs themselves. To serve a
// visitor in their language:
//
//	prefs := profiles.EnvLanguages(sess.Environ())              // SSH: LC_ALL, LC_MESSAGES, LANG
//	prefs := profiles.AcceptLanguages(req.Header.Get("Accept-Language")) // web
//	prefs := profiles.ParseLanguages(req.URL.Query().Get("lang"))        // ?lang=de
//	l, ok := reg.LookupIn(name, prefs) // or reg.DefaultIn(prefs)
//	// l.Profile is the variant to show, l.Lang its tag ("de"), l.Langs every
//	// language the CV has, its own first; reg.Variant(name, l.Langs[i]) switches.
//
// Hostile values (too long, escape sequences, unknown tags) are no preference, and a
// CV with no translations is the CV itself whatever is preferred.
//
// Of sshcv's packages it imports only its own sub-package doc (the document model): data
// flows profiles → tui → server/web.
package profiles

import (
	"github.com/sshcv/sshcv/profiles/cv"
	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/export"
	"github.com/sshcv/sshcv/profiles/jsonresume"
	"github.com/sshcv/sshcv/profiles/markdown"
	"github.com/sshcv/sshcv/profiles/sanitize"
)

// The model lives in package cv; these names keep it where callers have always found it.
type (
	Profile         = cv.Profile
	Link            = cv.Link
	Section         = cv.Section
	Format          = cv.Format
	Contact         = cv.Contact
	ContactKind     = cv.ContactKind
	Error           = cv.Error
	OwnerOptions    = cv.OwnerOptions
	Resume          = cv.Resume
	Basics          = cv.Basics
	Location        = cv.Location
	ResumeProfile   = cv.ResumeProfile
	Work            = cv.Work
	Volunteer       = cv.Volunteer
	Education       = cv.Education
	Award           = cv.Award
	Certificate     = cv.Certificate
	Publication     = cv.Publication
	Skill           = cv.Skill
	Language        = cv.Language
	Interest        = cv.Interest
	Reference       = cv.Reference
	Project         = cv.Project
	Meta            = cv.Meta
	SSHCVMeta       = cv.SSHCVMeta
	MarkdownSection = cv.MarkdownSection
)

const (
	FormatMarkdown   = cv.FormatMarkdown
	FormatJSONResume = cv.FormatJSONResume
	ContactEmail     = cv.ContactEmail
	ContactPhone     = cv.ContactPhone
	ContactWeb       = cv.ContactWeb
)

var (
	errorf         = cv.Errorf
	offsetPosition = cv.OffsetPosition
	validEmail     = cv.ValidEmail
)

// Sanitize removes from s everything a terminal would act on instead of print (see
// sanitize.Text, which every loader applies at load).
func Sanitize(s string) string { return sanitize.Text(s) }

// MarkdownBlocks reads a Markdown body into blocks as the loader does (see
// markdown.Blocks). It serves programs that build a Profile of their own, such as tests
// of the outputs.
func MarkdownBlocks(md string) []doc.Block { return markdown.Blocks(md) }

// ExportMarkdown writes p as a Markdown profile (export.Markdown).
func ExportMarkdown(p *Profile) []byte { return export.Markdown(p) }

// ExportJSONResume writes p as a JSON Resume 1.0.0 document (jsonresume.Export).
func ExportJSONResume(p *Profile) ([]byte, error) { return jsonresume.Export(p) }

// ExportVCard writes p's contact details as a vCard 4.0 (export.VCard).
func ExportVCard(p *Profile) []byte { return export.VCard(p) }
