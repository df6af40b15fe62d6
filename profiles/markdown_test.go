package profiles

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/markdown"
	"github.com/sshcv/sshcv/profiles/sanitize"
)

func init() {
	// Registered only once for the whole package: other test files of the package use
	// updateGolden() too.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata/golden")
	}
}

// updateGolden reports whether the test run was asked to rewrite golden files (-update).
func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// dumpProfile writes a profile as a reader would check it: every field, then each
// section's title and body.
func dumpProfile(p *Profile) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\nheadline: %s\naliases: %s\nlocation: %s\nemail: %s\nphone: %s\naccent: %s\ndefault: %v\n",
		p.Name, p.Headline, strings.Join(p.Aliases, ", "), p.Location, p.Email, p.Phone, p.Accent, p.Default)
	for _, l := range p.Links {
		fmt.Fprintf(&b, "link: %s <%s>\n", l.Label, l.URL)
	}
	var titles []string
	for _, s := range p.Sections {
		titles = append(titles, s.Title)
	}
	fmt.Fprintf(&b, "sections: %s\n", strings.Join(titles, " | "))
	fmt.Fprintf(&b, "\n==== intro\n%s\n", doc.Markdown(p.Intro))
	for _, s := range p.Sections {
		fmt.Fprintf(&b, "\n==== %s\n%s\n", s.Title, doc.Markdown(s.Blocks))
	}
	return b.String()
}

// checkGolden compares got with testdata/golden/name, or rewrites it under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if updateGolden() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file %s (run with -update to accept):\n%s", t.Name(), path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first lines where want and got part.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, wl, gl)
		}
	}
	return "(same lines)"
}

func mustParse(t *testing.T, name string, data string) *Profile {
	t.Helper()
	p, err := markdown.Parse(name, []byte(data))
	if err != nil {
		t.Fatalf("markdown.Parse(%s): %v", name, err)
	}
	return p
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustParseFile(t *testing.T, path string) *Profile {
	t.Helper()
	return mustParse(t, path, string(mustReadFile(t, path)))
}

// allText is every string of a profile, for checks that nothing unwanted got through.
func allText(p *Profile) string {
	parts := []string{p.Name, p.Headline, p.Location, p.Email, p.Phone, p.Accent, doc.Markdown(p.Intro)}
	parts = append(parts, p.Aliases...)
	for _, l := range p.Links {
		parts = append(parts, l.Label, l.URL)
	}
	for _, s := range p.Sections {
		parts = append(parts, s.Title, doc.Markdown(s.Blocks))
	}
	return strings.Join(parts, "\n")
}

var (
	tagText    = regexp.MustCompile(`<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^>]*)?/?>|<!--`)
	entityText = regexp.MustCompile(`&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);`)
)

// assertNoMarkup fails when HTML tag text, an entity or an icon class got into p. An
// autolink (<https://…>) is Markdown, not a tag.
func assertNoMarkup(t *testing.T, p *Profile) {
	t.Helper()
	text := allText(p)
	for _, m := range tagText.FindAllString(text, -1) {
		if !strings.HasPrefix(m, "<http") && !strings.HasPrefix(m, "<mailto") {
			t.Errorf("tag text %q reached the profile", m)
		}
	}
	if m := entityText.FindString(text); m != "" {
		t.Errorf("entity %q reached the profile", m)
	}
	if strings.Contains(text, "fa-") {
		t.Errorf("an icon class reached the profile")
	}
}

func TestSeedCVsGolden(t *testing.T) {
	for _, seed := range []string{"ankush-cv.md", "rohit-cv.md"} {
		t.Run(seed, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "seeds", seed))
			if err != nil {
				t.Fatal(err)
			}
			p := mustParse(t, "testdata/seeds/"+seed, string(data))
			assertNoMarkup(t, p)
			checkGolden(t, "seed-"+strings.TrimSuffix(seed, ".md")+".golden", dumpProfile(p))
		})
	}
}

