package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/sshcv/sshcv/profiles"

	"github.com/sshcv/sshcv/profiles/doc"
)

func TestCVPage(t *testing.T) {
	s := newTestServer(t)
	resp := s.get("/rohit", "Accept", browserAccept, "User-Agent", browserAgent)
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	for _, want := range []string{
		`<title>Rohit Gupta — Production Engineer</title>`,
		`<h1>Rohit Gupta</h1>`,
		`<p class="headline">Production Engineer</p>`,
		`<p class="location">Bengaluru, India</p>`,
		`<a href="mailto:hello@rohit.io" class="url">hello@rohit.io</a>`,
		`<a href="https://github.com/rohit01">GitHub</a>`,
		`<code>ssh rohit@cv.example.com</code>`,
		`<button type="button" class="copy" aria-label="Copy the command ssh rohit@cv.example.com" hidden>Copy</button>`,
		`<main id="main">`,
		`<nav class="toc" aria-label="Sections">`,
		`<section id="experience-summary" aria-labelledby="experience-summary-title">`,
		`<h2 id="experience-summary-title">Experience Summary</h2>`,
		`<ol>`, // the numbered list of companies
		`<time datetime="2016-01">January 2016</time>`,
		`<time datetime="2007">2007</time>-<time datetime="2011">2011</time>`,
		`<time datetime="2017-04">April, 2017</time>`,
		`<a href="https://youtu.be/ZkRPj34UWfs" class="url">https://youtu.be/ZkRPj34UWfs</a>`,
		`<a href="/rohit.json" type="application/json">JSON Resume</a>`,
		`<link rel="alternate" type="application/json" href="/rohit.json" title="JSON Resume">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, sec := range s.catalog.profiles[0].Sections {
		if !strings.Contains(body, ">"+sec.Title+"</h2>") {
			t.Errorf("section %q has no heading", sec.Title)
		}
	}
	golden(t, "rohit.html", pageBody(body))
}

func TestCVPageUsesRequestHostAndPort(t *testing.T) {
	s := newTestServer(t, func(o *Options) { o.SSHHost = ""; o.SSHPort = 2222 })
	req := s.get("http://CV.Rohit.io:8080/rohit", "Accept", browserAccept)
	body := readBody(t, req)
	if !strings.Contains(body, "<code>ssh -p 2222 rohit@cv.rohit.io</code>") {
		t.Errorf("page does not show the ssh command for the request's host:\n%s", body)
	}
	// A Host header that is no host name is not repeated on the page.
	body = readBody(t, s.get("/rohit", "Accept", browserAccept, "Host", "evil<b>.example"))
	if !strings.Contains(body, "<code>ssh -p 2222 rohit@localhost</code>") || strings.Contains(body, "evil") {
		t.Errorf("a bad Host header reached the page")
	}
	body = readBody(t, s.get("/rohit", "Accept", browserAccept, "Host", "[::1]:8080"))
	if !strings.Contains(body, "<code>ssh -p 2222 rohit@::1</code>") {
		t.Errorf("an IPv6 Host header is not shown as the address")
	}
}

func TestIndex(t *testing.T) {
	t.Run("several CVs, no default: the list", func(t *testing.T) {
		s := newTestServer(t)
		resp := s.get("/", "Accept", browserAccept)
		body := readBody(t, resp)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for _, want := range []string{
			`<h1>CVs on cv.example.com</h1>`,
			`<h2><a href="/rohit">Rohit Gupta</a></h2>`,
			`<h2><a href="/ankush">Ankush Sharma</a></h2>`,
			`<code>ssh rohit@cv.example.com</code>`,
			`<code>ssh ankush@cv.example.com</code>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("index lacks %s", want)
			}
		}
		golden(t, "index.html", pageBody(body))
	})
	t.Run("a default: its page, naming the others", func(t *testing.T) {
		s := newTestServer(t)
		s.catalog.defaultCV = "rohit"
		body := readBody(t, s.get("/", "Accept", browserAccept))
		if !strings.Contains(body, "<h1>Rohit Gupta</h1>") || !strings.Contains(body, `Also on this host: <a href="/ankush">Ankush Sharma</a>.`) {
			t.Errorf("/ with a default is not its page:\n%s", body)
		}
	})
	t.Run("one CV: its page", func(t *testing.T) {
		s := newTestServer(t)
		s.catalog.profiles = s.catalog.profiles[1:]
		body := readBody(t, s.get("/", "Accept", browserAccept))
		if !strings.Contains(body, "<h1>Ankush Sharma</h1>") || strings.Contains(body, "Also on this host") {
			t.Errorf("/ with one CV is not its page:\n%s", body)
		}
	})
	t.Run("curl: the list as text", func(t *testing.T) {
		s := newTestServer(t)
		resp := s.get("/", "User-Agent", "curl/8.5.0")
		body := readBody(t, resp)
		want := "CVs on cv.example.com:\n\n" +
			"  Rohit Gupta — Production Engineer\n    ssh rohit@cv.example.com\n    curl cv.example.com/rohit\n\n" +
			"  Ankush Sharma — Platform engineer\n    ssh ankush@cv.example.com\n    curl cv.example.com/ankush\n\n"
		if body != want {
			t.Errorf("got\n%s\nwant\n%s", body, want)
		}
	})
}

