package doc

import (
	"html"
	"strings"
	"unicode/utf8"
)

// ResolveReferences resolves backslash escapes and entity and character references in
// Markdown text, in one pass as CommonMark defines them. A reference to NUL or to no
// character becomes U+FFFD.
func ResolveReferences(v []byte) string {
	s := string(v)
	var b strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && isASCIIPunct(s[i+1]) {
				b.WriteByte(s[i+1])
				i += 2
				continue
			}
		case '&':
			if ref, n := entityAt(s[i:]); n > 0 {
				b.WriteString(ref)
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// entityAt decodes the entity or character reference at the start of s ("&amp;",
// "&#169;", "&#x1F600;") and returns it with its length, or 0 when s starts with none.
func entityAt(s string) (string, int) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 40 {
		return "", 0
	}
	ref := s[:end+1]
	body := ref[1:end]
	if body[0] == '#' {
		digits := body[1:]
		base := 10
		if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
			digits, base = digits[1:], 16
		}
		if len(digits) == 0 || (base == 10 && len(digits) > 7) || (base == 16 && len(digits) > 6) {
			return "", 0
		}
		var r rune
		for i := 0; i < len(digits); i++ {
			d := hexValue(digits[i])
			if d < 0 || d >= base {
				return "", 0
			}
			r = r*rune(base) + rune(d) //nolint:gosec // 0 <= d < base <= 16
		}
		if r == 0 || !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		return string(r), len(ref)
	}
	for i := 0; i < len(body); i++ {
		if !isAlnum(body[i]) {
			return "", 0
		}
	}
	if dec := html.UnescapeString(ref); dec != ref {
		return dec, len(ref)
	}
	return "", 0
}

func hexValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
