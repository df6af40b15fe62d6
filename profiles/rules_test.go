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
	if card := string(ExportVCard(bad)); strings.Contains(card, "javascript:") {
		t.Errorf("the vCard carries a link no front end would follow:\n%s", card)
	}
	card := string(ExportVCard(p))
	for _, want := range []string{"EMAIL:x@example.org", "TEL;VALUE=text:+91-80811 72177", "URL:https://x.example/", "URL:https://github.com/xgh"} {
		if !strings.Contains(card, want+"\r\n") {
			t.Errorf("the vCard lacks %s:\n%s", want, card)
		}
	}
	if doc.TelURI("+91-8081172177") != "tel:+918081172177" {
		t.Error("tel: keeps digits and the leading + only")
	}
}

// TestMarkdownCVsHaveEntries: a Markdown CV's sections carry the entries its text
// shows, so that an output laying entries out (dates to the right of a title) need not
// read the text again.
func TestMarkdownCVsHaveEntries(t *testing.T) {
	var rohit *Profile
	for _, p := range bundledProfiles(t) {
		if p.Handle == "rohit" {
			rohit = p
		}
	}
	s := rohit.Sections[rohit.SectionIndex("experience")]
	var got []string
	for _, e := range s.Entries {
		got = append(got, e.Organization+" | "+e.Title+" | "+e.Dates.String())
	}
	want := []string{
		"ANI Technologies (aka OlaCabs) | Production Engineer II | Jan 2016 – Present",
		"Knowlarity | Technical Lead - DevOps | Jun 2014 – Nov 2015",
	}
	if len(got) < len(want) || strings.Join(got[:len(want)], "\n") != strings.Join(want, "\n") {
		t.Errorf("experience entries:\n%s\nwant first:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range s.Entries {
		if len(e.Highlights) == 0 && len(e.Summary) == 0 {
			t.Errorf("%s: no text", e.Title)
		}
	}
}

// TestResumeProseIsBounded: a JSON Resume's summary is read as Markdown, but a JSON file
// is not pre-scanned like a Markdown one (its \u escapes could hide the marks), so
// text past the mark bound is kept as text rather than parsed in quadratic time.
func TestResumeProseIsBounded(t *testing.T) {
	summary := strings.Repeat(`[a](\u0028`, 4000)
	p, err := Parse("profiles/x.json", []byte(`{"basics": {"name": "X", "summary": "`+summary+`"}}`), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	b := p.Sections[0].Blocks
	if len(b) != 1 || len(b[0].Inlines) != 1 || b[0].Inlines[0].Kind != doc.Text || !strings.HasPrefix(b[0].Inlines[0].Text, "[a]((") {
		t.Errorf("the summary was parsed: %d blocks", len(b))
	}
}
