package server

import (
	"io"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	uv "github.com/charmbracelet/ultraviolet"
	"golang.org/x/time/rate"
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
// drain events until it is closed.
func streamInput(r io.Reader, events chan<- uv.Event) {
	decodeInput(r, events, escTimeout)
}

// decodeInput is streamInput with the time an incomplete sequence waits for its rest.
func decodeInput(r io.Reader, events chan<- uv.Event, timeout time.Duration) {
	d := &inputDecoder{events: events, timeout: timeout}
	var buf [inputChunk + 16]byte // inputGuard.Read wants room for a cut sequence's terminator
	for {
		n, err := r.Read(buf[:])
		d.mu.Lock()
		if n > 0 {
			d.feed(buf[:n])
		}
		if err != nil {
			// Whatever the error (io.EOF from the client or from the guard once
			// the session is over), the input has ended and there is nothing to
			// report. What is still held is complete as far as it goes.
			d.flush()
			d.ended = true
			if d.timer != nil {
				d.timer.Stop()
			}
			d.mu.Unlock()
			close(events)
			return
		}
		d.mu.Unlock()
	}
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

// inputGuard sits between the session and the decoder. It records the time of the
// visitor's last input (the idle timeout counts from it), limits the input rate,
// and cuts escape sequences and bracketed pastes that grow past their bounds, so
// that the decoder's buffers stay small whatever the client sends.
//
// Input is read as soon as it arrives, by a goroutine of its own (pump), whatever
// the decoder and the program are doing: bytes over the rate, or beyond a backlog
// of inputBurst that the program has not taken yet, are dropped and counted,
// not left in the SSH channel, whose window lets a client park 2 MiB per session
// in the server's memory. A session that has had more than maxDropped bytes
// dropped is a flood: onFlood is told, the decoder sees the input end, and the
// rest of the input is read and thrown away until the channel closes.
type inputGuard struct {
	r         io.Reader
	limiter   *rate.Limiter
	lastInput *atomic.Int64 // unix nanoseconds of the last byte read
	onDrop    func(n int)   // bytes dropped; may be nil
	onFlood   func()        // the session sent a flood; may be nil
	start     sync.Once

	mu      sync.Mutex
	ready   *sync.Cond // backlog grew or the input ended
	backlog []byte     // read, within the rate, not yet taken by Read
	// maxBacklog bounds backlog: a burst, so that what the rate lets in whole
	// (a generous paste) is never cut by a slow program.
	maxBacklog int
	err        error // the input's end, once the pump met it
	dropped    int

	out [inputChunk + 16]byte

	state    escState
	utf8Left int // continuation bytes still expected in ground state
	seqLen   int
	params   [8]byte
	nparams  int
	dropping bool // the current sequence is too long: swallow it to its end

	inPaste       bool
	pasteLen      int
	pasteDropping bool
}

type escState uint8

const (
	stGround    escState = iota
	stEsc                // after ESC
	stEscOne             // after ESC O: one more byte
	stCSI                // in a control sequence
	stString             // in OSC, DCS, APC, PM or SOS
	stStringEsc          // ESC inside a string: ST if '\' follows
)

func newInputGuard(r io.Reader, lastInput *atomic.Int64, onDrop func(int), onFlood func()) *inputGuard {
	g := &inputGuard{
		r:          r,
		limiter:    rate.NewLimiter(inputRate, inputBurst),
		lastInput:  lastInput,
		onDrop:     onDrop,
		onFlood:    onFlood,
		maxBacklog: inputBurst,
	}
	g.ready = sync.NewCond(&g.mu)
	return g
}

// pump reads the session's input until it ends, keeping what the rate and the
// backlog allow for Read.
func (g *inputGuard) pump() {
	var buf [inputChunk]byte
	for {
		n, err := g.r.Read(buf[:])
		if n > 0 {
			now := time.Now()
			g.lastInput.Store(now.UnixNano())
			kept := 0
			if g.limiter.AllowN(now, n) {
				g.mu.Lock()
				kept = min(n, g.maxBacklog-len(g.backlog))
				g.backlog = append(g.backlog, buf[:kept]...)
				g.mu.Unlock()
			}
			if kept < n && g.drop(n-kept) {
				g.end(io.EOF)
				_, _ = io.Copy(io.Discard, g.r)
				return
			}
			g.ready.Signal()
		}
		if err != nil {
			g.end(err)
			return
		}
	}
}

// end records the end of the input for Read.
func (g *inputGuard) end(err error) {
	g.mu.Lock()
	if g.err == nil {
		g.err = err
	}
	g.mu.Unlock()
	g.ready.Signal()
}

// drop counts n bytes dropped and reports whether the session is now a flood.
func (g *inputGuard) drop(n int) bool {
	if g.onDrop != nil {
		g.onDrop(n)
	}
	g.mu.Lock()
	g.dropped += n
	flood := g.dropped > maxDropped && g.err == nil
	g.mu.Unlock()
	if flood && g.onFlood != nil {
		g.onFlood()
	}
	return flood
}

// Read returns the bytes the decoder may see. It takes at most inputChunk bytes
// of the backlog into p and filters them into g.out, which holds what a cut
// sequence adds: a terminator or two, never more than the 16 bytes of p it
// leaves unread. After a flood it reports the end of the input at once.
func (g *inputGuard) Read(p []byte) (int, error) {
	g.start.Do(func() { go g.pump() })
	limit := min(inputChunk, len(p)-16)
	if limit <= 0 {
		return 0, io.ErrShortBuffer
	}
	for {
		g.mu.Lock()
		for len(g.backlog) == 0 && g.err == nil {
			g.ready.Wait()
		}
		if g.err == io.EOF && g.dropped > maxDropped {
			g.backlog = nil
		}
		if len(g.backlog) == 0 {
			err := g.err
			g.mu.Unlock()
			return 0, err
		}
		n := copy(p[:limit], g.backlog)
		g.backlog = append(g.backlog[:0], g.backlog[n:]...)
		g.mu.Unlock()
		if kept := g.filter(p[:n]); len(kept) > 0 {
			return copy(p, kept), nil
		}
		// everything taken was swallowed: take more
	}
}

// filter runs the bytes through the escape-sequence state machine and returns
// those to pass on (in g.out).
func (g *inputGuard) filter(b []byte) []byte {
	out := g.out[:0]
	for _, c := range b {
		out = g.step(c, out)
	}
	return out
}

// pass appends c unless the current paste or sequence is being swallowed.
func (g *inputGuard) pass(c byte, out []byte) []byte {
	if g.dropping || g.pasteDropping {
		return out
	}
	return append(out, c)
}

func (g *inputGuard) step(c byte, out []byte) []byte {
	if g.inPaste && !g.pasteDropping {
		g.pasteLen++
		if g.pasteLen > maxPasteBytes {
			g.pasteDropping = true
		}
	}
	switch g.state {
	case stGround:
		switch {
		case g.utf8Left > 0 && c >= 0x80 && c <= 0xbf:
			g.utf8Left--
			return g.pass(c, out)
		case c == 0x1b:
			g.utf8Left = 0
			g.startSeq(stEsc)
			return g.pass(c, out)
		case c == 0x9b: // C1 CSI
			g.utf8Left = 0
			g.startSeq(stCSI)
			return g.pass(c, out)
		case c == 0x90 || c == 0x98 || c == 0x9d || c == 0x9e || c == 0x9f: // C1 DCS, SOS, OSC, PM, APC
			g.utf8Left = 0
			g.startSeq(stString)
			return g.pass(c, out)
		default:
			g.utf8Left = utf8Continuations(c)
		}
		return g.pass(c, out)

	case stEsc:
		out = g.pass(c, out)
		g.seqLen++
		switch c {
		case '[':
			g.state = stCSI
		case ']', 'P', 'X', '^', '_':
			g.state = stString
		case 'O':
			g.state = stEscOne
		case 0x1b:
			g.startSeq(stEsc)
		default: // alt+key: the key may be a multi-byte character
			g.state = stGround
			g.utf8Left = utf8Continuations(c)
		}
		return out

	case stEscOne:
		g.state = stGround
		return g.pass(c, out)

	case stCSI:
		switch {
		case c >= 0x20 && c <= 0x3f: // parameter and intermediate bytes
			if g.nparams < len(g.params) {
				g.params[g.nparams] = c
				g.nparams++
			}
			return g.grow(c, out)
		case c >= 0x40 && c <= 0x7e: // final byte
			out = g.endSeq(c, out)
			if c == '~' {
				out = g.pasteMarker(out)
			}
			return out
		case c == 0x1b:
			out = g.endSeq(0, out)
			g.startSeq(stEsc)
			return g.pass(c, out)
		default: // malformed: the decoder gives up on it too
			out = g.endSeq(0, out)
			return g.pass(c, out)
		}

	case stString:
		switch c {
		case 0x07, 0x9c: // BEL, C1 ST
			return g.endString(c, out)
		case 0x1b:
			g.state = stStringEsc
			return g.grow(c, out)
		default:
			return g.grow(c, out)
		}

	case stStringEsc:
		if c == '\\' {
			return g.endString(c, out)
		}
		g.state = stString
		return g.grow(c, out)
	}
	return out
}

// utf8Continuations is how many continuation bytes follow c when c starts a
// multi-byte UTF-8 character, else 0.
func utf8Continuations(c byte) int {
	switch {
	case c >= 0xc0 && c <= 0xdf:
		return 1
	case c >= 0xe0 && c <= 0xef:
		return 2
	case c >= 0xf0:
		return 3
	}
	return 0
}

func (g *inputGuard) startSeq(s escState) {
	g.state = s
	g.seqLen = 1
	g.nparams = 0
	g.dropping = false
}

// grow passes on one more byte of a sequence, or starts swallowing the sequence
// once it is longer than any terminal reply or key.
func (g *inputGuard) grow(c byte, out []byte) []byte {
	g.seqLen++
	if g.seqLen > maxEscapeSeq {
		g.dropping = true
	}
	return g.pass(c, out)
}

// endSeq ends a sequence with its final byte. A swallowed sequence gets a bare
// terminator (final, when non-zero) so that the decoder can close what it holds.
func (g *inputGuard) endSeq(final byte, out []byte) []byte {
	wasDropping := g.dropping
	g.state = stGround
	g.dropping = false
	if final == 0 {
		return out
	}
	if wasDropping {
		if g.pasteDropping {
			return out
		}
		return append(out, final)
	}
	return g.pass(final, out)
}

// endString ends a string sequence with its terminator c. A swallowed string
// gets a BEL, which ends it for the decoder whatever was cut.
func (g *inputGuard) endString(c byte, out []byte) []byte {
	if g.dropping {
		return g.endSeq(0x07, out)
	}
	return g.endSeq(c, out)
}

// pasteMarker follows bracketed paste: CSI 200~ starts a paste, CSI 201~ ends it.
// A paste beyond maxPasteBytes is swallowed up to its end marker, which is passed
// on so that the decoder ends the paste it holds.
func (g *inputGuard) pasteMarker(out []byte) []byte {
	switch string(g.params[:g.nparams]) {
	case "200":
		if !g.inPaste {
			g.inPaste = true
			g.pasteLen = 0
		}
	case "201":
		if g.pasteDropping {
			out = append(out, "\x1b[201~"...)
		}
		g.inPaste = false
		g.pasteDropping = false
		g.pasteLen = 0
	}
	return out
}
