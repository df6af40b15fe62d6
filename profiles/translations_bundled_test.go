package profiles

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestTheGermanRohitKeepsEveryFact: the bundled translation has every address, number
// and project of the CV it translates, the same sections and entries, and the header.
func TestTheGermanRohitKeepsEveryFact(t *testing.T) {
	en, de := loadBundled(t, "rohit.md"), loadBundled(t, "de/rohit.md")
	if de.Name != en.Name || de.Email != en.Email || !slices.Equal(de.Links, en.Links) || de.Accent != en.Accent {
		t.Errorf("header: %q %q %v %q; want %q %q %v %q", de.Name, de.Email, de.Links, de.Accent, en.Name, en.Email, en.Links, en.Accent)
	}
	if len(de.Sections) != len(en.Sections) {
		t.Fatalf("%d sections, want %d", len(de.Sections), len(en.Sections))
	}
	enText, _ := fs.ReadFile(Bundled(), "rohit.md")
	deText, _ := fs.ReadFile(Bundled(), "de/rohit.md")
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`https?://[^\s>]+`), // every address
		regexp.MustCompile(`[0-9]+`),           // every number and date
		regexp.MustCompile(`\*\*[^*]+\*\* ·`),  // every role and degree, with its dates after it
		regexp.MustCompile(`— \*\*[^*]+\*\*`),  // every recommender
	} {
		for _, fact := range re.FindAllString(string(enText), -1) {
			if !strings.Contains(string(deText), fact) {
				t.Errorf("de/rohit.md lacks %q", fact)
			}
		}
	}
	// Every project and employer heading starts with the same name, but for the two
	// that are words rather than names.
	translated := map[string]string{"Centralized": "Zentrales", "Initiatives": "Initiativen", "Mesos/Marathon/Chronos": "Mesos/Marathon/Chronos-Cluster"}
	heading := regexp.MustCompile(`(?m)^### (\S+)`)
	enH, deH := heading.FindAllStringSubmatch(string(enText), -1), heading.FindAllStringSubmatch(string(deText), -1)
	if len(enH) != len(deH) {
		t.Fatalf("%d entries, want %d", len(deH), len(enH))
	}
	for i := range enH {
		want := enH[i][1]
		if w, ok := translated[want]; ok {
			want = w
		}
		if deH[i][1] != want {
			t.Errorf("entry %d: %q, want %q", i, deH[i][1], want)
		}
	}
}

func TestBundledRohitSpeaksGerman(t *testing.T) {
	r, err := OpenRegistry(RegistryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l, ok := r.LookupIn("rohit01", EnvLanguages([]string{"LANG=de_DE.UTF-8"}))
	if !ok || l.Lang != "de" || l.Profile.Sections[0].Title != "Berufserfahrung" || !slices.Equal(l.Langs, []string{"en", "de"}) {
		t.Fatalf("LookupIn = %+v, %v", l, ok)
	}
	if l, _ := r.LookupIn("rohit", EnvLanguages([]string{"LANG=fr_FR.UTF-8"})); l.Lang != "en" || l.Profile.Sections[0].Title != "Experience" {
		t.Errorf("a French visitor: %s %q", l.Lang, l.Profile.Sections[0].Title)
	}
	if l, _ := r.LookupIn("ankush", ParseLanguages("de")); l.Lang != "en" || len(l.Langs) != 1 {
		t.Errorf("ankush has no German: %+v", l)
	}
	if got := len(r.List()); got != 2 {
		t.Errorf("%d bundled profiles, want 2", got)
	}
}
