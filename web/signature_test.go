package web

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/sshcv/sshcv/profiles"
)

func TestPageURL(t *testing.T) {
	for _, c := range []struct{ web, want string }{
		{"", "https://cv.rohit.io/rohit"},
		{"https://rohit.io", "https://rohit.io/rohit"},
		{"https://rohit.io/", "https://rohit.io/rohit"},
		{"https://rohit.io/cv", "https://rohit.io/cv"},
		{"http://localhost:8080", "http://localhost:8080/rohit"},
	} {
		if got := PageURL("rohit", "cv.rohit.io", c.web); got != c.want {
			t.Errorf("PageURL(%q) = %q, want %q", c.web, got, c.want)
		}
	}
}

func TestSignatureText(t *testing.T) {
	p := rohit(t)
	got := SignatureText(p, "cv.rohit.io", 22, "")
	want := "Rohit Gupta\nProduction Engineer\nCV: ssh rohit@cv.rohit.io\n    https://cv.rohit.io/rohit\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	got = SignatureText(&profiles.Profile{Handle: "ankush"}, "cv.example.com", 2222, "https://example.com/ankush-cv")
	want = "ankush\nCV: ssh -p 2222 ankush@cv.example.com\n    https://example.com/ankush-cv\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestSignatureHTML(t *testing.T) {
	p := rohit(t)
	got := SignatureHTML(p, "cv.rohit.io", 22, "")
	golden(t, "signature.html", []byte(got))

	doc, err := html.Parse(strings.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	var links []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "a":
				links = append(links, n)
			case "style", "script", "img", "link", "div", "table":
				t.Errorf("<%s> in the signature: mail clients drop or block it", n.Data)
			}
		}
	})
	if len(links) != 1 {
		t.Fatalf("%d links, want 1", len(links))
	}
	var href string
	for _, a := range links[0].Attr {
		if a.Key == "href" {
			href = a.Val
		}
	}
	if href != "https://cv.rohit.io/rohit" || links[0].FirstChild == nil || links[0].FirstChild.Data != "ssh rohit@cv.rohit.io" {
		t.Errorf("link %q with text %v", href, links[0].FirstChild)
	}

	hostile := &profiles.Profile{Handle: "x", Name: `<b onmouseover="alert(1)">x</b>`, Headline: "A & B"}
	out := SignatureHTML(hostile, "cv.example.com", 22, "")
	if strings.Contains(out, "<b ") || !strings.Contains(out, "&lt;b onmouseover=&#34;alert(1)&#34;&gt;x&lt;/b&gt;") || !strings.Contains(out, "A &amp; B") {
		t.Errorf("profile text not escaped:\n%s", out)
	}
}
