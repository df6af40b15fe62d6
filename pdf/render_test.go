package pdf

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/internal/pdftest"
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/profiles/doc"
)

// cvs are the CVs the PDF must show in full: the bundled ones and JSON Resumes with
// every field of the schema filled.
func cvs(t *testing.T) []*profiles.Profile {
	t.Helper()
	var out []*profiles.Profile
	add := func(name string, data []byte, err error) {
		if err == nil {
			var p *profiles.Profile
			if p, err = profiles.Parse(name, data, time.Unix(0, 0)); err == nil {
				out = append(out, p)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"rohit.md", "ankush.md"} {
		data, err := fs.ReadFile(profiles.Bundled(), name)
		add(name, data, err)
	}
	for _, name := range []string{"full.json", "full.md"} {
		data, err := os.ReadFile(filepath.Join("..", "profiles", "testdata", "resume", name))
		add(name, data, err)
	}
	return out
}

// facts are what a reader must find in the PDF of p, read from its document: the
// header, every section title, every heading, paragraph, list item, quote and table
// cell as plain text.
func facts(p *profiles.Profile) []string {
	f := []string{p.Name, p.Headline, p.Location}
	for _, c := range p.Contacts() {
		f = append(f, c.Text, c.Username)
	}
	// The text of a block, cut at its links: a link's text is followed by its
	// address in the PDF.
	runs := func(inl []doc.Inline) {
		var run strings.Builder
		var walk func([]doc.Inline)
		walk = func(inl []doc.Inline) {
			for _, n := range inl {
				switch n.Kind {
				case doc.Link:
					f = append(f, run.String(), doc.PlainText(n.Children))
					run.Reset()
				case doc.Text, doc.Code:
					run.WriteString(n.Text)
				case doc.Strong, doc.Emphasis:
					walk(n.Children)
				default:
					run.WriteByte(' ')
				}
			}
		}
		walk(inl)
		f = append(f, run.String())
	}
	var blocks func([]doc.Block)
	blocks = func(bs []doc.Block) {
		for _, b := range bs {
			switch b.Kind {
			case doc.Paragraph, doc.Heading:
				runs(b.Inlines)
			case doc.List:
				for _, item := range b.Items {
					blocks(item)
				}
			case doc.Quote:
				blocks(b.Children)
			case doc.CodeBlock:
				f = append(f, strings.Split(b.Text, "\n")...)
			case doc.Table:
				for _, row := range b.Rows {
					for _, cell := range row {
						runs(cell)
					}
				}
			}
		}
	}
	blocks(p.Intro)
	for _, s := range p.Sections {
		f = append(f, s.Title)
		blocks(s.Blocks)
	}
	return f
}

// squash collapses runs of white space, as text wraps differently on paper.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func render(t *testing.T, p *profiles.Profile, paper Paper) []byte {
	t.Helper()
	data, err := Render(p, paper)
	if err != nil {
		t.Fatalf("%s: %v", p.Handle, err)
	}
	return data
}

func TestPDFHoldsEveryFact(t *testing.T) {
	for _, p := range cvs(t) {
		t.Run(p.Source, func(t *testing.T) {
			data := render(t, p, A4)
			text := squash(pdftest.Body(t, data, p.Name))
			n := 0
			for _, fact := range facts(p) {
				if fact = squash(printable(fact)); fact == "" {
					continue
				}
				n++
				if !strings.Contains(text, fact) {
					t.Errorf("the PDF text lacks %q", fact)
				}
			}
			if n < 20 {
				t.Errorf("only %d facts checked: the document looks empty", n)
			}
			pdftest.SavePage(t, data, "pdf-"+p.Handle+"-"+strings.TrimSuffix(filepath.Ext(p.Source), ".")+"-page1")
		})
	}
}

func TestPDFInfo(t *testing.T) {
	p := cvs(t)[0]
	for paper, size := range map[Paper]string{A4: "(A4)", Letter: "(letter)"} {
		info := pdftest.Info(t, render(t, p, paper))
		if info["Title"] != "Rohit Gupta — CV" || info["Author"] != "Rohit Gupta" {
			t.Errorf("%s: title %q, author %q", paper, info["Title"], info["Author"])
		}
		if !strings.HasSuffix(info["Page size"], size) {
			t.Errorf("%s: page size %q, want %s", paper, info["Page size"], size)
		}
		if info["Pages"] == "" || info["Pages"] == "0" || info["Pages"] == "1" {
			t.Errorf("%s: %q pages for a CV of several sections", paper, info["Pages"])
		}
	}
}

// TestPDFLinksAreAnnotations: each contact and each link of the text is a link a
// reader can click, not only blue text.
func TestPDFLinksAreAnnotations(t *testing.T) {
	for _, p := range cvs(t)[:2] {
		data := render(t, p, A4)
		var want []string
		for _, c := range p.Contacts() {
			if c.URL != "" {
				want = append(want, c.URL)
			}
		}
		for _, s := range p.Sections {
			for _, b := range s.Blocks {
				for _, sp := range spans(b.Inlines) {
					if sp.url != "" {
						want = append(want, sp.url)
					}
				}
			}
		}
		if len(want) < 5 {
			t.Fatalf("%s: only %d links to look for", p.Handle, len(want))
		}
		links := "\n" + strings.Join(pdftest.Links(data), "\n") + "\n"
		for _, u := range want {
			if !strings.Contains(links, "\n"+u+"\n") {
				t.Errorf("%s: no link annotation to %s", p.Handle, u)
			}
		}
	}
}

func TestPDFSameBytesAndSmall(t *testing.T) {
	for _, p := range cvs(t)[:2] {
		for _, paper := range []Paper{A4, Letter} {
			a, b := render(t, p, paper), render(t, p, paper)
			if !bytes.Equal(a, b) {
				t.Errorf("%s %s: two renderings differ", p.Handle, paper)
			}
			if len(a) >= 150<<10 {
				t.Errorf("%s %s: %d bytes, more than 150 KB", p.Handle, paper, len(a))
			}
			t.Logf("%s %s: %d bytes", p.Handle, paper, len(a))
		}
	}
}

// TestPDFHeadingNeverEndsAPage pushes a heading down the page a line of code at a
// time (a finer step than any gap the layout leaves), until it has passed the page's
// foot: at no height may it be the last line of its page.
func TestPDFHeadingNeverEndsAPage(t *testing.T) {
	para := doc.Block{Kind: doc.Paragraph, Inlines: []doc.Inline{{Kind: doc.Text, Text: "The first line of the section."}}}
	for n := 40; n < 70; n++ {
		p := &profiles.Profile{Handle: "jane", Name: "Jane Doe",
			Intro:    []doc.Block{{Kind: doc.CodeBlock, Text: strings.Repeat("filler\n", n)}},
			Sections: []profiles.Section{{Title: "Experience", Blocks: []doc.Block{para}}},
		}
		for i, page := range strings.Split(pdftest.Text(t, render(t, p, A4)), "\f") {
			var lines []string
			for _, l := range strings.Split(page, "\n") {
				if l = strings.TrimSpace(l); l != "" && l != "Jane Doe" && !pdftest.IsFooter(l) {
					lines = append(lines, l)
				}
			}
			if len(lines) > 0 && lines[len(lines)-1] == "Experience" {
				t.Errorf("after %d lines, page %d ends with the heading", n, i+1)
			}
		}
	}
}

func TestPDFEntryDatesAlignRight(t *testing.T) {
	text := func(s string) []doc.Inline { return []doc.Inline{{Kind: doc.Text, Text: s}} }
	p := &profiles.Profile{Handle: "jane", Name: "Jane Doe", Sections: []profiles.Section{{
		Title: "Experience",
		Blocks: []doc.Block{
			{Kind: doc.Heading, Level: 3, Inlines: text("Staff Engineer — Acme")},
			{Kind: doc.Paragraph, Inlines: text("Jan 2016 – Present · Berlin")},
			{Kind: doc.List, Tight: true, Items: [][]doc.Block{{{Kind: doc.Paragraph, Inlines: text("Halved the bill.")}}}},
			{Kind: doc.Heading, Level: 3, Inlines: text("Engineer — Initech")},
			{Kind: doc.Paragraph, Inlines: text("No date here, only words about the job that follows.")},
		},
	}}}
	out := pdftest.Text(t, render(t, p, A4), "-layout")
	if !regexp.MustCompile(`(?m)^\s*Staff Engineer — Acme\s{5,}Jan 2016 – Present · Berlin$`).MatchString(out) {
		t.Errorf("no title line with the dates at its right end:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^\s*Engineer — Initech$`).MatchString(out) || !strings.Contains(out, "No date here") {
		t.Errorf("a line without a date was set beside the title:\n%s", out)
	}
	if !strings.Contains(squash(out), "• Halved the bill.") {
		t.Errorf("lacks the bullet:\n%s", out)
	}
}

func TestPDFMissingGlyphsFallBack(t *testing.T) {
	for in, want := range map[string]string{"Łódź": "Łódź", "ǹ": "n", "Ｆ": "F", "😀": "?", "中": "?", "a\u200bb": "ab"} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPaperForLocale(t *testing.T) {
	for env, want := range map[string]Paper{
		"LANG=en_US.UTF-8": Letter, "LANG=en_CA": Letter, "LANG=fr_CA.UTF-8@euro": Letter, "LANG=en-US": Letter,
		"LANG=en_GB.UTF-8": A4, "LANG=de_DE.UTF-8": A4, "LANG=C": A4, "LANG=": A4, "": A4,
		"LANG=" + strings.Repeat("en_US", 2000): A4, "LANG=\x1b]0;en_US\x07": A4,
		"LC_ALL=de_DE.UTF-8\nLANG=en_US.UTF-8": A4, "LC_PAPER=en_US.UTF-8\nLANG=de_DE": Letter,
	} {
		if got := PaperForLocale(strings.Split(env, "\n")); got != want {
			t.Errorf("%.40q: %s, want %s", env, got, want)
		}
	}
}

// BenchmarkRender is the cost of typesetting a bundled CV from its document (what the
// first request for each profile version and paper size pays; later ones hit the cache).
func BenchmarkRender(b *testing.B) {
	for _, name := range []string{"rohit.md", "ankush.md"} {
		data, err := fs.ReadFile(profiles.Bundled(), name)
		if err != nil {
			b.Fatal(err)
		}
		p, err := profiles.Parse(name, data, time.Unix(0, 0))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(p.Handle, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Render(p, A4); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestPDFAccentReadsOnWhite(t *testing.T) {
	white := doc.RGB(0xff, 0xff, 0xff)
	for _, accent := range []string{"", "#7d56f4", "#e8743b", "yellow", "#ffffff", "226"} {
		c := accentOf(&profiles.Profile{Accent: accent})
		if got := doc.Contrast(doc.RGB(c.R, c.G, c.B), white); got < doc.MinContrast {
			t.Errorf("accent %q: %v on white, contrast %.2f", accent, c, got)
		}
	}
	if c := accentOf(&profiles.Profile{Accent: "#000080"}); c != (RGB{0, 0, 0x80}) {
		t.Errorf("a dark accent was changed: %v", c)
	}
}

// TestPDFConcurrentRendersAgree: sessions typeset at the same time share the fonts;
// run with -race, this shows they share nothing they write.
func TestPDFConcurrentRendersAgree(t *testing.T) {
	p := cvs(t)[1]
	want := render(t, p, A4)
	results := make(chan []byte, 4)
	for range 4 {
		go func() {
			data, _ := Render(p, A4)
			results <- data
		}()
	}
	for range 4 {
		if got := <-results; !bytes.Equal(got, want) {
			t.Fatal("a rendering made alongside others differs")
		}
	}
}
