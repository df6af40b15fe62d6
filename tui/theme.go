package tui

import (
	"image/color"
	"sync"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/sshcv/sshcv/profiles/doc"
)

// attr is a set of text attributes. Lines record attributes, not escape sequences, so
// that one layout serves both themes and search matches can be laid over any text.
type attr uint16

const (
	attrStrong attr = 1 << iota
	attrEmph
	attrCode
	attrLink    // the text of a link
	attrURL     // an address shown beside its link text, for terminals without OSC 8
	attrHeading // headings inside a section body, and section titles in linear output
	attrMarker  // list bullets and numbers, quote bars
	attrMuted   // secondary text: location, separators, key help
	attrName    // the owner's name
	attrRule    // horizontal rules
	attrTab     // an inactive tab
	attrTabOn   // the active tab
	attrKey     // a key in the help and footer
	attrMatch   // a search match
	attrCurrent // the search match the reader is on
)

// palette holds the colours of one background kind. Text without attributes uses the
// terminal's own foreground, which is both the most readable and the leanest choice.
type palette struct {
	accent color.Color // the profile's accent falls back to this
	muted  color.Color
	code   color.Color
	rule   color.Color
	match  color.Color
}

var (
	darkPalette = palette{
		accent: lipgloss.Color("#A78BFA"),
		muted:  lipgloss.Color("#8B8B8B"),
		code:   lipgloss.Color("#E5C07B"),
		rule:   lipgloss.Color("#4B4B4B"),
		match:  lipgloss.Color("#F2C94C"),
	}
	lightPalette = palette{
		accent: lipgloss.Color("#6D28D9"),
		muted:  lipgloss.Color("#6B6B6B"),
		code:   lipgloss.Color("#9A5B00"),
		rule:   lipgloss.Color("#C6C6C6"),
		match:  lipgloss.Color("#D4A000"),
	}
)

// theme turns attribute sets into SGR sequences for one accent on one kind of background.
// It is immutable apart from its memo of sequences, which is safe for concurrent use, so
// one theme is shared by every session showing the same profile on the same background.
type theme struct {
	dark    bool
	accent  color.Color
	palette palette
	sgr     sync.Map // attr → string
}

func newTheme(accent string, dark bool) *theme {
	pal := lightPalette
	if dark {
		pal = darkPalette
	}
	c := parseColor(accent)
	if c == nil {
		c = pal.accent
	}
	return &theme{dark: dark, accent: c, palette: pal}
}

// parseColor reads an accent colour (see doc.ParseColour); nil when it is empty or not
// a colour.
func parseColor(s string) color.Color {
	c, ok := doc.ParseColour(s)
	if !ok {
		return nil
	}
	return c.Terminal()
}

// seq returns the SGR sequence that starts text with attributes a ("" for none).
func (t *theme) seq(a attr) string {
	if a == 0 {
		return ""
	}
	if s, ok := t.sgr.Load(a); ok {
		return s.(string)
	}
	s := t.build(a)
	t.sgr.Store(a, s)
	return s
}

// build composes the sequence for a. Every attribute that carries meaning also has a
// colour-free form (bold, italic, underline, reverse) so it survives a session that
// Bubble Tea downsamples to no colour at all.
func (t *theme) build(a attr) string {
	var st ansi.Style
	var fg color.Color
	switch {
	case a&(attrMatch|attrCurrent) != 0:
		st = st.Reverse(true)
		fg = t.palette.match
		if a&attrCurrent != 0 {
			st = st.Bold().Underline(true)
			fg = t.accent
		}
	case a&attrTabOn != 0:
		st = st.Reverse(true).Bold()
		fg = t.accent
	case a&attrTab != 0:
		fg = t.palette.muted
	case a&(attrName|attrHeading) != 0:
		st = st.Bold()
		fg = t.accent
	case a&attrLink != 0:
		st = st.Underline(true)
		fg = t.accent
	case a&attrCode != 0:
		fg = t.palette.code
	case a&attrMarker != 0:
		fg = t.accent
	case a&attrRule != 0:
		fg = t.palette.rule
	case a&(attrURL|attrMuted) != 0:
		fg = t.palette.muted
	case a&attrKey != 0:
		st = st.Bold()
	}
	if a&attrStrong != 0 && a&(attrName|attrHeading|attrTabOn|attrCurrent) == 0 {
		st = st.Bold()
	}
	if a&attrEmph != 0 {
		st = st.Italic(true)
	}
	if fg != nil {
		st = st.ForegroundColor(fg)
	}
	if len(st) == 0 {
		return ""
	}
	return st.String()
}

// themes memoises themes per (accent, background), bounded so that a host whose owners
// keep changing accents cannot grow it for ever; the least recently used goes first.
// The zero value is ready to use.
type themes struct {
	once  sync.Once
	cache *lru[themeKey, *theme]
}

type themeKey struct {
	accent string
	dark   bool
}

const maxThemes = 64

func (ts *themes) get(accent string, dark bool) *theme {
	ts.once.Do(func() { ts.cache = newLRU[themeKey, *theme](maxThemes) })
	return ts.cache.get(themeKey{accent, dark}, func() *theme { return newTheme(accent, dark) })
}
