package doc

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Colour is an accent colour: a colour of the terminal's palette (ANSI 0 to 255) or an
// RGB value. The zero Colour is ANSI black; use ParseColour's ok to tell "no colour".
type Colour struct {
	ANSI    int // the palette index, or -1 for an RGB colour
	R, G, B uint8
}

// colourNames are the colours a terminal has names for, as ANSI colour numbers. They
// are written without separators: "bright-blue", "bright_blue" and "Bright Blue" are
// all "brightblue".
var colourNames = map[string]int{
	"black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "purple": 5, "cyan": 6, "white": 7,
	"gray": 8, "grey": 8, "brightblack": 8, "brightred": 9, "brightgreen": 10, "brightyellow": 11,
	"brightblue": 12, "brightmagenta": 13, "brightcyan": 14, "brightwhite": 15,
}

// ColourRule says, in an error message, what ParseColour accepts.
const ColourRule = "use #rrggbb, #rgb, an ANSI number 0-255 or a colour name such as magenta"

// ParseColour reads an accent colour: "#7D56F4", "#abc", an ANSI number "0" to "255",
// or a colour name ("magenta", "bright-blue", "purple"). It is the one reading of an
// accent: the Markdown and JSON Resume loaders check with it, the terminal and the web
// page colour with it.
func ParseColour(s string) (Colour, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) != 6 || strings.ContainsAny(h, "+-") {
			return Colour{}, false
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return Colour{}, false
		}
		return Colour{ANSI: -1, R: uint8(v >> 16 & 0xff), G: uint8(v >> 8 & 0xff), B: uint8(v & 0xff)}, true
	}
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.Atoi(s)
		if err != nil || n > 255 {
			return Colour{}, false
		}
		return palette(n), true
	}
	name := strings.NewReplacer(" ", "", "-", "", "_", "").Replace(s)
	if n, ok := colourNames[name]; ok {
		return palette(n), true
	}
	return Colour{}, false
}

func palette(n int) Colour {
	r, g, b, _ := ansi.IndexedColor(n).RGBA() //nolint:gosec // 0 <= n <= 255
	return Colour{ANSI: n, R: uint8(r >> 8 & 0xff), G: uint8(g >> 8 & 0xff), B: uint8(b >> 8 & 0xff)}
}

// String is the colour written the one way a profile keeps it: "#rrggbb" or an ANSI
// number.
func (c Colour) String() string {
	if c.ANSI >= 0 {
		return strconv.Itoa(c.ANSI)
	}
	return c.Hex()
}

// Hex is the colour as CSS writes it, "#rrggbb"; a palette colour as xterm shows it.
func (c Colour) Hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// Terminal is the colour as a terminal is told it: a palette colour by its number, so
// that the terminal's own theme applies, an RGB colour as RGB.
func (c Colour) Terminal() color.Color {
	switch {
	case c.ANSI >= 0 && c.ANSI < 16:
		return ansi.BasicColor(c.ANSI)
	case c.ANSI >= 16:
		return ansi.IndexedColor(c.ANSI) //nolint:gosec // c.ANSI <= 255
	}
	return color.RGBA{R: c.R, G: c.G, B: c.B, A: 0xff}
}
