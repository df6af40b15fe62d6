package web

import (
	"strings"
	"testing"

	"github.com/sshcv/sshcv/profiles"
)

func TestMarkdownHTML(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"paragraph", "Hello **world**", "<p>Hello <strong>world</strong></p>\n"},
		{"headings start at h3", "# One\n\n### Three\n\n###### Six", "<h3>One</h3>\n<h3>Three</h3>\n<h6>Six</h6>\n"},
		{"nested lists", "1. a\n   * b\n", "<ol>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ol>\n"},
		{"bare link is marked for print", "<https://github.com/rohit01>",
			`<p><a href="https://github.com/rohit01" class="url">https://github.com/rohit01</a></p>` + "\n"},
		{"labelled link is not", "[GitHub](https://github.com/rohit01)", `<p><a href="https://github.com/rohit01">GitHub</a></p>` + "\n"},
		{"a bare address is text, as in the viewer", "see www.rohit.io now", "<p>see www.rohit.io now</p>\n"},
		{"email autolink", "<hello@rohit.io>", `<p><a href="mailto:hello@rohit.io" class="url">hello@rohit.io</a></p>` + "\n"},
		{"relative link is text", "[home](/) [top](#top)", "<p>home top</p>\n"},
		{"an image is its alt text", "![Talk slides](https://example.com/s.png)", "<p>Talk slides</p>\n"},
		{"image without alt", "![](https://example.com/s.png)", ""},
		{"date in text", "Engineer (January 2016 - present)",
			`<p>Engineer (<time datetime="2016-01">January 2016</time> - present)</p>` + "\n"},
		{"abbreviated month with comma", "*last update: Apr, 2017*",
			`<p><em>last update: <time datetime="2017-04">Apr, 2017</time></em></p>` + "\n"},
		{"year-month and full date", "from 2017-12 to 2018-10-03",
			`<p>from <time datetime="2017-12">2017-12</time> to <time datetime="2018-10-03">2018-10-03</time></p>` + "\n"},
		{"month range sharing a year", "`May – Aug 2016`",
			`<p><span class="when"><time datetime="2016-05">May</time> – <time datetime="2016-08">Aug 2016</time></span></p>` + "\n"},
		{"year range", "B. Tech (2007-2011)", `<p>B. Tech (<time datetime="2007">2007</time>-<time datetime="2011">2011</time>)</p>` + "\n"},
		{"year to present", "2014 – Present", `<p><time datetime="2014">2014</time> – Present</p>` + "\n"},
		{"a lone number is no date", "500 servers in 2048 racks", "<p>500 servers in 2048 racks</p>\n"},
		{"code span of dates", "`2012-2016`\nB.Tech",
			`<p><span class="when"><time datetime="2012">2012</time>-<time datetime="2016">2016</time></span>` + "\nB.Tech</p>\n"},
		{"code span of short dates", "`Dec 17-Oct 18`",
			`<p><span class="when"><time datetime="2017-12">Dec 17</time>-<time datetime="2018-10">Oct 18</time></span></p>` + "\n"},
		{"code span of one year", "`2011`", `<p><span class="when"><time datetime="2011">2011</time></span></p>` + "\n"},
		{"code span that is code", "`go test ./... # 2011`", "<p><code>go test ./... # 2011</code></p>\n"},
		{"code span escapes", "`<b>`", "<p><code>&lt;b&gt;</code></p>\n"},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"},
		{"hard break", "one  \ntwo", "<p>one<br>\ntwo</p>\n"},
		{"inline html is what it means", "a <b>bold</b> move <script>x</script>", "<p>a <strong>bold</strong> move</p>\n"},
		{"text that reads as html is text", "a &lt;b&gt; tag", "<p>a &lt;b&gt; tag</p>\n"},
		{"entities", "AT&T &amp; co", "<p>AT&amp;T &amp; co</p>\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := blocksHTML(profiles.MarkdownBlocks(c.in))
			if string(got) != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestUniqueID(t *testing.T) {
	seen := map[string]int{"main": 1}
	var got []string
	for _, title := range []string{"Work Experience", "Technologies/Tools", "Main", "Work experience", "", "Über uns", "C++"} {
		got = append(got, uniqueID(seen, title))
	}
	want := "work-experience technologies-tools main-2 work-experience-2 section über-uns c"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
}