func TestSeedCVsShape(t *testing.T) {
	data, _ := os.ReadFile("testdata/seeds/ankush-cv.md")
	ankush := mustParse(t, "ankush-cv.md", string(data))
	data, _ = os.ReadFile("testdata/seeds/rohit-cv.md")
	rohit := mustParse(t, "rohit-cv.md", string(data))

	tests := []struct {
		p        *Profile
		name     string
		email    string
		phone    string
		sections []string
		links    []Link
	}{
		{
			p: ankush, name: "Ankush Sharma", email: "darxtrix@gmail.com", phone: "(+91)-8081172177",
			sections: []string{"About Me", "Education", "Technologies/Tools", "Interests", "Work Experience",
				"Past Internships", "Conference Talks", "Open Source Projects", "Activities"},
			links: []Link{{Label: "darxtrix.in", URL: "http://darxtrix.in"}, {Label: "GitHub", URL: "https://github.com/darxtrix"},
				{Label: "Twitter", URL: "https://twitter.com/darxtrix"}},
		},
		{
			p: rohit, name: "Rohit Gupta", email: "hello@rohit.io",
			sections: []string{"Experience Summary", "Technical Skills", "Projects", "Achievements",
				"Initiatives", "Educational Qualification", "Recommendations"},
			links: []Link{{Label: "Blog", URL: "http://www.rohit.io"}, {Label: "Github", URL: "https://github.com/rohit01"},
				{Label: "LinkedIn", URL: "http://www.linkedin.com/in/rohit01"}, {Label: "Docker Hub", URL: "https://hub.docker.com/r/rohit01"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			if p.Name != tt.name || p.Email != tt.email || p.Phone != tt.phone {
				t.Errorf("name, email, phone = %q, %q, %q; want %q, %q, %q", p.Name, p.Email, p.Phone, tt.name, tt.email, tt.phone)
			}
			var titles []string
			for _, s := range p.Sections {
				titles = append(titles, s.Title)
			}
			if strings.Join(titles, "|") != strings.Join(tt.sections, "|") {
				t.Errorf("sections = %q\nwant %q", titles, tt.sections)
			}
			if fmt.Sprint(p.Links) != fmt.Sprint(tt.links) {
				t.Errorf("links = %v\nwant %v", p.Links, tt.links)
			}
		})
	}
	// the <pre><p> blocks of static-site CVs are Markdown lists, and stay lists
	if body := doc.Markdown(ankush.Sections[ankush.SectionIndex("technologies")].Blocks); !strings.HasPrefix(body, "- Proficient at **Python**") {
		t.Errorf("Technologies/Tools is not a list:\n%s", body)
	}
	// nested numbered lists keep their structure
	if body := doc.Markdown(rohit.Sections[0].Blocks); !strings.Contains(body, "\n\n2. **Company: Knowlarity - <http://www.knowlarity.com> (1 year, 6 months)**  \n   Knowlarity") {
		t.Errorf("Experience Summary lost its numbered list:\n%s", body)
	}
}

// mdSection is a section as Markdown: its title and its body written out.
type mdSection struct{ Title, Body string }

func TestMarkdownStructure(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		intro string
		secs  []mdSection
	}{
		{
			name:  "setext headings",
			in:    "Jane Doe\n========\n\nhello\n\nWork\n----\n\n### Acme\n\ntext\n",
			intro: "hello",
			secs:  []mdSection{{"Work", "### Acme\n\ntext"}},
		},
		{
			name: "no sections becomes About",
			in:   "# Jane\n\nJust a *short* page.\n",
			secs: []mdSection{{"About", "Just a _short_ page."}},
		},
		{
			name: "reference links are resolved",
			in:   "# Jane\n\n## Links\n\nSee [my site][site] and [this][].\n\n[site]: https://example.com \"Title\"\n[this]: <https://example.org/a b>\n",
			secs: []mdSection{{"Links", "See [my site](https://example.com) and [this](https://example.org/a%20b)."}},
		},
		{
			name: "trailing colon and deeper headings",
			in:   "# Jane\n\n## Skills:\n\n#### Go\n\n- a\n  1. one\n  2. two\n",
			secs: []mdSection{{"Skills", "#### Go\n\n- a\n  1. one\n  2. two"}},
		},
		{
			name: "code spans, hard breaks and autolinks are kept",
			in:   "# Jane\n\n## Education\n\n`2012-2016`  \nB.Tech, <https://iitbhu.ac.in>\\\nand `a`` b`\n",
			secs: []mdSection{{"Education", "`2012-2016`  \nB.Tech, <https://iitbhu.ac.in>  \nand ```a`` b```"}},
		},
		{
			name: "blockquotes and definition lists stay readable",
			in:   "# Jane\n\n## Quotes\n\n> She is *great*.\n>\n> — Bob\n\nGo\n: a language\n\nRust\n: another\n",
			secs: []mdSection{{"Quotes", "> She is _great_.\n>\n> — Bob\n\n**Go**  \na language\n\n**Rust**  \nanother"}},
		},
		{
			name: "text that looks like syntax is escaped",
			in:   "# Jane\n\n## Notes\n\n2019\\. a year, 5 \\* 3, \\# not a heading, a\\_b\\_c, &lt;b&gt; &amp;amp;\n",
			secs: []mdSection{{"Notes", "2019\\. a year, 5 \\* 3, # not a heading, a_b_c, \\<b> \\&amp;"}},
		},
		{
			name:  "a later H1 starts a section",
			in:    "# Jane\n\nintro\n\n# Work\n\nAcme\n",
			intro: "intro",
			secs:  []mdSection{{"Work", "Acme"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, "x.md", tt.in)
			if doc.Markdown(p.Intro) != tt.intro {
				t.Errorf("intro = %q, want %q", doc.Markdown(p.Intro), tt.intro)
			}
			var got []mdSection
			for _, s := range p.Sections {
				got = append(got, mdSection{s.Title, doc.Markdown(s.Blocks)})
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.secs) {
				t.Errorf("sections:\n got  %q\n want %q", got, tt.secs)
			}
		})
	}
}

