// Package sanitize keeps terminal escapes, control characters and bidirectional
// overrides out of profile text: the loaders pass every string of a CV through Text once,
// at load, so no output has to.
//
// It is for the loaders and for any program that shows text from outside; it must not
// import any other sshcv package.
package sanitize

import (
	"strings"
	"unicode/utf8"
)

// Text removes from s everything a terminal would act on instead of print: escape
// sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte ESC sequences) with their
// payloads, C0 controls other than newline and tab, DEL, C1 controls, and the Unicode
// bidirectional overrides that can make text read differently from what it is.
// Carriage returns are dropped so CRLF files read like LF files. Invalid UTF-8 bytes
// become U+FFFD. Profile text is data: only the renderer emits escape sequences.
func Text(s string) string {
	if IsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b: // ESC
			i = skipEscape(s, i+size)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // C1 OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size)
			continue
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			// other controls are dropped
		case IsBidiControl(r):
			// dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// IsClean reports whether s needs no sanitising: the common case, checked without allocating.
func IsClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (r >= 0x80 && r <= 0x9f) || IsBidiControl(r) {
			return false
		}
		i += size
	}
	return true
}

// IsBidiControl reports whether r is one of the Unicode bidirectional overrides, embeddings,
// isolates or marks that Text removes.
func IsBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// skipEscape returns the index after the escape sequence whose ESC ended just before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// nF sequences: intermediates 0x20–0x2f, then one final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte of a CSI sequence.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c > 0x7e {
			return i - 1 // malformed: stop before the stray byte so it is judged on its own
		}
	}
	return i
}

// skipString skips a control string (OSC, DCS, SOS, PM, APC) up to and including its
// terminator: BEL, ESC \, or the C1 ST (U+009C). An unterminated string runs to the end
// of the line, so one bad byte cannot swallow the rest of a CV.
func skipString(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case 0x07, 0x9c:
			return i + size
		case 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		case '\n':
			return i
		}
		i += size
	}
	return i
}
