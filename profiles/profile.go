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
	"strings"
	"time"

	"github.com/sshcv/sshcv/profiles/doc"
)

// Format names the kind of file a profile was loaded from.
type Format string

const (
	FormatMarkdown   Format = "markdown"
	FormatJSONResume Format = "jsonresume"
)

// Link is a labelled URL: a contact link in the header, or a profile in JSON Resume
// (with the account's user name when the document gives it).
type Link struct {
	Label    string `json:"label"`
	URL      string `json:"url"`
	Username string `json:"username,omitempty"`
}

// Section is one tab of the viewer: its title, its blocks and, when it is made of
// them, its entries (see package doc).
type Section = doc.Section

// Profile is one CV. A Profile is immutable once loaded: the registry replaces it
// as a whole on reload, so sessions and caches may hold on to it safely.
type Profile struct {
	Handle   string   // file name without extension, lowercase
	Aliases  []string // extra usernames, lowercase
	Name     string
	Headline string
	Location string
	Email    string
	Phone    string
	Links    []Link       // contact links shown in the header, in file order
	Accent   string       // a colour ("#7D56F4", "212", "magenta"); empty means the theme's
	Default  bool         // served to visitors who name no CV
	Owner    OwnerOptions // messages on or off, the keys that open the owner's inbox

	Intro    []doc.Block // what comes between the name and the first section
	Sections []Section   // in file order

	Source  string    // the file it came from ("profiles/rohit.md", or "bundled:rohit.md")
	Format  Format    // how it was written
	ModTime time.Time // the file's modification time (load time for bundled files)
	Hash    string    // hex SHA-256 of the file's bytes: changes whenever the file does

	// Resume holds the JSON Resume document a profile was loaded from, so that the
	// JSON export gives back every field the owner wrote. Nil for Markdown profiles.
	Resume *Resume
}

// Names returns the handle followed by the aliases: every username that opens this profile.
func (p *Profile) Names() []string {
	return append([]string{p.Handle}, p.Aliases...)
}

// SectionIndex returns the index of the first section whose title starts with prefix,
// ignoring case, or -1. An empty prefix matches nothing.
func (p *Profile) SectionIndex(prefix string) int {
	if prefix == "" {
		return -1
	}
	for i, s := range p.Sections {
		if strings.HasPrefix(strings.ToLower(s.Title), strings.ToLower(prefix)) {
			return i
		}
	}
	return -1
}
