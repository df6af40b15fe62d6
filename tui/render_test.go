package tui

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/sshcv/sshcv/profiles"

	"github.com/sshcv/sshcv/profiles/doc"
)

// keyFacts are things a reader of each CV must find in any rendering.
var keyFacts = map[string][]string{
	"rohit": {"Rohit Gupta", "hello@rohit.io", "https://github.com/rohit01", "ANI Technologies (aka OlaCabs)",
		"Graylog - Centralized logging platform", "500k+ messages per sec", "Kalyani Government Engineering College",
		"Michael Ricordeau", "https://github.com/rohit01/stegosoft", "golang, Python, Ruby"},
	"ankush": {"Ankush Sharma", "darxtrix@gmail.com", "(+91)-8081172177", "Koinex", "PayPal", "Pushman",
		"syslog-ng", "IIT-BHU", "8.22/10", "Medium (medium.com/@darxtrix)"},
}

func TestTextIsPlainAndComplete(t *testing.T) {
	r := NewRenderer(16)
	for handle, facts := range keyFacts {
		p := bundled(t, handle)
		for _, width := range []int{80, 60, 40} {
			t.Run(fmt.Sprintf("%s-%d", handle, width), func(t *testing.T) {
				text := r.Text(p, width)
				for i := 0; i < len(text); i++ {
					if c := text[i]; (c < 0x20 && c != '\n') || c == 0x7f {
						t.Fatalf("byte %#x at %d: %q", c, i, text[max(i-20, 0):min(i+20, len(text))])
					}
				}
				for i, l := range strings.Split(text, "\n") {
					if w := ansi.StringWidth(l); w > width {
						t.Fatalf("line %d is %d cells wide, more than %d: %q", i+1, w, width, l)
					}
				}
				for _, s := range p.Sections {
					if !strings.Contains(text, "\n"+tabTitle(s.Title, english)+"\n") {
						t.Fatalf("section %q has no title line", s.Title)
					}
				}
				// Facts may wrap: compare with the line breaks taken out.
				flat := strings.Join(strings.Fields(text), " ")
				for _, f := range facts {
					if !strings.Contains(flat, f) {
						t.Fatalf("%q is missing", f)
					}
				}
				for _, glyph := range []string{"─", "│", "•", "═"} {
					if strings.Contains(text, glyph) {
						t.Fatalf("box drawing or bullet %q in plain text", glyph)
					}
				}
			})
		}
	}
}

func TestTextGolden(t *testing.T) {
	r := NewRenderer(4)
	for _, handle := range []string{"rohit", "ankush"} {
		t.Run(handle, func(t *testing.T) { golden.RequireEqual(t, r.Text(bundled(t, handle), 80)) })
	}
}

func TestANSIIsStyledAndReadsLikeText(t *testing.T) {
	r := NewRenderer(16)
	p := bundled(t, "rohit")
	for _, dark := range []bool{true, false} {
		out := r.ANSI(p, 80, dark)
		mustContain(t, out, "\x1b]8;;https://github.com/rohit01\x07", "\x1b[1;38;2;125;86;244mRohit Gupta")
		plain := ansi.Strip(out)
		for _, f := range keyFacts["rohit"] {
			if !strings.Contains(strings.Join(strings.Fields(plain), " "), f) {
				t.Fatalf("%q missing from the ANSI rendering", f)
			}
		}
		for i, l := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(l); w > 80 {
				t.Fatalf("line %d is %d cells wide: %q", i+1, w, l)
			}
		}
	}
	if r.ANSI(p, 80, true) == r.ANSI(p, 80, false) {
		t.Fatal("dark and light renderings are the same")
	}
}

func TestTextOfSmallAndOddProfiles(t *testing.T) {
	r := NewRenderer(4)
	p := &profiles.Profile{Handle: "min"}
	if got := r.Text(p, 80); got != "min\n===\n" {
		t.Fatalf("a profile with only a handle: %q", got)
	}
	evil := &profiles.Profile{
		Handle: "evil", Name: "Eve\x1b]0;pwned\x07 \x1b[31mRed", Headline: "line\nbreak\ttab",
		Links: []profiles.Link{{Label: "x", URL: "javascript:alert(1)"}, {Label: "esc", URL: "https://a.example/\x1b]8;;x"}},
		Sections: []profiles.Section{{Title: "T\x07", Blocks: []doc.Block{{Kind: doc.Paragraph, Inlines: []doc.Inline{
			// built by hand, past the loader's checks: the renderer must refuse the link too
			{Kind: doc.Link, URL: "file:///etc/passwd", Children: []doc.Inline{{Kind: doc.Text, Text: "click"}}},
			{Kind: doc.Text, Text: profiles.Sanitize(" and \x1b[2Jtext\twith tab")}, // documents hold sanitised text
		}}}}},
	}
	for _, out := range []string{r.Text(evil, 40), r.ANSI(evil, 40, true)} {
		mustNotContain(t, out, "pwned", "\x1b[31", "\x1b[2J", "\t", "javascript:", "]8;;file:", "]8;;x")
	}
	mustNotContain(t, r.Text(evil, 40), "\x07", "\x1b")
	mustContain(t, r.Text(evil, 40), "Eve Red", "line break tab", "click (file:///etc/passwd)")
}

