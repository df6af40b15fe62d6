package web

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/tui"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./web -run %s -update to create it)", err, t.Name())
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the rendering; review the change and run with -update to accept it\n--- got ---\n%s", path, got)
	}
}

// pageBody is the part of a page worth a golden file: what the body shows, without the
// style sheet and script every page carries.
func pageBody(page string) []byte {
	start := strings.Index(page, "<body>")
	end := strings.Index(page, "<script>")
	if start < 0 || end < start {
		return []byte(page)
	}
	return []byte(page[start:end])
}

// testCatalog is a registry in memory, with the lookup rules of the real one: handle or
// alias, any case.
type testCatalog struct {
	profiles   []*profiles.Profile
	defaultCV  string
	suggestion map[string]string
}

func (c *testCatalog) Lookup(name string) (*profiles.Profile, bool) {
	name = strings.ToLower(name)
	for _, p := range c.profiles {
		for _, n := range p.Names() {
			if n == name {
				return p, true
			}
		}
	}
	return nil, false
}

func (c *testCatalog) Default() (*profiles.Profile, bool) {
	if c.defaultCV == "" {
		return nil, false
	}
	return c.Lookup(c.defaultCV)
}

func (c *testCatalog) List() []*profiles.Profile { return c.profiles }

func (c *testCatalog) Suggest(name string) (string, bool) {
	s, ok := c.suggestion[strings.ToLower(name)]
	return s, ok
}

// markdownProfile builds a profile from a Markdown CV the simple way (# name, intro,
// ## sections), as the loader would for a file without front matter or HTML.
func markdownProfile(t testing.TB, handle, source string) *profiles.Profile {
	t.Helper()
	sum := sha256.Sum256([]byte(source))
	p := &profiles.Profile{
		Handle:  handle,
		Source:  "testdata/" + handle + ".md",
		Format:  profiles.FormatMarkdown,
		ModTime: time.Date(2017, 4, 1, 12, 0, 0, 0, time.UTC),
		Hash:    hex.EncodeToString(sum[:]),
	}
	var body strings.Builder
	var current *profiles.Section
	flush := func() {
		text := strings.Trim(body.String(), "\n")
		if current == nil {
			p.Intro = profiles.MarkdownBlocks(text)
		} else {
			current.Blocks = profiles.MarkdownBlocks(text)
			p.Sections = append(p.Sections, *current)
		}
		body.Reset()
	}
	sc := bufio.NewScanner(strings.NewReader(source))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# ") && p.Name == "":
			p.Name = strings.TrimSpace(line[2:])
		case strings.HasPrefix(line, "## "):
			flush()
			current = &profiles.Section{Title: strings.TrimSuffix(strings.TrimSpace(line[3:]), ":")}
		default:
			body.WriteString(line + "\n")
		}
	}
	flush()
	return p
}

// rohit is Rohit's CV as written (the seed), with the header facts the loader adds.
func rohit(t testing.TB) *profiles.Profile {
	t.Helper()
	src, err := os.ReadFile("testdata/rohit.md")
	if err != nil {
		t.Fatal(err)
	}
	p := markdownProfile(t, "rohit", string(src))
	p.Aliases = []string{"rohit01"}
	p.Headline = "Production Engineer"
	p.Location = "Bengaluru, India"
	p.Email = "hello@rohit.io"
	p.Links = []profiles.Link{
		{Label: "rohit.io", URL: "http://www.rohit.io"},
		{Label: "GitHub", URL: "https://github.com/rohit01"},
		{Label: "LinkedIn", URL: "http://www.linkedin.com/in/rohit01"},
	}
	p.Accent = "#FF5F87"
	p.Default = true
	return p
}

func ankush(t testing.TB) *profiles.Profile {
	t.Helper()
	p := markdownProfile(t, "ankush", "# Ankush Sharma\n\n## About Me\n\nFascinated by the internet.\n\n"+
		"## Education\n\n`2012-2016`\nB.Tech ECE, __[IIT-BHU](https://iitbhu.ac.in/), India__\n\n"+
		"## Work Experience\n\n### Koinex.in, Mumbai, India\n\n`Dec 17-Oct 18`\nSenior Platform Engineer.\n")
	p.Aliases = []string{"darxtrix"}
	p.Headline = "Platform engineer"
	p.Links = []profiles.Link{{Label: "darxtrix.in", URL: "http://darxtrix.in"}}
	p.Accent = "33"
	return p
}

// testServer is a handler over the two test CVs, without a default unless asked.
type testServer struct {
	catalog  *testCatalog
	renderer *tui.Renderer
	handler  *handler
}

func newTestServer(t testing.TB, opts ...func(*Options)) *testServer {
	t.Helper()
	cat := &testCatalog{
		profiles:   []*profiles.Profile{rohit(t), ankush(t)},
		suggestion: map[string]string{"rohti": "rohit"},
	}
	r := tui.NewRenderer(16)
	o := Options{Catalog: cat, Renderer: r, SSHHost: "cv.example.com"}
	for _, f := range opts {
		f(&o)
	}
	return &testServer{catalog: cat, renderer: r, handler: NewHandler(o).(*handler)}
}

// do performs one request; header is pairs of name, value.
func (s *testServer) do(method, target string, header ...string) *http.Response {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec.Result()
}

func (s *testServer) get(target string, header ...string) *http.Response {
	return s.do(http.MethodGet, target, header...)
}

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
const browserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"

func readBody(t testing.TB, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	_ = r.Body.Close()
	return string(b)
}
