package doc

import "math"

// MinContrast is the WCAG 2 AA contrast ratio for normal text.
const MinContrast = 4.5

// Luminance is the WCAG relative luminance of c, from 0 (black) to 1 (white).
func (c Colour) Luminance() float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Contrast is the WCAG contrast ratio between a and b, from 1 to 21.
func Contrast(a, b Colour) float64 {
	la, lb := a.Luminance(), b.Luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// RGB is an RGB colour (ANSI -1), for values no palette names.
func RGB(r, g, b uint8) Colour { return Colour{ANSI: -1, R: r, G: g, B: b} }

// mix moves c towards target by t (0 = c, 1 = target).
func mix(c, target Colour, t float64) Colour {
	f := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t)) }
	return RGB(f(c.R, target.R), f(c.G, target.G), f(c.B, target.B))
}

// ReadableOn returns c, darkened or lightened towards target just enough to reach
// MinContrast against every one of surfaces: the owner's hue, legible for every reader,
// on a web page's backgrounds or on paper.
func (c Colour) ReadableOn(target Colour, surfaces ...Colour) Colour {
	for step := 0; step <= 20; step++ {
		m := mix(c, target, float64(step)/20)
		ok := true
		for _, s := range surfaces {
			if Contrast(m, s) < MinContrast {
				ok = false
				break
			}
		}
		if ok {
			return m
		}
	}
	return RGB(target.R, target.G, target.B)
}
