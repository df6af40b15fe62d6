package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/sshcv/sshcv/profiles"
)

// viewer is the CV viewer: header, tab bar, body (or help), footer. It holds what is
// the viewer's own (the profile, its layout, the footer note) and its components,
// which it lays out, hands messages to and draws.
type viewer struct {
	r     *Renderer
	p     *profiles.Profile
	keys  viewerKeys
	doc   *document
	theme *theme
	lay   layout

	message string // a footer note, gone at the next key press

	tabs   tabBar
	body   body
	help   helpView
	search search
	qr     qrView
	footer footer
}

func newViewer(r *Renderer, p *profiles.Profile, section string, withPicker bool) *viewer {
	v := &viewer{r: r, p: p, keys: newViewerKeys(withPicker)}
	k := &v.keys
	v.tabs = tabBar{keys: k, lay: &v.lay, body: &v.body}
	v.body = body{keys: k, lay: &v.lay, search: &v.search}
	v.help = helpView{keys: k, lay: &v.lay}
	v.search = newSearch(k, &v.lay, &v.body, &v.message)
	v.qr = qrView{keys: k, lay: &v.lay, p: p}
	v.footer = footer{keys: k, lay: &v.lay, search: &v.search, help: &v.help, body: &v.body, note: &v.message}
	if i := p.SectionIndex(section); i >= 0 {
		v.body.tab = i
	}
	return v
}

// keyHelp is the help screen's columns: what each component acts on, and the viewer's
// own keys.
func (v *viewer) keyHelp() [][]key.Binding {
	k := &v.keys
	return [][]key.Binding{
		append(v.tabs.keyHelp(), k.Picker),
		v.body.keyHelp(),
		append(v.search.keyHelp(), k.Copy, k.QR, k.Message, k.Help, k.Quit),
	}
}

func (v *viewer) components() []component {
	return []component{&v.tabs, &v.body, &v.help, &v.search, &v.qr, &v.footer}
}

// setSize lays the viewer out for a window, keeping the reader's place: the same tab,
// and the line at the top moved proportionally when the text reflows.
func (v *viewer) setSize(width, height int, t *theme) {
	v.theme = t
	oldLen, oldOffset := v.body.pageLen(), v.body.offset
	hadDoc := v.doc != nil
	v.lay = viewerLayout(width, height, func(text int) int {
		return v.r.document(v.p, text).header.len()
	})
	if v.lay.tooSmall {
		return
	}
	v.doc = v.r.document(v.p, v.lay.text)
	v.tabs.doc, v.body.doc = v.doc, v.doc
	v.body.tab = min(max(v.body.tab, 0), len(v.doc.sections)-1)
	if hadDoc && oldLen > 0 {
		v.body.offset = oldOffset * v.body.pageLen() / oldLen
	}
	for _, c := range v.components() {
		c.setSize(&v.lay, t)
	}
	v.body.clamp()
}

func (v *viewer) setTheme(t *theme) {
	v.theme = t
	for _, c := range v.components() {
		c.setSize(&v.lay, t)
	}
}

// typing reports whether keys go to the search box.
func (v *viewer) typing() bool { return v.search.typing }

// overlaid reports whether something is drawn over the body (the help, the QR code).
func (v *viewer) overlaid() bool { return v.help.open || v.qr.open }

// updateKey hands a key to what has it: the search box while a query is typed, the
// help while it is open, else the viewer's own keys and then each component. raw is
// msg as a tea.Msg.
func (v *viewer) updateKey(msg tea.KeyPressMsg, raw tea.Msg) (tea.Cmd, bool) {
	if v.search.typing {
		return v.search.update(raw)
	}
	k := &v.keys
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit, true
	case v.help.open:
		return v.help.update(raw)
	case v.qr.open:
		return v.qr.update(raw)
	case key.Matches(msg, k.QR):
		v.qr.show()
		return nil, true
	case key.Matches(msg, k.Help):
		v.help.show(v.keyHelp())
		return nil, true
	case key.Matches(msg, k.Copy):
		return v.copyContact(), true
	}
	for _, c := range []component{&v.tabs, &v.body, &v.search} {
		if cmd, changed := c.update(raw); changed {
			return cmd, true
		}
	}
	return nil, false
}

// paste types into the search box while a query is typed.
func (v *viewer) paste(text string) bool {
	if !v.search.typing {
		return false
	}
	_, changed := v.search.update(tea.PasteMsg{Content: text})
	return changed
}

func (v *viewer) copyContact() tea.Cmd {
	text := field(v.p.Email)
	if text == "" {
		for _, c := range contactsOf(v.p) {
			text = strings.TrimPrefix(c.URL, "mailto:")
			break
		}
	}
	if text == "" {
		v.message = "Nothing to copy: this CV has no email or link"
		return nil
	}
	v.message = "Copied " + text + " to the clipboard"
	return tea.SetClipboard(text)
}

// updateMouse: the wheel scrolls what is shown, a click on the tab bar opens a tab.
func (v *viewer) updateMouse(msg tea.MouseMsg) bool {
	if v.qr.open {
		return false
	}
	if v.help.open {
		_, changed := v.help.update(msg)
		return changed
	}
	for _, c := range []component{&v.tabs, &v.body} {
		if _, changed := c.update(msg); changed {
			return true
		}
	}
	return false
}

// draw writes the viewer's screen: the header, then the components in their rows.
func (v *viewer) draw(b *strings.Builder) {
	if v.qr.open {
		v.qr.view(b) // over the whole window (see qrView)
		return
	}
	l := v.lay
	d := v.doc
	styledLines := d.styled(v.theme)
	hr := d.header
	if l.compact {
		hr = d.compact
	}
	for i := hr.from; i < hr.from+l.headerRows; i++ {
		if i < hr.to {
			b.WriteString(l.pad)
			b.WriteString(styledLines[i])
		}
		b.WriteByte('\n')
	}
	v.tabs.view(b)
	b.WriteByte('\n')
	if l.rule {
		b.WriteString(l.pad)
		b.WriteString(v.theme.seq(attrRule))
		b.WriteString(strings.Repeat("─", l.text))
		b.WriteString("\x1b[m")
		b.WriteByte('\n')
	}
	if v.help.open {
		v.help.view(b)
	} else {
		v.body.view(b)
	}
	for row := l.bodyTop + l.bodyRows; row < l.footerRow; row++ {
		b.WriteByte('\n')
	}
	v.footer.view(b)
}
