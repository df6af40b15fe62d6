package web

import (
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/munnerz/goautoneg"
)

// terminalAgents are the User-Agent products of command-line HTTP clients: they print
// the body into a terminal, so they get the terminal rendering.
var terminalAgents = []string{"curl", "wget", "httpie", "xh", "powershell", "windowspowershell", "fetch", "libfetch"}

// isTerminalAgent reports whether ua is a command-line client. Only the first product
// counts: browsers never start with these names.
func isTerminalAgent(ua string) bool {
	product, _, _ := strings.Cut(strings.TrimSpace(ua), "/")
	product = strings.ToLower(strings.TrimSpace(product))
	if i := strings.IndexByte(product, ' '); i >= 0 {
		product = product[:i]
	}
	for _, a := range terminalAgents {
		if product == a {
			return true
		}
	}
	// PowerShell's agent is "Mozilla/5.0 (Windows NT; …) WindowsPowerShell/5.1…".
	return strings.Contains(strings.ToLower(ua), "powershell/")
}

// textFlavour says how a CV is shown as text.
type textFlavour struct {
	ansi  bool // colours and styles, for a terminal
	dark  bool // for a dark background (ANSI only)
	width int
}

func (f textFlavour) variant() string {
	if !f.ansi {
		return "text-" + strconv.Itoa(f.width)
	}
	bg := "dark"
	if !f.dark {
		bg = "light"
	}
	return "ansi-" + bg + "-" + strconv.Itoa(f.width)
}

// Text widths a visitor may ask for with ?width=N.
const (
	defaultWidth = 80
	minWidth     = 40
	maxWidth     = 200
)

// negotiate decides whether r gets the HTML page (ok false) or the terminal rendering.
// Command-line clients get colour unless they ask for ?plain or ?color=0 (or for
// text/html by name); other clients that prefer text/plain get plain text; ?plain gets
// plain text from anyone.
func negotiate(r *http.Request) (textFlavour, bool) {
	q := r.URL.Query()
	f := textFlavour{ansi: true, dark: true, width: widthParam(q.Get("width"))}
	if q.Has("light") || strings.EqualFold(q.Get("theme"), "light") {
		f.dark = false
	}
	if q.Has("plain") || q.Has("nocolor") || q.Has("no_color") || falsy(q.Get("color")) || falsy(q.Get("colour")) {
		f.ansi = false
		return f, true
	}
	if isTerminalAgent(r.UserAgent()) {
		// curl -H 'Accept: text/html' wants the page, to save it.
		return f, !prefersHTML(r.Header.Values("Accept"))
	}
	if prefersPlainText(r.Header.Values("Accept")) {
		f.ansi = false
		return f, true
	}
	return f, false
}

func falsy(v string) bool {
	switch strings.ToLower(v) {
	case "0", "false", "no", "off", "never", "none":
		return true
	}
	return false
}

func widthParam(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		return defaultWidth
	}
	return min(max(n, minWidth), maxWidth)
}

// prefersPlainText reports whether an Accept header ranks text/plain above text/html.
func prefersPlainText(accept []string) bool {
	plain := acceptQuality(accept, "plain")
	html := acceptQuality(accept, "html")
	return plain > 0 && plain > html
}

// prefersHTML reports whether an Accept header ranks text/html above text/plain.
func prefersHTML(accept []string) bool {
	html := acceptQuality(accept, "html")
	return html > 0 && html > acceptQuality(accept, "plain")
}

// acceptQuality is the q-value the Accept header gives text/sub, from its most specific
// matching range (RFC 9110, 12.5.1); 1 when there is no Accept header (anything goes).
// goautoneg parses the header; a q-value that is no number reads as 0.
func acceptQuality(accept []string, sub string) float64 {
	if len(accept) == 0 {
		return 1
	}
	best, specificity := 0.0, -1
	for _, a := range goautoneg.ParseAccept(strings.ToLower(strings.Join(accept, ","))) {
		level := 0
		switch {
		case a.Type == "text" && a.SubType == sub:
			level = 2
		case a.Type == "text" && a.SubType == "*":
			level = 1
		case a.Type == "*" && a.SubType == "*":
		default:
			continue
		}
		if level > specificity {
			best, specificity = a.Q, level
		}
	}
	return best
}

var hostnameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$`)

// requestHost is the name the visitor used to reach us, for the ssh commands on the page
// when no public SSH name is configured. A Host header that is not a plain host name or
// IP address is ignored.
func requestHost(r *http.Request) string {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if ip := net.ParseIP(host); ip != nil {
		return ip.String()
	}
	if hostnameRE.MatchString(host) {
		return host
	}
	return "localhost"
}
