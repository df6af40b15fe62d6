package doc

import (
	"net/url"
	"strings"
)

// SafeURL reports whether u may be the target of a link in any output: a web address
// with a host, or a mail or phone address; nothing with a space or a control character
// in it (which could end a terminal's hyperlink early). Everything else — javascript:,
// data:, file:, relative paths — is shown as text, never followed.
func SafeURL(u string) bool {
	if u == "" {
		return false
	}
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] == 0x7f {
			return false
		}
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(parsed.Scheme) {
	case "http", "https":
		return parsed.Host != ""
	case "mailto", "tel":
		return parsed.Opaque != "" || parsed.Path != ""
	}
	return false
}

// urlSchemes are the prefixes DisplayURL leaves out.
var urlSchemes = []string{"https://", "http://", "mailto:", "tel:"}

// DisplayURL is an address as a person would say it: no scheme, no trailing slash
// ("https://github.com/rohit01/" is "github.com/rohit01", "mailto:a@b.c" is "a@b.c").
func DisplayURL(u string) string {
	s := u
	for _, scheme := range urlSchemes {
		if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			s = s[len(scheme):]
			break
		}
	}
	s = strings.TrimSuffix(s, "/")
	if s == "" {
		return u
	}
	return s
}

// SameAddress reports whether a link's text already spells its target, give or take the
// scheme, "www." and a trailing slash, so that an output need not repeat the address.
func SameAddress(label, target string) bool {
	norm := func(s string) string {
		s = strings.ToLower(DisplayURL(strings.TrimSpace(s)))
		return strings.TrimPrefix(s, "www.")
	}
	return norm(label) == norm(target)
}

// TelURI is the tel: address of a phone number as written ("+91 80811 72177" is
// "tel:+918081172177"): its digits, and a + when the number starts with one. It is ""
// when the number has no digits.
func TelURI(phone string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		}
	}
	if d := strings.TrimPrefix(b.String(), "+"); d == "" {
		return ""
	}
	return "tel:" + b.String()
}

// MailtoURI is the mailto: address of an email address (SafeURL says whether it may be
// followed).
func MailtoURI(email string) string { return "mailto:" + strings.TrimSpace(email) }

// UsableURL reports whether u is worth keeping as a link target: not empty, not a page
// fragment ("#", "#top"), and not a script or data URL.
func UsableURL(u string) bool {
	if u == "" || strings.HasPrefix(u, "#") {
		return false
	}
	lower := strings.ToLower(u)
	for _, bad := range []string{"javascript:", "vbscript:", "data:", "file:"} {
		if strings.HasPrefix(lower, bad) {
			return false
		}
	}
	for _, r := range u {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
