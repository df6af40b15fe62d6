package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Views hears what a visitor does in the viewer, for the owner's view counts
// (Options.Views; nil: nothing is counted). It is told profile handles and
// section titles only: never what the visitor typed. (Messages are counted where
// they are committed, behind the MessageSender.)
type Views interface {
	// Section is called when the section on screen changes: handle's section
	// title, or both empty when no CV is on screen (the picker).
	Section(handle, title string)
	Searched(handle string) // a search was made (enter on a query)
	Copied(handle string)   // the contact was copied (c)
}

// viewSpot is what Views was last told, and what a key may change.
type viewSpot struct {
	handle, title string
	typing        bool // a search query is being typed
	ready         bool // keys reach the viewer (not the form, the help or a too-small window)
}

func (m *Model) spot() viewSpot {
	v := m.viewer
	if v == nil || v.doc == nil {
		return viewSpot{}
	}
	s := viewSpot{handle: v.p.Handle, typing: v.typing(), ready: !m.formOpen && !v.overlaid() && !m.tooSmall()}
	if t := v.body.tab; t >= 0 && t < len(v.p.Sections) {
		s.title = v.p.Sections[t].Title
	}
	return s
}

// observe tells m.o.Views what msg changed: before is the spot before Update.
func (m *Model) observe(msg tea.Msg, before viewSpot) {
	after := m.spot()
	if after.handle != m.told.handle || after.title != m.told.title {
		m.o.Views.Section(after.handle, after.title)
		m.told = after
	}
	press, ok := msg.(tea.KeyPressMsg)
	switch {
	case !ok:
	case before.typing && !after.typing && after.handle != "" && m.viewer.search.active():
		m.o.Views.Searched(after.handle)
	case before.ready && !before.typing && key.Matches(press, m.viewer.keys.Copy) && m.viewer.message != m.viewer.words.get(wNothingToCopy):
		m.o.Views.Copied(before.handle)
	}
}
