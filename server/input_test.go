package server

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"

	uv "github.com/charmbracelet/ultraviolet"
	"golang.org/x/time/rate"
)

// guardAll runs input through an unthrottled inputGuard, reading it one small
// chunk at a time so that sequences arrive split, and returns what the decoder
// would see.
func guardAll(t *testing.T, input string) string {
	t.Helper()
	var last atomic.Int64
	g := newInputGuard(context.Background(), iotest.HalfReader(strings.NewReader(input)), &last)
	g.limiter = rate.NewLimiter(rate.Inf, 0)
	var out bytes.Buffer
	buf := make([]byte, 64)
	for {
		n, err := g.Read(buf)
		out.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if last.Load() == 0 {
		t.Error("the time of the last input was not recorded")
	}
	return out.String()
}

func TestInputGuardPassesWhatPeopleType(t *testing.T) {
	for _, input := range []string{
		"hello q",
		"\x1b[A\x1b[B\x1b[1;5C\x1bOP\x1b[Z\t\r",        // arrows, ctrl+right, F1, shift+tab
		"\x1b[<0;12;5M\x1b[<0;12;5m",                   // a mouse click
		"\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\\x1b[?62;22c", // terminal replies
		"\x1b[?2026;2$y\x1b[24;1R",
		"\x1b[200~pasted text\x1b[201~",
		"héllo ěšč 日本 🙂",  // UTF-8 with bytes that look like C1 controls
		"\x1bx\x1b\x1b[A", // alt+x, then alt+up
		"\x1bě\x1b[A",     // alt+ě (its second byte is 0x9b, C1 CSI), then up
	} {
		if got := guardAll(t, input); got != input {
			t.Errorf("guard changed %q into %q", input, got)
		}
	}
}

func TestInputGuardCutsFloods(t *testing.T) {
	const flood = 4 << 20
	huge := strings.Repeat("a", flood)

	paste := guardAll(t, "\x1b[200~"+huge+"\x1b[201~q")
	if len(paste) > maxPasteBytes+64 {
		t.Errorf("a %d-byte paste passed on %d bytes, want at most about %d", flood, len(paste), maxPasteBytes)
	}
	if !strings.HasSuffix(paste, "\x1b[201~q") {
		t.Errorf("the paste's end and the key after it were lost: ends with %q", paste[max(0, len(paste)-16):])
	}

	osc := guardAll(t, "\x1b]52;c;"+huge+"\x07j")
	if len(osc) > maxEscapeSeq+8 {
		t.Errorf("a %d-byte OSC passed on %d bytes, want at most about %d", flood, len(osc), maxEscapeSeq)
	}
	if !strings.HasSuffix(osc, "\x07j") {
		t.Errorf("the key after a cut OSC was lost: ends with %q", osc[max(0, len(osc)-16):])
	}

	csi := guardAll(t, "\x1b["+strings.Repeat("1;", flood/2)+"mk")
	if len(csi) > maxEscapeSeq+8 || !strings.HasSuffix(csi, "mk") {
		t.Errorf("a %d-byte CSI passed on %d bytes ending %q", flood, len(csi), csi[max(0, len(csi)-8):])
	}

	unterminated := guardAll(t, "\x1bP"+huge)
	if len(unterminated) > maxEscapeSeq+8 {
		t.Errorf("an unterminated DCS passed on %d bytes", len(unterminated))
	}
}

// TestInputGuardBoundsTheDecoder feeds a flood through the guard into the same
// decoder the sessions use and checks what comes out: a paste is cut to its
// bound, and the keys after it still arrive.
func TestInputGuardBoundsTheDecoder(t *testing.T) {
	input := "\x1b[200~" + strings.Repeat("x", 2<<20) + "\x1b[201~" + "\x1b]11;" + strings.Repeat("y", 1<<20) + "\x07q"
	guarded := guardAll(t, input)
	events := make(chan uv.Event)
	go streamInput(strings.NewReader(guarded), "xterm-256color", events)
	var pasted int
	var keys []string
	for ev := range events {
		switch ev := ev.(type) {
		case uv.PasteEvent:
			pasted += len(ev.Content)
		case uv.KeyPressEvent:
			keys = append(keys, ev.String())
		}
	}
	if pasted == 0 || pasted > maxPasteBytes {
		t.Errorf("paste of %d bytes reached the program, want between 1 and %d", pasted, maxPasteBytes)
	}
	if len(keys) == 0 || keys[len(keys)-1] != "q" {
		t.Errorf("keys after the flood: %q, want q last", keys)
	}
}
