package web

import (
	"fmt"

	"github.com/sshcv/sshcv/profiles/doc"
)

// rgb is an opaque sRGB colour.
type rgb struct{ r, g, b uint8 }

func (c rgb) hex() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

// defaultAccent is used when a profile names no accent or one that cannot be read.
var defaultAccent = rgb{0x7d, 0x56, 0xf4}

// The page's backgrounds (see page.css): the accent must stay readable on each.
var (
	lightSurfaces = []rgb{{0xfc, 0xfc, 0xfb}, {0xf1, 0xf2, 0xf4}} // --bg, --panel
	darkSurfaces  = []rgb{{0x11, 0x13, 0x18}, {0x1b, 0x1e, 0x25}}
	white         = rgb{0xff, 0xff, 0xff}
	black         = rgb{0, 0, 0}
)

// parseColor reads an accent as every side does (see doc.ParseColour).
func parseColor(s string) (rgb, bool) {
	c, ok := doc.ParseColour(s)
	if !ok {
		return rgb{}, false
	}
	return rgb{c.R, c.G, c.B}, true
}

// colour is c as the document model's colour, whose contrast rules the PDF shares.
func (c rgb) colour() doc.Colour { return doc.RGB(c.r, c.g, c.b) }

// readableOn returns c, darkened or lightened towards target just enough to reach
// doc.MinContrast against every one of surfaces (see doc.Colour.ReadableOn).
func readableOn(c rgb, surfaces []rgb, target rgb) rgb {
	on := make([]doc.Colour, len(surfaces))
	for i, s := range surfaces {
		on[i] = s.colour()
	}
	r := c.colour().ReadableOn(target.colour(), on...)
	return rgb{r.R, r.G, r.B}
}

// accentColors returns the profile's accent as CSS colours for the light and the dark
// scheme, each adjusted to be readable on that scheme's backgrounds.
func accentColors(accent string) (light, dark string) {
	c, ok := parseColor(accent)
	if !ok {
		c = defaultAccent
	}
	return readableOn(c, lightSurfaces, black).hex(), readableOn(c, darkSurfaces, white).hex()
}

// accentOnWhite is the accent for an email signature: mail clients show it on white.
func accentOnWhite(accent string) string {
	c, ok := parseColor(accent)
	if !ok {
		c = defaultAccent
	}
	return readableOn(c, []rgb{white}, black).hex()
}
