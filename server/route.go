package server

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/tui"
)

// route is where a username leads: one CV (at a section), or the picker.
type route struct {
	Profile    *profiles.Profile // nil: the picker
	Section    string            // a section title prefix from "user+section"
	Requested  string            // the name that matched no CV, shown above the picker ("" for automatic names)
	Suggestion string            // a handle close to Requested

	Lang      string             // the language of Profile, when the catalog has translations
	Languages profiles.Languages // the visitor's, from LANG / LC_ALL / LC_MESSAGES
}

// localize puts the route's CV in the visitor's language.
func localize(c Catalog, r route) route {
	if t, ok := c.(tui.Variants); ok {
		if l, ok := t.LookupIn(r.Profile.Handle, r.Languages); ok {
			r.Profile, r.Lang = l.Profile, l.Lang
		}
	}
	return r
}

// label is the route's profile label for metrics and logs.
func (r route) label() string {
	if r.Profile == nil {
		return ProfilePicker
	}
	return r.Profile.Handle
}

// automaticNames are the login names ssh sends when the visitor typed none: their
// own account name, or the usual ones of cloud images and small computers. Landing
// on the picker with one of them is no mistake worth pointing out.
var automaticNames = map[string]bool{
	"": true, "root": true, "admin": true, "administrator": true, "ubuntu": true,
	"ec2-user": true, "pi": true, "user": true, "guest": true, "debian": true,
	"centos": true, "fedora": true, "vagrant": true, "git": true, "alpine": true,
	"core": true, "azureuser": true, "opc": true, "cloud-user": true, "kali": true,
}

// parseUsername splits a username into a lowercase name and a section prefix
// ("Rohit+Proj" → "rohit", "proj"). The username is untrusted: only its first
// maxUsernameLen bytes are looked at and anything unprintable is dropped.
func parseUsername(raw string) (name, section string) {
	u := strings.ToLower(cleanUsername(raw))
	name, section, _ = strings.Cut(u, "+")
	return strings.TrimSpace(name), strings.TrimSpace(section)
}

// cleanUsername returns raw without control characters, escape sequences or
// invalid UTF-8, cut to at most maxUsernameLen bytes on a rune boundary: safe to log or show.
func cleanUsername(raw string) string {
	if len(raw) > 4*maxUsernameLen {
		raw = raw[:4*maxUsernameLen] // bound the work before sanitising
	}
	s := profiles.Sanitize(raw)
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, s)
	if len(s) <= maxUsernameLen {
		return s
	}
	cut := maxUsernameLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// shownUsername is a username as the picker heading shows it: cleaned and short.
func shownUsername(name string) string {
	if utf8.RuneCountInString(name) <= maxShownUsername {
		return name
	}
	runes := []rune(name)
	return string(runes[:maxShownUsername-1]) + "…"
}

// resolve routes a username: a handle or alias names that CV; otherwise the
// default CV (the --default one, or the only one); otherwise the picker, headed by
// the name the visitor asked for unless ssh sent it on its own. The CV is in the
// language the client's environment asks for (LANG, LC_ALL, LC_MESSAGES), when the
// catalog has translations (tui.Variants) and the CV has that language.
func resolve(c Catalog, rawUser string, environ []string) route {
	name, section := parseUsername(rawUser)
	langs := profiles.EnvLanguages(environ)
	if name != "" {
		if p, ok := c.Lookup(name); ok {
			return localize(c, route{Profile: p, Section: section, Languages: langs})
		}
	}
	if p, ok := c.Default(); ok {
		return localize(c, route{Profile: p, Section: section, Languages: langs})
	}
	r := route{Languages: langs}
	if !automaticNames[name] {
		r.Requested = shownUsername(name)
		if s, ok := c.Suggest(name); ok {
			r.Suggestion = s
		}
	}
	return r
}
