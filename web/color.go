package web

import (
	"fmt"
	"math"

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

// minContrast is WCAG 2 AA for normal text.
const minContrast = 4.5

// parseColor reads an accent as every side does (see doc.ParseColour).
func parseColor(s string) (rgb, bool) {
	c, ok := doc.ParseColour(s)
	if !ok {
		return rgb{}, false
	}
	return rgb{c.R, c.G, c.B}, true
}

func fromColor(c interface{ RGBA() (r, g, b, a uint32) }) rgb {
	r, g, b, _ := c.RGBA()
	return rgb{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

// luminance is the WCAG relative luminance of c.
func (c rgb) luminance() float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// contrast is the WCAG contrast ratio between a and b, from 1 to 21.
func contrast(a, b rgb) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// mix moves c towards target by t (0 = c, 1 = target).
func mix(c, target rgb, t float64) rgb {
	f := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t)) }
	return rgb{f(c.r, target.r), f(c.g, target.g), f(c.b, target.b)}
}

// readableOn returns c, darkened or lightened towards target just enough to reach
// minContrast against every one of surfaces: the owner's hue, legible for every reader.
func readableOn(c rgb, surfaces []rgb, target rgb) rgb {
	for step := 0; step <= 20; step++ {
		m := mix(c, target, float64(step)/20)
		ok := true
		for _, s := range surfaces {
			if contrast(m, s) < minContrast {
				ok = false
				break
			}
		}
		if ok {
			return m
		}
	}
	return target
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
