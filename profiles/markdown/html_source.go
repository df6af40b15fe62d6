package markdown

import (
	"bytes"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/sanitize"
)

// htmlToMarkdown and the writer it uses: see html.go for the two shapes of HTML and
// the roles of tags.

// htmlToMarkdown turns an HTML fragment into Markdown source. The text between tags is
// kept as written (it is Markdown, with its entities), tags become the Markdown that says
// the same thing, and anything unknown disappears with its tags. The result holds no
// HTML tag: every "<" of the input is either consumed as a tag or kept as text, which the
// Markdown parser reads as text again.
func htmlToMarkdown(fragment string) string {
	toks := tokenize(fragment)
	w := &sourceWriter{lineEmpty: true}
	for i := 0; i < len(toks); i++ {
		i = w.token(toks, i)
	}
	w.finish()
	return w.b.String()
}

// rawToken is an html.Token with the bytes it was read from: text keeps its entities.
type rawToken struct {
	html.Token
	raw string
}

func tokenize(fragment string) []rawToken {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var toks []rawToken
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return toks
		}
		raw := string(z.Raw())
		toks = append(toks, rawToken{Token: z.Token(), raw: raw})
	}
}

// container is an open list item or blockquote: what starts each of its lines.
type container struct {
	role   tagRole
	prefix string
}

// list is an open <ul> or <ol>.
type list struct {
	ordered bool
	next    int
	base    int // open containers when the list started: its items come after them
}

// textBuffer is a byte buffer whose end can be taken back in place: the writers often
// drop the blanks they just wrote, and must not copy everything written to do so.
type textBuffer struct{ buf []byte }

func (b *textBuffer) WriteString(s string) { b.buf = append(b.buf, s...) }
func (b *textBuffer) String() string       { return string(b.buf) }
func (b *textBuffer) Len() int             { return len(b.buf) }

// openLink is an <a> whose end tag has not come yet.
type openLink struct {
	target   string // "" for an anchor that is not a link: its text stays, unlinked
	start    int    // where its text starts in the output
	emphasis int    // how many emphasis markers were open when it started
}

// sourceWriter accumulates Markdown source for htmlToMarkdown.
type sourceWriter struct {
	b          textBuffer
	containers []container
	lists      []list
	open       []string // emphasis markers written and not yet closed, in order
	pending    []string // emphasis markers opened but not written: written with the first text
	links      []openLink
	pre        int // depth of <pre> whose text keeps its line structure
	skipName   string
	skipDepth  int
	heading    bool
	cells      int // cells written in the current table row
	lineEmpty  bool
	blank      bool // the last line written is an empty line
	afterBreak bool // the current line was started by a <br>: a newline in the text adds nothing
}

func (w *sourceWriter) prefix() string {
	var p strings.Builder
	for _, c := range w.containers {
		p.WriteString(c.prefix)
	}
	return p.String()
}

// newline ends the current line (dropping its trailing blanks, which Markdown would read
// as a hard break) and starts the next one inside the open containers.
func (w *sourceWriter) newline() {
	w.trimTrailingBlanks()
	w.blank = w.lineEmpty
	w.b.WriteString("\n")
	w.b.WriteString(w.prefix())
	w.lineEmpty = true
	w.afterBreak = false
}

func (w *sourceWriter) trimTrailingBlanks() {
	t := bytes.TrimRight(w.b.buf, " \t")
	if len(t) < len(w.b.buf) && !bytes.HasSuffix(t, []byte("\n")) {
		w.b.buf = t
	}
}

// blockBreak ends the paragraph: emphasis is closed before the break and reopened after
// it, so that markers never pair up across blocks.
func (w *sourceWriter) blockBreak() {
	if w.b.Len() == 0 {
		return
	}
	reopen := w.closeEmphasis()
	if !w.lineEmpty {
		w.newline()
	}
	if !w.blank {
		w.newline()
	}
	w.pending = append(w.pending, reopen...)
}

