package tui

import (
	"charm.land/bubbles/v2/key"
)

// Every key binding of the programs is here, and every help line is generated from
// these bindings: what the footer and the help screen say is what the keys do.

// viewerKeys are the viewer's key bindings. Bare esc is never bound to quitting: an
// arrow key split across slow packets arrives as esc, [, B.
type viewerKeys struct {
	Next, Prev, Jump         key.Binding
	Down, Up, PageDown       key.Binding
	PageUp, HalfDown, HalfUp key.Binding
	Top, Bottom              key.Binding
	Search, NextMatch        key.Binding
	PrevMatch, Clear         key.Binding
	Copy, Picker, Help, Quit key.Binding
	QR                       key.Binding
	Message                  key.Binding // leave the owner a message; enabled per session
}

// defaultViewerKeys is built once and only ever copied, never written: each session's
// copy decides for itself whether p is offered.
var defaultViewerKeys = buildViewerKeys()

func newViewerKeys(withPicker bool) viewerKeys {
	k := defaultViewerKeys
	k.Picker.SetEnabled(withPicker)
	return k
}

func buildViewerKeys() viewerKeys {
	return viewerKeys{
		Next:      key.NewBinding(key.WithKeys("right", "l", "tab"), key.WithHelp("→/l/tab", "next section")),
		Prev:      key.NewBinding(key.WithKeys("left", "h", "shift+tab"), key.WithHelp("←/h/⇧tab", "previous section")),
		Jump:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1–9", "go to section")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "space", "f"), key.WithHelp("pgdn/space", "page down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "page up")),
		HalfDown:  key.NewBinding(key.WithKeys("ctrl+d", "d"), key.WithHelp("d", "half page down")),
		HalfUp:    key.NewBinding(key.WithKeys("ctrl+u", "u"), key.WithHelp("u", "half page up")),
		Top:       key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:    key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
		Search:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search the CV")),
		NextMatch: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		PrevMatch: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		Clear:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search")),
		Copy:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy contact")),
		Picker:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "all CVs")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		QR:        key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "QR code")),
		Message:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "leave a message"), key.WithDisabled()),
	}
}

// ShortHelp is the footer's help, most useful first; the footer drops from the end.
func (k viewerKeys) ShortHelp() []key.Binding {
	return []key.Binding{
		withHelp(k.Prev, "←→", "section"), withHelp(k.Down, "↑↓", "scroll"), k.Help, withHelp(k.Message, "m", "message"), withHelp(k.Search, "/", "search"), k.Quit,
	}
}

// helpScreenHelp is the footer while the help screen is open.
func (k viewerKeys) helpScreenHelp() []key.Binding {
	return []key.Binding{withHelp(k.Help, "?", "close help"), k.Quit}
}

func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}

// searchKeys act while a query is typed; every other key edits the query (the
// textinput's own bindings) or types into it.
type searchKeys struct {
	Quit, Cancel, Confirm key.Binding
}

var defaultSearchKeys = searchKeys{
	Quit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
}

// pickerKeys are the picker's bindings. Letters filter the list, so j, k and q act as
// keys only while the filter is empty (see filtering).
type pickerKeys struct {
	Down, Up, Open, Clear, Quit key.Binding
}

// defaultPickerKeys, like defaultViewerKeys, is only ever copied.
var defaultPickerKeys = pickerKeys{
	Down:  key.NewBinding(key.WithKeys("down", "ctrl+n", "j"), key.WithHelp("↓", "move down")),
	Up:    key.NewBinding(key.WithKeys("up", "ctrl+p", "k"), key.WithHelp("↑", "move up")),
	Open:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
	Clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	Quit:  key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
}

// filtering gives the letters to the filter while it holds text, and back to the keys
// when it is empty again.
func (k *pickerKeys) filtering(on bool) {
	if on {
		k.Down.SetKeys("down", "ctrl+n")
		k.Up.SetKeys("up", "ctrl+p")
		k.Quit.SetKeys("ctrl+c")
		k.Quit.SetHelp("ctrl+c", "quit")
		return
	}
	d := defaultPickerKeys
	k.Down.SetKeys(d.Down.Keys()...)
	k.Up.SetKeys(d.Up.Keys()...)
	k.Quit.SetKeys(d.Quit.Keys()...)
	k.Quit.SetHelp(d.Quit.Help().Key, d.Quit.Help().Desc)
}

func (k pickerKeys) ShortHelp() []key.Binding {
	return []key.Binding{withHelp(k.Up, "↑↓", "move"), k.Open, withHelp(k.Clear, "type", "filter"), k.Quit}
}

// tooSmallQuit quits from the notice shown in a window below the minimum.
var tooSmallQuit = defaultViewerKeys.Quit

// helpItems is a short help line as (key, description) pairs for the footer, which is
// drawn by hand: it is on every frame and must stay cheap and lean.
func helpItems(bs []key.Binding) []piece {
	var out []piece
	for _, b := range bs {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		out = append(out, piece{h.Key, attrKey, ""}, piece{" " + h.Desc, attrMuted, ""})
	}
	return out
}
