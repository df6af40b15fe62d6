// Package web is the HTTP side of sshcv, for people who click the address in an email
// signature instead of typing it into a terminal: each CV as one responsive, printable
// HTML page that teaches the ssh command, the terminal rendering for curl, and the export
// formats (JSON Resume, Markdown, vCard, plain text). It also writes the email-signature
// snippet that links to the page.
//
// It reads profiles, uses tui's text renderer and counts visits through stats
// (Options.Stats, honouring DNT and Sec-GPC); it must not import server or cmd, and
// it keeps no package-level mutable state: everything lives in the handler.
package web

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sshcv/sshcv/internal/memo"
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/stats"
	"github.com/sshcv/sshcv/tui"
)

// Catalog is what the web side needs from the registry (*profiles.Registry has these).
type Catalog interface {
	Lookup(name string) (*profiles.Profile, bool)
	Default() (*profiles.Profile, bool)
	List() []*profiles.Profile
}

// suggester is the optional "did you mean" of a Catalog (*profiles.Registry has it).
type suggester interface {
	Suggest(name string) (string, bool)
}

// Options configure the handler.
type Options struct {
	Catalog  Catalog
	Renderer *tui.Renderer
	SSHHost  string // public SSH name for the commands shown ("cv.rohit.io"); "" = the request's host
	SSHPort  int    // shown as `ssh -p PORT` when not 22
	Logger   *slog.Logger
	Stats    *stats.Recorder // the owner's view counts (views.go); nil = off
}

// cacheSize bounds the rendered responses kept: a few formats and widths of a few CVs.
const cacheSize = 256

type handler struct {
	o     Options
	theme *theme
	cache *memo.Cache[cacheKey, *response]
	log   *slog.Logger
	next  http.Handler // the routes behind the middlewares
}

// NewHandler returns the web server's handler:
//
//	/                  the host's CVs, or the default CV's page
//	/{handle}          the CV page; the terminal rendering for curl and Accept: text/plain
//	/{handle}.json     JSON Resume     /{handle}.md   Markdown
//	/{handle}.vcf      vCard           /{handle}.txt  plain text (?width=N)
//	/{handle}.pdf      PDF (A4, or ?paper=letter)
//	/healthz           "ok", unless a CV is named healthz
//
// Aliases and other spellings of a handle redirect to the handle.
func NewHandler(o Options) http.Handler {
	t, err := loadTheme()
	if err != nil {
		// The assets are embedded and parsed by the tests: this is a build defect.
		panic("web: " + err.Error())
	}
	if o.Renderer == nil {
		o.Renderer = tui.NewRenderer(64)
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &handler{o: o, theme: t, cache: memo.New[cacheKey, *response](cacheSize), log: log}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.serveIndex)
	mux.HandleFunc("GET /healthz", h.serveHealthz)
	mux.HandleFunc("GET /{name}", h.serveName)
	mux.HandleFunc("GET /{name}/{$}", h.serveTrailingSlash)
	mux.HandleFunc("/", h.serveOther)
	h.next = logRequests(log, securityHeaders(compress(mux)))
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.next.ServeHTTP(w, r) }

// serveHealthz answers the load balancer. A CV its owner named "healthz" wins: the
// metrics port has a /healthz of its own.
func (h *handler) serveHealthz(w http.ResponseWriter, r *http.Request) {
	if h.isHandle("healthz") {
		h.serveProfilePath(w, r, "healthz")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.plain(w, r, http.StatusOK, "ok\n")
}

// serveName answers /{name}: a CV in one of its forms.
func (h *handler) serveName(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if strings.Contains(name, "/") || len(name) > 100 {
		h.notFound(w, r, "")
		return
	}
	h.serveProfilePath(w, r, name)
}

// serveTrailingSlash sends /{name}/ to /{name}.
func (h *handler) serveTrailingSlash(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if strings.Contains(name, "/") {
		h.notFound(w, r, "")
		return
	}
	h.redirect(w, r, "/"+name, http.StatusMovedPermanently)
}

// serveOther answers what no route takes: a method other than GET and HEAD, or a path
// deeper than one name.
func (h *handler) serveOther(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.plain(w, r, http.StatusMethodNotAllowed, "Method not allowed: this server only answers GET and HEAD.\n")
		return
	}
	h.notFound(w, r, "")
}

func (h *handler) isHandle(name string) bool {
	_, ok := h.o.Catalog.Lookup(name)
	return ok
}