func TestContentNegotiation(t *testing.T) {
	s := newTestServer(t)
	p := s.catalog.profiles[0]
	ansi := s.renderer.ANSI(p, 80, true)
	plain := s.renderer.Text(p, 80)
	cases := []struct {
		name   string
		target string
		header []string
		want   string // "html" or the exact body
	}{
		{"browser", "/rohit", []string{"Accept", browserAccept, "User-Agent", browserAgent}, "html"},
		{"no headers at all", "/rohit", nil, "html"},
		{"curl", "/rohit", []string{"User-Agent", "curl/8.5.0", "Accept", "*/*"}, ansi},
		{"curl ?plain", "/rohit?plain", []string{"User-Agent", "curl/8.5.0"}, plain},
		{"curl ?color=0", "/rohit?color=0", []string{"User-Agent", "curl/8.5.0"}, plain},
		{"curl ?width=100", "/rohit?width=100", []string{"User-Agent", "curl/8.5.0"}, s.renderer.ANSI(p, 100, true)},
		{"curl ?width=5 is clamped", "/rohit?width=5", []string{"User-Agent", "curl/8.5.0"}, s.renderer.ANSI(p, 40, true)},
		{"curl ?light", "/rohit?light", []string{"User-Agent", "curl/8.5.0"}, s.renderer.ANSI(p, 80, false)},
		{"curl asking for HTML", "/rohit", []string{"User-Agent", "curl/8.5.0", "Accept", "text/html"}, "html"},
		{"wget", "/rohit", []string{"User-Agent", "Wget/1.21.4"}, ansi},
		{"httpie", "/rohit", []string{"User-Agent", "HTTPie/3.2.2"}, ansi},
		{"powershell", "/rohit", []string{"User-Agent", "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.1"}, ansi},
		{"fetch", "/rohit", []string{"User-Agent", "fetch libfetch/2.0"}, ansi},
		{"Accept: text/plain", "/rohit", []string{"Accept", "text/plain", "User-Agent", "Go-http-client/1.1"}, plain},
		{"text/plain preferred", "/rohit", []string{"Accept", "text/html;q=0.5, text/plain"}, plain},
		{"text/html preferred", "/rohit", []string{"Accept", "text/html, text/plain;q=0.5"}, "html"},
		{"browser ?plain", "/rohit?plain", []string{"Accept", browserAccept, "User-Agent", browserAgent}, plain},
		{"alias keeps negotiating after the redirect target", "/rohit", []string{"User-Agent", "curl/7.88.1"}, ansi},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := s.get(c.target, c.header...)
			body := readBody(t, resp)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Vary"); got != "Accept, User-Agent, Accept-Encoding" {
				t.Errorf("Vary %q", got)
			}
			ct := resp.Header.Get("Content-Type")
			if c.want == "html" {
				if ct != "text/html; charset=utf-8" || !strings.HasPrefix(body, "<!doctype html>") {
					t.Errorf("want the HTML page, got %s:\n%.200s", ct, body)
				}
				return
			}
			if ct != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if body != c.want {
				t.Errorf("body:\n%.300s\nwant:\n%.300s", body, c.want)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	s := newTestServer(t)
	p := s.catalog.profiles[0]
	jsonBody, err := profiles.ExportJSONResume(p)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		target, contentType string
		want                []byte
	}{
		{"/rohit.json", "application/json", jsonBody},
		{"/rohit.md", "text/markdown; charset=utf-8", profiles.ExportMarkdown(p)},
		{"/rohit.vcf", "text/vcard; charset=utf-8", profiles.ExportVCard(p)},
		{"/rohit.txt", "text/plain; charset=utf-8", []byte(s.renderer.Text(p, 80))},
		{"/rohit.txt?width=60", "text/plain; charset=utf-8", []byte(s.renderer.Text(p, 60))},
	}
	for _, c := range cases {
		t.Run(c.target, func(t *testing.T) {
			// A browser asking for an export gets the export, not the page.
			resp := s.get(c.target, "Accept", browserAccept, "User-Agent", browserAgent)
			body := readBody(t, resp)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type %q, want %q", got, c.contentType)
			}
			if body != string(c.want) {
				t.Errorf("body:\n%.300s\nwant:\n%.300s", body, c.want)
			}
			if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary %q", got)
			}
			if resp.Header.Get("ETag") == "" || resp.Header.Get("Last-Modified") != "Sat, 01 Apr 2017 12:00:00 GMT" {
				t.Errorf("ETag %q Last-Modified %q", resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"))
			}
		})
	}
	if cd := s.get("/rohit.vcf").Header.Get("Content-Disposition"); cd != `inline; filename="rohit.vcf"` {
		t.Errorf("vCard Content-Disposition %q", cd)
	}
	// Each format has its own ETag.
	tags := map[string]string{}
	for _, target := range []string{"/rohit", "/rohit.json", "/rohit.md", "/rohit.vcf", "/rohit.txt"} {
		tag := s.get(target).Header.Get("ETag")
		if other, dup := tags[tag]; dup {
			t.Errorf("%s and %s share the ETag %s", target, other, tag)
		}
		tags[tag] = target
	}
}