// closeEmphasis writes the closing markers of every open emphasis and returns them.
func (w *sourceWriter) closeEmphasis() []string {
	open := w.open
	for i := len(open) - 1; i >= 0; i-- {
		w.writeCloser(open[i])
	}
	w.open = nil
	return open
}

// writeCloser writes a closing marker before any trailing blanks, so that "** a **"
// never happens: Markdown does not read a marker next to a space as emphasis.
func (w *sourceWriter) writeCloser(marker string) {
	t := bytes.TrimRight(w.b.buf, " \t")
	blanks := string(w.b.buf[len(t):])
	w.b.buf = t
	w.b.WriteString(marker)
	w.b.WriteString(blanks)
}

// write appends Markdown that is content (not blanks): pending markers go first.
func (w *sourceWriter) write(s string) {
	if s == "" {
		return
	}
	for _, m := range w.pending {
		w.b.WriteString(m)
		w.open = append(w.open, m)
	}
	w.pending = nil
	w.b.WriteString(s)
	w.lineEmpty = false
	w.blank = false
	w.afterBreak = false
}

// text writes the text between tags, line by line.
func (w *sourceWriter) text(raw string) {
	if w.heading {
		raw = strings.ReplaceAll(raw, "\n", " ")
	}
	for i, line := range strings.Split(raw, "\n") {
		if i > 0 && (!w.lineEmpty || !w.afterBreak) {
			w.newline()
		}
		if w.lineEmpty && w.pre == 0 {
			line = strings.TrimLeft(line, " \t")
		}
		body := strings.TrimLeft(line, " \t")
		if lead := line[:len(line)-len(body)]; lead != "" {
			w.b.WriteString(lead)
		}
		w.write(body)
	}
}

// token handles toks[i] and returns the index of the last token it consumed.
func (w *sourceWriter) token(toks []rawToken, i int) int {
	t := &toks[i].Token
	if w.skipDepth > 0 {
		switch {
		case t.Type == html.StartTagToken && t.Data == w.skipName:
			w.skipDepth++
		case t.Type == html.EndTagToken && t.Data == w.skipName:
			w.skipDepth--
		}
		return i
	}
	switch t.Type {
	case html.TextToken:
		w.text(toks[i].raw)
	case html.StartTagToken, html.SelfClosingTagToken:
		return w.start(toks, i, t.Type == html.SelfClosingTagToken)
	case html.EndTagToken:
		w.end(t)
	default:
		// comments and doctypes say nothing to a reader
	}
	return i
}

