package markdown

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sshcv/sshcv/profiles/sanitize"
)

// This file turns the HTML that static-site CVs mix into their Markdown into Markdown.
//
// Two shapes of HTML reach it. An HTML block (a <div>, a <pre><p> list, a lone <br/>) is
// turned into Markdown source by htmlToMarkdown and parsed again as Markdown, because the
// text inside such blocks is written as Markdown: "<pre><p>- a\n- b</p></pre>" is a list.
// Inline HTML inside a paragraph (<strong>, <a href>, <br/>, icons) arrives tag by tag and
// is folded into the inline tree by the converter in convert.go, using the tag
// classification below.

// tagRole says what an HTML element means for the text around it.
type tagRole int

const (
	roleIgnore      tagRole = iota // the tag disappears, its content stays (<span>, <u>, <font>)
	roleBlock                      // a block boundary (<p>, <div>, <section>, <table>)
	roleBreak                      // a line break (<br>)
	roleStrong                     // <strong>, <b>
	roleEmphasis                   // <em>, <i> that is not an icon, <cite>
	roleCode                       // <code>, <kbd>, <samp>, <tt>
	roleLink                       // <a>
	roleImage                      // <img>: its alt text
	roleSkip                       // the tag and everything inside it disappear (<script>, <style>)
	roleHeading                    // <h1>…<h6>
	roleList                       // <ul>, <ol>
	roleListItem                   // <li>
	roleQuote                      // <blockquote>
	rolePre                        // <pre>
	roleRule                       // <hr>
	roleTerm                       // <dt>
	roleDescription                // <dd>
	roleRow                        // <tr>
	roleCell                       // <td>, <th>
)

// roleOf classifies an element by its lower-case tag name.
func roleOf(a atom.Atom) tagRole {
	switch a {
	case atom.Br:
		return roleBreak
	case atom.Strong, atom.B:
		return roleStrong
	case atom.Em, atom.I, atom.Cite, atom.Var, atom.Dfn:
		return roleEmphasis
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		return roleCode
	case atom.A:
		return roleLink
	case atom.Img:
		return roleImage
	case atom.Script, atom.Style, atom.Template, atom.Head, atom.Title, atom.Svg, atom.Math,
		atom.Iframe, atom.Object, atom.Noscript, atom.Button, atom.Select, atom.Textarea:
		return roleSkip
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return roleHeading
	case atom.Ul, atom.Ol, atom.Menu:
		return roleList
	case atom.Li:
		return roleListItem
	case atom.Blockquote:
		return roleQuote
	case atom.Pre:
		return rolePre
	case atom.Hr:
		return roleRule
	case atom.Dt:
		return roleTerm
	case atom.Dd:
		return roleDescription
	case atom.Tr:
		return roleRow
	case atom.Td, atom.Th:
		return roleCell
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Main,
		atom.Aside, atom.Nav, atom.Center, atom.Figure, atom.Figcaption, atom.Address,
		atom.Details, atom.Summary, atom.Form, atom.Fieldset, atom.Table, atom.Thead,
		atom.Tbody, atom.Tfoot, atom.Caption, atom.Body, atom.Html, atom.Dl, atom.Hgroup:
		return roleBlock
	default:
		return roleIgnore
	}
}

// iconText returns what an icon element stands for, and whether the element is an icon
// at all. Icon fonts (Font Awesome "fa fa-envelope", "fa-solid fa-phone", Bootstrap "bi
// bi-github", "material-icons") draw a glyph from a class name; in a terminal the few
// that carry meaning become a symbol and the rest disappear, since the link text that
// follows them says the same thing.
func iconText(t *html.Token) (string, bool) {
	if t.DataAtom != atom.I && t.DataAtom != atom.Span && t.DataAtom != atom.Em {
		return "", false
	}
	var classes []string
	for _, a := range t.Attr {
		if a.Key == "class" {
			classes = strings.Fields(strings.ToLower(a.Val))
		}
	}
	icon := false
	for _, c := range classes {
		switch {
		case c == "fa" || c == "fas" || c == "far" || c == "fab" || c == "fal" || c == "fad" ||
			c == "bi" || c == "icon" || c == "glyphicon" || c == "octicon" ||
			c == "material-icons" || strings.HasPrefix(c, "material-symbols"):
			icon = true
		case strings.HasPrefix(c, "fa-") || strings.HasPrefix(c, "bi-") ||
			strings.HasPrefix(c, "icon-") || strings.HasPrefix(c, "glyphicon-") ||
			strings.HasPrefix(c, "octicon-"):
			icon = true
		}
	}
	if !icon {
		return "", false
	}
	for _, c := range classes {
		name := c
		for _, prefix := range []string{"fa-", "bi-", "icon-", "glyphicon-", "octicon-"} {
			name = strings.TrimPrefix(name, prefix)
		}
		if s, ok := iconSymbols[name]; ok {
			return s, true
		}
	}
	return "", true
}

// iconSymbols maps icon names to the text shown in their place. Only icons that say
// something the surrounding text does not are kept; all are one column wide.
var iconSymbols = map[string]string{
	"envelope": "✉", "envelope-o": "✉", "envelope-square": "✉", "envelope-fill": "✉",
	"at": "✉", "mail": "✉", "email": "✉", "inbox": "✉",
	"phone": "☎", "phone-square": "☎", "phone-alt": "☎", "phone-fill": "☎",
	"mobile": "☎", "mobile-phone": "☎", "mobile-alt": "☎", "telephone": "☎",
	"heart": "♥", "star": "★", "check": "✓",
}

// attrOf returns the decoded value of an attribute, trimmed, or "".
func attrOf(t *html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return strings.TrimSpace(sanitize.Text(a.Val))
		}
	}
	return ""
}