func TestRedirects(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		target   string
		status   int
		location string
	}{
		{"/rohit01", http.StatusFound, "/rohit"},
		{"/Rohit01", http.StatusFound, "/rohit"},
		{"/ROHIT", http.StatusMovedPermanently, "/rohit"},
		{"/darxtrix.json", http.StatusFound, "/ankush.json"},
		{"/Ankush.MD", http.StatusMovedPermanently, "/ankush.md"},
		{"/rohit/", http.StatusMovedPermanently, "/rohit"},
		{"/rohit01?plain", http.StatusFound, "/rohit?plain"},
		{"/rohit+projects", http.StatusFound, "/rohit#projects"},
		{"/rohit01+tech?plain", http.StatusFound, "/rohit?plain#technical-skills"},
		{"/rohit+nosuchsection", http.StatusFound, "/rohit"},
	}
	for _, c := range cases {
		t.Run(c.target, func(t *testing.T) {
			resp := s.get(c.target)
			_ = readBody(t, resp)
			if resp.StatusCode != c.status || resp.Header.Get("Location") != c.location {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), c.status, c.location)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	s := newTestServer(t)
	t.Run("browser", func(t *testing.T) {
		resp := s.get("/rohti", "Accept", browserAccept)
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		for _, want := range []string{
			`<h1>Not found</h1>`,
			`No CV named &#34;rohti&#34; here. These are the CVs on cv.example.com:`,
			`Did you mean <a href="/rohit">Rohit Gupta</a>?`,
			`<h2><a href="/rohit">Rohit Gupta</a></h2>`,
			`<h2><a href="/ankush">Ankush Sharma</a></h2>`,
			`<code>ssh ankush@cv.example.com</code>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("404 page lacks %s\n%s", want, body)
			}
		}
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'sha256-") {
			t.Errorf("404 page CSP %q", resp.Header.Get("Content-Security-Policy"))
		}
	})
	t.Run("curl", func(t *testing.T) {
		resp := s.get("/nobody", "User-Agent", "curl/8.5.0")
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(body, "No CV named \"nobody\" here.\n\nCVs on cv.example.com:\n") ||
			!strings.Contains(body, "ssh ankush@cv.example.com") {
			t.Errorf("status %d, body:\n%s", resp.StatusCode, body)
		}
	})
	for _, target := range []string{"/a/b", "/rohit/extra", "/%3Cscript%3E", "/rohit.docx", "/favicon.ico", "/" + strings.Repeat("a", 200)} {
		t.Run(target, func(t *testing.T) {
			resp := s.get(target, "Accept", browserAccept)
			body := readBody(t, resp)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("status %d, want 404", resp.StatusCode)
			}
			if strings.Contains(body, "<script>") && !strings.Contains(body, "<script>\"use strict\"") {
				t.Errorf("request path reached the page:\n%s", body)
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	s := newTestServer(t)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions, "PATCH"} {
		resp := s.do(m, "/rohit")
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: %d Allow %q", m, resp.StatusCode, resp.Header.Get("Allow"))
		}
		if body != "Method not allowed: this server only answers GET and HEAD.\n" {
			t.Errorf("%s: body %q", m, body)
		}
	}
}

func TestHead(t *testing.T) {
	s := newTestServer(t)
	for _, target := range []string{"/", "/rohit", "/rohit.json", "/nobody", "/healthz"} {
		get := s.get(target, "Accept", browserAccept)
		getBody := readBody(t, get)
		head := s.do(http.MethodHead, target, "Accept", browserAccept)
		headBody := readBody(t, head)
		if headBody != "" {
			t.Errorf("HEAD %s has a body", target)
		}
		if head.StatusCode != get.StatusCode {
			t.Errorf("HEAD %s: %d, GET %d", target, head.StatusCode, get.StatusCode)
		}
		for _, h := range []string{"Content-Type", "Content-Length", "ETag", "Content-Security-Policy"} {
			if head.Header.Get(h) != get.Header.Get(h) {
				t.Errorf("HEAD %s: %s %q, GET %q", target, h, head.Header.Get(h), get.Header.Get(h))
			}
		}
		if get.Header.Get("Content-Length") != strconv.Itoa(len(getBody)) {
			t.Errorf("GET %s: Content-Length %s for %d bytes", target, get.Header.Get("Content-Length"), len(getBody))
		}
	}
}

func TestConditionalRequests(t *testing.T) {
	s := newTestServer(t)
	for _, target := range []string{"/rohit", "/rohit.json", "/rohit.md", "/rohit.vcf", "/rohit.txt"} {
		t.Run(target, func(t *testing.T) {
			first := s.get(target)
			_ = readBody(t, first)
			etag, modified := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
			if !strings.HasPrefix(etag, `W/"`) || modified == "" {
				t.Fatalf("ETag %q Last-Modified %q", etag, modified)
			}
			if first.Header.Get("Cache-Control") != "no-cache" {
				t.Errorf("Cache-Control %q", first.Header.Get("Cache-Control"))
			}
			for _, h := range [][]string{
				{"If-None-Match", etag},
				{"If-None-Match", `"x", ` + strings.TrimPrefix(etag, "W/")},
				{"If-None-Match", "*"},
				{"If-Modified-Since", modified},
				{"If-Modified-Since", "Sun, 02 Apr 2017 12:00:00 GMT"},
			} {
				resp := s.get(target, h...)
				if body := readBody(t, resp); resp.StatusCode != http.StatusNotModified || body != "" {
					t.Errorf("%s: %s: %d with %d bytes, want 304 and none", target, h, resp.StatusCode, len(body))
				}
				if resp.Header.Get("ETag") != etag {
					t.Errorf("304 without the ETag")
				}
			}
			for _, h := range [][]string{
				{"If-None-Match", `W/"something-else"`},
				{"If-Modified-Since", "Fri, 31 Mar 2017 12:00:00 GMT"},
				{"If-None-Match", `W/"other"`, "If-Modified-Since", modified}, // If-None-Match wins
			} {
				resp := s.get(target, h...)
				if _ = readBody(t, resp); resp.StatusCode != http.StatusOK {
					t.Errorf("%s: %s: %d, want 200", target, h, resp.StatusCode)
				}
			}
		})
	}
}

