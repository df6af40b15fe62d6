package pdf

import (
	"strings"

	"github.com/sshcv/sshcv/profiles"
)

// contactSpans are the header's contacts as links: email, phone, then the profile's
// links, each shown as a person would say it.
func contactSpans(p *profiles.Profile) []span {
	var out []span
	if e := strings.TrimSpace(p.Email); e != "" {
		out = append(out, span{text: e, url: "mailto:" + e})
	}
	if ph := strings.TrimSpace(p.Phone); ph != "" {
		out = append(out, span{text: ph, url: "tel:" + telDigits(ph)})
	}
	for _, l := range p.Links {
		u := strings.TrimSpace(l.URL)
		if !linkable(u) {
			continue
		}
		out = append(out, span{text: displayURL(u), url: u})
	}
	return out
}

// linkable reports whether a PDF reader may be asked to open u: web, mail and phone
// addresses only.
func linkable(u string) bool {
	lower := strings.ToLower(u)
	for _, scheme := range []string{"https://", "http://", "mailto:", "tel:"} {
		if strings.HasPrefix(lower, scheme) && len(u) > len(scheme) {
			return !strings.ContainsAny(u, " \t\r\n")
		}
	}
	return false
}

// displayURL is an address without its scheme or trailing slash.
func displayURL(u string) string {
	s := u
	for _, scheme := range []string{"https://", "http://", "mailto:", "tel:"} {
		if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			s = s[len(scheme):]
			break
		}
	}
	if s = strings.TrimSuffix(s, "/"); s == "" {
		return u
	}
	return s
}

// telDigits keeps what a tel: URL may hold.
func telDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r >= '0' && r <= '9') || r == '+' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
