package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

func TestPickerListsEveryCV(t *testing.T) {
	s := start(t, Options{Choices: choices(t)}, 80, 24)
	screen := s.screen()
	mustContain(t, screen, "Choose a CV", "Ankush Sharma", "ankush, darxtrix", "SWE @Google",
		"Rohit Gupta", "rohit, rohit01", "Production Engineer", "Type to filter", "enter open")
	mustNotContain(t, screen, "No CV named", "Did you mean")
	if s.model.Current() != nil {
		t.Fatal("Current is set in the picker")
	}
	golden.RequireEqual(t, screen)
}

func TestPickerFilterAndOpen(t *testing.T) {
	s := start(t, Options{Choices: choices(t)}, 80, 24)
	s.typeText("ROH")
	screen := s.screen()
	mustContain(t, screen, "Filter: ROH", "Rohit Gupta")
	mustNotContain(t, screen, "Ankush Sharma")

	s.keys("backspace", "backspace", "backspace")
	s.typeText("darx") // an alias
	screen = s.screen()
	mustContain(t, screen, "Ankush Sharma")
	mustNotContain(t, screen, "Rohit Gupta")

	s.keys("esc")
	mustContain(t, s.screen(), "Ankush Sharma", "Rohit Gupta", "Type to filter")

	s.typeText("zzz")
	mustContain(t, s.screen(), "No CV matches “zzz”")
	s.keys("enter") // nothing to open
	mustContain(t, s.screen(), "No CV matches")
	s.keys("esc")

	s.typeText("infra") // a headline
	s.keys("enter")
	mustContain(t, s.screen(), "Rohit Gupta · Production Engineer", "Experience")
	if got := s.model.Current(); got == nil || got.Handle != "rohit" {
		t.Fatalf("enter opened %v", got)
	}
}

func TestPickerMovesWithKeys(t *testing.T) {
	s := start(t, Options{Choices: choices(t)}, 80, 24)
	mustContain(t, s.screen(), "› Ankush Sharma")
	s.keys("j")
	mustContain(t, s.screen(), "› Rohit Gupta")
	s.keys("k", "down")
	mustContain(t, s.screen(), "› Rohit Gupta")
	s.keys("down") // wraps
	mustContain(t, s.screen(), "› Ankush Sharma")
	s.keys("up", "enter")
	mustContain(t, s.screen(), "Rohit Gupta · Production Engineer")
}

func TestPickerNoCVNamedAndDidYouMean(t *testing.T) {
	o := Options{Choices: choices(t), Requested: "rohti", Suggestion: "rohit"}
	s := start(t, o, 80, 24)
	screen := s.screen()
	mustContain(t, screen, "No CV named 'rohti' here", "Did you mean rohit? Press enter to open it.", "› Rohit Gupta")
	golden.RequireEqual(t, screen)

	s.keys("enter")
	s.frame()
	if got := s.model.Current(); got == nil || got.Handle != "rohit" {
		t.Fatalf("enter on the untouched list opened %v, want the suggestion", got)
	}

	// p goes back to the picker, which remembers nothing typed and still heads the list.
	s.keys("p")
	mustContain(t, s.screen(), "No CV named 'rohti' here")
	if s.model.Current() != nil {
		t.Fatal("p left a CV current")
	}
	s.keys("k", "enter")
	s.frame()
	if got := s.model.Current(); got == nil || got.Handle != "ankush" {
		t.Fatalf("opened %v after moving up", got)
	}
	m := s.quit()
	mustContain(t, m.QuitLine(), "Ankush Sharma's CV")
}

func TestPickerCapsRequestedName(t *testing.T) {
	long := strings.Repeat("x", 200) + "\x1b[31m"
	s := start(t, Options{Choices: choices(t), Requested: long}, 80, 24)
	mustContain(t, s.screen(), "No CV named '"+strings.Repeat("x", maxRequested-1)+"…' here")
	mustNotContain(t, s.frame(), "\x1b[31m")
	s.tm.Send(tea.WindowSizeMsg{Width: 40, Height: 12})
	for _, r := range s.rows() {
		if ansi.StringWidth(r) > 40 {
			t.Fatalf("row wider than 40: %q", r)
		}
	}
}

func TestPickerQuitKeys(t *testing.T) {
	m := New(Options{Choices: choices(t), Width: 80, Height: 24})
	if _, cmd := m.Update(keyPress("q")); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("q does not quit the picker")
	}
	m = New(Options{Choices: choices(t), Width: 80, Height: 24})
	m.Update(keyPress("a"))
	if _, cmd := m.Update(keyPress("q")); cmd != nil {
		t.Fatal("q quits while typing a filter")
	}
	if !strings.Contains(ansi.Strip(m.View().Content), "Filter: aq") {
		t.Fatal("q was not typed into the filter")
	}
	if _, cmd := m.Update(keyPress("ctrl+c")); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("ctrl+c does not quit")
	}
	if _, cmd := m.Update(keyPress("esc")); cmd != nil {
		t.Fatal("esc quits the picker")
	}
}

func TestPickerMouse(t *testing.T) {
	s := start(t, Options{Choices: choices(t)}, 80, 24)
	rows := s.rows()
	for y, r := range rows {
		if strings.Contains(r, "Rohit Gupta") {
			s.tm.Send(tea.MouseClickMsg{X: 5, Y: y, Button: tea.MouseLeft})
			mustContain(t, s.screen(), "Rohit Gupta · Production Engineer")
			return
		}
	}
	t.Fatal("Rohit is not listed")
}

func TestPickerPasteIsBounded(t *testing.T) {
	s := start(t, Options{Choices: choices(t)}, 80, 24)
	s.tm.Send(tea.PasteMsg{Content: strings.Repeat("ab", 10000)})
	screen := s.screen()
	mustContain(t, screen, "Filter: "+strings.Repeat("ab", maxFilter/2))
	mustNotContain(t, screen, strings.Repeat("ab", maxFilter/2+1))
}

func TestPickerTooSmall(t *testing.T) {
	s := start(t, Options{Choices: choices(t)}, 30, 8)
	mustContain(t, s.screen(), "Please enlarge", "have 30x8")
	s.tm.Send(tea.WindowSizeMsg{Width: 40, Height: 12})
	mustContain(t, s.screen(), "Choose a CV", "Ankush Sharma")
}
