package pdf

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// The Go fonts (BSD-licensed, compiled into the binary by golang.org/x/image) are the
// only fonts used: embedded in each PDF, subset to the glyphs the CV uses.
const (
	familySans = "go"
	familyMono = "gomono"
)

// fontFiles are the TrueType files registered with each document, by family and style.
var fontFiles = []struct {
	family, style string
	ttf           []byte
}{
	{familySans, "", goregular.TTF},
	{familySans, "B", gobold.TTF},
	{familySans, "I", goitalic.TTF},
	{familySans, "BI", gobolditalic.TTF},
	{familyMono, "", gomono.TTF},
}

// coverage answers whether every embedded font has a glyph for a rune. The fonts are
// parsed once, on first use; the answers are kept.
type coverage struct {
	once  sync.Once
	fonts []*sfnt.Font
	mu    sync.Mutex
	known map[rune]bool
}

var glyphs coverage

func (c *coverage) has(r rune) bool {
	c.once.Do(func() {
		c.known = make(map[rune]bool)
		for _, f := range fontFiles {
			// The files are the Go fonts compiled into the binary: they parse.
			if parsed, err := sfnt.Parse(f.ttf); err == nil {
				c.fonts = append(c.fonts, parsed)
			}
		}
	})
	if r < 0x7f && r >= 0x20 {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok, seen := c.known[r]; seen {
		return ok
	}
	var buf sfnt.Buffer
	ok := len(c.fonts) > 0
	for _, f := range c.fonts {
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			ok = false
			break
		}
	}
	c.known[r] = ok
	return ok
}

// lookalikes stand in for common characters the Go fonts lack (they have Latin, Greek,
// Cyrillic and the usual punctuation, arrows and symbols of WGL4).
var lookalikes = map[rune]string{
	'✓': "✔", '✔': "+", '✗': "x", '✘': "x", '★': "*", '☆': "*", '⭐': "*", '❤': "♥",
	'➜': "→", '➔': "→", '⇒': "→", '⟶': "→",
	'\u2009': " ", '\u202f': " ", '\u200b': "", '\u200d': "", '\ufe0f': "",
}

// printable returns s with every character the fonts cannot draw replaced by a
// look-alike, or by "?" when there is none: a CV never shows a blank box.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if !glyphs.has(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		b.WriteString(substitute(r, 0))
	}
	return b.String()
}

func substitute(r rune, depth int) string {
	if glyphs.has(r) {
		return string(r)
	}
	if alt, ok := lookalikes[r]; ok && depth < 3 {
		var b strings.Builder
		for _, a := range alt {
			b.WriteString(substitute(a, depth+1))
		}
		return b.String()
	}
	if r < 0x20 || (r >= 0x7f && r < 0xa0) || unicode.Is(unicode.Mn, r) {
		return ""
	}
	// A letter the fonts lack may be a base letter they have with marks on it
	// ("ǹ" is "n" and a grave), or a compatibility form of one ("ﬁ" is "fi").
	if d := norm.NFKD.String(string(r)); d != string(r) && depth < 3 {
		var b strings.Builder
		for _, a := range d {
			if glyphs.has(a) {
				b.WriteRune(a)
			} else if !unicode.Is(unicode.Mn, a) {
				b.WriteString(substitute(a, depth+1))
			}
		}
		if b.Len() > 0 {
			return b.String()
		}
	}
	return "?"
}
