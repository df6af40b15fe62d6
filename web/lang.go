package web

import (
	"net/http"
	"net/url"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/tui"
)

// A CV with translations is served in the visitor's language: the one ?lang= names,
// else the best of the browser's Accept-Language that the CV has, else the CV's own.
// Such responses vary with Accept-Language, are cached by language, carry
// Content-Language, and the page links to each of the CV's languages.

// translator is the optional part of a Catalog that serves a CV in several languages
// (*profiles.Registry has it).
type translator interface {
	LookupIn(name string, prefs profiles.Languages) (profiles.Localized, bool)
}

// langParam is the query parameter that chooses a language: /rohit?lang=de.
const langParam = "lang"

// visitorLanguages is what the request asks for: ?lang= first, then Accept-Language.
func visitorLanguages(r *http.Request) profiles.Languages {
	prefs := profiles.ParseLanguages(r.URL.Query().Get(langParam))
	return append(prefs, profiles.AcceptLanguages(r.Header.Get("Accept-Language"))...)
}

// localize is p in the language the request asks for.
func (h *handler) localize(r *http.Request, p *profiles.Profile) profiles.Localized {
	if t, ok := h.o.Catalog.(translator); ok {
		if l, ok := t.LookupIn(p.Handle, visitorLanguages(r)); ok {
			return l
		}
	}
	return profiles.Localized{Profile: p}
}

// langKey sets what a rendering of l depends on in its cache key: its language, and
// whether the visitor's languages chose it.
func langKey(key cacheKey, l profiles.Localized) cacheKey {
	key.lang, key.translated = l.Lang, len(l.Langs) > 1
	return key
}

// langLink is a link to the page of a CV in one of its languages.
type langLink struct {
	Lang, Name string
	Href       string
	Current    bool
}

// langLinks are the links to each language of l's CV; none when it has only one.
func langLinks(l profiles.Localized) []langLink {
	if len(l.Langs) < 2 {
		return nil
	}
	links := make([]langLink, 0, len(l.Langs))
	for _, lang := range l.Langs {
		links = append(links, langLink{
			Lang:    lang,
			Name:    tui.LanguageName(lang),
			Href:    "/" + l.Profile.Handle + "?" + langParam + "=" + url.QueryEscape(lang),
			Current: lang == l.Lang,
		})
	}
	return links
}