// serveProfilePath answers /{name}: a handle or alias, optionally with a format
// extension or a "+section" suffix.
func (h *handler) serveProfilePath(w http.ResponseWriter, r *http.Request, name string) {
	cat := h.o.Catalog
	// Handles may contain dots, so the whole name is tried before an extension is cut off.
	if p, ok := cat.Lookup(name); ok {
		if name != p.Handle {
			h.redirectToHandle(w, r, name, p.Handle, "")
			return
		}
		h.serveCV(w, r, h.localize(r, p), nil)
		return
	}
	if stem, ext, ok := cutFormat(name); ok {
		if p, ok := cat.Lookup(stem); ok {
			if stem != p.Handle {
				h.redirectToHandle(w, r, stem, p.Handle, "."+ext)
				return
			}
			h.serveFormat(w, r, h.localize(r, p), ext)
			return
		}
	}
	// rohit+experience, as over SSH: the page, at that section.
	if user, section, ok := strings.Cut(name, "+"); ok && section != "" {
		if p, ok := cat.Lookup(user); ok {
			target := "/" + p.Handle
			if i := p.SectionIndex(section); i >= 0 {
				target += "#" + sectionIDs(p)[i]
			}
			h.redirect(w, r, target, http.StatusFound)
			return
		}
	}
	h.notFound(w, r, name)
}

// cutFormat splits "rohit.json" into "rohit" and "json" for the export extensions.
func cutFormat(name string) (stem, ext string, ok bool) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return "", "", false
	}
	if f, ok := profiles.FormatForExt(name[i+1:]); ok {
		return name[:i], f.Ext, true
	}
	return "", "", false
}

// redirectToHandle sends an alias or another spelling of a handle to the handle itself.
// A change of case is permanent; an alias is not, since its owner may give it up.
func (h *handler) redirectToHandle(w http.ResponseWriter, r *http.Request, asked, handle, suffix string) {
	status := http.StatusFound
	if strings.EqualFold(asked, handle) {
		status = http.StatusMovedPermanently
	}
	h.redirect(w, r, "/"+handle+suffix, status)
}

func (h *handler) redirect(w http.ResponseWriter, r *http.Request, target string, status int) {
	if r.URL.RawQuery != "" {
		if frag := strings.IndexByte(target, '#'); frag >= 0 {
			target = target[:frag] + "?" + r.URL.RawQuery + target[frag:]
		} else {
			target += "?" + r.URL.RawQuery
		}
	}
	w.Header().Set("Location", target)
	h.plain(w, r, status, "See "+target+"\n")
}

// serveIndex answers "/": the default CV (or the only one), else the list of CVs.
func (h *handler) serveIndex(w http.ResponseWriter, r *http.Request) {
	all := h.o.Catalog.List()
	p, ok := h.o.Catalog.Default()
	if !ok && len(all) == 1 {
		p, ok = all[0], true
	}
	if ok {
		var others []*profiles.Profile
		for _, o := range all {
			if o.Handle != p.Handle {
				others = append(others, o)
			}
		}
		h.serveCV(w, r, h.localize(r, p), others)
		return
	}
	host := h.sshHost(r)
	if f, text := negotiate(r); text {
		h.serveCached(w, r, cacheKey{variant: "index-" + f.variant(), host: host, catalog: fingerprint(all)}, true, func() (*response, error) {
			return newResponse(http.StatusOK, "text/plain; charset=utf-8", []byte(h.catalogText(all, host)), "", latest(all)), nil
		})
		return
	}
	h.serveCached(w, r, cacheKey{variant: "index-html", host: host, catalog: fingerprint(all)}, true, func() (*response, error) {
		l := &listView{Heading: "CVs on " + host}
		for _, p := range all {
			l.Cards = append(l.Cards, cardOf(p, host, h.o.SSHPort))
		}
		return h.htmlResponse(http.StatusOK, listPage(l, "CVs on "+host), "", "", latest(all))
	})
}

// serveCV answers a CV's page: HTML for browsers, the terminal rendering for terminals.
// others, when given, are listed at the foot of the page (the page served at "/").
func (h *handler) serveCV(w http.ResponseWriter, r *http.Request, l profiles.Localized, others []*profiles.Profile) {
	p := l.Profile
	host := h.sshHost(r)
	if f, text := negotiate(r); text {
		h.countVisit(r, p.Handle, stats.ChannelCurl)
		h.serveText(w, r, l, f)
		return
	}
	h.countVisit(r, p.Handle, stats.ChannelWeb)
	key := langKey(cacheKey{handle: p.Handle, hash: p.Hash, variant: "html", host: host}, l)
	if others != nil {
		key.variant, key.catalog = "html-index", fingerprint(others)
	}
	h.serveCached(w, r, key, true, func() (*response, error) {
		d := cvPage(p, host, h.o.SSHPort)
		for _, o := range others {
			d.Others = append(d.Others, cardOf(o, host, h.o.SSHPort))
		}
		d.Lang, d.CV.Languages = l.Lang, langLinks(l)
		return h.htmlResponse(http.StatusOK, d, p.Accent, p.Hash, p.ModTime)
	})
}

