package web

import (
	"testing"

	"github.com/sshcv/sshcv/profiles/doc"
)

func TestParseColor(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"#7D56F4", "#7d56f4", true},
		{"#abc", "#aabbcc", true},
		{" #FF5F87 ", "#ff5f87", true},
		{"212", "#ff87d7", true},
		{"0", "#000000", true},
		{"magenta", "#800080", true},
		{"Bright-Blue", "#0000ff", true},
		{"256", "", false},
		{"#12345", "", false},
		{"#gggggg", "", false},
		{"rebeccapurple", "", false},
		{"red;}</style>", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, ok := parseColor(c.in)
		if ok != c.ok || (ok && got.hex() != c.want) {
			t.Errorf("parseColor(%q) = %s, %v; want %s, %v", c.in, got.hex(), ok, c.want, c.ok)
		}
	}
}

// TestAccentIsAlwaysReadable: whatever colour an owner picks, the page's accent text
// reaches WCAG AA contrast on the light and the dark backgrounds.
func TestAccentIsAlwaysReadable(t *testing.T) {
	for _, accent := range []string{"", "#7D56F4", "#FF5F87", "yellow", "white", "black", "#ffff00", "#000080", "231", "16", "33", "cyan", "not a colour"} {
		light, dark := accentColors(accent)
		lc, _ := parseColor(light)
		dc, _ := parseColor(dark)
		for _, bg := range lightSurfaces {
			if c := contrast(lc, bg); c < minContrast {
				t.Errorf("%q: light accent %s on %s: contrast %.2f", accent, light, bg.hex(), c)
			}
		}
		for _, bg := range darkSurfaces {
			if c := contrast(dc, bg); c < minContrast {
				t.Errorf("%q: dark accent %s on %s: contrast %.2f", accent, dark, bg.hex(), c)
			}
		}
		sig, _ := parseColor(accentOnWhite(accent))
		if c := contrast(sig, white); c < minContrast {
			t.Errorf("%q: signature accent on white: contrast %.2f", accent, c)
		}
	}
	// A colour that is readable already is kept as it is.
	if light, _ := accentColors("#000080"); light != "#000080" {
		t.Errorf("navy changed to %s on light", light)
	}
	if _, dark := accentColors("#FF5F87"); dark != "#ff5f87" {
		t.Errorf("pink changed to %s on dark", dark)
	}
}

// minContrast is WCAG 2 AA for normal text.
const minContrast = doc.MinContrast

// contrast is the WCAG contrast ratio between a and b, from 1 to 21.
func contrast(a, b rgb) float64 { return doc.Contrast(a.colour(), b.colour()) }
