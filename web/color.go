package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
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

// ansiNames are the colour names terminals know, as their ANSI index.
var ansiNames = map[string]int{
	"black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
	"brightblack": 8, "gray": 8, "grey": 8, "brightred": 9, "brightgreen": 10, "brightyellow": 11,
	"brightblue": 12, "brightmagenta": 13, "brightcyan": 14, "brightwhite": 15,
}

// parseColor reads an accent the way the terminal side does: "#7D56F4", "#abc", an ANSI
// index "0"–"255", or a terminal colour name ("magenta", "bright-blue").
func parseColor(s string) (rgb, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return rgb{}, false
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) != 6 {
			return rgb{}, false
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return rgb{}, false
		}
		return rgb{uint8(v >> 16), uint8(v >> 8), uint8(v)}, true
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 || n > 255 {
			return rgb{}, false
		}
		return fromColor(ansi.IndexedColor(n)), true
	}
	name := strings.NewReplacer("-", "", "_", "", " ", "").Replace(s)
	if n, ok := ansiNames[name]; ok {
		return fromColor(ansi.IndexedColor(n)), true
	}
	return rgb{}, false
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
