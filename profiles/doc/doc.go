// Package doc is the parsed form of a CV that every output walks: blocks (headings,
// paragraphs, lists, quotes, code, rules, tables) made of inlines (text, strong,
// emphasis, code, links, line breaks), the typed entries a CV section is made of (a job,
// a degree, an award…) with their dates, and the rules that say what a value means
// wherever it is shown: which URLs are safe and how they are written short, the tel:
// form of a phone number, accent colours, dates, and section titles.
//
// A document is built once when a profile is loaded (by the Markdown loader from
// goldmark's tree, by the JSON Resume loader from the fields) and is never changed after:
// every session and every output reads the same values, so none may modify them.
//
// It must not import any other sshcv package, nor a Markdown parser: it is the model,
// and the loaders and outputs depend on it, not it on them.
package doc

import "strings"

// InlineKind says what an Inline is.
type InlineKind uint8

// The inline kinds, each with the fields of Inline it uses.
const (
	Text      InlineKind = iota // Text holds the characters, already decoded
	Code                        // a code span: Text holds its characters
	Strong                      // Children are shown strongly (bold)
	Emphasis                    // Children are emphasised (italic)
	Link                        // Children are the label; URL the target
	LineBreak                   // a hard line break
	SoftBreak                   // a line end inside a paragraph: a space when reflowed
)

// Inline is a run of text inside a block.
type Inline struct {
	Kind     InlineKind
	Text     string   // Text, Code
	URL      string   // Link: a target SafeURL accepts
	Auto     bool     // Link: written as its own address (<https://…>)
	Children []Inline // Strong, Emphasis, Link
}

// BlockKind says what a Block is.
type BlockKind uint8

// The block kinds, each with the fields of Block it uses.
const (
	Paragraph BlockKind = iota // Inlines
	Heading                    // Level (3 to 6 inside a section), Inlines
	List                       // Ordered, Start, Tight, Items
	Quote                      // Children
	CodeBlock                  // Text (lines ending in "\n"), Lang
	Rule                       // a thematic break
	Table                      // Rows (the header row first), Align
)

// Align is the alignment of a table column.
type Align uint8

// The column alignments a table's delimiter row gives: none (":" on neither side),
// left, centre or right.
const (
	AlignNone Align = iota
	AlignLeft
	AlignCenter
	AlignRight
)

// Block is one block of a section body.
type Block struct {
	Kind     BlockKind
	Level    int      // Heading
	Inlines  []Inline // Paragraph, Heading
	Ordered  bool     // List
	Start    int      // List: the number of an ordered list's first item
	Tight    bool     // List: items are not separated by blank lines
	Items    [][]Block
	Children []Block      // Quote
	Text     string       // CodeBlock
	Lang     string       // CodeBlock: the info string's first word
	Rows     [][][]Inline // Table: rows of cells, the header row first
	Align    []Align      // Table: one per column
}

// SectionKind says which part of a CV a section is, as far as its title tells.
type SectionKind uint8

// The section kinds: OtherSection for a title no rule recognises, AboutSection for an
// introduction, and one per part of a CV whose entries a JSON Resume section holds.
const (
	OtherSection SectionKind = iota
	WorkSection
	VolunteerSection
	EducationSection
	AwardsSection
	CertificatesSection
	PublicationsSection
	SkillsSection
	LanguagesSection
	InterestsSection
	ReferencesSection
	ProjectsSection
	AboutSection
)

// HasEntries reports whether a section of kind k is made of entries (a job, a degree, a
// skill…): every kind a JSON Resume section maps to, not About nor an other section.
func (k SectionKind) HasEntries() bool { return k != OtherSection && k != AboutSection }

// sectionKinds maps words of a section title to kinds; the first rule whose word the
// title contains wins, so the more specific words come first.
var sectionKinds = []struct {
	words []string
	kind  SectionKind
}{
	{[]string{"volunteer", "activit", "community"}, VolunteerSection}, //nolint:misspell // "activit" is the stem of activity and activities
	{[]string{"experience", "work", "employment", "career", "intern", "job"}, WorkSection},
	{[]string{"education", "qualification", "academic", "degree", "study"}, EducationSection},
	{[]string{"certif", "licen"}, CertificatesSection},
	{[]string{"award", "achievement", "honor", "honour", "prize"}, AwardsSection},
	{[]string{"publication", "writing", "article", "blog", "paper", "talk", "speak", "presentation"}, PublicationsSection},
	{[]string{"project", "open source", "portfolio"}, ProjectsSection},
	{[]string{"skill", "technolog", "tool", "stack", "expertise"}, SkillsSection},
	{[]string{"language"}, LanguagesSection},
	{[]string{"interest", "hobb"}, InterestsSection},
	{[]string{"reference", "recommendation", "testimonial", "endorsement"}, ReferencesSection},
	{[]string{"about", "summary", "profile", "bio", "objective", "introduction"}, AboutSection},
}

// KindOf is the kind of a section with this title, by the words in it: "Work
// Experience" is WorkSection, "Things I like" OtherSection.
func KindOf(title string) SectionKind {
	t := strings.ToLower(title)
	for _, rule := range sectionKinds {
		for _, w := range rule.words {
			if strings.Contains(t, w) {
				return rule.kind
			}
		}
	}
	return OtherSection
}

// Section is one tab of the viewer, one heading of the web page.
type Section struct {
	Title  string // as shown: cleaned by CleanTitle
	Kind   SectionKind
	Blocks []Block // the body, in order

	// Entries are the typed entries the body shows, in order, when the section is made
	// of them (jobs, degrees, awards…); nil otherwise. The body shows every fact of
	// them. A JSON Resume's entries are its own; a Markdown CV's are what the loader
	// tells apart in its text (a "### " heading or bold lead each, a line of dates, a
	// list), and text that belongs to no entry is in Blocks only: an output that lays
	// entries out walks Blocks for the rest.
	Entries []Entry
}

// Entry is one item of a CV section: a job, a role as a volunteer, a degree, an award, a
// certificate, a publication, a project, a skill, a language, an interest or a
// reference. Any field may be empty.
type Entry struct {
	Title        string // the position, degree, award, certificate, publication, project, skill…
	Organization string // the employer, institution, awarder, issuer, publisher, entity
	Location     string
	URL          string // a target SafeURL accepts
	Dates        Dates
	Summary      []Block    // paragraphs about the entry
	Highlights   [][]Inline // its bullet points
	Keywords     []string
}

// PlainText is the text of inlines as a reader sees it, without any markup: a line
// break is a space.
func PlainText(inl []Inline) string {
	var b strings.Builder
	for _, n := range inl {
		switch n.Kind {
		case Text, Code:
			b.WriteString(n.Text)
		case Strong, Emphasis, Link:
			b.WriteString(PlainText(n.Children))
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}
