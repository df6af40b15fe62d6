// Package profiles is where a CV file becomes a Profile and a front end finds it: Parse
// and the folder loader and checker (file:line:col messages), the registry that looks
// profiles up by handle or alias and follows a folder as it changes, translations, the
// two bundled CVs, and ExportFormats, the formats every front end offers.
//
// The work is done by its sub-packages, one job each: cv (the model), doc (the document
// every output walks, and the rules of its values), sanitize, sections (a section's
// entries), markdown and jsonresume (the loaders; jsonresume also exports), export (the
// Markdown and vCard writers). A Profile's intro and sections are a document built once
// when the file is loaded: the Markdown loader converts goldmark's tree (the one place
// Markdown is parsed), the JSON Resume loader builds it from the fields. Every output
// walks that document; none parses text another wrote. The model's names (Profile, Link,
// Section, Error…) are kept here too, so callers need only this package.
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
// Of sshcv's packages it imports only its own sub-packages, and none of them imports it:
// data flows profiles → tui → server/web.
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
	// Profile is one CV, immutable once loaded (cv.Profile).
	Profile = cv.Profile
	// Link is a labelled URL (cv.Link).
	Link = cv.Link
	// Section is one tab of the viewer (cv.Section).
	Section = cv.Section
	// Format names the kind of file a profile was loaded from (cv.Format).
	Format = cv.Format
	// Contact is one way to reach the owner (cv.Contact).
	Contact = cv.Contact
	// ContactKind says how a contact reaches the owner (cv.ContactKind).
	ContactKind = cv.ContactKind
	// Error is a problem in a profile file, placed at its line and column (cv.Error).
	Error = cv.Error
	// OwnerOptions is what a profile says about its owner's side of the server (cv.OwnerOptions).
	OwnerOptions = cv.OwnerOptions
	// Resume is a JSON Resume document (cv.Resume).
	Resume = cv.Resume
)

// The formats and contact kinds, as package cv names them.
const (
	FormatMarkdown   = cv.FormatMarkdown
	FormatJSONResume = cv.FormatJSONResume
	ContactEmail     = cv.ContactEmail
	ContactPhone     = cv.ContactPhone
	ContactWeb       = cv.ContactWeb
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
