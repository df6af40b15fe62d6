package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// footerRow is the last row of the screen.
func footerRow(s *session) string {
	rows := s.rows()
	return rows[len(rows)-1]
}

// TestPickerHelpNamesItsKeys: q quits while the filter is empty, as the footer says;
// once the filter holds text, q types and the footer names ctrl+c instead.
func TestPickerHelpNamesItsKeys(t *testing.T) {
	s := start(t, Options{Choices: choices(t)}, 80, 24)
	if f := footerRow(s); !strings.Contains(f, "q quit") {
		t.Fatalf("footer %q does not offer q", f)
	}
	s.typeText("rohit")
	s.typeText("q")
	mustContain(t, s.screen(), "Filter: rohitq")
	if f := footerRow(s); !strings.Contains(f, "ctrl+c quit") {
		t.Fatalf("footer %q while filtering, want ctrl+c quit", f)
	}
	s.keys("esc")
	if f := footerRow(s); !strings.Contains(f, "q quit") || strings.Contains(f, "ctrl+c") {
		t.Fatalf("footer %q after esc, want q quit", f)
	}
	s.keys("j")
	mustContain(t, s.screen(), "› Rohit Gupta") // j moves again
	if m := s.quit(); m.Current() != nil {
		t.Fatal("q opened a CV")
	}
}

// TestSearchPhraseAndEdit: a query can hold spaces, and the cursor can move back
// into it to correct a letter.
func TestSearchPhraseAndEdit(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	s.keys("/")
	s.typeText("production engineer")
	mustContain(t, s.screen(), "/production engineer", "match")
	mustNotContain(t, s.screen(), "no matches")

	s.keys("esc", "/")
	s.typeText("grylog")
	mustContain(t, s.screen(), "no matches")
	s.keys("left", "left", "left", "left")
	s.typeText("a")
	mustContain(t, s.screen(), "/graylog", "1/4 matches")
}

// TestSearchWhileTypingMovesTheTabBar: a match found as the query is typed opens its
// section, and the tab bar says so.
func TestSearchWhileTypingMovesTheTabBar(t *testing.T) {
	s := start(t, rohitOptions(t), 50, 20)
	mustContain(t, s.screen(), "‹ 1/6  Experience ›")
	s.keys("/")
	s.typeText("Speaker at conferences")
	mustContain(t, s.screen(), "‹ 4/6  Achievements ›", "1/1 match")
}

// TestSearchPasteIsCleanAndBounded: a paste into the search box loses its escape
// sequences and stops at the query's limit.
func TestSearchPasteIsCleanAndBounded(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	s.keys("/")
	s.tm.Send(tea.PasteMsg{Content: "gray\x1b[2J\x1b]52;c;eA==\alog"})
	mustContain(t, s.screen(), "/graylog", "1/4 matches")
	s.keys("esc", "/")
	s.tm.Send(tea.PasteMsg{Content: strings.Repeat("x", 1000)})
	mustContain(t, s.screen(), "/"+strings.Repeat("x", maxQuery)+" ")
	mustNotContain(t, s.screen(), strings.Repeat("x", maxQuery+1))
}
