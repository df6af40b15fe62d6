package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestHelpScrollsWithTheWheel: in a window too short for all the keys, the wheel
// scrolls the help, not the page hidden behind it.
func TestHelpScrollsWithTheWheel(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 12)
	s.keys("?")
	mustContain(t, s.screen(), "next section", "↑↓ more")
	mustNotContain(t, s.screen(), "a click on a tab opens it")
	for i := 0; i < 5; i++ {
		s.tm.Send(tea.MouseWheelMsg{X: 10, Y: 8, Button: tea.MouseWheelDown})
	}
	mustContain(t, s.screen(), "a click on a tab opens it")
	s.keys("?")
	mustContain(t, s.screen(), "Production engineer at Ola")
}
