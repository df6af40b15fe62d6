package profiles

import (
	"strings"
	"testing"

	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/markdown"
)

// body parses one section of Markdown and returns its body as the viewer receives it.
func body(t *testing.T, markdown string) string {
	t.Helper()
	p := mustParse(t, "x.md", "# X\n\n## S\n\n"+markdown)
	if len(p.Sections) != 1 {
		t.Fatalf("sections = %d", len(p.Sections))
	}
	return doc.Markdown(p.Sections[0].Blocks)
}

func TestInlineHTMLBecomesMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"br", "one<br/>two<br>three", "one  \ntwo  \nthree"},
		{"strong and b", "a <strong>bold</strong> and <b>also</b>", "a **bold** and **also**"},
		{"em and i", "an <em>aside</em> and <i>this</i>", "an _aside_ and _this_"},
		{"emphasis inside a word", "un<em>believ</em>able", "un*believ*able"},
		{"space inside the tags", "x<strong> y </strong>z", "x **y** z"},
		{"empty emphasis", "a <strong></strong>b <em> </em>c", "a b c"},
		{"link", `see <a href="https://x.example/a_(b)">the site</a>`, `see [the site](https://x.example/a_\(b\))`},
		{"placeholder link", `call <a href="#">(+91)-8081172177</a>`, "call (+91)-8081172177"},
		{"script link", `<a href="javascript:alert(1)">click</a>`, "click"},
		{"link without text", `<a href="https://x.example"></a>`, "[https://x.example](https://x.example)"},
		{"bold link", `<strong><a href="https://k.example/loop">Loop</a></strong>`, "**[Loop](https://k.example/loop)**"},
		{"link around bold", `<a href="https://m.example"><strong>MongoDB</strong></a>`, "[**MongoDB**](https://m.example)"},
		{"icons", `<i class="fa fa-envelope"></i> mail <i class="fa fa-phone"></i> call <i class="fa fa-github"></i> gh <i class="fab fa-twitter"></i>tw`, "✉ mail ☎ call gh tw"},
		{"material icon text", `<span class="material-icons">email</span> a@b.example`, "a@b.example"},
		{"comment", "before <!-- secret --> after", "before after"},
		{"entities", "R&amp;D &lt;tag&gt; &copy; &#169; &#x263A;", `R&D \<tag> © © ☺`},
		{"code", "<code>a &lt; b</code> and <kbd>ctrl</kbd>", "`a < b` and `ctrl`"},
		{"image", `<img src="x.png" alt="Logo"> text`, "Logo text"},
		{"unknown tags", `<span style="color:red">red</span> <u>under</u> <font size=2>f</font>`, "red under f"},
		{"script", "a <script>alert(1)</script>b", "a b"},
		{"unclosed bold", "a <b>b c", "a **b c**"},
		{"stray closing tag", "a </b> c", "a c"},
		{"inline block tag splits the paragraph", "one <p>two</p> three", "one\n\ntwo\n\nthree"},
		{"markdown inside a tag", "<strong>*x*</strong> [y](https://y.example)", "**_x_** [y](https://y.example)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := body(t, tt.in); got != tt.want {
				t.Errorf("\n in   %q\n got  %q\n want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTMLBlocksBecomeMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{
			"pre p list",
			"<pre>\n<p>- Built <strong>Pushman</strong>.<br/>  Scaled it.\n- Used <strong>Go</strong>\n</p>\n</pre>\n",
			"- Built **Pushman**.  \n  Scaled it.\n- Used **Go**",
		},
		{
			"div with links and icons",
			"<div id=\"web\">\n<a href=\"http://d.example\">d.example</a>\n|\n<i class=\"fa fa-envelope\"></i> <a href=\"mailto:d@x.example\">d@x.example</a>\n</div>\n",
			"[d.example](http://d.example)\n\\|\n✉ [d@x.example](mailto:d@x.example)",
		},
		{
			"br swallowing a heading",
			"<br/>\n### MakeMyMails\n\ntext\n",
			"### MakeMyMails\n\ntext",
		},
		{
			"html list",
			"<ul>\n  <li>one <b>bold</b></li>\n  <li>two\n    <ol start=\"3\"><li>three</li><li>four</li></ol>\n  </li>\n</ul>\n",
			"- one **bold**\n\n- two\n\n  3. three\n  4. four",
		},
		{
			"pre code",
			"<pre><code>if a &lt; b {\n    return\n}</code></pre>\n",
			"```\nif a < b {\n    return\n}\n```",
		},
		{
			"headings, quotes and rules",
			"<div>\n<h4>Title</h4>\n<blockquote>Quoted <em>text</em></blockquote>\n<hr>\n<p>After</p>\n</div>\n",
			"#### Title\n\n> Quoted _text_\n\n* * *\n\nAfter",
		},
		{
			"definition list",
			"<dl>\n<dt>Go</dt><dd>a language</dd>\n<dt>Rust</dt><dd>another</dd>\n</dl>\n",
			"**Go**  \na language\n\n**Rust**  \nanother",
		},
		{
			"table",
			"<table>\n<tr><th>Year</th><th>Award</th></tr>\n<tr><td>2014</td><td>Winner</td></tr>\n</table>\n",
			"Year · Award  \n2014 · Winner",
		},
		{
			"bold across a paragraph end",
			"<div><b>one</p><p>two</b></div>\n",
			"**one**\n\n**two**",
		},
		{
			"comment block",
			"<!--Last updated: Feb 22 2019 -->\n",
			"",
		},
		{
			"encoded tags stay text",
			"<div>&lt;div&gt;not a tag&lt;/div&gt;</div>\n",
			`\<div>not a tag\</div>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := body(t, tt.in); got != tt.want {
				t.Errorf("\n in   %q\n got  %q\n want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestBodiesReadBackTheSame checks the promise made to the renderer: the Markdown written
// into bodies, parsed again, gives the same Markdown.
func TestBodiesReadBackTheSame(t *testing.T) {
	for _, f := range []string{"testdata/seeds/ankush-cv.md", "testdata/seeds/rohit-cv.md", "rohit.md", "ankush.md"} {
		p := mustParseFile(t, f)
		for _, s := range append([]Section{{Title: "intro", Blocks: p.Intro}}, p.Sections...) {
			again := doc.Markdown(markdown.Blocks(doc.Markdown(s.Blocks)))
			if again != doc.Markdown(s.Blocks) {
				t.Errorf("%s, %s: the body reads back differently:\n%s", f, s.Title, lineDiff(doc.Markdown(s.Blocks), again))
			}
			if strings.Contains(doc.Markdown(s.Blocks), "<!--") {
				t.Errorf("%s, %s: a comment survived", f, s.Title)
			}
		}
	}
}
