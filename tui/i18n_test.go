package tui

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sshcv/sshcv/profiles"
)

// TestCatalogues: every catalogue has every word, with the same fmt verbs as English.
func TestCatalogues(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]`)
	var langs []string
	for _, c := range catalogues {
		langs = append(langs, c.lang)
		for w := word(0); w < numWords; w++ {
			text, en := c.get(w), english.get(w)
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: word %d (English %q) is missing", c.lang, w, en)
				continue
			}
			if got, want := verbs.FindAllString(text, -1), verbs.FindAllString(en, -1); !slices.Equal(got, want) {
				t.Errorf("%s: %q has verbs %v, English %q has %v", c.lang, text, got, en, want)
			}
		}
	}
	for _, want := range []string{"en", "de", "fr", "es", "pt"} {
		if !slices.Contains(langs, want) {
			t.Errorf("no %s catalogue (have %v)", want, langs)
		}
	}
}

func TestWordsFollowTheLanguage(t *testing.T) {
	for lang, want := range map[string]string{
		"": "en", "en": "en", "de": "de", "de-CH": "de", "pt-BR": "pt", "pt": "pt", "fr-CA": "fr",
		"es-419": "es", "ja": "en", "zz": "en", "\x1b[31m": "en",
	} {
		if got := wordsIn(lang).lang; got != want {
			t.Errorf("wordsIn(%q) = %s, want %s", lang, got, want)
		}
	}
	if got := wordsFor(profiles.EnvLanguages([]string{"LANG=fr_FR.UTF-8"})).lang; got != "fr" {
		t.Errorf("wordsFor(fr_FR) = %s, want fr", got)
	}
	if got := wordsFor(nil).lang; got != "en" {
		t.Errorf("wordsFor(nil) = %s, want en", got)
	}
}

func TestLanguageName(t *testing.T) {
	for tag, want := range map[string]string{
		"en": "English", "de": "Deutsch", "pt-BR": "Português (BR)", "sr-Latn": "Српски (Latn)", "xx": "xx",
	} {
		if got := LanguageName(tag); got != want {
			t.Errorf("LanguageName(%q) = %q, want %q", tag, got, want)
		}
	}
}
