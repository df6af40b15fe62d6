package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sshcv/sshcv/internal/pdftest"
	"github.com/sshcv/sshcv/internal/qrtest"
	"github.com/sshcv/sshcv/pdf"
	"github.com/sshcv/sshcv/profiles"
)

// Media boxes of the two paper sizes, in points, as the PDF writes them.
const (
	mediaA4     = "/MediaBox [0 0 595.28 841.89]"
	mediaLetter = "/MediaBox [0 0 612.00 792.00]"
)

func TestPDFCommand(t *testing.T) {
	ts := startServer(t, nil)
	p, _ := ts.cfg.Catalog.Lookup("rohit")
	want, err := pdf.Render(p, pdf.A4)
	if err != nil {
		t.Fatal(err)
	}

	a4 := run(t, ts.addr, "rohit", "pdf", nil)
	if a4.status != 0 || a4.stdout != string(want) || a4.stderr != "" {
		t.Fatalf("pdf: status %d, %d bytes (want %d), stderr %q", a4.status, len(a4.stdout), len(want), a4.stderr)
	}
	if !strings.Contains(a4.stdout, mediaA4) {
		t.Error("pdf without LANG: not A4")
	}
	for lang, media := range map[string]string{"en_US.UTF-8": mediaLetter, "en_CA": mediaLetter, "de_DE.UTF-8": mediaA4, "en_GB.UTF-8": mediaA4} {
		got := run(t, ts.addr, "rohit", "pdf", map[string]string{"LANG": lang})
		if got.status != 0 || !strings.HasPrefix(got.stdout, "%PDF-") || !strings.Contains(got.stdout, media) {
			t.Errorf("LANG=%.20q: status %d, want %s", lang, got.status, media)
		}
	}

	// A PDF in a terminal would be garbage on the screen: the visitor is told (on
	// stderr, which the client shows) how to save it instead.
	term := openTerminalCommand(t, ts.addr, "rohit", "pdf")
	if status := term.wait(); status != 1 || strings.Contains(term.screen(), "%PDF") {
		t.Errorf("ssh -t rohit@ pdf: status %d, screen %.300q", status, term.screen())
	}

	help := run(t, ts.addr, "rohit", "help", nil)
	for _, line := range []string{"pdf > rohit.pdf", "rohit@localhost qr"} {
		if !strings.Contains(help.stdout, line) {
			t.Errorf("help lacks %q:\n%s", line, help.stdout)
		}
	}
}

func TestQRCommand(t *testing.T) {
	withWeb := startServer(t, func(c *Config) { c.WebBase = "https://cv.example.com" })
	got := run(t, withWeb.addr, "rohit", "qr", nil)
	if got.status != 0 {
		t.Fatalf("qr: status %d, stderr %q", got.status, got.stderr)
	}
	if !strings.Contains(got.stdout, "\x1b[") {
		t.Error("qr: not painted black on white")
	}
	if text, err := qrtest.Decode(stripped(got.stdout), false); err != nil || text != "https://cv.example.com/rohit" {
		t.Errorf("qr holds %q, %v; want the CV's web address\n%s", text, err, stripped(got.stdout))
	}
	if !strings.HasSuffix(got.stdout, "https://cv.example.com/rohit\n") {
		t.Errorf("qr: no line under the code saying what it holds: %q", got.stdout[max(len(got.stdout)-80, 0):])
	}

	// NO_COLOR: plain characters, drawn for a dark background (light modules in ink).
	plain := run(t, withWeb.addr, "rohit", "qr", map[string]string{"NO_COLOR": "1"})
	if strings.Contains(plain.stdout, "\x1b") {
		t.Error("qr with NO_COLOR: escape sequences in the output")
	}
	if text, err := qrtest.Decode(plain.stdout, true); err != nil || text != "https://cv.example.com/rohit" {
		t.Errorf("qr with NO_COLOR holds %q, %v", text, err)
	}

	// Without a web side the code holds the contact card.
	ts := startServer(t, nil)
	p, _ := ts.cfg.Catalog.Lookup("rohit")
	card := run(t, ts.addr, "rohit", "qr", nil)
	if text, err := qrtest.Decode(stripped(card.stdout), false); err != nil || text != string(profiles.ExportVCard(p)) {
		t.Errorf("qr without a web side holds %q, %v; want the vCard", text, err)
	}

	// With a PTY the code must fit the window, or a line says what it needs.
	term := openTerminalCommand(t, withWeb.addr, "rohit", "qr")
	if status := term.wait(); status != 0 {
		t.Errorf("ssh -t rohit@ qr in 80x24: status %d\n%s", status, term.screen())
	}
}

// TestQRInTmux opens the viewer with the real ssh client, presses Q and reads the code
// off the tmux pane, at a size that fits it and at 40x15, which does not.
func TestQRInTmux(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.WebBase = "https://cv.example.com" })
	for _, size := range [][2]int{{80, 24}, {40, 15}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			pane := openPane(t, ts.addr, "rohit", size[0], size[1])
			pane.waitFor("Rohit Gupta")
			pane.keys("Q")
			if size[1] < 18 {
				screen := pane.waitFor("QR code needs 33x18, window is 40x15")
				if strings.ContainsAny(screen, "▀▄") {
					t.Errorf("a code too big for the window was drawn:\n%s", screen)
				}
				return
			}
			screen := pane.waitFor("https://cv.example.com/rohit · esc closes")
			if text, err := qrtest.Decode(screen, false); err != nil || text != "https://cv.example.com/rohit" {
				t.Errorf("the code on screen holds %q, %v\n%s", text, err, screen)
			}
			pane.keys("Escape")
			pane.waitFor("Experience")
		})
	}
}

// TestPDFOpensInPoppler: the bytes a visitor saves are a PDF another program reads.
func TestPDFOpensInPoppler(t *testing.T) {
	ts := startServer(t, nil)
	got := run(t, ts.addr, "ankush", "pdf", nil)
	if info := pdftest.Info(t, []byte(got.stdout)); info["Author"] != "Ankush Sharma" || info["Title"] != "Ankush Sharma — CV" {
		t.Errorf("pdfinfo: %v", info)
	}
}
