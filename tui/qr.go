package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/sshcv/sshcv/profiles"
)

// QRContent returns what a CV's QR code holds, and the line shown under it: the CV's
// web address when the host has a web side (webBase, e.g. "https://cv.rohit.io"),
// else the owner's contact card, so that a phone can open the one or save the other.
func QRContent(p *profiles.Profile, webBase string) (payload, caption string) {
	return qrContent(p, webBase, english)
}

// qrContent is QRContent with its caption in w.
func qrContent(p *profiles.Profile, webBase string, w *words) (payload, caption string) {
	if webBase != "" {
		u := strings.TrimRight(webBase, "/") + "/" + p.Handle
		return u, u
	}
	name := field(p.Name)
	if name == "" {
		name = p.Handle
	}
	return string(profiles.ExportVCard(p)), w.f(wQRVCard, name)
}

// qrCode is a payload drawn as a QR code: the modules with their quiet zone, two to a
// character cell, one above the other.
type qrCode struct {
	lines []string // without colours: ink is a dark module
	width int      // in cells
}

// newQRCode encodes payload at the strongest error correction that still fits in
// maxWidth x maxHeight cells (0: no limit). It returns the smallest code and false
// when none fits, so that the caller can say what size is needed.
func newQRCode(payload string, maxWidth, maxHeight int) (qrCode, bool, error) {
	var smallest qrCode
	for _, level := range []qrcode.RecoveryLevel{qrcode.Medium, qrcode.Low} {
		q, err := qrcode.New(payload, level)
		if err != nil {
			return qrCode{}, false, err
		}
		c := drawModules(q.Bitmap())
		if (maxWidth <= 0 || c.width <= maxWidth) && (maxHeight <= 0 || len(c.lines) <= maxHeight) {
			return c, true, nil
		}
		smallest = c
	}
	return smallest, false, nil
}

// drawModules turns a bitmap (true: dark) into half-block characters: the upper half
// of a cell is one row of modules, the lower half the next.
func drawModules(bits [][]bool) qrCode {
	dark := func(x, y int) bool { return y < len(bits) && x < len(bits[y]) && bits[y][x] }
	c := qrCode{}
	if len(bits) > 0 {
		c.width = len(bits[0])
	}
	for y := 0; y < len(bits); y += 2 {
		var b strings.Builder
		for x := 0; x < c.width; x++ {
			switch top, bottom := dark(x, y), dark(x, y+1); {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		c.lines = append(c.lines, b.String())
	}
	return c
}

// inverse swaps ink and paper, for a terminal that shows no colours on a dark
// background: its ink is light, so light modules are drawn in ink.
var inverse = strings.NewReplacer("█", " ", " ", "█", "▀", "▄", "▄", "▀")

// blackOnWhite paints a line of the code black on white, whatever the terminal's theme.
const blackOnWhite = "\x1b[38;2;0;0;0;48;2;255;255;255m"

// line returns row i of the code: black on white when colour is true; otherwise in
// the terminal's own colours, inverted for a dark background.
func (c qrCode) line(i int, colour, dark bool) string {
	switch {
	case colour:
		return blackOnWhite + c.lines[i] + "\x1b[m"
	case dark:
		return inverse.Replace(c.lines[i])
	}
	return c.lines[i]
}

// QRText is the QR code of payload as text, for `ssh HOST qr`: the code, then the
// caption. width and height bound it (0: no limit); when it does not fit, one line
// says what size it needs instead. colour paints it black on white; without colour
// it is drawn for a dark background when dark is true.
func QRText(payload, caption string, width, height int, colour, dark bool) (string, bool) {
	code, fits, err := newQRCode(payload, width, max(height-1, 0))
	if err != nil {
		return "The QR code cannot hold this much: " + err.Error() + "\n", false
	}
	if !fits {
		return qrNeeds(code, width, height, english) + "\n", false
	}
	var b strings.Builder
	for i := range code.lines {
		b.WriteString(code.line(i, colour, dark))
		b.WriteByte('\n')
	}
	b.WriteString(caption)
	b.WriteByte('\n')
	return b.String(), true
}

// qrNeeds says which window the code needs, and the one there is, in w.
func qrNeeds(c qrCode, width, height int, w *words) string {
	return w.f(wQRNeeds, c.width, len(c.lines)+1, width, height)
}

// qrView is the screen the Q key opens: the CV's QR code, centred, and a line saying
// what it holds. esc or Q closes it. It is a component of the viewer, but drawn over
// the whole window rather than in the body's place: a code needs every row it can get
// to fit a phone-sized window.
type qrView struct {
	keys     *viewerKeys
	lay      *layout
	theme    *theme
	p        *profiles.Profile
	webBase  string // the web side's public address; "" for the vCard
	noColour bool   // the session shows no colours: draw in the terminal's own
	open     bool
	payload  string
	caption  string
}

func (q *qrView) setSize(l *layout, t *theme) { q.lay, q.theme = l, t }

// show opens the QR code of the CV.
func (q *qrView) show() {
	q.payload, q.caption = qrContent(q.p, q.webBase, q.keys.words)
	q.open = true
}

// update closes the code on esc or Q; it takes every other key, so that nothing
// moves behind it.
func (q *qrView) update(msg tea.Msg) (tea.Cmd, bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, q.keys.QR, q.keys.Clear) {
		q.open = false
		return nil, true
	}
	return nil, false
}

func (q *qrView) keyHelp() []key.Binding {
	return []key.Binding{withHelp(q.keys.Clear, "esc", q.keys.words.get(wCloseQR)), q.keys.Quit}
}

// view draws the code over the whole window, or a line saying what size it needs.
func (q *qrView) view(b *strings.Builder) {
	width, height := q.lay.width, q.lay.height
	dark := q.theme == nil || q.theme.dark
	code, fits, err := newQRCode(q.payload, width, height-1)
	var rows []string
	w := q.keys.words
	switch {
	case err != nil:
		rows = []string{w.get(wQRCannot), w.get(wEscCloses)}
	case !fits:
		rows = []string{qrNeeds(code, width, height, w), q.caption, w.get(wEscCloses)}
	default:
		rows = make([]string, 0, len(code.lines)+1)
		for i := range code.lines {
			rows = append(rows, code.line(i, !q.noColour, dark))
		}
		caption := q.caption + " · " + w.get(wEscCloses)
		if ansi.StringWidth(caption) > width {
			caption = q.caption
		}
		rows = append(rows, caption)
	}
	if len(rows) > height {
		rows = rows[:max(height, 0)]
	}
	top := max(height-len(rows), 0) / 2
	for i := 0; i < top; i++ {
		b.WriteByte('\n')
	}
	for i, r := range rows {
		if ansi.StringWidth(r) > width {
			r = ansi.Truncate(r, width, "…")
		}
		b.WriteString(strings.Repeat(" ", max(width-ansi.StringWidth(r), 0)/2))
		b.WriteString(r)
		if i < len(rows)-1 {
			b.WriteByte('\n')
		}
	}
}
