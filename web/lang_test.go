package web

import (
	"strings"
	"testing"

	"github.com/sshcv/sshcv/profiles"
)

var _ translator = (*profiles.Registry)(nil)

// TestLanguageNegotiation: the browser's Accept-Language and ?lang= choose the CV's
// language; the answer says which (Content-Language), varies with Accept-Language, is
// cached by language, and the page links to the other.
func TestLanguageNegotiation(t *testing.T) {
	_, h := bundledServer(t)
	s := &testServer{handler: h.(*handler)}
	for _, tc := range []struct {
		name, target, acceptLanguage string
		lang                         string
		want, not                    []string
	}{
		{"German first", "/rohit", "de;q=0.9, en;q=0.8", "de",
			[]string{`<html lang="de">`, "<h2", "Berufserfahrung", `<a href="/rohit?lang=en" hreflang="en" lang="en">English</a>`, `<span aria-current="page">Deutsch</span>`},
			[]string{">Experience<"}},
		{"English first", "/rohit", "en;q=0.9, de;q=0.8", "en",
			[]string{`<html lang="en">`, ">Experience<", `<a href="/rohit?lang=de" hreflang="de" lang="de">Deutsch</a>`}, []string{"Berufserfahrung"}},
		{"Swiss German", "/rohit", "de-CH", "de", []string{"Berufserfahrung"}, nil},
		{"French only", "/rohit", "fr-FR, fr;q=0.9", "en", []string{">Experience<"}, []string{"Berufserfahrung"}},
		{"nothing asked", "/rohit", "", "en", []string{">Experience<"}, []string{"Berufserfahrung"}},
		{"?lang= wins", "/rohit?lang=de", "en", "de", []string{"Berufserfahrung"}, nil},
		{"?lang=en wins", "/rohit?lang=en", "de", "en", []string{">Experience<"}, nil},
		{"hostile header", "/rohit", "de\x1b[31m, " + strings.Repeat("de-", 3000), "en", []string{">Experience<"}, nil},
		{"hostile ?lang=", "/rohit?lang=%1b%5b31mde", "", "en", []string{">Experience<"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := s.get(tc.target, "Accept", browserAccept, "User-Agent", browserAgent, "Accept-Language", tc.acceptLanguage)
			body := readBody(t, resp)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Language"); got != tc.lang {
				t.Errorf("Content-Language = %q, want %q", got, tc.lang)
			}
			if vary := resp.Header.Get("Vary"); !strings.Contains(vary, "Accept-Language") {
				t.Errorf("Vary = %q, lacks Accept-Language", vary)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("page has %q", n)
				}
			}
		})
	}
}

// TestLanguageOfEveryFormat: the exports and the terminal rendering follow too, each
// language with its own ETag.
func TestLanguageOfEveryFormat(t *testing.T) {
	_, h := bundledServer(t)
	s := &testServer{handler: h.(*handler)}
	for _, tc := range []struct{ target, de, en string }{
		{"/rohit.md", "## Berufserfahrung", "## Experience"},
		{"/rohit.txt", "E-Mail: hello@rohit.io", "Email: hello@rohit.io"},
		{"/rohit.json", "Production Engineer bei Ola", "Production engineer at Ola"},
		{"/rohit", "Berufserfahrung", "Experience"}, // curl gets the terminal rendering
	} {
		de := s.get(tc.target, "User-Agent", "curl/8.5.0", "Accept-Language", "de")
		en := s.get(tc.target, "User-Agent", "curl/8.5.0", "Accept-Language", "en")
		deBody, enBody := readBody(t, de), readBody(t, en)
		if !strings.Contains(deBody, tc.de) || strings.Contains(enBody, tc.de) || !strings.Contains(enBody, tc.en) {
			t.Errorf("%s: German has %q: %v, English has %q: %v", tc.target, tc.de, strings.Contains(deBody, tc.de), tc.en, strings.Contains(enBody, tc.en))
		}
		if de.Header.Get("ETag") == en.Header.Get("ETag") {
			t.Errorf("%s: both languages have ETag %s", tc.target, de.Header.Get("ETag"))
		}
		if de.Header.Get("Content-Language") != "de" || en.Header.Get("Content-Language") != "en" {
			t.Errorf("%s: Content-Language %q and %q", tc.target, de.Header.Get("Content-Language"), en.Header.Get("Content-Language"))
		}
	}
}

// TestCVWithoutTranslations: a CV in one language does not vary with Accept-Language
// and links to no other language.
func TestCVWithoutTranslations(t *testing.T) {
	_, h := bundledServer(t)
	s := &testServer{handler: h.(*handler)}
	resp := s.get("/ankush", "Accept", browserAccept, "User-Agent", browserAgent, "Accept-Language", "de")
	body := readBody(t, resp)
	if vary := resp.Header.Get("Vary"); strings.Contains(vary, "Accept-Language") {
		t.Errorf("Vary = %q for a CV in one language", vary)
	}
	if strings.Contains(body, `class="langs"`) {
		t.Error("a CV in one language links to languages")
	}
}
