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
	Lang                     key.Binding // L: the CV's next language

	words *words // the language of the help
}

// viewerKeySets are the viewer's bindings in each language of the catalogue, built once
// and only ever copied, never written: each session's copy decides for itself whether
// p and L are offered.
var viewerKeySets = buildKeySets(buildViewerKeys)

// buildKeySets builds a set of bindings in every language of the catalogue.
func buildKeySets[K any](build func(*words) K) map[*words]K {
	sets := make(map[*words]K, len(catalogues))
	for _, w := range catalogues {
		sets[w] = build(w)
	}
	return sets
}

func newViewerKeys(withPicker, withLangs bool, w *words) viewerKeys {
	k := viewerKeySets[w]
	k.Picker.SetEnabled(withPicker)
	k.Lang.SetEnabled(withLangs)
	return k
}

func buildViewerKeys(w *words) viewerKeys {
	return viewerKeys{
		Next:      key.NewBinding(key.WithKeys("right", "l", "tab"), key.WithHelp("→/l/tab", w.get(wNextSection))),
		Prev:      key.NewBinding(key.WithKeys("left", "h", "shift+tab"), key.WithHelp("←/h/⇧tab", w.get(wPrevSection))),
		Jump:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1–9", w.get(wGoToSection))),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", w.get(wScrollDown))),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", w.get(wScrollUp))),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "space", "f"), key.WithHelp("pgdn/space", w.get(wPageDown))),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", w.get(wPageUp))),
		HalfDown:  key.NewBinding(key.WithKeys("ctrl+d", "d"), key.WithHelp("d", w.get(wHalfDown))),
		HalfUp:    key.NewBinding(key.WithKeys("ctrl+u", "u"), key.WithHelp("u", w.get(wHalfUp))),
		Top:       key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", w.get(wTop))),
		Bottom:    key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", w.get(wBottom))),
		Search:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", w.get(wSearchCV))),
		NextMatch: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", w.get(wNextMatch))),
		PrevMatch: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", w.get(wPrevMatch))),
		Clear:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", w.get(wClearSearch))),
		Copy:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", w.get(wCopyContact))),
		Picker:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", w.get(wAllCVs))),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", w.get(wHelp))),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", w.get(wQuit))),
		QR:        key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", w.get(wQRCode))),
		Message:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", w.get(wLeaveMessage)), key.WithDisabled()),
		Lang:      key.NewBinding(key.WithKeys("L"), key.WithHelp("L", w.get(wLanguage))),
		words:     w,
	}
}

// ShortHelp is the footer's help, most useful first; the footer drops from the end.
func (k viewerKeys) ShortHelp() []key.Binding {
	w := k.words
	return []key.Binding{
		withHelp(k.Prev, "←→", w.get(wSection)), withHelp(k.Down, "↑↓", w.get(wScroll)), k.Help, withHelp(k.Message, "m", w.get(wMessage)), withHelp(k.Search, "/", w.get(wSearch)), k.Quit, k.Lang,
	}
}

// helpScreenHelp is the footer while the help screen is open.
func (k viewerKeys) helpScreenHelp() []key.Binding {
	return []key.Binding{withHelp(k.Help, "?", k.words.get(wCloseHelp)), k.Quit}
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

// searchKeySets, like viewerKeySets, are only ever copied.
var searchKeySets = buildKeySets(func(w *words) searchKeys {
	return searchKeys{
		Quit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", w.get(wQuit))),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", w.get(wCancel))),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", w.get(wDone))),
	}
})

// pickerKeys are the picker's bindings. Letters filter the list, so j, k and q act as
// keys only while the filter is empty (see filtering).
type pickerKeys struct {
	Down, Up, Open, Clear, Quit key.Binding

	words *words
}

// pickerKeySets, like viewerKeySets, are only ever copied.
var pickerKeySets = buildKeySets(func(w *words) pickerKeys {
	return pickerKeys{
		Down:  key.NewBinding(key.WithKeys("down", "ctrl+n", "j"), key.WithHelp("↓", w.get(wMoveDown))),
		Up:    key.NewBinding(key.WithKeys("up", "ctrl+p", "k"), key.WithHelp("↑", w.get(wMoveUp))),
		Open:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", w.get(wOpen))),
		Clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", w.get(wClearFilter))),
		Quit:  key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", w.get(wQuit))),
		words: w,
	}
})

// filtering gives the letters to the filter while it holds text, and back to the keys
// when it is empty again.
func (k *pickerKeys) filtering(on bool) {
	if on {
		k.Down.SetKeys("down", "ctrl+n")
		k.Up.SetKeys("up", "ctrl+p")
		k.Quit.SetKeys("ctrl+c")
		k.Quit.SetHelp("ctrl+c", k.words.get(wQuit))
		return
	}
	d := pickerKeySets[k.words]
	k.Down.SetKeys(d.Down.Keys()...)
	k.Up.SetKeys(d.Up.Keys()...)
	k.Quit.SetKeys(d.Quit.Keys()...)
	k.Quit.SetHelp(d.Quit.Help().Key, d.Quit.Help().Desc)
}

func (k pickerKeys) ShortHelp() []key.Binding {
	w := k.words
	return []key.Binding{withHelp(k.Up, "↑↓", w.get(wMove)), k.Open, withHelp(k.Clear, w.get(wTypeKey), w.get(wFilter)), k.Quit}
}

// tooSmallQuit quits from the notice shown in a window below the minimum.
var tooSmallQuit = viewerKeySets[english].Quit

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
