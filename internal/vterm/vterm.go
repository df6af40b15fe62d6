// Package vterm is a small terminal emulator for the client end of SSH sessions:
// the load tool (cmd/sshcv-load) and the server's tests read the screen through
// it, as a visitor would see it.
package vterm

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Terminal is the client end of one session, behaving like xterm as far as a
// Bubble Tea program can tell: it keeps a screen of cells so that markers are found in
// what a person would see (the renderer sends only changed cells, moves the cursor
// over unchanged ones and repeats characters with REP, so the stripped byte stream
// need not contain a marker contiguously), and it answers the queries a program sends
// at start the way xterm does.
//
// Bubble Tea v2.0.10 sends, unprompted: DECRQM for modes 2026 and 2027 at start, and
// the kitty keyboard query (CSI ? u) with its first frame. The other answers (colours,
// DA1, DA2, XTVERSION, cursor position, XTGETTCAP) cover programs that ask for them.
//
// A Terminal is not safe for concurrent use; its caller guards it.
type Terminal struct {
	width, height int
	cells         []rune // width*height; 0 marks the right half of a wide character
	dirty         []bool // rows written since the last ResetDirty

	x, y        int
	pendingWrap bool // xterm's deferred wrap: the last column was just written
	top, bottom int  // scrolling region, inclusive rows
	savedX      int
	savedY      int
	lastRune    rune // for REP

	autowrap   bool
	appCursor  bool         // DECCKM: cursor keys send ESC O x
	decModes   map[int]bool // DEC private modes set with DECSET
	kittyReply bool
	silent     bool

	printed bool   // any printable character arrived
	replies []byte // answers waiting to be written back to the server

	parser *ansi.Parser
}

// Options chooses how the emulated terminal answers.
type Options struct {
	// Silent makes the terminal answer nothing, like a client that never replies.
	Silent bool
	// KittyReply answers the kitty keyboard query with "no flags" (CSI ? 0 u). xterm
	// itself ignores the query, which is the default.
	KittyReply bool
}

// New returns a blank width x height terminal that answers as opts say.
func New(width, height int, opts Options) *Terminal {
	t := &Terminal{
		width:      width,
		height:     height,
		cells:      make([]rune, width*height),
		dirty:      make([]bool, height),
		autowrap:   true,
		decModes:   map[int]bool{7: true},
		kittyReply: opts.KittyReply,
		silent:     opts.Silent,
	}
	t.bottom = height - 1
	t.erase(0, len(t.cells))
	p := ansi.NewParser()
	// The default 64 KB string buffer per session would dominate the load tool's own
	// memory with thousands of sessions open; OSC/DCS payloads we act on are short.
	p.SetDataSize(1024)
	p.SetHandler(ansi.Handler{
		Print:     t.print,
		Execute:   t.execute,
		HandleCsi: t.csi,
		HandleEsc: t.esc,
		HandleOsc: t.osc,
		HandleDcs: t.dcs,
	})
	t.parser = p
	return t
}

// Write feeds output from the server to the terminal. It never fails.
func (t *Terminal) Write(p []byte) (int, error) {
	for _, b := range p {
		t.parser.Advance(b)
	}
	return len(p), nil
}

// Printed reports whether any printable character has arrived.
func (t *Terminal) Printed() bool { return t.printed }

// TakeReplies returns the answers queued since the last call.
func (t *Terminal) TakeReplies() []byte {
	r := t.replies
	t.replies = nil
	return r
}

// ResetDirty forgets which rows were written, so that Find only sees rows drawn after
// this moment (a key press's frame).
func (t *Terminal) ResetDirty() {
	clear(t.dirty)
}

// Find reports whether marker is on a row written since the last ResetDirty. Rows it
// looked at are marked clean, so each chunk of output costs only the rows it touched.
func (t *Terminal) Find(marker string) bool {
	found := false
	for row, d := range t.dirty {
		if !d {
			continue
		}
		t.dirty[row] = false
		if !found && strings.Contains(t.RowText(row), marker) {
			found = true
		}
	}
	return found
}

