package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The one place that decides the layout by window size.
const (
	// MinWidth and MinHeight are the smallest window the programs draw in; below it
	// they ask for a larger window.
	MinWidth  = 40
	MinHeight = 12

	// narrowBelow is the width under which the header shrinks to one line and the tab
	// bar to "‹ 2/9 Title ›"; shortBelow the height under which the header shrinks.
	narrowBelow = 60
	shortBelow  = 18
	// ruleFrom is the height from which a rule separates the tab bar from the body.
	ruleFrom = 16
	// maxColumn caps the text column: long lines are hard to read, and capping keeps
	// the number of distinct layouts (cache entries) small on very wide windows.
	maxColumn = 100
	// margin is the blank column on each side of the text.
	margin = 1
	// maxHeaderRows bounds the wide header; a longer one (many links) gives way to the
	// one-line header and the contact card.
	maxHeaderRows = 4
)

// layout is where everything goes in a window of one size.
type layout struct {
	width, height int
	tooSmall      bool
	cols          int    // columns of the frame: the window, capped
	left          int    // blank columns left of the frame, which is centred in a wider window
	pad           string // the blanks before the text on every row: left and the margin
	text          int    // columns of text inside the margins
	compact       bool   // one-line header, contact card on the first page
	narrowTabs    bool   // "‹ 2/9 Title ›" instead of every title
	rule          bool   // a rule under the tab bar
	headerRows    int
	tabRow        int // the row of the tab bar
	bodyTop       int // the first row of the body
	bodyRows      int
	footerRow     int
}

// viewerLayout lays the viewer out; headerLines is the length of the wide header at
// this width.
func viewerLayout(width, height int, headerLines func(text int) int) layout {
	l := frameLayout(width, height)
	if l.tooSmall {
		return l
	}
	l.compact = width < narrowBelow || height < shortBelow
	l.narrowTabs = width < narrowBelow
	l.rule = height >= ruleFrom
	l.headerRows = 1
	if !l.compact {
		// A header that would take more than its share moves to the first page.
		if rows := headerLines(l.text); rows <= maxHeaderRows {
			l.headerRows = rows
		} else {
			l.compact = true
		}
	}
	l.tabRow = l.headerRows
	l.bodyTop = l.tabRow + 1
	if l.rule {
		l.bodyTop++
	}
	l.bodyRows = l.footerRow - l.bodyTop
	return l
}

// frameLayout is the frame both programs draw in: the text column, capped and centred,
// and the footer on the last row. The picker fills it as it is.
func frameLayout(width, height int) layout {
	l := layout{width: width, height: height}
	if tooSmall(width, height) {
		l.tooSmall = true
		return l
	}
	l.cols = min(width, maxColumn+2*margin)
	l.left = (width - l.cols) / 2
	l.text = l.cols - 2*margin
	l.pad = strings.Repeat(" ", l.left+margin)
	l.footerRow = height - 1
	return l
}

// tooSmall reports whether a window is below the minimum the programs draw in.
func tooSmall(width, height int) bool { return width < MinWidth || height < MinHeight }

// tooSmallNotice is the whole screen of a window below the minimum: centred, and cut to
// fit however small the window is.
func tooSmallNotice(width, height int, w *words) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	msg := []string{w.get(wEnlarge), w.f(wNeedsHave, MinWidth, MinHeight, width, height)}
	if width < 26 {
		msg = []string{w.get(wEnlargeShort1), w.get(wEnlargeShort2), w.f(wNeededShort, MinWidth, MinHeight), w.f(wHaveShort, width, height)}
	}
	if len(msg) > height {
		msg = msg[:height]
	}
	var b strings.Builder
	top := (height - len(msg)) / 2
	for i := 0; i < top; i++ {
		b.WriteByte('\n')
	}
	for i, m := range msg {
		m = ansi.Truncate(m, width, "")
		b.WriteString(strings.Repeat(" ", (width-ansi.StringWidth(m))/2))
		b.WriteString(m)
		if i < len(msg)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
