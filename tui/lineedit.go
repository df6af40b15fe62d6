package tui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/sshcv/sshcv/profiles"
)

// lineEditor is the one-line editor of the search box and the picker filter: a bubbles
// textinput holding at most limit characters, made when first typed into (most
// sessions never search, and a textinput weighs more than the rest of a session's
// state). It draws no cursor of its own (the footer draws it, so no blink timer runs)
// and never reads the server's clipboard. Typed and pasted text is sanitised.
type lineEditor struct {
	limit int
	in    *textinput.Model
}

func (e *lineEditor) value() string {
	if e.in == nil {
		return ""
	}
	return e.in.Value()
}

// position is the cursor's place, in runes from the start.
func (e *lineEditor) position() int {
	if e.in == nil {
		return 0
	}
	return e.in.Position()
}

func (e *lineEditor) reset() {
	if e.in != nil {
		e.in.Reset()
	}
}

// erasesNothing reports whether msg is a backspace on an empty line: the search box
// closes on it, the picker ignores it.
func (e *lineEditor) erasesNothing(msg tea.KeyPressMsg) bool {
	return e.value() == "" && key.Matches(msg, backspace)
}

// backspace is the textinput's own binding for deleting the character before the cursor.
var backspace = textinput.DefaultKeyMap().DeleteCharacterBackward

// update edits the line with a key press or a paste; it reports whether the text or
// the cursor's place changed.
func (e *lineEditor) update(msg tea.Msg) bool {
	switch m := msg.(type) {
	case tea.KeyPressMsg:
		m.Text = profiles.Sanitize(m.Text)
		msg = m
	case tea.PasteMsg:
		m.Content = profiles.Sanitize(m.Content)
		msg = m
	default:
		return false
	}
	if e.in == nil {
		in := textinput.New()
		in.Prompt = ""
		in.CharLimit = e.limit
		in.SetVirtualCursor(false)
		in.KeyMap.Paste.SetEnabled(false)
		in.KeyMap.AcceptSuggestion.SetEnabled(false)
		in.KeyMap.NextSuggestion.SetEnabled(false)
		in.KeyMap.PrevSuggestion.SetEnabled(false)
		_ = in.Focus() // without a virtual cursor there is no blink to start
		e.in = &in
	}
	text, pos := e.in.Value(), e.in.Position()
	*e.in, _ = e.in.Update(msg)
	return e.in.Value() != text || e.in.Position() != pos
}