func (h *handler) serveText(w http.ResponseWriter, r *http.Request, l profiles.Localized, f textFlavour) {
	p := l.Profile
	key := langKey(cacheKey{handle: p.Handle, hash: p.Hash, variant: f.variant()}, l)
	h.serveCached(w, r, key, true, func() (*response, error) {
		var out string
		if f.ansi {
			out = h.o.Renderer.ANSIIn(p, l.Lang, f.width, f.dark)
		} else {
			out = h.o.Renderer.TextIn(p, l.Lang, f.width)
		}
		if !strings.HasSuffix(out, "\n") {
			out += "\n"
		}
		return newResponse(http.StatusOK, "text/plain; charset=utf-8", []byte(out), versionTag(p, f.variant()), p.ModTime), nil
	})
}

// serveFormat answers /{handle}.{json,md,vcf,txt,pdf}.
func (h *handler) serveFormat(w http.ResponseWriter, r *http.Request, l profiles.Localized, ext string) {
	p := l.Profile
	h.countVisit(r, p.Handle, stats.PrefixWeb+ext)
	if ext == "pdf" {
		h.servePDF(w, r, l)
		return
	}
	if ext == "txt" {
		f := textFlavour{width: widthParam(r.URL.Query().Get("width"))}
		h.serveCached(w, r, langKey(cacheKey{handle: p.Handle, hash: p.Hash, variant: "file-" + f.variant()}, l), false, func() (*response, error) {
			return newResponse(http.StatusOK, "text/plain; charset=utf-8", []byte(h.o.Renderer.TextIn(p, l.Lang, f.width)), versionTag(p, "txt"), p.ModTime), nil
		})
		return
	}
	h.serveCached(w, r, langKey(cacheKey{handle: p.Handle, hash: p.Hash, variant: ext}, l), false, func() (*response, error) {
		f, _ := profiles.FormatForExt(ext)
		body, err := f.Export(p)
		contentType := f.ContentType
		if err != nil {
			return nil, fmt.Errorf("%s: %s export: %w", p.Source, ext, err)
		}
		resp := newResponse(http.StatusOK, contentType, body, versionTag(p, ext), p.ModTime)
		resp.disposition = `inline; filename="` + p.Handle + "." + ext + `"`
		return resp, nil
	})
}

// versionTag starts an ETag: the profile's file hash and the format, so that every
// reload of the file and every format has its own tag.
func versionTag(p *profiles.Profile, format string) string {
	hash := p.Hash
	if len(hash) > 16 {
		hash = hash[:16]
	}
	return hash + "." + format
}

// serveCached answers from the cache, rendering on a miss (once, however many ask at
// the same time). negotiated responses vary with Accept and User-Agent as well as
// Accept-Encoding.
func (h *handler) serveCached(w http.ResponseWriter, r *http.Request, key cacheKey, negotiated bool, render func() (*response, error)) {
	resp, err := h.cache.Get(key, func() (*response, error) {
		resp, err := render()
		if err != nil {
			return nil, err
		}
		resp.vary = "Accept-Encoding"
		if negotiated {
			resp.vary = "Accept, User-Agent, Accept-Encoding"
		}
		if key.translated {
			resp.vary += ", Accept-Language"
		}
		resp.language = key.lang
		return resp, nil
	})
	if err != nil {
		h.log.Error("rendering failed", "path", r.URL.Path, "err", err)
		h.plain(w, r, http.StatusInternalServerError, "This CV could not be shown; the server log says why.\n")
		return
	}
	h.write(w, r, resp)
}

// htmlResponse renders a page and finishes its response with the CSP that lets it run.
func (h *handler) htmlResponse(status int, d *pageData, accent, hash string, modified time.Time) (*response, error) {
	page, err := h.theme.execute(d, accent)
	if err != nil {
		return nil, err
	}
	tag := h.theme.digest
	if hash != "" {
		tag = versionTag(&profiles.Profile{Hash: hash}, "html") + "." + h.theme.digest
	}
	resp := newResponse(status, "text/html; charset=utf-8", page.body, tag, modified)
	resp.csp = page.csp
	return resp, nil
}