// TestReloadChangesValidators: a reload replaces the profile with a new hash and time;
// the old ETag must no longer match, and the new page must show the change.
func TestReloadChangesValidators(t *testing.T) {
	s := newTestServer(t)
	targets := []string{"/rohit", "/rohit.json", "/rohit.md", "/rohit.vcf", "/rohit.txt"}
	old := map[string]*http.Response{}
	for _, target := range targets {
		old[target] = s.get(target)
		_ = readBody(t, old[target])
	}
	edited := *s.catalog.profiles[0]
	edited.Headline = "Staff Engineer"
	edited.Hash = strings.Repeat("ab", 32)
	edited.ModTime = edited.ModTime.Add(time.Hour)
	s.catalog.profiles[0] = &edited
	for _, target := range targets {
		resp := s.get(target, "If-None-Match", old[target].Header.Get("ETag"))
		body := readBody(t, resp)
		if resp.StatusCode != 200 {
			t.Errorf("%s after reload: %d, want 200", target, resp.StatusCode)
		}
		if resp.Header.Get("ETag") == old[target].Header.Get("ETag") || resp.Header.Get("Last-Modified") == old[target].Header.Get("Last-Modified") {
			t.Errorf("%s: validators did not change on reload", target)
		}
		if target == "/rohit" && !strings.Contains(body, "Staff Engineer") {
			t.Errorf("page still shows the old version")
		}
	}
}

