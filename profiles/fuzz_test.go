package profiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	gtext "github.com/yuin/goldmark/text"

	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/markdown"
	"github.com/sshcv/sshcv/profiles/sanitize"
)

// fuzzSeeds are inputs that reach the loader's corners: HTML of every kind, broken
// front matter, escape sequences, deep nesting.
var fuzzSeeds = []string{
	"",
	"# X\n",
	"---\nname: X\naliases: [a, b]\nlinks:\n  - {label: a, url: \"https://a.example\"}\naccent: magenta\n---\n# X\n## S\nbody\n",
	"---\nname: [\n---\n",
	"---\n",
	"# X\n<pre>\n<p>- a<br/>  b\n- <strong>c</strong></p>\n</pre>\n",
	"# X\n<div><a href=\"#\">t</a> <i class=\"fa fa-phone\"></i> <b>x</i></b><!-- c --></div>\n",
	"# X\n## S\n<ul><li>a<ol start=7><li>b</ol></ul><table><tr><td>1<td>2</table>\n",
	"# X\n## S\na <b><i>b</b> c</i> <a href=\"https://x\"><a href=\"https://y\">z</a></a> <code>`</code>\n",
	"# X\n## S\n&lt;div&gt; &amp;amp; &#27;[2J &#x9b; &#0; &#1114112; \\* \\_ \\\\\n",
	"# X \x1b[2J\n## S \x1b]52;c;SGVsbG8=\x07\n\u009b2J \u202e \x07\n",
	"# X\n## S\n" + strings.Repeat("> ", 200) + "deep\n",
	"# X\n## S\n" + strings.Repeat("- ", 200) + "deep\n",
	"# X\n## S\n" + strings.Repeat("<div>", 100) + "deep\n",
	"# X\n## S\n| a | b |\n|:-|-:|\n| `c\\|d` | e |\n\nTerm\n: def\n",
	"X\n===\n\nhello [AT] x.example, +1 555 0100\n\nY\n---\n```go\ncode\n```\n",
	"# X\n## S\n<script>alert(1)</script><style>p{}</style><img alt=\"[x](y)\" src=z>\n",
}

func FuzzParseMarkdown(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, name := range []string{"testdata/seeds/ankush-cv.md", "testdata/seeds/rohit-cv.md", "rohit.md", "ankush.md"} {
		if data, err := os.ReadFile(filepath.FromSlash(name)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := markdown.Parse("x.md", data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not a *profiles.Error: %v", err, err)
			}
			return
		}
		for _, s := range strings.Split(allText(p), "\n") {
			checkSanitized(t, s)
		}
		for _, s := range append([]Section{{Title: "intro", Blocks: p.Intro}}, p.Sections...) {
			if n := htmlNodeIn(doc.Markdown(s.Blocks)); n != "" {
				t.Fatalf("%s: the body holds HTML (%s):\n%s", s.Title, n, doc.Markdown(s.Blocks))
			}
		}
	})
}

// htmlNodeIn parses Markdown as the renderer does and names the first HTML node in it.
func htmlNodeIn(markdown string) string {
	src := []byte(markdown)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(gtext.NewReader(src))
	found := ""
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || found != "" {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML:
			found = "raw HTML " + string(n.Segments.Value(src))
		case *ast.HTMLBlock:
			found = "HTML block " + string(n.Lines().Value(src))
		}
		return ast.WalkContinue, nil
	})
	return found
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"", "plain", "a\x1b[2Jb", "\x1b]52;c;SGVsbG8=\x07", "\x1b]8;;u\x1b\\t\x1b]8;;\x1b\\", "\x1bP+q\x1b\\",
		"\u009b2J", "\u009d0;t\u009c", "\u0090x\u0007", "\u202eabc\u202c", "a\r\nb", "\x00\x7f\x9b\xff",
		"\x1b", "\x1b[", "\x1b]", "\x1b[1;2", "\x1b(0", "é\x1b[1m\u00e9",
	} {
		f.Add(s)
	}
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := sanitize.Text(s)
		checkSanitized(t, out)
		if again := sanitize.Text(out); again != out {
			t.Fatalf("not idempotent: %q, then %q", out, again)
		}
		if len(out) > len(s)*3 {
			t.Fatalf("output grew from %d to %d bytes", len(s), len(out))
		}
	})
}

// checkSanitized fails when s holds anything sanitize.Text must remove.
func checkSanitized(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("invalid UTF-8 in %q", s)
	}
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || sanitize.IsBidiControl(r) {
			t.Fatalf("control %U left in %q", r, s)
		}
	}
}
