package pdf

import "strings"

// ParsePaper reads a paper size as a visitor names it: "a4" or "letter", any case.
func ParsePaper(s string) (Paper, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "a4":
		return A4, true
	case "letter", "us-letter", "usletter":
		return Letter, true
	}
	return "", false
}

// PaperForLocale picks the paper for a visitor's locale settings, as an SSH client
// sends them (env holds "KEY=value" pairs): LC_ALL, then LC_PAPER, then LANG decides,
// as in POSIX. The United States and Canada use US Letter, everyone else A4. A value
// that is no locale name (too long, odd characters) is ignored.
func PaperForLocale(env []string) Paper {
	for _, key := range []string{"LC_ALL", "LC_PAPER", "LANG"} {
		for _, kv := range env {
			v, ok := strings.CutPrefix(kv, key+"=")
			if !ok || v == "" {
				continue
			}
			return paperOf(v)
		}
	}
	return A4
}

// paperOf reads the territory of a locale name such as "en_US.UTF-8" or "fr_CA@euro".
func paperOf(locale string) Paper {
	if len(locale) > 64 {
		return A4
	}
	name, _, _ := strings.Cut(locale, ".")
	name, _, _ = strings.Cut(name, "@")
	_, territory, ok := strings.Cut(strings.ReplaceAll(name, "-", "_"), "_")
	if !ok {
		return A4
	}
	switch territory {
	case "US", "CA":
		return Letter
	}
	return A4
}