func TestFrontMatter(t *testing.T) {
	p := mustParse(t, "profiles/jane.md", `---
layout: cv
title: Jane's CV
name: Jane Doe
headline: Engineer
aliases: [JaneD, jane.doe]
location: Berlin
email: mailto:jane@example.com
phone: "+49 30 1234567"
links:
  - {label: Site, url: "https://jane.example"}
  - url: https://github.com/jane
accent: "#F0A"
default: true
---
# Not the name

Reach me at [my blog](https://blog.example).

## Work

Acme
`)
	want := "name: Jane Doe\nheadline: Engineer\naliases: janed, jane.doe\nlocation: Berlin\nemail: jane@example.com\nphone: +49 30 1234567\naccent: #ff00aa\ndefault: true\nlink: Site <https://jane.example>\nlink: GitHub <https://github.com/jane>\nsections: Work\n"
	if got := dumpProfile(p); !strings.HasPrefix(got, want) {
		t.Errorf("profile:\n%s\nwant it to start with:\n%s", got, want)
	}

	for in, want := range map[string]string{"magenta": "5", "Bright Red": "9", "212": "212", "\"#7D56F4\"": "#7d56f4", "'#abc'": "#aabbcc", "0": "0"} {
		p := mustParse(t, "x.md", "---\naccent: "+in+"\n---\n# X\n")
		if p.Accent != want {
			t.Errorf("accent %q = %q, want %q", in, p.Accent, want)
		}
	}
}

func TestContactsFromIntro(t *testing.T) {
	p := mustParse(t, "x.md", `# Jane

Mail: jane [at] example [dot] org · Phone: 030 1234 5678 · born 2012-2016
[Résumé](https://example.com/cv.pdf) | <https://gitlab.com/jane> | [call](tel:+4930123)

## Work
`)
	if p.Email != "jane@example.org" || p.Phone != "030 1234 5678" {
		t.Errorf("email, phone = %q, %q", p.Email, p.Phone)
	}
	want := []Link{{Label: "Résumé", URL: "https://example.com/cv.pdf"}, {Label: "GitLab", URL: "https://gitlab.com/jane"}}
	if fmt.Sprint(p.Links) != fmt.Sprint(want) {
		t.Errorf("links = %v, want %v", p.Links, want)
	}
	// a date range is no phone number
	p = mustParse(t, "x.md", "# Jane\n\n`2012-2016` B.Tech\n\n## Work\n")
	if p.Phone != "" {
		t.Errorf("phone = %q, want none", p.Phone)
	}
}

func TestMarkdownErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"unterminated front matter", "---\nname: X\n# X\n", `profiles/x.md:1:1: front matter: no closing "---" line`},
		{"broken YAML", "---\nname: X\nlinks: [a, b\n---\n# X\n", "profiles/x.md:3:8: front matter: sequence end token ']' not found"},
		{"bad indentation", "---\nname: X\n  headline: y\n---\n# X\n", "profiles/x.md:2:7: front matter: mapping value is not allowed in this context"},
		{"aliases not a list", "---\nname: X\naliases: rohit\n---\n# X\n", "profiles/x.md:3:10: aliases: expected a list of names"},
		{"alias not a name", "---\naliases:\n  - ok\n  - [nested]\n---\n# X\n", "profiles/x.md:4:5: aliases: expected a list of names"},
		{"bad alias", "---\naliases: [good, \"../../etc/passwd\"]\n---\n# X\n", `profiles/x.md:2:17: aliases: "../../etc/passwd" is not a valid name (1 to 32 of a-z, 0-9, '.', '_', '-', starting with a letter or digit)`},
		{"alias too long", "---\naliases: [" + strings.Repeat("a", 33) + "]\n---\n# X\n", `profiles/x.md:2:11: aliases: "` + strings.Repeat("a", 33) + `" is not a valid name (1 to 32 of a-z, 0-9, '.', '_', '-', starting with a letter or digit)`},
		{"bad accent", "---\naccent: \"#12345\"\n---\n# X\n", `profiles/x.md:2:9: accent: "#12345" is not a colour (use #rrggbb, #rgb, an ANSI number 0-255 or a colour name such as magenta)`},
		{"unquoted accent", "---\nname: X\naccent: #7D56F4\n---\n", `profiles/x.md:3:9: accent: put the colour in quotes (accent: "#7D56F4"): an unquoted # starts a YAML comment`},
		{"accent out of range", "---\naccent: 256\n---\n# X\n", `profiles/x.md:2:9: accent: "256" is not a colour (use #rrggbb, #rgb, an ANSI number 0-255 or a colour name such as magenta)`},
		{"name not text", "---\nname: [a, b]\n---\n", "profiles/x.md:2:7: name: expected text"},
		{"default not bool", "---\ndefault: yes please\n---\n# X\n", "profiles/x.md:2:10: default: expected true or false"},
		{"links not a list", "---\nlinks: https://x.example\n---\n# X\n", "profiles/x.md:2:8: links: expected a list of {label, url}"},
		{"link without scheme", "---\nlinks:\n  - label: GitHub\n    url: github.com/x\n---\n# X\n", `profiles/x.md:4:10: links: "github.com/x" is not a full URL (start it with https:// or mailto:)`},
		{"script link", "---\nlinks:\n  - {label: x, url: \"javascript:alert(1)\"}\n---\n# X\n", `profiles/x.md:3:21: links: "javascript:alert(1)" is not a full URL (start it with https:// or mailto:)`},
		{"key given twice", "---\nname: A\nname: B\n---\n", "profiles/x.md:3:1: name: given twice (first on line 2)"},
		{"front matter not a mapping", "---\n- a\n- b\n---\n# X\n", `profiles/x.md:2:1: front matter: expected "key: value" lines`},
		{"front matter too long", "---\nname: X\n" + strings.Repeat("# comment\n", 4000) + "---\n", `profiles/x.md:2: front matter: longer than 32 KiB; the CV itself goes below the closing "---"`},
		{"no name", "Just text.\n", `profiles/x.md:1: no name: add "name: …" to the front matter or start with a "# Name" heading`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := markdown.Parse("profiles/x.md", []byte(tt.in))
			if err == nil {
				t.Fatalf("no error; profile %+v", p)
			}
			var perr *Error
			if !errors.As(err, &perr) {
				t.Errorf("error %T is not a *profiles.Error", err)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got  %s\n want %s", err, tt.want)
			}
		})
	}
}

func TestFrontMatterIgnoresUnknownKeysAndNulls(t *testing.T) {
	p := mustParse(t, "x.md", "---\nlayout: cv\ntitle: Ankush Sharma's cv\npermalink: /cv/\nemail:\n---\n# Ankush\n\n## A\n")
	if p.Name != "Ankush" || p.Email != "" {
		t.Errorf("name, email = %q, %q", p.Name, p.Email)
	}
	// CRLF files and a byte order mark read like plain LF files
	p = mustParse(t, "x.md", "\ufeff---\r\nname: Jane\r\n---\r\n\r\n## Work\r\n\r\nAcme  \r\nInc\r\n")
	if p.Name != "Jane" || len(p.Sections) != 1 || doc.Markdown(p.Sections[0].Blocks) != "Acme  \nInc" {
		t.Errorf("CRLF profile: %q %d sections", p.Name, len(p.Sections))
	}
}