// start writes what a start tag opens. It is one switch with a case per tag role, longer
// than 80 lines because each case is the whole of what that role means; split up, the
// roles would be read in several places.
func (w *sourceWriter) start(toks []rawToken, i int, selfClosing bool) int {
	t := &toks[i].Token
	if sym, ok := iconText(t); ok {
		if sym != "" {
			w.write(sym)
		}
		if !selfClosing && t.DataAtom != 0 {
			w.skipName, w.skipDepth = t.Data, 1 // material-icons put the icon's name inside
		}
		return i
	}
	switch roleOf(t.DataAtom) {
	case roleBreak:
		w.lineBreak()
	case roleBlock:
		w.blockBreak()
	case roleStrong:
		if !selfClosing {
			w.pending = append(w.pending, "**")
		}
	case roleEmphasis:
		if !selfClosing {
			w.pending = append(w.pending, "*")
		}
	case roleCode:
		if selfClosing {
			return i
		}
		code, last := collectText(toks, i, t.Data)
		w.write(doc.CodeSpan(sanitize.Text(code)))
		return last
	case roleLink:
		if selfClosing {
			return i
		}
		target := attrOf(t, "href")
		if len(w.links) > 0 || !doc.UsableURL(target) {
			target = ""
		}
		if target != "" {
			w.write("[")
		}
		w.links = append(w.links, openLink{target: target, start: w.b.Len(), emphasis: len(w.open)})
	case roleImage:
		if alt := strings.TrimSpace(attrOf(t, "alt")); alt != "" {
			w.write(escapeSourceText(alt))
		}
	case roleSkip:
		if !selfClosing {
			w.skipName, w.skipDepth = t.Data, 1
		}
	case roleHeading:
		w.blockBreak()
		level := int(t.Data[1] - '0')
		w.write(strings.Repeat("#", level) + " ")
		w.heading = true
	case roleList:
		start := 1
		if n, err := strconv.Atoi(attrOf(t, "start")); err == nil && n >= 0 && n < 1e9 {
			start = n
		}
		if !w.lineEmpty {
			w.newline()
		}
		if t.DataAtom == atom.Ol && start != 1 && !w.blank && w.b.Len() > 0 {
			w.newline() // only a list starting at 1 may interrupt a paragraph
		}
		w.lists = append(w.lists, list{ordered: t.DataAtom == atom.Ol, next: start, base: len(w.containers)})
	case roleListItem:
		w.endItem()
		if !w.lineEmpty {
			w.newline()
		}
		marker := "- "
		if n := len(w.lists); n > 0 && w.lists[n-1].ordered {
			marker = strconv.Itoa(w.lists[n-1].next) + ". "
			w.lists[n-1].next++
		}
		w.b.WriteString(marker)
		w.containers = append(w.containers, container{role: roleListItem, prefix: strings.Repeat(" ", len(marker))})
	case roleQuote:
		w.blockBreak()
		w.b.WriteString("> ")
		w.containers = append(w.containers, container{role: roleQuote, prefix: "> "})
	case rolePre:
		w.blockBreak()
		if code, last, ok := preformattedCode(toks, i); ok {
			w.write(doc.CodeFence(code, ""))
			w.blockBreak()
			return last
		}
		if !selfClosing {
			w.pre++
		}
	case roleRule:
		w.blockBreak()
		w.write("* * *")
		w.blockBreak()
	case roleTerm:
		w.blockBreak()
		w.pending = append(w.pending, "**")
	case roleDescription:
		w.lineBreak()
	case roleRow:
		w.lineBreak()
		w.cells = 0
	case roleCell:
		if w.cells > 0 {
			w.write(" · ")
		}
		w.cells++
	default:
		// roleIgnore: the tag disappears, its content stays
	}
	return i
}

func (w *sourceWriter) end(t *html.Token) {
	switch roleOf(t.DataAtom) {
	case roleBlock:
		w.blockBreak()
	case roleStrong, roleTerm:
		w.closeMarker("**")
	case roleEmphasis:
		w.closeMarker("*")
	case roleLink:
		n := len(w.links)
		if n == 0 {
			return
		}
		link := w.links[n-1]
		w.links = w.links[:n-1]
		if link.target == "" {
			return
		}
		if len(bytes.TrimSpace(w.b.buf[min(link.start, w.b.Len()):])) == 0 {
			w.write(escapeSourceText(link.target))
		}
		// emphasis opened inside the link closes before it and reopens after it, so
		// that "[**a](u)**" never happens; markers that got no text are dropped
		inner := append([]string(nil), w.open[min(link.emphasis, len(w.open)):]...)
		for j := len(inner) - 1; j >= 0; j-- {
			w.writeCloser(inner[j])
		}
		w.open = w.open[:len(w.open)-len(inner)]
		w.pending = inner
		w.writeCloser("](" + doc.EscapeDestination(link.target) + ")")
	case roleRow:
		w.lineBreak()
	case roleHeading:
		w.heading = false
		w.blockBreak()
	case roleList:
		w.endItem()
		if n := len(w.lists); n > 0 {
			w.lists = w.lists[:n-1]
		}
		if len(w.lists) == 0 {
			w.blockBreak()
		} else if !w.lineEmpty {
			w.newline()
		}
	case roleListItem:
		w.endItem()
	case roleQuote:
		w.blockBreak()
		w.popContainer(roleQuote)
		w.blockBreak()
	case rolePre:
		if w.pre > 0 {
			w.pre--
		}
		w.blockBreak()
	default:
		// the other roles close nothing
	}
}

