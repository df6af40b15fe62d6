package server

import (
	"io"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

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
	hooks     guardHooks
	start     sync.Once

	mu      sync.Mutex
	ready   *sync.Cond // backlog grew or the input ended
	backlog []byte     // read, within the rate; backlog[taken:] is not yet taken by Read
	taken   int
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

// guardHooks are what an inputGuard tells its session; each may be nil.
type guardHooks struct {
	drop  func(n int) // n bytes were dropped
	flood func()      // the session sent a flood
	panic func(any)   // a panic in the pump was recovered (nil: not recovered)
}

func newInputGuard(r io.Reader, lastInput *atomic.Int64, hooks guardHooks) *inputGuard {
	g := &inputGuard{
		r:          r,
		limiter:    rate.NewLimiter(inputRate, inputBurst),
		lastInput:  lastInput,
		hooks:      hooks,
		maxBacklog: inputBurst,
	}
	g.ready = sync.NewCond(&g.mu)
	return g
}

// pump reads the session's input until it ends, keeping what the rate and the
// backlog allow for Read.
func (g *inputGuard) pump() {
	if g.hooks.panic != nil {
		defer func() {
			if p := recover(); p != nil {
				g.end(io.EOF)
				g.hooks.panic(p)
				_, _ = io.Copy(io.Discard, g.r)
			}
		}()
	}
	var buf [inputChunk]byte
	for {
		n, err := g.r.Read(buf[:])
		if n > 0 {
			now := time.Now()
			g.lastInput.Store(now.UnixNano())
			kept := 0
			if g.limiter.AllowN(now, n) {
				g.mu.Lock()
				kept = min(n, g.maxBacklog-(len(g.backlog)-g.taken))
				if g.taken > len(g.backlog)/2 { // keep the taken part from growing the slice
					g.backlog = append(g.backlog[:0], g.backlog[g.taken:]...)
					g.taken = 0
				}
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
	if g.hooks.drop != nil {
		g.hooks.drop(n)
	}
	g.mu.Lock()
	g.dropped += n
	flood := g.dropped > maxDropped && g.err == nil
	g.mu.Unlock()
	if flood && g.hooks.flood != nil {
		g.hooks.flood()
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
		for g.taken == len(g.backlog) && g.err == nil {
			g.ready.Wait()
		}
		if g.err == io.EOF && g.dropped > maxDropped {
			g.backlog, g.taken = nil, 0
		}
		if g.taken == len(g.backlog) {
			err := g.err
			g.mu.Unlock()
			return 0, err
		}
		n := copy(p[:limit], g.backlog[g.taken:])
		if g.taken += n; g.taken == len(g.backlog) {
			g.backlog, g.taken = g.backlog[:0], 0
		}
		g.mu.Unlock()
		if kept := g.filter(p[:n]); len(kept) > 0 {
			return copy(p, kept), nil
		}
		// everything taken was swallowed: take more
	}
}

// filterTestHook, set by tests only, sees the bytes the guard filters, on the
// decoder's goroutine: a test injects a panic in the input path with it.
var filterTestHook func([]byte)

// filter runs the bytes through the escape-sequence state machine and returns
// those to pass on (in g.out).
func (g *inputGuard) filter(b []byte) []byte {
	if filterTestHook != nil {
		filterTestHook(b)
	}
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

// step moves the escape-sequence state machine on by one byte and appends what
// passes on. It is long because it is one switch over the states: split, the
// transitions would be spread over functions that each see part of the state.
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
