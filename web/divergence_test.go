package web

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/tui"
)

// Each test here is one rule the viewer and the page once applied each their own way;
// now both ask profiles/doc, and the test holds them to one answer.

func pageOf(t *testing.T, p *profiles.Profile) string {
	t.Helper()
	page := cvPage(p, "cv.example.com", 22)
	th, err := loadTheme()
	if err != nil {
		t.Fatal(err)
	}
	r, err := th.execute(page, p.Accent)
	if err != nil {
		t.Fatal(err)
	}
	return string(r.body)
}

func linkPara(label, url string) []doc.Block {
	return []doc.Block{{Kind: doc.Paragraph, Inlines: []doc.Inline{
		{Kind: doc.Link, URL: url, Children: []doc.Inline{{Kind: doc.Text, Text: label}}},
	}}}
}

var osc8 = regexp.MustCompile("\x1b]8;;([^\x07\x1b]*)(?:\x07|\x1b\\\\)")

// terminalLinks are the targets of the hyperlinks in ANSI output.
func terminalLinks(out string) []string {
	var urls []string
	for _, m := range osc8.FindAllStringSubmatch(out, -1) {
		if m[1] != "" {
			urls = append(urls, m[1])
		}
	}
	return urls
}

// TestSafeLinksAreTheSameInBothFrontEnds: the viewer once linked anything starting
// http:// (a host or not), the page parsed the URL and asked for a host.
func TestSafeLinksAreTheSameInBothFrontEnds(t *testing.T) {
	r := tui.NewRenderer(4)
	for _, u := range []string{"https:///nohost", "http://", "https://example.com/ok", "mailto:a@b.example", "ftp://example.com/x", "tel:+4930"} {
		p := &profiles.Profile{Handle: "x", Name: "X", Sections: []profiles.Section{{Title: "Links", Blocks: linkPara("go", u)}}}
		inTerminal := strings.Contains(strings.Join(terminalLinks(r.ANSI(p, 80, true)), " "), u)
		onPage := strings.Contains(pageOf(t, p), `href="`+u+`"`)
		if inTerminal != onPage || inTerminal != doc.SafeURL(u) {
			t.Errorf("%q: linked in the terminal %v, on the page %v, doc.SafeURL %v", u, inTerminal, onPage, doc.SafeURL(u))
		}
	}
}

// TestTelIsTheSameInBothFrontEnds: the viewer kept + and digits, the page also kept '-'.
func TestTelIsTheSameInBothFrontEnds(t *testing.T) {
	p := &profiles.Profile{Handle: "x", Name: "X", Phone: "+91-80811 72177"}
	want := "tel:+918081172177"
	if links := terminalLinks(tui.NewRenderer(4).ANSI(p, 80, true)); !strings.Contains(strings.Join(links, " "), want) {
		t.Errorf("terminal links %q, want %s", links, want)
	}
	if page := html.UnescapeString(pageOf(t, p)); !strings.Contains(page, `href="`+want+`"`) {
		t.Errorf("the page does not link %s", want)
	}
}

// TestContactsAreListedAlikeInBothFrontEnds: one list, one order, in the viewer's
// header, in plain text and in the page's header.
func TestContactsAreListedAlikeInBothFrontEnds(t *testing.T) {
	p := &profiles.Profile{Handle: "x", Name: "X", Email: "x@example.org", Phone: "+4930 1234",
		Links: []profiles.Link{{Label: "GitHub", URL: "https://github.com/x", Username: "xgh"}, {URL: "https://x.example/"}}}
	var want []string
	for _, c := range p.Contacts() {
		want = append(want, c.URL)
	}
	if got := terminalLinks(tui.NewRenderer(4).ANSI(p, 120, true)); !strings.HasPrefix(strings.Join(dedupe(got), " "), strings.Join(want, " ")) {
		t.Errorf("terminal contacts %q, want %q first", dedupe(got), want)
	}
	page := pageOf(t, p)
	header := page[strings.Index(page, `<ul class="contact"`):]
	header = header[:strings.Index(header, "</ul>")]
	var hrefs []string
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(header, -1) {
		hrefs = append(hrefs, html.UnescapeString(m[1]))
	}
	if strings.Join(hrefs, " ") != strings.Join(want, " ") {
		t.Errorf("page contacts %q, want %q", hrefs, want)
	}
	text := tui.NewRenderer(4).Text(p, 120)
	if !strings.Contains(text, "GitHub: @xgh | https://github.com/x") || !strings.Contains(html.UnescapeString(page), "GitHub · @xgh") {
		t.Errorf("the username is not shown beside its link:\n%s\n%s", text, header)
	}
}

func dedupe(s []string) []string {
	var out []string
	for _, v := range s {
		if len(out) == 0 || out[len(out)-1] != v {
			out = append(out, v)
		}
	}
	return out
}

