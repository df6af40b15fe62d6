package web

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/tui"
)

// The registry is what the server hands to NewHandler.
var _ Catalog = (*profiles.Registry)(nil)
var _ suggester = (*profiles.Registry)(nil)

// bundledServer serves the CVs that ship with sshcv, as `sshcv serve --web` does.
func bundledServer(t testing.TB) (*profiles.Registry, http.Handler) {
	t.Helper()
	reg, err := profiles.OpenRegistry(profiles.RegistryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return reg, NewHandler(Options{Catalog: reg, Renderer: tui.NewRenderer(16), SSHHost: "cv.example.com"})
}

// TestBundledCVs renders the pages of the shipped CVs: every section has its heading,
// no Markdown or HTML syntax leaks into the text, and every format answers.
func TestBundledCVs(t *testing.T) {
	reg, h := bundledServer(t)
	s := &testServer{handler: h.(*handler)}
	if len(reg.List()) == 0 {
		t.Fatal("no bundled CVs")
	}
	for _, p := range reg.List() {
		t.Run(p.Handle, func(t *testing.T) {
			resp := s.get("/"+p.Handle, "Accept", browserAccept)
			body := readBody(t, resp)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			var headings []string
			var text strings.Builder
			walk(doc, func(n *html.Node) {
				if n.Type == html.ElementNode && n.Data == "h2" && n.Parent != nil && n.Parent.Data == "section" {
					headings = append(headings, textOf(n))
				}
				if n.Type == html.TextNode && n.Parent != nil && n.Parent.Data != "script" && n.Parent.Data != "style" {
					text.WriteString(n.Data)
				}
			})
			if len(headings) != len(p.Sections) {
				t.Errorf("%d section headings, want %d", len(headings), len(p.Sections))
			}
			for i := range min(len(headings), len(p.Sections)) {
				if headings[i] != p.Sections[i].Title {
					t.Errorf("heading %d is %q, want %q", i, headings[i], p.Sections[i].Title)
				}
			}
			for _, leak := range []string{"<br", "<div", "<a ", "](http", "**", "__", "<!--"} {
				if strings.Contains(text.String(), leak) {
					t.Errorf("%q shows on the page as text", leak)
				}
			}
			for _, ext := range []string{".json", ".md", ".vcf", ".txt"} {
				r := s.get("/" + p.Handle + ext)
				if b := readBody(t, r); r.StatusCode != 200 || len(b) == 0 {
					t.Errorf("%s: status %d, %d bytes", ext, r.StatusCode, len(b))
				}
			}
			if r := s.get("/"+p.Handle, "User-Agent", "curl/8.5.0"); !strings.Contains(readBody(t, r), p.Name) {
				t.Errorf("curl does not get the CV as text")
			}
		})
	}
	for _, p := range reg.List() {
		for _, alias := range p.Aliases {
			r := s.get("/" + alias)
			if _ = readBody(t, r); r.StatusCode != http.StatusFound || r.Header.Get("Location") != "/"+p.Handle {
				t.Errorf("/%s: %d %q, want a redirect to /%s", alias, r.StatusCode, r.Header.Get("Location"), p.Handle)
			}
		}
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}
