package server

import (
	"io"
	"reflect"
	"sync"
	"time"
	"unicode/utf8"

	uv "github.com/charmbracelet/ultraviolet"
)

// Why the server reads the visitor's input itself.
//
// Bubble Tea v2.0.10, given an input, starts a reader (ultraviolet's
// TerminalReader.StreamEvents) whose sendEvents sends each decoded event to the
// program's unbuffered message channel with a plain `eventc <- event`: no select,
// no context. When bytes reach that reader after the program's event loop has
// returned — a terminal's answers to the start-up queries (background colour,
// mode reports, device attributes) arriving as the visitor quits or disconnects,
// or an escape sequence still waiting for its 50 ms timeout when the input ends —
// nothing ever receives that send: the goroutine blocks for ever and pins the
// session's program (about half a megabyte) with it.
//
// So the program is started without an input (tea.WithInput(nil)) and the
// session's input is owned here: streamInput decodes it into a channel this
// package drains until the session's input ends, and every event reaches the
// program through Program.Send, which gives up once the program is gone. Nothing
// can block for ever, whatever the client sends and whenever. Without an input
// Bubble Tea skips its terminal queries, so the session writes the start-up
// queries itself (startupQueries) and their answers arrive as the usual messages.
//
// streamInput does not use ultraviolet's TerminalReader either, only its
// EventDecoder: a TerminalReader builds its own copy of a 1 320-entry key table
// (about 120 KB per session, the largest thing a session owns after the two
// screen buffers) and runs two goroutines. Without terminfo, which it does not
// use by default, every sequence in that table decodes to the same key through
// EventDecoder alone; the one exception, CSI 1;<mod> R, is handled below.

// startupQueries asks the visitor's terminal what Bubble Tea would ask at start:
// synchronized output (mode 2026) and Unicode width (mode 2027) support, and the
// background colour, which the viewer receives as a tea.BackgroundColorMsg.
const startupQueries = "\x1b[?2026$p\x1b[?2027$p\x1b]11;?\x07"

// Input bounds. A person types a few bytes a second and pastes a few kilobytes;
// terminal replies are under a hundred bytes.
const (
	inputRate  = 32 << 10 // bytes per second, sustained
	inputBurst = 64 << 10 // bytes at once: a generous paste
	// maxDropped is how much input over the budget a session may send before it is
	// closed as a flood: four generous pastes' worth.
	maxDropped    = 256 << 10
	inputChunk    = 512      // largest read handed on at once: held by every session while it waits for input
	maxEscapeSeq  = 1 << 10  // longest escape sequence passed on whole
	maxPasteBytes = 64 << 10 // longest bracketed paste passed on whole
)

// escTimeout is how long a lone ESC (or ESC and one more byte) waits for the rest
// of a sequence before it counts as the esc key (or alt+key): ultraviolet's
// DefaultEscTimeout, which Bubble Tea uses.
const escTimeout = uv.DefaultEscTimeout

// streamInput decodes the session's input into events until the input ends (the
// client closed it, or the session is over), then closes events. The caller must
// drain events until it is closed. onPanic, when not nil, is called with what
// a panic in the decoder (or its escape timer) recovered; events is closed then
// too.
func streamInput(r io.Reader, events chan<- uv.Event, onPanic func(any)) {
	decodeInput(r, events, escTimeout, onPanic)
}

// decodeInput is streamInput with the time an incomplete sequence waits for its rest.
func decodeInput(r io.Reader, events chan<- uv.Event, timeout time.Duration, onPanic func(any)) {
	d := &inputDecoder{events: events, timeout: timeout, onPanic: onPanic}
	defer d.close()
	if onPanic != nil {
		defer func() {
			if p := recover(); p != nil {
				onPanic(p)
			}
		}()
	}
	var buf [inputChunk + 16]byte // inputGuard.Read wants room for a cut sequence's terminator
	for {
		n, err := r.Read(buf[:])
		if d.take(buf[:n], err) {
			return
		}
	}
}

// take decodes what one read returned and reports whether the input has ended.
func (d *inputDecoder) take(b []byte, err error) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(b) > 0 {
		d.feed(b)
	}
	if err != nil {
		// Whatever the error (io.EOF from the client or from the guard once the
		// session is over), the input has ended and there is nothing to report.
		// What is still held is complete as far as it goes.
		d.flush()
		return true
	}
	return false
}

// close ends the decoding: the escape timer is stopped and events closed.
func (d *inputDecoder) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ended = true
	if d.timer != nil {
		d.timer.Stop()
	}
	close(d.events)
}

// inputDecoder turns the session's input bytes into events the way ultraviolet's
// TerminalReader does: an escape sequence split across reads waits up to
// timeout for its rest, a bracketed paste arrives as one PasteEvent, and the
// events of a MultiEvent arrive one by one. Its methods run with mu held: the
// read loop and the escape timer's callback both decode.
type inputDecoder struct {
	uv.EventDecoder
	events  chan<- uv.Event
	timeout time.Duration
	onPanic func(any) // nil: a panic is not recovered (tests, fuzzing)

	mu       sync.Mutex
	pending  []byte    // read but not yet decoded: the start of a sequence
	deadline time.Time // when pending counts as complete
	timer    *time.Timer
	paste    []byte // the bracketed paste so far; nil outside a paste
	ended    bool   // events is closed
}

