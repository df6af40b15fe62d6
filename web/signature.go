package web

import (
	"html"
	"net/url"
	"strings"

	"github.com/sshcv/sshcv/profiles"
)

// PageURL is the address of handle's web page. webURL may be the page's full address
// (used as it is), a base address without a path ("https://cv.rohit.io", to which
// "/handle" is added), or empty for https://sshHost/handle.
func PageURL(handle, sshHost, webURL string) string {
	if webURL == "" {
		return "https://" + sshHost + "/" + handle
	}
	u, err := url.Parse(webURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return strings.TrimSuffix(webURL, "/") + "/" + handle
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/" + handle
	}
	return u.String()
}

// SignatureText is the plain-text email signature for p: the ssh command to read the CV
// in a terminal and the web address for everyone else. webURL is as for PageURL.
func SignatureText(p *profiles.Profile, sshHost string, sshPort int, webURL string) string {
	var b strings.Builder
	b.WriteString(displayName(p) + "\n")
	if p.Headline != "" {
		b.WriteString(p.Headline + "\n")
	}
	b.WriteString("CV: " + SSHCommand(p.Handle, sshHost, sshPort) + "\n")
	b.WriteString("    " + PageURL(p.Handle, sshHost, webURL) + "\n")
	return b.String()
}

// SignatureHTML is the same signature as HTML for mail clients: a link to the web page
// whose text is the ssh command, so that a reader with a terminal can type what they
// see and everyone else can click it. Only inline styles, because Gmail, Apple Mail and
// Outlook drop style sheets; no images, because many clients block them.
func SignatureHTML(p *profiles.Profile, sshHost string, sshPort int, webURL string) string {
	esc := html.EscapeString
	page := PageURL(p.Handle, sshHost, webURL)
	accent := accentOnWhite(p.Accent)
	var b strings.Builder
	b.WriteString(`<p style="margin:0;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1d2026">`)
	b.WriteString(`<strong>` + esc(displayName(p)) + `</strong>`)
	if p.Headline != "" {
		b.WriteString(`<br>` + esc(p.Headline))
	}
	b.WriteString(`<br>CV: <a href="` + esc(page) + `" style="font-family:Menlo,Consolas,'Courier New',monospace;color:` + accent + `;text-decoration:none">` +
		esc(SSHCommand(p.Handle, sshHost, sshPort)) + `</a>`)
	b.WriteString("</p>\n")
	return b.String()
}

func displayName(p *profiles.Profile) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Handle
}
