package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"unicode"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/profiles/doc"
)

//go:embed assets/page.css assets/page.js assets/page.gohtml
var assets embed.FS

// theme is the page's fixed parts, parsed once per handler: the template, the style
// sheet and the copy script, with their CSP hashes.
type theme struct {
	tmpl       *template.Template
	css        string
	script     string
	cssHash    string // 'sha256-…' for the CSP
	scriptHash string
	digest     string // changes whenever any of the fixed parts does: part of every page ETag
}

func loadTheme() (*theme, error) {
	read := func(name string) (string, error) {
		b, err := assets.ReadFile("assets/" + name)
		return string(b), err
	}
	css, err := read("page.css")
	if err != nil {
		return nil, err
	}
	script, err := read("page.js")
	if err != nil {
		return nil, err
	}
	src, err := read("page.gohtml")
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New("page").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("web/assets/page.gohtml: %w", err)
	}
	d := sha256.Sum256([]byte(css + "\x00" + script + "\x00" + src))
	return &theme{
		tmpl:       tmpl,
		css:        css,
		script:     script,
		cssHash:    cspHash(css),
		scriptHash: cspHash(script),
		digest:     base64.RawURLEncoding.EncodeToString(d[:6]),
	}, nil
}

// cspHash is the CSP source expression that allows exactly this inline element body.
func cspHash(body string) string {
	h := sha256.Sum256([]byte(body))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

// pageCSP allows the page's own inline style sheets and script and nothing else: no
// other origin, no plug-ins, no forms, no framing.
func (t *theme) pageCSP(accentCSS string) string {
	return "default-src 'none'; style-src " + t.cssHash + " " + cspHash(accentCSS) +
		"; script-src " + t.scriptHash + "; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// baseCSP is sent with every response that is not an HTML page.
const baseCSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// pageData is what the template sees.
type pageData struct {
	Lang        string // the page's language; "" is English
	Title       string
	Description string
	BaseCSS     template.CSS
	AccentCSS   template.CSS
	Script      template.JS
	Favicon     template.URL
	Alternates  []format
	CV          *cvView
	List        *listView
	Others      []card // the host's other CVs, on the page served at "/"
}

type cvView struct {
	Name, Headline, Location string
	Contacts                 []contact
	SSH                      sshBlock
	Intro                    template.HTML
	Sections                 []sectionView
	Formats                  []format
	Languages                []langLink // the CV's languages, when it has several
}

type contact struct {
	Label string
	Href  template.URL // empty: shown as text
	Bare  bool         // the label is the address: print does not repeat it
}

type sectionView struct {
	ID, Title string
	Body      template.HTML
}

type sshBlock struct{ Label, Command string }

type format struct{ Type, Href, Title string }

type listView struct {
	Heading    string
	Message    string
	Suggestion *card
	Cards      []card
}

type card struct {
	Href, Name, Headline string
	SSH                  sshBlock
}

// renderedPage is a finished HTML page and the CSP that lets it run.
type renderedPage struct {
	body []byte
	csp  string
}

// execute fills the page's fixed parts and the accent, and runs the template.
func (t *theme) execute(d *pageData, accent string) (renderedPage, error) {
	light, dark := accentColors(accent)
	accentCSS := ":root{--accent-light:" + light + ";--accent-dark:" + dark + "}"
	d.BaseCSS = template.CSS(t.css)       //nolint:gosec // the embedded style sheet
	d.AccentCSS = template.CSS(accentCSS) //nolint:gosec // two colours accentColors wrote as #rrggbb
	d.Script = template.JS(t.script)      //nolint:gosec // the embedded script
	d.Favicon = favicon(light)
	var b bytes.Buffer
	if err := t.tmpl.ExecuteTemplate(&b, "page", d); err != nil {
		return renderedPage{}, err
	}
	return renderedPage{body: b.Bytes(), csp: t.pageCSP(accentCSS)}, nil
}

// favicon is a terminal prompt on the accent colour, inline so that the browser asks
// the server for nothing more.
func favicon(accent string) template.URL {
	svg := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="` + accent +
		`"/><path d="M8 10l6 6-6 6M16 23h8" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round"/></svg>`
	return template.URL("data:image/svg+xml," + url.PathEscape(svg)) //nolint:gosec // fixed SVG, accent is #rrggbb, all path-escaped
}

// cvPage builds the page of one CV. host and port are shown in its ssh command.
func cvPage(p *profiles.Profile, host string, port int) *pageData {
	v := &cvView{
		Name:     p.Name,
		Headline: p.Headline,
		Location: p.Location,
		Contacts: contacts(p),
		SSH:      sshBlock{Label: "Read it in your terminal:", Command: SSHCommand(p.Handle, host, port)},
		Formats:  formats(p.Handle),
	}
	if v.Name == "" {
		v.Name = p.Handle
	}
	v.Intro = blocksHTML(p.Intro)
	ids := sectionIDs(p)
	for i, s := range p.Sections {
		v.Sections = append(v.Sections, sectionView{ID: ids[i], Title: s.Heading(), Body: blocksHTML(s.Blocks)})
	}
	title := v.Name
	if p.Headline != "" {
		title += " — " + p.Headline
	}
	return &pageData{
		Title:       title,
		Description: descriptionOf(p, v.Name),
		Alternates:  v.Formats[:2],
		CV:          v,
	}
}

// listPage builds the page listing the host's CVs: the front page of a host with several
// and no default, and the 404 page.
func listPage(l *listView, title string) *pageData {
	return &pageData{Title: title, List: l}
}

func cardOf(p *profiles.Profile, host string, port int) card {
	name := p.Name
	if name == "" {
		name = p.Handle
	}
	return card{
		Href:     "/" + p.Handle,
		Name:     name,
		Headline: p.Headline,
		SSH:      sshBlock{Label: "In a terminal:", Command: SSHCommand(p.Handle, host, port)},
	}
}

// formats are the page footer's links to the CV's files, one per export format (the
// plain text last: it is the page again, without the page).
func formats(handle string) []format {
	var out, text []format
	for _, f := range profiles.ExportFormats {
		mime, _, _ := strings.Cut(f.ContentType, ";")
		link := format{mime, "/" + handle + "." + f.Ext, f.Title}
		if f.Name == profiles.FormatText {
			text = append(text, link)
			continue
		}
		out = append(out, link)
	}
	return append(out, text...)
}

// contacts lists the header's contact links (see profiles.Contacts). A link whose
// address may not become a link on the page is shown as its text.
func contacts(p *profiles.Profile) []contact {
	var out []contact
	for _, c := range p.Contacts() {
		label := c.Label
		if c.Kind != profiles.ContactWeb || label == "" {
			label = c.Text
		}
		if c.Username != "" {
			label += " · @" + strings.TrimPrefix(c.Username, "@")
		}
		if c.URL == "" {
			out = append(out, contact{Label: label})
			continue
		}
		out = append(out, contact{Label: label, Href: template.URL(c.URL), Bare: doc.SameAddress(label, c.URL)}) // #nosec G203: doc.SafeURL checked it
	}
	return out
}

// descriptionOf is the page's meta description, for link previews and search results.
func descriptionOf(p *profiles.Profile, name string) string {
	if p.Headline != "" {
		return name + ": " + p.Headline
	}
	return "The CV of " + name
}

// uniqueID turns a section title into an element id ("Work Experience" → "work-experience"),
// distinct within the page.
func uniqueID(seen map[string]int, title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	id := b.String()
	if id == "" {
		id = "section"
	}
	seen[id]++
	if n := seen[id]; n > 1 {
		id = fmt.Sprintf("%s-%d", id, n)
		seen[id]++
	}
	return id
}

// SSHCommand is the command that opens handle's CV on host: "ssh rohit@cv.rohit.io", with
// "-p PORT" when the server does not listen on 22.
func SSHCommand(handle, host string, port int) string {
	if port != 0 && port != 22 {
		return fmt.Sprintf("ssh -p %d %s@%s", port, handle, host)
	}
	return "ssh " + handle + "@" + host
}
