package server

import (
	"strings"
	"testing"

	"github.com/sshcv/sshcv/profiles"
)

func TestParseUsername(t *testing.T) {
	for _, tc := range []struct{ raw, name, section string }{
		{"rohit", "rohit", ""},
		{"ROHIT", "rohit", ""},
		{"Rohit+Proj", "rohit", "proj"},
		{"rohit+", "rohit", ""},
		{"+projects", "", "projects"},
		{"a+b+c", "a", "b+c"},
		{"ro\x1b[31mhit", "rohit", ""}, // escape sequences are dropped, not shown
		{"ro\x00hit\n", "rohit", ""},
		{"", "", ""},
	} {
		name, section := parseUsername(tc.raw)
		if name != tc.name || section != tc.section {
			t.Errorf("parseUsername(%q) = %q, %q; want %q, %q", tc.raw, name, section, tc.name, tc.section)
		}
	}
}

func TestCleanUsernameIsBounded(t *testing.T) {
	long := strings.Repeat("é", 10000)
	got := cleanUsername(long)
	if len(got) > maxUsernameLen || !strings.HasPrefix(long, got) {
		t.Errorf("cleanUsername of 20000 bytes gave %d bytes %q", len(got), got)
	}
	if shown := shownUsername(strings.Repeat("x", 100)); len([]rune(shown)) != maxShownUsername || !strings.HasSuffix(shown, "…") {
		t.Errorf("shownUsername cut to %q", shown)
	}
	if got := cleanUsername("\u202eevil\u009b31m"); got != "evil" {
		t.Errorf("bidi override and C1 CSI kept: %q", got)
	}
}

// fakeCatalog is a Catalog of named profiles with a fixed default and suggestion.
type fakeCatalog struct {
	profiles   map[string]*profiles.Profile
	def        *profiles.Profile
	suggestion string
}

func (c fakeCatalog) Lookup(name string) (*profiles.Profile, bool) {
	p, ok := c.profiles[name]
	return p, ok
}
func (c fakeCatalog) Default() (*profiles.Profile, bool) { return c.def, c.def != nil }
func (c fakeCatalog) List() []*profiles.Profile {
	var list []*profiles.Profile
	for _, p := range c.profiles {
		list = append(list, p)
	}
	return list
}
func (c fakeCatalog) Suggest(string) (string, bool) { return c.suggestion, c.suggestion != "" }

func TestResolve(t *testing.T) {
	rohit := &profiles.Profile{Handle: "rohit"}
	ankush := &profiles.Profile{Handle: "ankush"}
	several := fakeCatalog{profiles: map[string]*profiles.Profile{"rohit": rohit, "ankush": ankush}, suggestion: "rohit"}
	withDefault := several
	withDefault.def = ankush

	for _, tc := range []struct {
		name       string
		catalog    Catalog
		user       string
		profile    *profiles.Profile
		section    string
		requested  string
		suggestion string
	}{
		{"handle", several, "rohit", rohit, "", "", ""},
		{"any case", several, "ROHIT", rohit, "", "", ""},
		{"section", several, "rohit+Proj", rohit, "proj", "", ""},
		{"unknown, several CVs", several, "rohti", nil, "", "rohti", "rohit"},
		{"automatic name", several, "root", nil, "", "", ""},
		{"empty name", several, "", nil, "", "", ""},
		{"unknown, a default", withDefault, "rohti", ankush, "", "", ""},
		{"automatic name, a default", withDefault, "ubuntu", ankush, "", "", ""},
		{"long name", several, strings.Repeat("z", 5000), nil, "", strings.Repeat("z", maxShownUsername-1) + "…", "rohit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := resolve(tc.catalog, tc.user, nil)
			if r.Profile != tc.profile || r.Section != tc.section || r.Requested != tc.requested || r.Suggestion != tc.suggestion {
				t.Errorf("resolve(%.20q) = {%v %q %q %q}, want {%v %q %q %q}", tc.user,
					handleOf(r.Profile), r.Section, r.Requested, r.Suggestion,
					handleOf(tc.profile), tc.section, tc.requested, tc.suggestion)
			}
		})
	}
}

func handleOf(p *profiles.Profile) string {
	if p == nil {
		return "<picker>"
	}
	return p.Handle
}
