package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
	"golang.org/x/time/rate"
)

// guardAll runs input through an unthrottled inputGuard, reading it one small
// chunk at a time so that sequences arrive split, and returns what the decoder
// would see.
func guardAll(t *testing.T, input string) string {
	t.Helper()
	var last atomic.Int64
	g := newInputGuard(iotest.HalfReader(strings.NewReader(input)), &last, guardHooks{})
	g.limiter = rate.NewLimiter(rate.Inf, 0)
	g.maxBacklog = len(input)
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
	go streamInput(strings.NewReader(guarded), events, nil)
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

// decodeAll decodes input, read through r, and returns the events as text.
func decodeAll(r io.Reader, timeout time.Duration) []string {
	events := make(chan uv.Event)
	go decodeInput(r, events, timeout, nil)
	var out []string
	for ev := range events {
		out = append(out, fmt.Sprintf("%T %v", ev, ev))
	}
	return out
}

// referenceEvents decodes input with ultraviolet's own TerminalReader, which
// Bubble Tea uses when it reads a terminal itself.
func referenceEvents(t *testing.T, r io.Reader) []string {
	t.Helper()
	events := make(chan uv.Event)
	done := make(chan error, 1)
	go func() {
		done <- uv.NewTerminalReader(r, "xterm-256color").StreamEvents(context.Background(), events)
	}()
	var out []string
	for {
		select {
		case ev := <-events:
			out = append(out, fmt.Sprintf("%T %v", ev, ev))
		case err := <-done:
			if err != nil {
				t.Fatalf("reference reader: %v", err)
			}
			return out
		}
	}
}

// inputsVisitorsSend are byte streams terminals send: every key the viewer and
// the picker bind in the encodings of xterm (normal and application cursor
// mode), rxvt, the Linux console and tmux, mouse reports, replies to the
// start-up queries, pastes, alt+key and text.
var inputsVisitorsSend = []string{
	"\x1b[A\x1b[B\x1b[C\x1b[D",                 // arrows, normal mode
	"\x1bOA\x1bOB\x1bOC\x1bOD",                 // arrows, application mode (SS3)
	"\x1b[5~\x1b[6~",                           // pgup, pgdown
	"\x1b[H\x1b[F\x1bOH\x1bOF",                 // home, end (xterm)
	"\x1b[1~\x1b[4~\x1b[7~\x1b[8~",             // home, end (Linux console, rxvt)
	"\x1b[Z\t\r\x7f\x03\x04\x15\x0e\x10",       // shift+tab, tab, enter, backspace, ctrl+c/d/u/n/p
	"\x1b[1;5C\x1b[1;2A\x1b[a\x1bOa\x1b[2$",    // modified arrows (xterm, rxvt)
	"\x1bOP\x1b[15~\x1b[[A",                    // F1, F5, Linux console F1 (ctrl+F3: see TestDecoderKeysTheViewerBinds)
	"q/jkhlgGnNdubfcp?123456789 ",              // letters the viewer binds
	"\x1b[<0;12;5M\x1b[<0;12;5m",               // a click, SGR 1006
	"\x1b[<64;10;3M\x1b[<65;10;3M",             // the wheel, SGR 1006
	"\x1b[M !!",                                // a click, X10
	"\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\",         // background colour, ST
	"\x1b]11;rgb:ffff/ffff/ffff\x07",           // background colour, BEL
	"\x1b[?2026;2$y\x1b[?2027;0$y\x1b[?62;22c", // mode reports, device attributes
	"\x1b[I\x1b[O",                             // focus
	"\x1b[200~pasted\ttext ě\r\x1b[201~q",      // a paste with keys inside, then q
	"\x1bx\x1b\x1b[A\x1bě",                     // alt+x, alt+up, alt+ě
	"héllo ěšč 日本 🙂",                           // text
	"\x1b]0;title\x18k",                        // a cancelled OSC, then k
	"\x1b[99;99;99zj",                          // an unknown sequence, then j
	"\x1b",                                     // a lone esc at the end
}

// TestDecoderMatchesTerminalReader checks that the session's decoder turns
// every input a visitor sends into the same events as ultraviolet's own
// TerminalReader, read whole and one byte at a time.
func TestDecoderMatchesTerminalReader(t *testing.T) {
	for _, input := range inputsVisitorsSend {
		want := referenceEvents(t, strings.NewReader(input))
		if len(want) == 0 {
			t.Fatalf("the reference reader found no events in %q", input)
		}
		if got := decodeAll(strings.NewReader(input), time.Minute); !slices.Equal(got, want) {
			t.Errorf("%q\n got  %q\n want %q", input, got, want)
		}
		// Split into single bytes: a sequence waits for its rest.
		want = referenceEvents(t, iotest.OneByteReader(strings.NewReader(input)))
		if got := decodeAll(iotest.OneByteReader(strings.NewReader(input)), time.Minute); !slices.Equal(got, want) {
			t.Errorf("%q one byte at a time\n got  %q\n want %q", input, got, want)
		}
	}
}

// TestDecoderKeysTheViewerBinds checks the keys a visitor presses by name.
func TestDecoderKeysTheViewerBinds(t *testing.T) {
	for input, want := range map[string]string{
		"\x1b[A": "up", "\x1bOA": "up", "\x1b[B": "down", "\x1bOB": "down",
		"\x1b[C": "right", "\x1bOC": "right", "\x1b[D": "left", "\x1bOD": "left",
		"\x1b[5~": "pgup", "\x1b[6~": "pgdown",
		"\x1b[H": "home", "\x1bOH": "home", "\x1b[1~": "home", "\x1b[7~": "home",
		"\x1b[F": "end", "\x1bOF": "end", "\x1b[4~": "end", "\x1b[8~": "end",
		"\x1b[Z": "shift+tab", "\t": "tab", "\r": "enter", "\x03": "ctrl+c", " ": "space",
		"\x1b[1;5R": "ctrl+f3",
	} {
		got := decodeAll(strings.NewReader(input), time.Minute)
		if len(got) != 1 || !strings.HasSuffix(got[0], " "+want) {
			t.Errorf("%q decoded as %q, want %s", input, got, want)
		}
	}
}

// TestDecoderEscapeTimeout checks that a lone ESC becomes the esc key once
// nothing follows it in time, while the input stays open.
func TestDecoderEscapeTimeout(t *testing.T) {
	r, w := io.Pipe()
	events := make(chan uv.Event)
	go decodeInput(r, events, time.Millisecond, nil)
	if _, err := w.Write([]byte("\x1b")); err != nil {
		t.Fatal(err)
	}
	if ev := <-events; fmt.Sprint(ev) != "esc" {
		t.Errorf("a lone ESC decoded as %v, want esc", ev)
	}
	if _, err := w.Write([]byte("\x1b[A")); err != nil {
		t.Fatal(err)
	}
	if ev := <-events; fmt.Sprint(ev) != "up" {
		t.Errorf("the arrow after it decoded as %v, want up", ev)
	}
	w.Close()
	if ev, ok := <-events; ok {
		t.Errorf("event %v after the input ended, want the channel closed", ev)
	}
}

// TestDecoderKeepsKeysInsideAPaste checks that an escape sequence inside a
// bracketed paste stays pasted text however the paste is split. (ultraviolet's
// reader turns it into a key press when a read ends right after it.)
func TestDecoderKeepsKeysInsideAPaste(t *testing.T) {
	const input = "\x1b[200~a\x1b[Ab\x1b[201~"
	want := []string{"uv.PasteStartEvent {}", "uv.PasteEvent a\x1b[Ab", "uv.PasteEndEvent {}"}
	for _, r := range []io.Reader{strings.NewReader(input), iotest.OneByteReader(strings.NewReader(input))} {
		if got := decodeAll(r, time.Minute); !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

// TestInputGuardReadsAFloodAtOnce: while the program takes nothing, the guard
// still reads everything the client sends, keeps a burst, drops the rest and
// reports a flood once more than maxDropped is dropped;
// the rest is read and thrown away. Leaving input unread
// (as a rate limit that waits does) holds it in the SSH channel's window.
func TestInputGuardReadsAFloodAtOnce(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close() // ends the pump's discarding
	var last atomic.Int64
	var dropped atomic.Int64
	flooded := make(chan struct{})
	g := newInputGuard(r, &last, guardHooks{drop: func(n int) { dropped.Add(int64(n)) }, flood: func() { close(flooded) }})
	const flood = 2 << 20
	wrote := make(chan error, 1)
	go func() {
		_, err := w.Write(bytes.Repeat([]byte("x"), flood))
		wrote <- err
	}()
	buf := make([]byte, 64)
	if n, err := g.Read(buf); n == 0 || err != nil { // one key's worth, then nothing
		t.Fatalf("first read: %d, %v", n, err)
	}
	select {
	case <-flooded:
	case <-time.After(waitLimit):
		t.Fatalf("no flood reported; %d bytes dropped", dropped.Load())
	}
	select {
	case err := <-wrote:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(waitLimit):
		t.Fatal("the guard stopped reading: the client's write never finished")
	}
	if d := dropped.Load(); d <= maxDropped {
		t.Errorf("a flood reported after %d bytes dropped, want over %d", d, maxDropped)
	}
	for {
		if _, err := g.Read(buf); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
}