func TestNarrowWidthsStayInside(t *testing.T) {
	r := NewRenderer(64)
	for _, handle := range []string{"rohit", "ankush"} {
		p := bundled(t, handle)
		for width := minWidth; width <= 100; width += 7 {
			d := r.document(p, width, english)
			for _, l := range d.lines {
				if l.width > width || ansi.StringWidth(l.text) != l.width {
					t.Fatalf("%s at %d: line %q is %d cells (recorded %d)", handle, width, l.text, ansi.StringWidth(l.text), l.width)
				}
			}
		}
	}
}

func TestMarkdownLayout(t *testing.T) {
	body := strings.Join([]string{
		"Intro with **bold**, _emphasis_, `code` and a [link](https://example.com/a/) plus <https://auto.example>.",
		"Two spaces  ",
		"break the line.",
		"",
		"1. First item that is long enough to wrap onto a second line under its text",
		"   1. Nested numbered item",
		"   2. Another nested one",
		"      - deeper bullet",
		"2. Second",
		"",
		"A loose list:",
		"",
		"9) ninth",
		"",
		"   with a second paragraph",
		"",
		"10) tenth",
		"",
		"> A quote that also wraps because it goes on and on",
		"",
		"---",
		"",
		"```",
		"  indented code line",
		"```",
		"",
		"### A heading",
		"",
		"shinken\\_thruk &amp; AT&T",
	}, "\n")
	got := joinLines(renderMarkdown(body, 40, &asciiGlyphs), nil)
	want := strings.Join([]string{
		"Intro with bold, emphasis, code and a",
		"link (example.com/a) plus",
		"https://auto.example. Two spaces",
		"break the line.",
		"",
		"1. First item that is long enough to",
		"   wrap onto a second line under its",
		"   text",
		"   1. Nested numbered item",
		"   2. Another nested one",
		"      + deeper bullet",
		"2. Second",
		"",
		"A loose list:",
		"",
		" 9. ninth", // the loader keeps the numbers, not the marker
		"",
		"    with a second paragraph",
		"",
		"10. tenth",
		"",
		"| A quote that also wraps because it",
		"| goes on and on",
		"",
		"----------------------------------------",
		"",
		"    indented code line",
		"",
		"A heading",
		"",
		"shinken_thruk & AT&T",
		"",
	}, "\n")
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestLongURLsBreakBetweenParts: a URL wider than the line is cut after a '/' or '-',
// not in the middle of a name, unless that would leave the line half empty.
func TestLongURLsBreakBetweenParts(t *testing.T) {
	for _, c := range []struct {
		body  string
		width int
		want  string
	}{
		{"- Project: https://github.com/rohit01/zero-users", 38,
			"- Project:\n  https://github.com/rohit01/zero-\n  users\n"},
		{"- Project: https://github.com/rohit01/zero-users", 33,
			"- Project:\n  https://github.com/rohit01/\n  zero-users\n"},
		{"(in.pycon.org/funnel/2014/208-python-the-eyes)", 30,
			"(in.pycon.org/funnel/2014/208-\npython-the-eyes)\n"},
		{"https://example.com/abcdefghijklmnopqrstuvwxyz", 24,
			"https://example.com/\nabcdefghijklmnopqrstuvwx\nyz\n"},
	} {
		got := joinLines(renderMarkdown(c.body, c.width, &asciiGlyphs), nil)
		if got != c.want {
			t.Errorf("%q at %d:\n%s\nwant:\n%s", c.body, c.width, got, c.want)
		}
	}
}

func TestLinkStylesAndHyperlinks(t *testing.T) {
	lines := renderMarkdown("See [GitHub](https://github.com/rohit01) or <https://www.rohit.io>.", 80, &unicodeGlyphs)
	var b strings.Builder
	styled(&b, lines[0], newTheme("", true), nil)
	out := b.String()
	mustContain(t, out,
		"\x1b]8;;https://github.com/rohit01\x07\x1b[4;38;2;167;139;250mGitHub\x1b[m\x1b]8;;\x07",
		"github.com/rohit01)", "\x1b]8;;https://www.rohit.io\x07")
	if got := ansi.Strip(out); got != "See GitHub (github.com/rohit01) or https://www.rohit.io." {
		t.Fatalf("reads %q", got)
	}
}

func TestAccentColours(t *testing.T) {
	for accent, want := range map[string]string{
		"#7D56F4": "38;2;125;86;244", "#abc": "38;2;170;187;204", "212": "38;5;212",
		"magenta": "35", "bright-blue": "94", "": "38;2;167;139;250", "nonsense": "38;2;167;139;250", "999999": "38;2;167;139;250",
	} {
		if got := newTheme(accent, true).seq(attrName); got != "\x1b[1;"+want+"m" {
			t.Errorf("accent %q: %q, want %q", accent, got, want)
		}
	}
}

func TestRendererCachesAndBounds(t *testing.T) {
	r := NewRenderer(3)
	p := bundled(t, "rohit")
	a := r.document(p, 78, english)
	if r.document(p, 78, english) != a {
		t.Fatal("the same (profile, width) laid out twice")
	}
	for w := 40; w < 50; w++ {
		r.document(p, w, english)
	}
	if n := r.docs.c.Len(); n > 3 {
		t.Fatalf("cache holds %d layouts, bound 3", n)
	}
	if r.document(p, 78, english) == a {
		t.Fatal("an evicted layout came back")
	}
	// A reloaded file (a new hash) renders afresh even at a width in the cache.
	q := *p
	q.Hash = "changed"
	q.Name = "Someone Else"
	if !strings.Contains(r.Text(&q, 80), "Someone Else") || strings.Contains(r.Text(p, 80), "Someone Else") {
		t.Fatal("renderings of two versions of a profile are mixed up")
	}
}

// TestConcurrentRendering renders the same profiles from many goroutines at once, as
// sessions do; run it with -race.
func TestConcurrentRendering(t *testing.T) {
	r := NewRenderer(8) // small: layouts are evicted and rebuilt while others read them
	profs := []*profiles.Profile{bundled(t, "rohit"), bundled(t, "ankush")}
	want := map[string]string{}
	for _, p := range profs {
		want[p.Handle] = NewRenderer(2).Text(p, 80)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				p := profs[(g+i)%2]
				if got := r.Text(p, 80); got != want[p.Handle] {
					errs <- fmt.Errorf("goroutine %d: text of %s differs", g, p.Handle)
					return
				}
				width := 40 + (g*7+i)%60
				m := New(Options{Renderer: r, Profile: p, Width: width, Height: 24, Dark: g%2 == 0, Choices: profs})
				m.Update(keyPress("l"))
				m.Update(keyPress("/"))
				m.Update(keyPress("a"))
				m.Update(keyPress("enter"))
				if !strings.Contains(ansi.Strip(m.View().Content), strings.Fields(p.Name)[0]) {
					errs <- fmt.Errorf("goroutine %d: %s's name is not on screen", g, p.Handle)
					return
				}
				_ = r.ANSI(p, width, g%2 == 0)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func BenchmarkRenderRohit80(b *testing.B) {
	p := bundled(b, "rohit")
	b.ReportAllocs()
	for b.Loop() {
		newDocument(p, 78, english)
	}
}

func BenchmarkTextRohit80(b *testing.B) {
	p := bundled(b, "rohit")
	b.ReportAllocs()
	for b.Loop() {
		linearLines(p, 80, &asciiGlyphs, false, english)
	}
}

func BenchmarkViewerFirstFrame(b *testing.B) {
	r := NewRenderer(16)
	p := bundled(b, "rohit")
	o := Options{Renderer: r, Profile: p, Width: 80, Height: 24, Dark: true}
	New(o).View() // warm the cache, as every session after the first finds it
	b.ReportAllocs()
	var size int
	for b.Loop() {
		m := New(o)
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		size = len(m.View().Content)
	}
	b.ReportMetric(float64(size), "frame-bytes")
}

func BenchmarkKeyNextSection(b *testing.B) {
	p := bundled(b, "rohit")
	m := New(Options{Renderer: NewRenderer(16), Profile: p, Width: 80, Height: 24, Dark: true})
	m.View()
	next := keyPress("l")
	b.ReportAllocs()
	for b.Loop() {
		m.Update(next)
		m.View()
	}
}