// TestLinkTextThatIsTheAddress: the viewer (sameAddress) and the page (bareURL) each
// decided when a link's text already is its address; now doc.SameAddress does.
func TestLinkTextThatIsTheAddress(t *testing.T) {
	for _, c := range []struct {
		label, url string
		same       bool
	}{
		{"www.rohit.io", "http://www.rohit.io/", true},
		{"rohit.io", "https://www.rohit.io", true},
		{"my blog", "https://www.rohit.io", false},
	} {
		p := &profiles.Profile{Handle: "x", Name: "X", Sections: []profiles.Section{{Title: "L", Blocks: linkPara(c.label, c.url)}}}
		text := tui.NewRenderer(4).Text(p, 80)
		repeated := strings.Contains(text, "("+doc.DisplayURL(c.url)+")")
		marked := strings.Contains(pageOf(t, p), `class="url">`+c.label)
		if repeated == c.same || marked != c.same {
			t.Errorf("%q → %q: address repeated in text %v, marked as an address on the page %v; want same=%v", c.label, c.url, repeated, marked, c.same)
		}
	}
}

// TestSectionTitlesAreCleanedOnce: "Experience Summary:" was cleaned by the loader and
// again, differently, by the viewer's tabs.
func TestSectionTitlesAreCleanedOnce(t *testing.T) {
	p, err := profiles.Parse("x.md", []byte("# X\n\n## Experience   Summary: \n\nText.\n"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := "Experience Summary"
	if p.Sections[0].Title != want || doc.CleanTitle("Experience   Summary: ") != want {
		t.Fatalf("title %q", p.Sections[0].Title)
	}
	p.Sections[0].Title = "Experience Summary:" // as a program may build it
	if text := tui.NewRenderer(4).Text(p, 80); !strings.Contains(text, "\n"+want+"\n") {
		t.Errorf("plain text lacks the title %q:\n%s", want, text)
	}
	if page := pageOf(t, p); !strings.Contains(page, ">"+want+"</h2>") {
		t.Errorf("the page lacks the title %q", want)
	}
	if md := string(profiles.ExportMarkdown(p)); !strings.Contains(md, "\n## "+want+"\n") {
		t.Errorf("the Markdown export lacks the title %q", want)
	}
}

// TestAccentIsTheSameColourInBothFrontEnds: "purple" was purple over SSH and the
// default violet on the web.
func TestAccentIsTheSameColourInBothFrontEnds(t *testing.T) {
	c, ok := doc.ParseColour("purple")
	if !ok {
		t.Fatal("purple is a colour")
	}
	web, ok := parseColor("purple")
	if !ok || web.hex() != c.Hex() {
		t.Errorf("the page reads purple as %s, want %s", web.hex(), c.Hex())
	}
	p := &profiles.Profile{Handle: "x", Name: "Xavier", Accent: "purple"}
	if out := tui.NewRenderer(4).ANSI(p, 80, true); !strings.Contains(out, "35mXavier") {
		t.Errorf("the terminal does not draw the name in palette colour 5: %q", ansi.Strip(out[:min(len(out), 80)]))
	}
	if light, _ := accentColors("purple"); light == "" || light == defaultAccent.hex() {
		t.Errorf("the page falls back to the default accent for purple")
	}
}

// TestDatesAreReadOnce: the page marked dates with its own patterns and the JSON
// export read them with others; both now use profiles/doc.
func TestDatesAreReadOnce(t *testing.T) {
	for _, s := range []string{"January 2016 – present", "June 2014 – November 2015", "2012-2016"} {
		r, ok := doc.ParseDates(s)
		if !ok {
			t.Fatalf("%q is not read as dates", s)
		}
		marks := doc.FindDates(s, false)
		if len(marks) == 0 || marks[0].ISO != r.Start.ISO() {
			t.Errorf("%q: the page marks %v, the export reads the start as %q", s, marks, r.Start.ISO())
		}
	}
}

// TestEveryExportFormatIsServed: the web side once kept its own list of extensions and
// content types; it now serves profiles.ExportFormats, each with its type, and links
// each from the page.
func TestEveryExportFormatIsServed(t *testing.T) {
	_, h := bundledServer(t)
	s := &testServer{handler: h.(*handler)}
	page := readBody(t, s.get("/rohit", "Accept", browserAccept))
	for _, f := range profiles.ExportFormats {
		r := s.get("/rohit." + f.Ext)
		body := readBody(t, r)
		if r.StatusCode != 200 || len(body) == 0 || r.Header.Get("Content-Type") != f.ContentType {
			t.Errorf("/rohit.%s: status %d, %d bytes, type %q; want %q", f.Ext, r.StatusCode, len(body), r.Header.Get("Content-Type"), f.ContentType)
		}
		if !strings.Contains(page, `href="/rohit.`+f.Ext+`"`) || !strings.Contains(page, ">"+f.Title+"</a>") {
			t.Errorf("the page does not link its %s", f.Title)
		}
	}
}