func TestGzip(t *testing.T) {
	s := newTestServer(t)
	for _, target := range []string{"/rohit", "/rohit.md", "/rohit.txt", "/"} {
		t.Run(target, func(t *testing.T) {
			plain := s.get(target, "Accept", browserAccept)
			plainBody := readBody(t, plain)
			if plain.Header.Get("Content-Encoding") != "" {
				t.Fatalf("gzip without Accept-Encoding")
			}
			zipped := s.get(target, "Accept", browserAccept, "Accept-Encoding", "gzip, deflate, br")
			if zipped.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding %q", zipped.Header.Get("Content-Encoding"))
			}
			if !strings.Contains(zipped.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q", zipped.Header.Get("Vary"))
			}
			zr, err := gzip.NewReader(zipped.Body)
			if err != nil {
				t.Fatal(err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if string(unzipped) != plainBody {
				t.Errorf("gunzipped body differs from the plain one")
			}
			if zipped.Header.Get("ETag") != plain.Header.Get("ETag") {
				t.Errorf("weak ETag differs between encodings")
			}
			refused := s.get(target, "Accept", browserAccept, "Accept-Encoding", "gzip;q=0, identity")
			if refused.Header.Get("Content-Encoding") != "" {
				t.Errorf("gzip sent although refused")
			}
		})
	}
	// Small bodies are not worth compressing.
	if ce := s.get("/healthz", "Accept-Encoding", "gzip").Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("/healthz compressed")
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s := newTestServer(t)
	for _, c := range []struct{ method, target string }{
		{"GET", "/"}, {"GET", "/rohit"}, {"GET", "/rohit.json"}, {"GET", "/rohit.md"}, {"GET", "/rohit.vcf"},
		{"GET", "/rohit.txt"}, {"GET", "/healthz"}, {"GET", "/nobody"}, {"POST", "/rohit"}, {"GET", "/rohit01"},
		{"HEAD", "/rohit"},
	} {
		for _, ua := range []string{browserAgent, "curl/8.5.0"} {
			resp := s.do(c.method, c.target, "User-Agent", ua, "Accept", browserAccept)
			_ = readBody(t, resp)
			h := resp.Header
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("%s %s (%s): nosniff %q, frame %q, referrer %q", c.method, c.target, ua,
					h.Get("X-Content-Type-Options"), h.Get("X-Frame-Options"), h.Get("Referrer-Policy"))
			}
			csp := h.Get("Content-Security-Policy")
			for _, directive := range []string{"default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, directive) {
					t.Errorf("%s %s: CSP %q lacks %s", c.method, c.target, csp, directive)
				}
			}
			if strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") || strings.Contains(csp, "*") {
				t.Errorf("%s %s: CSP %q allows more than our own inline parts", c.method, c.target, csp)
			}
		}
	}
}

// TestCSPAllowsExactlyTheInlineParts parses the page: every inline style and script is
// allowed by hash, and nothing on it loads from anywhere.
func TestCSPAllowsExactlyTheInlineParts(t *testing.T) {
	s := newTestServer(t)
	for _, target := range []string{"/rohit", "/ankush", "/", "/nobody"} {
		resp := s.get(target, "Accept", browserAccept)
		body := readBody(t, resp)
		csp := resp.Header.Get("Content-Security-Policy")
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var styles, scripts int
		walk(doc, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			switch n.Data {
			case "style", "script":
				text := ""
				if n.FirstChild != nil {
					text = n.FirstChild.Data
				}
				sum := sha256.Sum256([]byte(text))
				source := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
				directive := "style-src"
				if n.Data == "script" {
					directive, scripts = "script-src", scripts+1
				} else {
					styles++
				}
				if !strings.Contains(csp, directive+" ") || !strings.Contains(directiveOf(csp, directive), source) {
					t.Errorf("%s: <%s> is not allowed by %q", target, n.Data, csp)
				}
			case "img", "iframe", "object", "embed", "audio", "video", "source":
				t.Errorf("%s: <%s> on the page", target, n.Data)
			}
			for _, a := range n.Attr {
				if a.Key == "src" || a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: attribute %s=%q", target, a.Key, a.Val)
				}
				if a.Key == "href" && n.Data == "link" && !strings.HasPrefix(a.Val, "/") && !strings.HasPrefix(a.Val, "data:image/svg+xml,") {
					t.Errorf("%s: <link href=%q> loads from elsewhere", target, a.Val)
				}
			}
		})
		if styles != 2 || scripts != 1 {
			t.Errorf("%s: %d styles and %d scripts, want 2 and 1", target, styles, scripts)
		}
	}
}

