package tui

import (
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/sshcv/sshcv/profiles"
)

// Limits on text from the visitor: a typed filter, and the username shown in the heading
// (already sanitised by the server, but it is still the visitor's to choose).
const (
	maxFilter    = 32
	maxRequested = 32
)

// picker lists every CV on the host: type to filter, enter to open.
type picker struct {
	choices    []*profiles.Profile
	words      *words
	keys       pickerKeys
	requested  string // the username that named no CV, cut to size
	suggestion int    // index into choices of the "did you mean" profile, or -1
	filter     string // what input holds
	input      lineEditor
	visible    []int // indexes into choices that match the filter
	sel        int   // index into visible
	lay        layout
	theme      *theme
	itemHits   []itemHit
}

// itemHit is the rows [y0, y1) where visible item i was drawn.
type itemHit struct{ y0, y1, item int }

func newPicker(choices []*profiles.Profile, requested, suggestion string, w *words) *picker {
	pk := &picker{choices: choices, words: w, keys: pickerKeySets[w], suggestion: -1, input: lineEditor{limit: maxFilter}}
	if requested = field(requested); requested != "" {
		if utf8.RuneCountInString(requested) > maxRequested {
			requested = string([]rune(requested)[:maxRequested-1]) + "…"
		}
		pk.requested = requested
	}
	if suggestion != "" {
		for i, p := range choices {
			if strings.EqualFold(p.Handle, suggestion) {
				pk.suggestion = i
				break
			}
		}
	}
	pk.refilter()
	if pk.suggestion >= 0 {
		pk.sel = pk.suggestion // enter on the untouched list opens the suggestion
	}
	return pk
}

func (pk *picker) setSize(width, height int, t *theme) {
	pk.lay = frameLayout(width, height)
	pk.theme = t
}

// refilter keeps the profiles whose handle, aliases, name or headline contain the filter.
func (pk *picker) refilter() {
	pk.visible = pk.visible[:0]
	for i, p := range pk.choices {
		if pk.filter == "" || pickerMatches(p, pk.filter) {
			pk.visible = append(pk.visible, i)
		}
	}
	pk.sel = min(max(pk.sel, 0), max(len(pk.visible)-1, 0))
}

func pickerMatches(p *profiles.Profile, filter string) bool {
	for _, s := range append(p.Names(), p.Name, p.Headline) {
		if start, _ := indexFold(s, filter); start >= 0 {
			return true
		}
	}
	return false
}

// selected is the profile enter would open, or nil.
func (pk *picker) selected() *profiles.Profile {
	if pk.sel < 0 || pk.sel >= len(pk.visible) {
		return nil
	}
	return pk.choices[pk.visible[pk.sel]]
}

// updateKey handles a key: it returns the profile to open (if any), a command, and
// whether the screen changed.
func (pk *picker) updateKey(msg tea.KeyPressMsg) (*profiles.Profile, tea.Cmd, bool) {
	k := pk.keys
	switch {
	case key.Matches(msg, k.Quit):
		return nil, tea.Quit, true
	case key.Matches(msg, k.Open):
		return pk.selected(), nil, false
	case key.Matches(msg, k.Down):
		pk.move(1)
	case key.Matches(msg, k.Up):
		pk.move(-1)
	case key.Matches(msg, k.Clear):
		if pk.filter == "" {
			return nil, nil, false
		}
		pk.input.reset()
		pk.refiltered()
	case pk.input.erasesNothing(msg):
		return nil, nil, false
	default:
		return nil, nil, pk.edit(msg)
	}
	return nil, nil, true
}

// typeText types pasted text into the filter.
func (pk *picker) typeText(text string) {
	pk.edit(tea.PasteMsg{Content: text})
}

// edit hands msg to the filter's editor; it reports whether the filter or its cursor
// changed.
func (pk *picker) edit(msg tea.Msg) bool {
	if !pk.input.update(msg) {
		return false
	}
	if pk.input.value() != pk.filter {
		pk.sel = 0
		pk.refiltered()
	}
	return true
}

// refiltered follows a change of the filter: the list, and the keys the letters give
// way to.
func (pk *picker) refiltered() {
	pk.filter = pk.input.value()
	pk.keys.filtering(pk.filter != "")
	pk.refilter()
}

func (pk *picker) move(delta int) {
	if n := len(pk.visible); n > 0 {
		pk.sel = ((pk.sel+delta)%n + n) % n
	}
}