// RowText is one screen row as text, wide characters once.
func (t *Terminal) RowText(row int) string {
	var b strings.Builder
	for _, r := range t.cells[row*t.width : (row+1)*t.width] {
		if r != 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Screen is the whole screen as text, rows trimmed on the right; for tests and errors.
func (t *Terminal) Screen() string {
	rows := make([]string, t.height)
	for i := range rows {
		rows[i] = strings.TrimRight(t.RowText(i), " ")
	}
	return strings.TrimRight(strings.Join(rows, "\n"), "\n")
}

// KeySequence is what xterm sends for a named key, honouring DECCKM for arrows.
func (t *Terminal) KeySequence(name string) string {
	arrow := func(c byte) string {
		if t.appCursor {
			return "\x1bO" + string(c)
		}
		return "\x1b[" + string(c)
	}
	switch name {
	case "up":
		return arrow('A')
	case "down":
		return arrow('B')
	case "right":
		return arrow('C')
	case "left":
		return arrow('D')
	case "home":
		return arrow('H')
	case "end":
		return arrow('F')
	case "pgup":
		return "\x1b[5~"
	case "pgdown":
		return "\x1b[6~"
	case "tab":
		return "\t"
	case "shift+tab":
		return "\x1b[Z"
	case "enter":
		return "\r"
	case "space":
		return " "
	case "esc":
		return "\x1b"
	}
	return name
}

// KnownKey reports whether KeySequence understands name (or it is one character).
func KnownKey(name string) bool {
	switch name {
	case "up", "down", "right", "left", "home", "end", "pgup", "pgdown", "tab",
		"shift+tab", "enter", "space", "esc":
		return true
	}
	return len([]rune(name)) == 1
}

func (t *Terminal) reply(s string) {
	if t.silent {
		return
	}
	t.replies = append(t.replies, s...)
}

func (t *Terminal) erase(from, to int) {
	for i := from; i < to; i++ {
		t.cells[i] = ' '
	}
}

func (t *Terminal) markAll() {
	for i := range t.dirty {
		t.dirty[i] = true
	}
}

func clampInt(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

func (t *Terminal) moveTo(x, y int) {
	t.x = clampInt(x, 0, t.width-1)
	t.y = clampInt(y, 0, t.height-1)
	t.pendingWrap = false
}

func (t *Terminal) print(r rune) {
	w := 1
	if r >= 0x7f {
		w = ansi.StringWidthWc(string(r))
	}
	if w == 0 {
		return // combining marks change no cell's text we match on
	}
	if t.pendingWrap && t.autowrap {
		t.x = 0
		t.lineFeed()
	}
	t.pendingWrap = false
	if t.x+w > t.width {
		if !t.autowrap {
			return
		}
		t.x = 0
		t.lineFeed()
	}
	i := t.y*t.width + t.x
	t.cells[i] = r
	if w == 2 {
		t.cells[i+1] = 0
	}
	t.dirty[t.y] = true
	t.printed = true
	t.lastRune = r
	t.x += w
	if t.x >= t.width {
		t.x = t.width - 1
		t.pendingWrap = true
	}
}

func (t *Terminal) execute(b byte) {
	switch b {
	case '\b':
		if t.x > 0 {
			t.x--
		}
		t.pendingWrap = false
	case '\t':
		t.x = min((t.x/8+1)*8, t.width-1)
		t.pendingWrap = false
	case '\n', '\v', '\f':
		t.lineFeed()
	case '\r':
		t.x = 0
		t.pendingWrap = false
	}
}

func (t *Terminal) lineFeed() {
	t.pendingWrap = false
	switch {
	case t.y == t.bottom:
		t.scrollUp(1)
	case t.y < t.height-1:
		t.y++
	}
}

func (t *Terminal) reverseIndex() {
	t.pendingWrap = false
	switch {
	case t.y == t.top:
		t.scrollDown(1)
	case t.y > 0:
		t.y--
	}
}

// scrollUp moves the rows of the scrolling region up by n, blanking the bottom ones.
func (t *Terminal) scrollUp(n int) {
	t.deleteLinesAt(t.top, n)
}

// scrollDown moves the rows of the scrolling region down by n, blanking the top ones.
func (t *Terminal) scrollDown(n int) {
	t.insertLinesAt(t.top, n)
}

// deleteLinesAt removes n rows at row (inside the region), pulling the rest up.
func (t *Terminal) deleteLinesAt(row, n int) {
	if row < t.top || row > t.bottom {
		return
	}
	n = min(n, t.bottom-row+1)
	w := t.width
	copy(t.cells[row*w:(t.bottom+1-n)*w], t.cells[(row+n)*w:(t.bottom+1)*w])
	t.erase((t.bottom+1-n)*w, (t.bottom+1)*w)
	for r := row; r <= t.bottom; r++ {
		t.dirty[r] = true
	}
}

// insertLinesAt inserts n blank rows at row (inside the region), pushing the rest down.
func (t *Terminal) insertLinesAt(row, n int) {
	if row < t.top || row > t.bottom {
		return
	}
	n = min(n, t.bottom-row+1)
	w := t.width
	copy(t.cells[(row+n)*w:(t.bottom+1)*w], t.cells[row*w:(t.bottom+1-n)*w])
	t.erase(row*w, (row+n)*w)
	for r := row; r <= t.bottom; r++ {
		t.dirty[r] = true
	}
}

func (t *Terminal) esc(cmd ansi.Cmd) {
	if cmd.Intermediate() != 0 {
		return // character set designations and the like
	}
	switch cmd.Final() {
	case '7':
		t.savedX, t.savedY = t.x, t.y
	case '8':
		t.moveTo(t.savedX, t.savedY)
	case 'D':
		t.lineFeed()
	case 'E':
		t.x = 0
		t.lineFeed()
	case 'M':
		t.reverseIndex()
	case 'c':
		t.fullReset()
	}
}

func (t *Terminal) fullReset() {
	t.erase(0, len(t.cells))
	t.markAll()
	t.x, t.y, t.pendingWrap = 0, 0, false
	t.top, t.bottom = 0, t.height-1
	t.appCursor, t.autowrap = false, true
	t.decModes = map[int]bool{7: true}
}

// csi carries out a control sequence. It is long because it is one case per
// sequence, as xterm's own table lists them.
func (t *Terminal) csi(cmd ansi.Cmd, params ansi.Params) {
	param := func(i, def int) int {
		v, _, _ := params.Param(i, def)
		return v
	}
	count := func() int { return max(1, param(0, 1)) }

	switch cmd.Prefix() {
	case '?':
		t.privateCsi(cmd, params)
		return
	case '>':
		switch cmd.Final() {
		case 'c': // DA2: xterm 390 with no firmware options
			t.reply("\x1b[>41;390;0c")
		case 'q': // XTVERSION
			t.reply("\x1bP>|XTerm(390)\x1b\\")
		}
		return
	case 0:
	default:
		return // CSI < u, CSI = u and similar keyboard-protocol requests
	}

	if cmd.Intermediate() == '$' && cmd.Final() == 'p' {
		// DECRQM for an ANSI mode: none of them are tracked, so "not recognised".
		t.reply("\x1b[" + strconv.Itoa(param(0, 0)) + ";0$y")
		return
	}
	if cmd.Intermediate() != 0 {
		return
	}

	switch cmd.Final() {
	case 'A':
		t.moveTo(t.x, t.y-count())
	case 'B':
		t.moveTo(t.x, t.y+count())
	case 'C':
		t.moveTo(t.x+count(), t.y)
	case 'D':
		t.moveTo(t.x-count(), t.y)
	case 'E':
		t.moveTo(0, t.y+count())
	case 'F':
		t.moveTo(0, t.y-count())
	case 'G', '`':
		t.moveTo(count()-1, t.y)
	case 'd':
		t.moveTo(t.x, count()-1)
	case 'H', 'f':
		t.moveTo(max(1, param(1, 1))-1, count()-1)
	case 'J':
		t.eraseDisplay(param(0, 0))
	case 'K':
		t.eraseLine(param(0, 0))
	case 'X':
		i := t.y*t.width + t.x
		t.erase(i, min(i+count(), (t.y+1)*t.width))
		t.dirty[t.y] = true
	case 'b':
		for range min(count(), t.width*t.height) {
			t.print(t.lastRune)
		}
	case '@':
		row := t.cells[t.y*t.width : (t.y+1)*t.width]
		n := min(count(), t.width-t.x)
		copy(row[t.x+n:], row[t.x:])
		for i := t.x; i < t.x+n; i++ {
			row[i] = ' '
		}
		t.dirty[t.y] = true
	case 'P':
		row := t.cells[t.y*t.width : (t.y+1)*t.width]
		n := min(count(), t.width-t.x)
		copy(row[t.x:], row[t.x+n:])
		for i := t.width - n; i < t.width; i++ {
			row[i] = ' '
		}
		t.dirty[t.y] = true
	case 'L':
		t.insertLinesAt(t.y, count())
		t.x = 0
	case 'M':
		t.deleteLinesAt(t.y, count())
		t.x = 0
	case 'S':
		t.scrollUp(count())
	case 'T':
		t.scrollDown(count())
	case 'r':
		top := max(1, param(0, 1)) - 1
		bottom := param(1, t.height)
		if bottom < 1 || bottom > t.height {
			bottom = t.height
		}
		if top < bottom-1 {
			t.top, t.bottom = top, bottom-1
		}
		t.moveTo(0, 0)
	case 's':
		t.savedX, t.savedY = t.x, t.y
	case 'u':
		t.moveTo(t.savedX, t.savedY)
	case 'n':
		switch param(0, 0) {
		case 5: // device status: OK
			t.reply("\x1b[0n")
		case 6: // cursor position report
			t.reply("\x1b[" + strconv.Itoa(t.y+1) + ";" + strconv.Itoa(t.x+1) + "R")
		}
	case 'c':
		if param(0, 0) == 0 { // DA1: VT220-class with ANSI colour, as xterm reports
			t.reply("\x1b[?62;22c")
		}
	}
}

func (t *Terminal) privateCsi(cmd ansi.Cmd, params ansi.Params) {
	switch {
	case cmd.Intermediate() == '$' && cmd.Final() == 'p':
		// DECRQM: 1 when the mode was set, 2 (recognised, reset) otherwise.
		mode, _, _ := params.Param(0, 0)
		state := "2"
		if t.decModes[mode] {
			state = "1"
		}
		t.reply("\x1b[?" + strconv.Itoa(mode) + ";" + state + "$y")
	case cmd.Intermediate() != 0:
	case cmd.Final() == 'u':
		if t.kittyReply {
			t.reply("\x1b[?0u")
		}
	case cmd.Final() == 'n' && len(params) > 0 && params[0].Param(0) == 6:
		// DECXCPR: the extended cursor position report.
		t.reply("\x1b[?" + strconv.Itoa(t.y+1) + ";" + strconv.Itoa(t.x+1) + ";1R")
	case cmd.Final() == 'h' || cmd.Final() == 'l':
		set := cmd.Final() == 'h'
		params.ForEach(0, func(_, mode int, _ bool) {
			t.setMode(mode, set)
		})
	}
}

func (t *Terminal) setMode(mode int, set bool) {
	if t.decModes[mode] == set {
		return
	}
	t.decModes[mode] = set
	switch mode {
	case 1:
		t.appCursor = set
	case 7:
		t.autowrap = set
	case 47, 1047, 1049:
		// Switching screens: the other screen starts blank, and whatever the program
		// draws next is what a person sees.
		if mode == 1049 && set {
			t.savedX, t.savedY = t.x, t.y
		}
		t.erase(0, len(t.cells))
		t.markAll()
		if mode == 1049 && !set {
			t.moveTo(t.savedX, t.savedY)
		}
	}
}

func (t *Terminal) eraseDisplay(how int) {
	cur := t.y*t.width + t.x
	switch how {
	case 0:
		t.erase(cur, len(t.cells))
		for r := t.y; r < t.height; r++ {
			t.dirty[r] = true
		}
	case 1:
		t.erase(0, cur+1)
		for r := 0; r <= t.y; r++ {
			t.dirty[r] = true
		}
	case 2, 3:
		t.erase(0, len(t.cells))
		t.markAll()
	}
}

func (t *Terminal) eraseLine(how int) {
	start := t.y * t.width
	cur := start + t.x
	switch how {
	case 0:
		t.erase(cur, start+t.width)
	case 1:
		t.erase(start, cur+1)
	case 2:
		t.erase(start, start+t.width)
	}
	t.dirty[t.y] = true
}

// osc answers colour queries (OSC 10/11/12 with "?") as a dark-background xterm.
func (t *Terminal) osc(cmd int, data []byte) {
	var colour string
	switch cmd {
	case 10, 12:
		colour = "rgb:ffff/ffff/ffff"
	case 11:
		colour = "rgb:0000/0000/0000"
	default:
		return
	}
	if !strings.HasSuffix(string(data), ";?") {
		return
	}
	t.reply("\x1b]" + strconv.Itoa(cmd) + ";" + colour + "\x1b\\")
}

// dcs answers XTGETTCAP (DCS + q) with "no such capability", as xterm does for names
// it does not know; this emulator claims none.
func (t *Terminal) dcs(cmd ansi.Cmd, _ ansi.Params, _ []byte) {
	if cmd.Intermediate() == '+' && cmd.Final() == 'q' {
		t.reply("\x1bP0+r\x1b\\")
	}
}
