package cv

import (
	"net/mail"
	"strings"
	"unicode"
)

// maxEmailLength is the longest address SMTP carries (RFC 5321: 254 characters).
const maxEmailLength = 254

// ValidEmail reports whether s is a plain e-mail address, local@domain.tld, as every
// output uses a profile's Email: copied by the viewer's c key, a mailto: link on the web
// page, a vCard's EMAIL. Display names, comments, quoted local parts, spaces and
// domains without a dot are not addresses here.
func ValidEmail(s string) bool {
	if s == "" || len(s) > maxEmailLength || strings.ContainsAny(s, " \t\r\n<>()[]\\,;:\"") {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.Contains(domain, "@") {
		return false
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Name != "" || a.Address != s {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
				return false
			}
		}
	}
	return true
}