// endItem closes the innermost open list item, if the innermost container is one that
// belongs to the innermost list.
func (w *sourceWriter) endItem() {
	base := 0
	if n := len(w.lists); n > 0 {
		base = w.lists[n-1].base
	}
	if n := len(w.containers); n > base && w.containers[n-1].role == roleListItem {
		if !w.lineEmpty {
			w.trimTrailingBlanks()
		}
		w.containers = w.containers[:n-1]
	}
}

func (w *sourceWriter) popContainer(role tagRole) {
	for n := len(w.containers); n > 0; n-- {
		if w.containers[n-1].role == role {
			w.containers = w.containers[:n-1]
			return
		}
	}
}

// closeMarker closes the innermost emphasis written with marker. An emphasis that never
// got any text is simply forgotten.
func (w *sourceWriter) closeMarker(marker string) {
	for i := len(w.pending) - 1; i >= 0; i-- {
		if w.pending[i] == marker {
			w.pending = append(w.pending[:i], w.pending[i+1:]...)
			return
		}
	}
	for i := len(w.open) - 1; i >= 0; i-- {
		if w.open[i] == marker {
			// close the ones opened inside it too, then reopen them: <b><i>x</b>y</i>
			inner := append([]string(nil), w.open[i+1:]...)
			for j := len(w.open) - 1; j >= i; j-- {
				w.writeCloser(w.open[j])
			}
			w.open = w.open[:i]
			w.pending = append(w.pending, inner...)
			return
		}
	}
}

// lineBreak writes a Markdown hard break, unless the line is still empty.
func (w *sourceWriter) lineBreak() {
	if w.lineEmpty {
		return
	}
	w.trimTrailingBlanks()
	w.b.WriteString("  \n")
	w.b.WriteString(w.prefix())
	w.lineEmpty = true
	w.afterBreak = true
}

// finish closes whatever the fragment left open.
func (w *sourceWriter) finish() {
	w.pending = nil
	for n := len(w.links); n > 0; n = len(w.links) {
		w.end(&html.Token{Type: html.EndTagToken, DataAtom: atom.A, Data: "a"})
	}
	w.closeEmphasis()
}

// collectText returns the decoded text inside the element that starts at toks[i] and the
// index of its end tag (or of the last token).
func collectText(toks []rawToken, i int, name string) (string, int) {
	var b strings.Builder
	depth := 1
	for j := i + 1; j < len(toks); j++ {
		t := &toks[j].Token
		switch t.Type {
		case html.StartTagToken:
			if t.Data == name {
				depth++
			}
			if t.DataAtom == atom.Br {
				b.WriteString("\n")
			}
		case html.SelfClosingTagToken:
			if t.DataAtom == atom.Br {
				b.WriteString("\n")
			}
		case html.EndTagToken:
			if t.Data == name {
				depth--
				if depth == 0 {
					return b.String(), j
				}
			}
		case html.TextToken:
			b.WriteString(t.Data)
		default:
			// comments and doctypes add no text
		}
	}
	return b.String(), len(toks) - 1
}

// preformattedCode reports whether the <pre> at toks[i] holds code (<pre><code>…) rather
// than Markdown wrapped in <pre> for spacing, and if so returns its text.
func preformattedCode(toks []rawToken, i int) (string, int, bool) {
	for j := i + 1; j < len(toks); j++ {
		t := &toks[j].Token
		if t.Type == html.TextToken && strings.TrimSpace(t.Data) == "" {
			continue
		}
		if t.Type != html.StartTagToken || roleOf(t.DataAtom) != roleCode {
			return "", i, false
		}
		break
	}
	code, last := collectText(toks, i, "pre")
	return strings.Trim(sanitize.Text(code), "\n"), last, true
}

// escapeSourceText escapes decoded text (an attribute value) for Markdown source.
func escapeSourceText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && strings.ContainsRune("\\`*_[]<>&#|!", r) {
			b.WriteByte('\\')
		}
		if r == '\n' || r == '\t' {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}
