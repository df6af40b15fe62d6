package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/sshcv/sshcv/internal/qrtest"
	"github.com/sshcv/sshcv/profiles"
)

// qrScreen opens the viewer at a size, presses Q and returns the screen as a terminal
// without colours would show it.
func qrScreen(t *testing.T, p *profiles.Profile, webBase string, width, height int) (*Model, string) {
	t.Helper()
	m := New(Options{Profile: p, Width: width, Height: height, Dark: true, WebBase: webBase})
	m.Update(tea.KeyPressMsg{Code: 'Q', Text: "Q"})
	return m, ansi.Strip(m.View().Content)
}

func TestQRKeyShowsTheWebAddress(t *testing.T) {
	p := bundled(t, "rohit")
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		_, screen := qrScreen(t, p, "https://cv.example.com", size[0], size[1])
		got, err := qrtest.Decode(screen, false)
		if err != nil {
			t.Fatalf("%dx%d: %v\n%s", size[0], size[1], err, screen)
		}
		if want := "https://cv.example.com/rohit"; got != want {
			t.Errorf("%dx%d: the code holds %q, want %q", size[0], size[1], got, want)
		}
		if !strings.Contains(screen, "https://cv.example.com/rohit · esc closes") {
			t.Errorf("%dx%d: no caption under the code:\n%s", size[0], size[1], screen)
		}
	}
}

func TestQRWithoutWebSideHoldsTheVCard(t *testing.T) {
	p := bundled(t, "rohit")
	_, screen := qrScreen(t, p, "", 200, 60)
	got, err := qrtest.Decode(screen, false)
	if err != nil {
		t.Fatalf("%v\n%s", err, screen)
	}
	if want := string(profiles.ExportVCard(p)); got != want {
		t.Errorf("the code holds %q, want the vCard %q", got, want)
	}
	if !strings.Contains(screen, "Contact card (vCard) of Rohit Gupta") {
		t.Errorf("no caption saying what the code holds:\n%s", screen)
	}
}

func TestQRTooSmallSaysWhy(t *testing.T) {
	p := bundled(t, "rohit")
	m, screen := qrScreen(t, p, "https://cv.example.com", 40, 15)
	if strings.ContainsAny(screen, "█▀▄") {
		t.Fatalf("a code that cannot fit was drawn at 40x15:\n%s", screen)
	}
	if !strings.Contains(screen, "QR code needs 33x18, window is 40x15") {
		t.Errorf("the screen does not say what size the code needs:\n%s", screen)
	}
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 18})
	got, err := qrtest.Decode(ansi.Strip(m.View().Content), false)
	if err != nil || got != "https://cv.example.com/rohit" {
		t.Errorf("at 40x18 the code reads %q, %v", got, err)
	}
}

func TestQREscCloses(t *testing.T) {
	p := bundled(t, "rohit")
	m, _ := qrScreen(t, p, "https://cv.example.com", 80, 24)
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if screen := ansi.Strip(m.View().Content); strings.ContainsAny(screen, "▀▄") || !strings.Contains(screen, "Rohit Gupta") {
		t.Errorf("esc did not close the QR code:\n%s", screen)
	}
}

func TestQRWithoutColoursOnADarkBackground(t *testing.T) {
	code, ok := QRText("https://cv.example.com/rohit", "caption", 0, 0, false, true)
	if !ok {
		t.Fatal(code)
	}
	if got, err := qrtest.Decode(code, true); err != nil || got != "https://cv.example.com/rohit" {
		t.Errorf("the inverted code reads %q, %v", got, err)
	}
}

// TestQRWithoutColoursInTheViewer: with NO_COLOR the terminal draws in its own colours,
// light on a dark background, so the code is drawn inverted there, plain on a light one.
func TestQRWithoutColoursInTheViewer(t *testing.T) {
	p := bundled(t, "rohit")
	for _, dark := range []bool{true, false} {
		m := New(Options{Profile: p, Width: 80, Height: 24, Dark: dark, WebBase: "https://cv.example.com"})
		m.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
		m.Update(tea.KeyPressMsg{Code: 'Q', Text: "Q"})
		screen := m.View().Content
		if strings.Contains(screen, "\x1b[") {
			t.Errorf("dark %v: colours in a session without colours", dark)
		}
		if got, err := qrtest.Decode(screen, dark); err != nil || got != "https://cv.example.com/rohit" {
			t.Errorf("dark %v: the code reads %q, %v\n%s", dark, got, err, screen)
		}
	}
}