func directiveOf(csp, name string) string {
	for _, d := range strings.Split(csp, ";") {
		d = strings.TrimSpace(d)
		if strings.HasPrefix(d, name+" ") {
			return d
		}
	}
	return ""
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func TestHealthz(t *testing.T) {
	s := newTestServer(t)
	resp := s.get("/healthz")
	if body := readBody(t, resp); resp.StatusCode != 200 || body != "ok\n" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("%d %q %q", resp.StatusCode, body, resp.Header.Get("Cache-Control"))
	}
}

// TestHealthzGivesWayToACVOfThatName: the owner's CV is the page they link to.
func TestHealthzGivesWayToACVOfThatName(t *testing.T) {
	s := newTestServer(t)
	s.catalog.profiles = append(s.catalog.profiles, markdownProfile(t, "healthz", "# Health Zed\n\n## Work\n\nNurse.\n"))
	resp := s.get("/healthz", "Accept", browserAccept)
	if body := readBody(t, resp); resp.StatusCode != 200 || !strings.Contains(body, "Health Zed") {
		t.Errorf("/healthz with a CV of that name: %d, page without the CV's name:\n%s", resp.StatusCode, body)
	}
}

// TestPagesAreRenderedOnce: a second request is served from the cache, not rendered
// again; a reload renders the new version.
func TestPagesAreRenderedOnce(t *testing.T) {
	s := newTestServer(t)
	for i := 0; i < 3; i++ {
		_ = readBody(t, s.get("/rohit", "Accept", browserAccept))
		_ = readBody(t, s.get("/rohit", "User-Agent", "curl/8"))
	}
	if n := s.handler.cache.Len(); n != 2 {
		t.Errorf("%d cache entries after repeated requests, want 2", n)
	}
	key := cacheKey{handle: "rohit", hash: s.catalog.profiles[0].Hash, variant: "html", host: "cv.example.com"}
	first, _ := s.handler.cache.Peek(key)
	_ = readBody(t, s.get("/rohit", "Accept", browserAccept))
	again, _ := s.handler.cache.Peek(key)
	if first == nil || first != again {
		t.Errorf("the page was rendered again")
	}
}

// TestRangeRequests: a download can be resumed, and a range of a page is the same bytes
// as that range of the whole.
func TestRangeRequests(t *testing.T) {
	s := newTestServer(t)
	whole := readBody(t, s.get("/rohit.md"))
	resp := s.get("/rohit.md", "Range", "bytes=10-19")
	part := readBody(t, resp)
	if resp.StatusCode != http.StatusPartialContent || part != whole[10:20] {
		t.Fatalf("Range bytes=10-19: %d %q, want 206 %q", resp.StatusCode, part, whole[10:20])
	}
	if got, want := resp.Header.Get("Content-Range"), "bytes 10-19/"+strconv.Itoa(len(whole)); got != want {
		t.Errorf("Content-Range %q, want %q", got, want)
	}
	resp = s.get("/rohit.md", "Range", "bytes="+strconv.Itoa(len(whole)+10)+"-")
	if _ = readBody(t, resp); resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("a range past the end: %d, want 416", resp.StatusCode)
	}
}

