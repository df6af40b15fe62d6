package profiles

import (
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/profiles/cv"
)

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"rohit@example.com": true, "a.b+cv@mail.example.co.uk": true, "x_y-z@sub-domain.example": true,
		"jürgen@bücher.de": true, "ana@bücher.de": true,
		"": false, "rohit": false, "rohit@": false, "@example.com": false, "rohit@localhost": false,
		"Rohit <rohit@example.com>": false, "rohit@example.com (work)": false, `"r o"@example.com`: false,
		"rohit@@example.com": false, "rohit@exa mple.com": false, "rohit@example..com": false,
		"rohit@-example.com": false, "rohit@example.com\x1b]52;c;aGk=\a": false,
		"javascript:alert(1)//@x.com": false, strings.Repeat("a", 250) + "@x.com": false,
		"https://example.com": false, "+49 30 1234567": false,
	} {
		if got := cv.ValidEmail(s); got != want {
			t.Errorf("cv.ValidEmail(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestAProfileEmailIsAnAddress(t *testing.T) {
	for _, tc := range []struct{ file, text, want string }{
		{"profiles/a.md", "---\nname: Ada\nemail: call me maybe\n---\n", `profiles/a.md:3:8: email: "call me maybe" is not an e-mail address`},
		{"profiles/b.md", "# Bea\n\n[write](mailto:bea-at-home)\n", `profiles/b.md:3:16: email: "bea-at-home" is not an e-mail address`},
		{"profiles/c.json", `{"basics": {"name": "Cy", "email": "Cy <cy@example.com>"}}`, `profiles/c.json:1:37: email: "Cy <cy@example.com>" is not an e-mail address`},
		{"profiles/d.yaml", "basics:\n  name: Di\n  email: di@localhost\n", `profiles/d.yaml:3:10: email: "di@localhost" is not an e-mail address`},
	} {
		_, err := Parse(tc.file, []byte(tc.text), time.Now())
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error = %v; want %s…", tc.file, err, tc.want)
		}
	}
	p, err := Parse("profiles/e.md", []byte("---\nname: Eve\nemail: eve@example.org\n---\n"), time.Now())
	if err != nil || p.Email != "eve@example.org" {
		t.Errorf("a valid address: %+v, %v", p, err)
	}
}
