package server

import (
	"strings"
	"testing"

	"github.com/sshcv/sshcv/internal/testenv"
)

// The real OpenSSH client sends the visitor's LANG when told to (SendEnv LANG, as
// Debian's and most distributions' ssh_config do by default): the viewer opens the CV
// in that language, with its own words in it too; L switches to the CV's other language.
func TestOpenSSHSendsLANG(t *testing.T) {
	testenv.Program(t, "tmux")
	testenv.Program(t, "ssh")
	ts := startServer(t, nil)

	t.Setenv("LANG", "de_DE.UTF-8") // the ssh client's environment, in the tmux pane
	pane := openPane(t, ts.addr, "rohit", 80, 24, "SendEnv=LANG")
	pane.waitFor("Berufserfahrung", "Production Engineer bei Ola", "q beenden", "Deutsch · Anfang")

	pane.keys("Right")
	pane.waitFor("Graylog - Zentrale Logging-Plattform")
	pane.keys("L")
	screen := pane.waitFor("Graylog - Centralized logging platform", "English · Top", "q quit")
	if strings.Contains(screen, "Abschnitt") {
		t.Errorf("after L the footer is still German:\n%s", screen)
	}
	pane.keys("L")
	pane.waitFor("Graylog - Zentrale Logging-Plattform", "Deutsch")
	pane.keys("q")
	pane.waitForScrolled("Danke, dass Sie den Lebenslauf von Rohit Gupta gelesen haben.")
}

// A language the CV does not have, and values of LANG that are no locale, give the
// CV as it is, with English words.
func TestOpenSSHOtherLANG(t *testing.T) {
	testenv.Program(t, "tmux")
	testenv.Program(t, "ssh")
	ts := startServer(t, nil)
	for name, lang := range map[string]string{
		"French, no French CV": "fr_FR.UTF-8",
		"10k characters":       "de_DE" + strings.Repeat("x", 10000),
		"escapes":              "de_DE\x1b[31m\x1b]0;owned\x07",
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("LANG", lang)
			pane := openPane(t, ts.addr, "rohit", 80, 24, "SendEnv=LANG")
			screen := pane.waitFor("Experience", "Production engineer at Ola", "q quit")
			if strings.Contains(screen, "Deutsch") || strings.Contains(screen, "owned") {
				t.Errorf("LANG=%.20q changed the viewer:\n%s", lang, screen)
			}
			pane.keys("q")
			pane.waitForScrolled("Thanks for reading Rohit Gupta's CV.")
		})
	}
}

// Without a PTY the CV and its exports are in the visitor's language as well.
func TestPlainOutputInTheVisitorsLanguage(t *testing.T) {
	ts := startServer(t, nil)
	for _, tc := range []struct {
		command, lang string
		want, not     []string
	}{
		{"", "de_DE.UTF-8", []string{"Berufserfahrung", "E-Mail: hello@rohit.io"}, []string{"Experience"}},
		{"text", "de_DE.UTF-8", []string{"Berufserfahrung", "E-Mail: hello@rohit.io"}, []string{"Experience"}},
		{"md", "de_DE.UTF-8", []string{"## Berufserfahrung"}, []string{"## Experience"}},
		{"text", "fr_FR.UTF-8", []string{"Experience", "Email: hello@rohit.io"}, []string{"Berufserfahrung"}},
		{"text", "de_DE\x1b[31m", []string{"Experience"}, []string{"Berufserfahrung", "\x1b"}},
	} {
		r := run(t, ts.addr, "rohit", tc.command, map[string]string{"LANG": tc.lang})
		if r.status != 0 {
			t.Fatalf("%q with LANG=%.20q: status %d, stderr %q", tc.command, tc.lang, r.status, r.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%q with LANG=%.20q: no %q in\n%.300s", tc.command, tc.lang, w, r.stdout)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(r.stdout, n) {
				t.Errorf("%q with LANG=%.20q: %q in\n%.300s", tc.command, tc.lang, n, r.stdout)
			}
		}
	}
}