func TestEscaping(t *testing.T) {
	hostile := &profiles.Profile{
		Handle:   "mallory",
		Name:     `<script>alert("name")</script>`,
		Headline: `"><img src=x onerror=alert(1)>`,
		Location: `</p><iframe src="https://evil.example"></iframe>`,
		Email:    `"onmouseover="alert(1)@x.com`,
		Links: []profiles.Link{
			{Label: "evil", URL: "javascript:alert(document.cookie)"},
			{Label: "data", URL: "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="},
			{Label: `ok" onclick="x`, URL: "https://example.com/?a=\"><script>"},
		},
		Accent: `red;}</style><script>alert(1)</script>`,
		Intro:  profiles.MarkdownBlocks("Hi <script>alert('intro')</script> there"),
		Sections: []profiles.Section{{
			Title: `<img src=x onerror=alert("title")>`,
			// Links built by hand, past the loader's own checks: the page must refuse them too.
			Blocks: append([]doc.Block{{Kind: doc.Paragraph, Inlines: []doc.Inline{
				hostileLink("click", "javascript:alert(1)"), {Kind: doc.Text, Text: " "},
				hostileLink("data", "data:text/html,<script>alert(1)</script>"), {Kind: doc.Text, Text: " "},
				hostileLink("vb", "vbscript:msgbox(1)"), {Kind: doc.Text, Text: " "},
				hostileLink("rel", "/etc/passwd"), {Kind: doc.Text, Text: " "},
				hostileLink("JS", "JaVaScRiPt:alert(1)"), {Kind: doc.Text, Text: " "},
				hostileLink("ok", "https://example.com"),
			}}}, profiles.MarkdownBlocks("<javascript:alert(2)>\n\n"+
				"![pic](https://evil.example/track.png) ![inline](data:image/png;base64,AAAA)\n\n"+
				`"><img src=x onerror=alert(1)>`+"\n\n<div onclick=\"alert(1)\">raw</div>\n\n"+
				"[call](tel:+91-8081172177) [mail](mailto:a@b.c)")...),
		}},
		Hash: strings.Repeat("0", 64),
	}
	cat := &testCatalog{profiles: []*profiles.Profile{hostile}}
	h := NewHandler(Options{Catalog: cat, SSHHost: "cv.example.com"})
	rec := newRecorder(h, "/mallory")
	body := rec.body
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var hrefs []string
	scripts := 0
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "script":
			scripts++
		case "img", "iframe":
			t.Errorf("<%s> element from profile text", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") || a.Key == "src" {
				t.Errorf("attribute %s=%q from profile text", a.Key, a.Val)
			}
			if a.Key == "href" && n.Data == "a" {
				hrefs = append(hrefs, a.Val)
			}
		}
	})
	if scripts != 1 {
		t.Errorf("%d <script> elements, want only ours", scripts)
	}
	for _, href := range hrefs {
		if !(strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "mailto:") ||
			strings.HasPrefix(href, "tel:") || strings.HasPrefix(href, "/") || strings.HasPrefix(href, "#")) {
			t.Errorf("unsafe link %q", href)
		}
	}
	for _, want := range []string{
		`<h1>&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;</h1>`,
		`<p class="headline">&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</p>`,
		`<li>evil</li>`, `<li>data</li>`,
		`click`, `data`, `vb`, `rel`, `JS`,
		`<a href="https://example.com">ok</a>`,
		`pic`, // an image is its alt text
		`<a href="tel:+91-8081172177">call</a>`,
		`<a href="mailto:a@b.c">mail</a>`,
		`&#34;&gt;&lt;img src=x onerror=alert(1)&gt;`,
		`--accent-light:#`, // the hostile accent fell back to the default colour
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(strings.ToLower(body), "javascript:") && !strings.Contains(body, "javascript:alert(2)") {
		t.Errorf("javascript: reached an attribute")
	}
	for _, bad := range []string{`href="javascript`, `href="data:text`, `href="vbscript`, `href="/etc/passwd"`, `<script>alert`, "evil.example\"></iframe>"} {
		if strings.Contains(strings.ToLower(body), strings.ToLower(bad)) {
			t.Errorf("page contains %s", bad)
		}
	}
	golden(t, "escaping.html", pageBody(body))
}

func hostileLink(label, url string) doc.Inline {
	return doc.Inline{Kind: doc.Link, URL: url, Children: []doc.Inline{{Kind: doc.Text, Text: label}}}
}

type recorded struct {
	status int
	header http.Header
	body   string
}

func newRecorder(h http.Handler, target string, header ...string) recorded {
	s := &testServer{handler: h.(*handler)}
	resp := s.get(target, header...)
	var b bytes.Buffer
	_, _ = io.Copy(&b, resp.Body)
	return recorded{resp.StatusCode, resp.Header, b.String()}
}
