package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// footer is the last row: key help on the left, where the reader is on the right; the
// search box while a query is typed, and a note after some keys.
type footer struct {
	keys   *viewerKeys
	lay    *layout
	theme  *theme
	search *search
	help   *helpView
	body   *body
	note   *string
	// The CV's language, when it has several: its name ("Deutsch"), and its tag for
	// narrow windows ("DE").
	lang, langTag string
	helpWidth     int // the key help's width, every key but L, which may give way

	// The footer changes far less often than the body: it is kept with what it was
	// drawn from and reused while that stays the same.
	drawnFor footerKey
	drawn    string
}

type footerKey struct {
	left, right string // what the two sides say, for the modes where that varies
	text        int
	theme       *theme
	message     bool
}

func (f *footer) setSize(l *layout, t *theme) {
	f.lay, f.theme = l, t
	f.helpWidth = 0
	for _, b := range f.keys.ShortHelp() {
		if h := b.Help(); b.Enabled() && b.Keys()[0] != "L" {
			f.helpWidth += 2 + textWidth(h.Key) + 1 + textWidth(h.Desc)
		}
	}
}

// update: the footer takes no input of its own.
func (f *footer) update(tea.Msg) (tea.Cmd, bool) { return nil, false }

// keyHelp is what the footer offers, given what is open.
func (f *footer) keyHelp() []key.Binding {
	if f.help.open {
		return f.help.keyHelp()
	}
	return f.keys.ShortHelp()
}

// view draws the footer's row (without a newline).
func (f *footer) view(b *strings.Builder) {
	s := f.search
	k := footerKey{text: f.lay.text, theme: f.theme}
	switch {
	case s.typing:
		k.left = s.query + "\x00" + strconv.Itoa(s.input.position())
		k.right = s.count()
	case *f.note != "":
		k.message = true
		k.right = *f.note
		if s.active() {
			k.right += " · " + s.count()
		}
	case f.help.open:
		k.left = "help"
		if f.help.more() {
			k.right = f.keys.words.get(wMore)
		}
	default:
		if s.active() {
			k.right = s.count() + " · "
		}
		pos := f.body.position()
		switch {
		case f.lang == "":
		case f.helpWidth+textWidth(k.right+f.lang+" · "+pos) <= f.lay.text:
			k.right += f.lang + " · "
		default:
			k.right += f.langTag + " " // as short as can be: the key help needs the room
		}
		k.right += pos
	}
	if k != f.drawnFor {
		var fb strings.Builder
		if s.typing {
			s.view(&fb)
		} else {
			keys := f.keys.ShortHelp() // as keyHelp says, spelt out so the slice stays off the heap
			if f.help.open {
				keys = f.help.keyHelp()
			}
			footerLine(&fb, f.lay, f.theme, helpItems(keys), true, k.right, k.message)
		}
		f.drawnFor, f.drawn = k, fb.String()
	}
	b.WriteString(f.lay.pad)
	b.WriteString(f.drawn)
}

// footerLine draws a footer: left and right, cut to the text column. With pairs, left
// is (key, description) pairs, and those that do not fit are left out whole.
func footerLine(b *strings.Builder, l *layout, t *theme, left []piece, pairs bool, right string, strong bool) {
	room := l.text - textWidth(right) - 2
	var lb lineBuilder
	if !pairs {
		for _, p := range left {
			lb.addPiece(p)
		}
	} else {
		for i := 0; i+1 < len(left); i += 2 {
			w := textWidth(left[i].text) + textWidth(left[i+1].text)
			sep := 0
			if !lb.empty() {
				sep = 2
			}
			if lb.width+sep+w > room {
				break
			}
			if sep > 0 {
				lb.add("  ", 0, "", 2)
			}
			lb.addPiece(left[i])
			lb.addPiece(left[i+1])
		}
	}
	ln := lb.finish()
	if ln.width > room {
		ln = truncateLine(ln, max(room, 0))
	}
	if textWidth(right) > l.text {
		right = truncateLine(plainLine(right, 0), l.text).text
	}
	styled(b, ln, t, nil)
	if gap := l.text - ln.width - textWidth(right); gap > 0 {
		b.WriteString(strings.Repeat(" ", gap))
	}
	a := attrMuted
	if strong {
		a = attrStrong
	}
	styled(b, plainLine(right, a), t, nil)
}
