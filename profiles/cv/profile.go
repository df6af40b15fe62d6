// Package cv is the model of a CV: Profile with its links, contacts, owner options and
// the JSON Resume document (schema 1.0.0) it may come from, and Error, the placed
// message every loader returns. A Profile's intro and sections are a document of
// package doc.
//
// It is for every package that reads, writes or shows a CV, so it must not import any
// other sshcv package than profiles/doc: not the loaders, the exporters nor the registry.
package cv

import (
	"regexp"
	"strings"
	"time"

	"github.com/sshcv/sshcv/profiles/doc"
)

// MaxFileSize is the largest profile file read: a CV is a few kilobytes, and the limit
// keeps a stray file from filling the server's memory.
const MaxFileSize = 1 << 20

// handlePattern is what a handle or alias may be: it becomes the user name in
// `ssh NAME@host`, so it must be easy to type and never need quoting.
var handlePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,31}$`)

// HandleRule says in words what handlePattern allows.
const HandleRule = "a name is 1 to 32 characters: lowercase letters a-z, digits 0-9, '.', '_' or '-', starting with a letter or digit"

// ValidHandle reports whether s may be a handle or an alias.
func ValidHandle(s string) bool { return handlePattern.MatchString(s) }

// Format names the kind of file a profile was loaded from.
type Format string

// The formats a profile can be loaded from: a Markdown CV or a JSON Resume document.
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