// write sends resp. A page answers conditional, HEAD and range requests through
// http.ServeContent; an error page is sent whole.
func (h *handler) write(w http.ResponseWriter, r *http.Request, resp *response) {
	hdr := w.Header()
	if resp.csp != "" {
		hdr.Set("Content-Security-Policy", resp.csp)
	}
	if resp.vary != "" {
		hdr.Set("Vary", resp.vary)
	}
	if resp.language != "" {
		hdr.Set("Content-Language", resp.language)
	}
	if resp.disposition != "" {
		hdr.Set("Content-Disposition", resp.disposition)
	}
	hdr.Set("Content-Type", resp.contentType)
	if resp.status != http.StatusOK {
		hdr.Set("Content-Length", strconv.Itoa(len(resp.body)))
		w.WriteHeader(resp.status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(resp.body) //nolint:gosec // a body this package rendered (html/template or plain text)
		}
		return
	}
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("ETag", resp.etag)
	http.ServeContent(w, r, "", resp.lastModified, bytes.NewReader(resp.body))
}

// plain writes a short uncached text response.
func (h *handler) plain(w http.ResponseWriter, r *http.Request, status int, msg string) {
	hdr := w.Header()
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("Content-Length", strconv.Itoa(len(msg)))
	if hdr.Get("Cache-Control") == "" {
		hdr.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = io.WriteString(w, msg) //nolint:gosec // served as text/plain, so no markup runs
	}
}

// notFound answers a name that is no CV: the list of CVs, as a page or as text.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request, name string) {
	all := h.o.Catalog.List()
	host := h.sshHost(r)
	var suggestion *profiles.Profile
	if s, ok := h.o.Catalog.(suggester); ok && name != "" {
		if handle, ok := s.Suggest(name); ok {
			suggestion, _ = h.o.Catalog.Lookup(handle)
		}
	}
	message := "There is no page here."
	if name != "" && validName(name) {
		message = fmt.Sprintf("No CV named %q here.", name)
	}
	if _, text := negotiate(r); text {
		var b strings.Builder
		b.WriteString(message + "\n")
		if suggestion != nil {
			fmt.Fprintf(&b, "Did you mean %q?\n", suggestion.Handle)
		}
		b.WriteString("\n" + h.catalogText(all, host))
		resp := newResponse(http.StatusNotFound, "text/plain; charset=utf-8", []byte(b.String()), "", time.Time{})
		resp.vary = "Accept, User-Agent, Accept-Encoding"
		h.write(w, r, resp)
		return
	}
	l := &listView{Heading: "Not found", Message: message}
	if suggestion != nil {
		c := cardOf(suggestion, host, h.o.SSHPort)
		l.Suggestion = &c
	}
	for _, p := range all {
		l.Cards = append(l.Cards, cardOf(p, host, h.o.SSHPort))
	}
	if len(all) > 0 {
		l.Message += " These are the CVs on " + host + ":"
	}
	resp, err := h.htmlResponse(http.StatusNotFound, listPage(l, "Not found"), "", "", time.Time{})
	if err != nil {
		h.log.Error("rendering failed", "path", r.URL.Path, "err", err)
		h.plain(w, r, http.StatusNotFound, message+"\n")
		return
	}
	resp.vary = "Accept, User-Agent, Accept-Encoding"
	h.write(w, r, resp)
}

// validName reports whether a requested name looks like a username, so it may be
// repeated back on the 404 page; anything else is not echoed.
func validName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range name {
		allowed := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '+'
		if !allowed {
			return false
		}
	}
	return true
}

// catalogText lists the CVs for a terminal, like `ssh host list`.
func (h *handler) catalogText(all []*profiles.Profile, host string) string {
	if len(all) == 0 {
		return "No CVs are published here yet.\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "CVs on %s:\n\n", host)
	for _, p := range all {
		name := p.Name
		if p.Headline != "" {
			name += " — " + p.Headline
		}
		fmt.Fprintf(&b, "  %s\n    %s\n    curl %s/%s\n\n", name, SSHCommand(p.Handle, host, h.o.SSHPort), host, p.Handle)
	}
	return b.String()
}

// sshHost is the host name shown in ssh commands.
func (h *handler) sshHost(r *http.Request) string {
	if h.o.SSHHost != "" {
		return h.o.SSHHost
	}
	return requestHost(r)
}

// fingerprint identifies a list of profile versions, for cache keys of pages that show it.
func fingerprint(list []*profiles.Profile) string {
	parts := make([]string, 0, len(list))
	for _, p := range list {
		parts = append(parts, p.Handle+"="+p.Hash)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// latest is the newest modification time of the listed profiles.
func latest(list []*profiles.Profile) time.Time {
	var t time.Time
	for _, p := range list {
		if p.ModTime.After(t) {
			t = p.ModTime
		}
	}
	return t
}

// sectionIDs are the element ids the page gives p's sections.
func sectionIDs(p *profiles.Profile) []string {
	seen := map[string]int{"main": 1}
	ids := make([]string, len(p.Sections))
	for i, s := range p.Sections {
		ids[i] = uniqueID(seen, s.Title)
	}
	return ids
}