// updateMouse: a click on an entry opens it, the wheel moves the selection.
func (pk *picker) updateMouse(msg tea.MouseMsg) (*profiles.Profile, bool) {
	m := msg.Mouse()
	switch msg.(type) {
	case tea.MouseWheelMsg:
		switch m.Button {
		case tea.MouseWheelDown:
			pk.move(1)
		case tea.MouseWheelUp:
			pk.move(-1)
		default:
			return nil, false
		}
		return nil, true
	case tea.MouseClickMsg:
		if m.Button != tea.MouseLeft {
			return nil, false
		}
		for _, h := range pk.itemHits {
			if m.Y >= h.y0 && m.Y < h.y1 {
				pk.sel = h.item
				return pk.selected(), true
			}
		}
	}
	return nil, false
}

// filterLine is the filter as typed, with the cursor in it, or how to start one.
func (pk *picker) filterLine() line {
	if pk.filter == "" {
		return plainLine(pk.words.get(wTypeToFilter), attrMuted)
	}
	var lb lineBuilder
	lb.addPiece(piece{pk.words.get(wFilterLabel), attrMuted, ""})
	f := []rune(pk.filter)
	pos := min(pk.input.position(), len(f))
	lb.addPiece(piece{string(f[:pos]), attrStrong, ""})
	if pos < len(f) {
		lb.addPiece(piece{string(f[pos]), attrStrong | attrMatch, ""})
		lb.addPiece(piece{string(f[pos+1:]), attrStrong, ""})
	} else {
		lb.add(" ", attrMatch, "", 1)
	}
	return lb.finish()
}

// draw writes the picker's screen: heading, filter, entries, footer.
func (pk *picker) draw(b *strings.Builder) {
	l := pk.lay
	t := pk.theme
	pad := strings.Repeat(" ", l.left+margin)
	var rows []line
	w := pk.words
	heading := w.get(wChooseCV)
	if pk.requested != "" {
		heading = w.f(wNoCVNamed, pk.requested)
	}
	rows = append(rows, wrap([]piece{{heading, attrHeading, ""}}, l.text, nil, nil)...)
	if pk.suggestion >= 0 && pk.filter == "" {
		p := pk.choices[pk.suggestion]
		before, after, _ := strings.Cut(w.get(wDidYouMean), "%s")
		rows = append(rows, wrap([]piece{
			{before, 0, ""}, {p.Handle, attrStrong, ""}, {after, 0, ""},
		}, l.text, nil, nil)...)
	}
	rows = append(rows, line{})
	rows = append(rows, pk.filterLine())
	rows = append(rows, line{})

	// Entries: two rows each and a blank row, scrolled to keep the selection visible.
	const perItem = 3
	room := l.footerRow - len(rows)
	fit := max((room+1)/perItem, 1)
	first := 0
	if pk.sel >= fit {
		first = pk.sel - fit + 1
	}
	pk.itemHits = pk.itemHits[:0]
	if len(pk.visible) == 0 {
		rows = append(rows, plainLine(w.f(wNoCVMatches, pk.filter), attrMuted))
	}
	for i := first; i < len(pk.visible) && i < first+fit; i++ {
		p := pk.choices[pk.visible[i]]
		mark, a := "  ", attrStrong
		if i == pk.sel {
			mark, a = "› ", attrName
		}
		name := field(p.Name)
		if name == "" {
			name = p.Handle
		}
		y0 := len(rows)
		var lb lineBuilder
		lb.add(mark, attrMarker, "", 2)
		lb.addPiece(piece{name, a, ""})
		lb.addPiece(piece{"  " + strings.Join(p.Names(), ", "), attrMuted, ""})
		rows = append(rows, truncateLine(lb.finish(), l.text))
		if h := field(p.Headline); h != "" {
			lb.add("  ", 0, "", 2)
			lb.addPiece(piece{h, 0, ""})
			rows = append(rows, truncateLine(lb.finish(), l.text))
		}
		pk.itemHits = append(pk.itemHits, itemHit{y0: y0, y1: len(rows), item: i})
		rows = append(rows, line{})
	}

	for i := 0; i < l.footerRow; i++ {
		if i < len(rows) && rows[i].text != "" {
			b.WriteString(pad)
			styled(b, rows[i], t, nil)
		}
		b.WriteByte('\n')
	}
	var lb lineBuilder
	for i, p := range helpItems(pk.keys.ShortHelp()) {
		if i%2 == 0 && i > 0 {
			lb.add("  ", 0, "", 2)
		}
		lb.addPiece(p)
	}
	b.WriteString(pad)
	styled(b, truncateLine(lb.finish(), l.text), t, nil)
}
