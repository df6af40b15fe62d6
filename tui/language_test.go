package tui

import (
	"strings"
	"testing"

	"github.com/sshcv/sshcv/profiles"
)

// bundledRegistry serves the bundled CVs and their translations, as the server does.
func bundledRegistry(t *testing.T) *profiles.Registry {
	t.Helper()
	reg, err := profiles.OpenRegistry(profiles.RegistryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// germanOptions open rohit for a visitor whose LANG is German.
func germanOptions(t *testing.T) Options {
	reg := bundledRegistry(t)
	prefs := profiles.EnvLanguages([]string{"LANG=de_DE.UTF-8"})
	l, ok := reg.LookupIn("rohit", prefs)
	if !ok || l.Lang != "de" {
		t.Fatalf("no German rohit: %+v", l)
	}
	return Options{Profile: l.Profile, Lang: l.Lang, Languages: prefs, Variants: reg, Choices: reg.List(), Dark: true}
}

func TestViewerInTheCVsLanguage(t *testing.T) {
	s := start(t, germanOptions(t), 80, 24)
	screen := s.screen()
	mustContain(t, screen, "Berufserfahrung", "Production Engineer bei Ola", "? Hilfe", "q beenden", "Deutsch · Anfang")
	mustNotContain(t, screen, "scroll", "quit", "Experience")

	s.keys("?", "G")
	mustContain(t, s.screen(), "L   Sprache", "Kontakt kopieren", "Hilfe schließen")
	s.keys("?", "/")
	s.typeText("zzqx")
	s.keys("enter")
	mustContain(t, s.screen(), "Kein Treffer für „zzqx“")
	s.keys("esc", "c")
	mustContain(t, s.screen(), "hello@rohit.io in die Zwischenablage kopiert")

	quit := s.quit().QuitLine()
	if !strings.Contains(quit, "Danke, dass Sie den Lebenslauf von Rohit Gupta gelesen haben.") {
		t.Errorf("quit line not in German: %q", quit)
	}
}

func TestViewerLSwitchesLanguage(t *testing.T) {
	s := start(t, germanOptions(t), 80, 24)
	s.keys("right") // Projekte
	mustContain(t, s.screen(), "Graylog - Zentrale Logging-Plattform", "Deutsch")

	s.keys("L")
	screen := s.screen()
	mustContain(t, screen, "Graylog - Centralized logging platform", "English · Top", "←→ section", "q quit")
	mustNotContain(t, screen, "Deutsch", "Abschnitt")

	s.keys("L")
	mustContain(t, s.screen(), "Graylog - Zentrale Logging-Plattform", "Deutsch · Anfang")

	// The picker and p follow the language chosen last.
	s.keys("L", "p")
	mustContain(t, s.screen(), "Choose a CV", "DevOps & infrastructure")
	s.keys("L") // a letter types into the picker's filter; it switches nothing
	mustContain(t, s.screen(), "Filter: L")
}

func TestPickerInTheVisitorsLanguage(t *testing.T) {
	o := germanOptions(t)
	o.Profile, o.Lang = nil, ""
	s := start(t, o, 80, 24)
	mustContain(t, s.screen(), "Lebenslauf wählen", "Zum Filtern tippen", "DevOps & Infrastruktur", "q beenden")
	s.keys("down", "enter") // ankush, then rohit: rohit opens in German
	mustContain(t, s.screen(), "Berufserfahrung", "Deutsch · Anfang")
}

// A CV with no translations is shown as it always was, whatever the visitor prefers:
// English words, no L, no language in the footer.
func TestViewerWithoutTranslations(t *testing.T) {
	o := germanOptions(t)
	reg := o.Variants.(*profiles.Registry)
	l, _ := reg.LookupIn("ankush", o.Languages)
	o.Profile, o.Lang = l.Profile, l.Lang
	s := start(t, o, 80, 24)
	screen := s.screen()
	mustContain(t, screen, "←→ section", "q quit")
	mustNotContain(t, screen, "L language", "English", "Deutsch", "Abschnitt")
	s.keys("L")
	if got := s.screen(); got != screen {
		t.Errorf("L changed a CV with one language:\n%s", got)
	}
	s.keys("?", "G") // the end of the help, where L would be
	mustContain(t, s.screen(), "copy contact")
	mustNotContain(t, s.screen(), "language")
}

func TestTooSmallNoticeInTheCVsLanguage(t *testing.T) {
	s := start(t, germanOptions(t), 30, 10)
	mustContain(t, s.screen(), "Fenster bitte", "vergrößern", "hat 30x10")
}
