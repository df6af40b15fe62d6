package profiles

import (
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/profiles/doc"
)

// TestAccentIsOneRule: an accent means the same in a Markdown front matter and in a
// JSON Resume's meta.sshcv: accepted by both ("purple" once passed only in JSON) and
// rejected by both with a position, kept in the one normalised form.
func TestAccentIsOneRule(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"purple", "5"}, {"magenta", "5"}, {"Bright-Blue", "12"}, {"#ABC", "#aabbcc"}, {"212", "212"},
	} {
		md, err := Parse("profiles/x.md", []byte("---\naccent: \""+c.in+"\"\n---\n# X\n"), time.Time{})
		if err != nil {
			t.Fatalf("Markdown, accent %q: %v", c.in, err)
		}
		js, err := Parse("profiles/x.json", []byte(`{"basics": {"name": "X"}, "meta": {"sshcv": {"accent": "`+c.in+`"}}}`), time.Time{})
		if err != nil {
			t.Fatalf("JSON Resume, accent %q: %v", c.in, err)
		}
		if md.Accent != c.want || js.Accent != c.want {
			t.Errorf("accent %q: Markdown %q, JSON Resume %q, want %q", c.in, md.Accent, js.Accent, c.want)
		}
	}
	for _, bad := range []string{"violet-ish", "256", "#12345"} {
		if _, err := Parse("profiles/x.md", []byte("---\naccent: \""+bad+"\"\n---\n# X\n"), time.Time{}); err == nil {
			t.Errorf("Markdown accepted accent %q", bad)
		}
		_, err := Parse("profiles/x.json", []byte("{\"basics\": {\"name\": \"X\"},\n \"meta\": {\"sshcv\": {\"accent\": \""+bad+"\"}}}"), time.Time{})
		if err == nil || !strings.Contains(err.Error(), "profiles/x.json:2:") || !strings.Contains(err.Error(), "is not a colour") {
			t.Errorf("JSON Resume, accent %q: error %v, want one at line 2", bad, err)
		}
	}
}

// TestContactsAreOneList: every output lists the same contacts, in one order, with one
// tel: form and the user names a JSON Resume gives.
func TestContactsAreOneList(t *testing.T) {
	p, err := Parse("profiles/x.json", []byte(`{"basics": {"name": "X", "email": "x@example.org", "phone": "+91-80811 72177",
		"url": "https://x.example/",
		"profiles": [{"network": "Twitter", "username": "xname", "url": "https://twitter.com/xname"},
		             {"network": "GitHub", "username": "xgh"}]}}`), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range p.Contacts() {
		got = append(got, c.Name()+": "+c.Shown(" · ")+" <"+c.URL+">")
	}
	want := []string{
		"Email: x@example.org <mailto:x@example.org>",
		"Phone: +91-80811 72177 <tel:+918081172177>",
		"x.example: x.example <https://x.example/>",
		"Twitter: @xname · twitter.com/xname <https://twitter.com/xname>",
		"GitHub: @xgh · github.com/xgh <https://github.com/xgh>",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("contacts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	bad := &Profile{Links: []Link{{Label: "x", URL: "javascript:alert(1)"}}}
	if c := bad.Contacts(); len(c) != 1 || c[0].URL != "" {
		t.Errorf("an unsafe link keeps its label and loses its target: %+v", c)
	}
	if doc.TelURI("+91-8081172177") != "tel:+918081172177" {
		t.Error("tel: keeps digits and the leading + only")
	}
}