// hostile is a profile full of terminal escape sequences: screen clears, an OSC 52
// clipboard write, C1 controls, BEL, bidi overrides, and references that decode to them.
const hostile = "---\nname: \"Eve\\e[2J\\u009b2J\\u202e\"\nheadline: \"\\e]52;c;SGVsbG8=\\aboss\"\n" +
	"location: \"\\u0007Paris\\u200f\"\nemail: \"eve@example.com\\e[0m\"\nphone: \"+1 555\\u009b2J 0100\"\n" +
	"links:\n  - label: \"Site\\e]8;;http://evil\\e\\\\\"\n    url: \"https://eve.example/\\u009b31m\"\n---\n" +
	"# Eve \x1b[31mRed\n\nintro \x1b]52;c;SGVsbG8=\x07 and \u202eevil\u202c &#27;(2J &#x9b;1m &#155;\n\n" +
	"## Work \x1b[1mBold\n\n\x1b[?1049h body \u009b2J\x07 `code \x1b[2J` [link \x1b[5m](https://x.example/\x1b[2J)\n" +
	"<b>bold\x1b[0m</b> <a href=\"https://x.example/&#27;[2J\">a</a> \x1bP+q544e\x1b\\ end\x7f\n"

func TestEscapeSequencesNeverReachTheProfile(t *testing.T) {
	p := mustParse(t, "x.md", hostile)
	for _, field := range strings.Split(allText(p), "\n") {
		for _, r := range field {
			if (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || sanitize.IsBidiControl(r) {
				t.Errorf("control %U in %q", r, field)
			}
		}
		for _, bad := range []string{"52;c;", "SGVsbG8", "2J", "544e", "8;;http", "1049h", "31m"} {
			if strings.Contains(field, bad) {
				t.Errorf("escape payload %q left in %q", bad, field)
			}
		}
	}
	if p.Name != "Eve" || p.Headline != "boss" || p.Location != "Paris" || p.Email != "eve@example.com" || p.Phone != "+1 555 0100" {
		t.Errorf("fields: %q %q %q %q %q", p.Name, p.Headline, p.Location, p.Email, p.Phone)
	}
}

func TestParseMarkdownConcurrently(t *testing.T) {
	want := dumpProfile(mustParseFile(t, "testdata/seeds/ankush-cv.md"))
	data := mustReadFile(t, "testdata/seeds/ankush-cv.md")
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			p, err := markdown.Parse("testdata/seeds/ankush-cv.md", data)
			switch {
			case err != nil:
				errs <- err.Error()
			case dumpProfile(p) != want:
				errs <- "a concurrent parse gave a different profile"
			default:
				errs <- ""
			}
		}()
	}
	for range 8 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

func TestParseMarkdownDoesNotChangeItsInput(t *testing.T) {
	data, _ := os.ReadFile("testdata/seeds/ankush-cv.md")
	keep := bytes.Clone(data)
	if _, err := markdown.Parse("x.md", data); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, keep) {
		t.Error("ParseMarkdown changed the bytes it was given")
	}
}

// A hostile nesting depth is refused at once with its line, instead of stalling the
// parser (its time grows with the square of the depth) and with it every reload.
func TestDeepBlockquotesAreRefused(t *testing.T) {
	data := "---\nname: X\n---\n## A\n\n> fine\n> > fine too\n" + strings.Repeat("> ", 40) + "deep\n"
	_, err := markdown.Parse("profiles/x.md", []byte(data))
	want := "profiles/x.md:8:1: blockquotes nested 40 deep; at most 32 are read"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	start := time.Now()
	_, err = markdown.Parse("profiles/x.md", []byte("# X\n\n## A\n\n"+strings.Repeat(">", 1<<20-20)+"\n"))
	if err == nil || !strings.Contains(err.Error(), "profiles/x.md:5:1: blockquotes nested") {
		t.Fatalf("a 1 MiB line of '>': err = %v", err)
	}
	t.Logf("refused a 1 MiB line of '>' in %v", time.Since(start))
}
