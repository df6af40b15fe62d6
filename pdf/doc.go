// Package pdf typesets a CV as a PDF a person would attach to an application: the
// name in the accent colour, the headline, contacts as clickable links, sections whose
// headings never end a page alone, entries with their dates aligned right, bullets,
// and the name and page number in the footer; real selectable text in the Go fonts,
// embedded and subset. It walks the profile's parsed document and parses nothing.
//
// The same profile always gives the same bytes. It imports profiles (and its
// document model) only; never tui, server or web: tui caches its output with the other
// renderings. It lives beside profiles, not in it, because every sub-folder of the
// profiles folder is read as a folder of translations.
package pdf
