package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// component is one part of the viewer's screen: the tab bar, the body, the help, the
// search box, the footer. The viewer lays the screen out (viewerLayout decides every
// row by the window's size), hands each component its layout, sends it the messages it
// takes, and asks it to draw its rows.
//
// Adding a key and an overlay of its own (a message form, a QR code, a language
// switch) is then:
//   - a binding in viewerKeys (keys.go), and in viewer.keyHelp, so the help lists it;
//   - its words (the key's help, its lines) in the catalogue, i18n.go, in every language;
//   - a file with a type that implements component, its keys in its keyHelp;
//   - a field for it in viewer, set up in newViewer and listed in viewer.components
//     (which hands it every size and theme);
//   - in viewer.updateKey, a case that opens it on its key and, while it is open, hands
//     it the keys (as for the help), and in viewer.overlaid, that it is open;
//   - in viewer.draw, its view in place of the body's.
type component interface {
	// setSize lays the component out for a window of the given layout and theme.
	setSize(l *layout, t *theme)
	// update handles a message; it returns a command and whether the screen changed.
	update(msg tea.Msg) (tea.Cmd, bool)
	// view draws the component's rows.
	view(b *strings.Builder)
	// keyHelp lists the bindings the component acts on, for the help.
	keyHelp() []key.Binding
}

var (
	_ component = (*tabBar)(nil)
	_ component = (*body)(nil)
	_ component = (*helpView)(nil)
	_ component = (*search)(nil)
	_ component = (*footer)(nil)
)