// feed decodes newly read bytes, holding back the start of a sequence that may
// continue in the next read.
func (d *inputDecoder) feed(b []byte) {
	data := b
	if len(d.pending) > 0 {
		d.pending = append(d.pending, b...)
		data = d.pending
	}
	n := d.decode(data, false)
	d.pending = append(d.pending[:0], data[n:]...)
	if len(d.pending) == 0 {
		if d.timer != nil {
			d.timer.Stop()
		}
		return
	}
	d.deadline = time.Now().Add(d.timeout)
	if d.timer == nil {
		d.timer = time.AfterFunc(d.timeout, d.expire)
	} else {
		d.timer.Reset(d.timeout)
	}
}

// expire decodes what is pending as complete once nothing more arrived in time.
func (d *inputDecoder) expire() {
	if d.onPanic != nil {
		defer func() {
			if p := recover(); p != nil {
				d.onPanic(p)
			}
		}()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ended || len(d.pending) == 0 {
		return
	}
	if wait := time.Until(d.deadline); wait > 0 {
		d.timer.Reset(wait) // more input came in meanwhile
		return
	}
	d.flush()
}

// flush decodes everything pending as complete.
func (d *inputDecoder) flush() {
	if len(d.pending) > 0 {
		d.decode(d.pending, true)
		d.pending = d.pending[:0]
	}
}

// decode sends the events in buf and returns how many bytes it used. Unless
// expired, it stops before a sequence that may be incomplete: an unknown one, or
// ESC with at most one byte after it (the esc key or alt+key, or the start of a
// sequence cut by the packet boundary).
func (d *inputDecoder) decode(buf []byte, expired bool) int {
	used := 0
	for len(buf) > 0 {
		esc := buf[0] == 0x1b
		n, ev := d.Decode(buf)
		mayContinue := esc && n <= 2 && !expired
		if d.paste != nil {
			if _, end := ev.(uv.PasteEndEvent); !end {
				switch ev := ev.(type) {
				case uv.KeyPressEvent:
					switch {
					case ev.Text != "":
						d.paste = append(d.paste, ev.Text...)
					case mayContinue:
						return used
					default:
						d.paste = append(d.paste, buf[:n]...)
					}
				case uv.UnknownEvent:
					if !expired {
						return used
					}
				}
				buf, used = buf[n:], used+n
				continue
			}
		}
		switch ev := ev.(type) {
		case uv.UnknownEvent:
			if !expired {
				return used
			}
			d.send(ev)
		case uv.PasteStartEvent:
			d.paste = []byte{}
			d.send(ev)
		case uv.PasteEndEvent:
			d.send(uv.PasteEvent{Content: validUTF8(d.paste)})
			d.paste = nil
			d.send(ev)
		case uv.MultiEvent:
			if mayContinue {
				return used
			}
			d.sendMulti(ev)
		default:
			if isCancelledSequence(ev) {
				break
			}
			if mayContinue {
				return used
			}
			d.send(ev)
		}
		buf, used = buf[n:], used+n
	}
	return used
}

func (d *inputDecoder) send(ev uv.Event) {
	if ev != nil {
		d.events <- ev
	}
}

// sendMulti sends the events of a MultiEvent one by one. CSI 1;<mod> R is both a
// modified F3 and a cursor position report at row 1; the server never asks for
// the cursor position, so it is the key (as ultraviolet's key table says).
func (d *inputDecoder) sendMulti(m uv.MultiEvent) {
	if len(m) == 2 {
		if k, ok := m[0].(uv.KeyPressEvent); ok && k.Code == uv.KeyF3 {
			if _, ok := m[1].(uv.CursorPositionEvent); ok {
				d.send(k)
				return
			}
		}
	}
	for _, ev := range m {
		d.send(ev)
	}
}

// validUTF8 is the pasted text without the bytes that are not UTF-8.
func validUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]rune, 0, len(b))
	for len(b) > 0 {
		r, w := utf8.DecodeRune(b)
		if r != utf8.RuneError {
			out = append(out, r)
		}
		b = b[w:]
	}
	return string(out)
}

// cancelledSequenceType is the type of the event EventDecoder returns for a
// string sequence cancelled by CAN or SUB or left without its terminator.
// ultraviolet's reader drops these events; their type is not exported, so it is
// taken from the decoder itself.
var cancelledSequenceType = func() reflect.Type {
	_, ev := new(uv.EventDecoder).Decode([]byte("\x1b]0;\x18"))
	return reflect.TypeOf(ev)
}()

func isCancelledSequence(ev uv.Event) bool {
	return reflect.TypeOf(ev) == cancelledSequenceType
}
