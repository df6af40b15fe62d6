package profiles

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func tagsOf(l Languages) []string {
	var out []string
	for _, t := range l {
		out = append(out, t.String())
	}
	return out
}

func TestEnvLanguages(t *testing.T) {
	long := "de_DE." + strings.Repeat("U", 10000)
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{[]string{"LANG=de_DE.UTF-8"}, "de-DE"},
		{[]string{"LANG=pt_BR"}, "pt-BR"},
		{[]string{"LANG=fr_FR.ISO-8859-1", "TERM=xterm"}, "fr-FR"},
		{[]string{"LANG=sr_RS@latin"}, "sr-Latn-RS"},
		{[]string{"LANG=de_DE@euro"}, "de-DE"},
		{[]string{"LANG=es"}, "es"},
		{[]string{"LANG=en_US.UTF-8", "LC_ALL=de_AT.UTF-8"}, "de-AT"},
		{[]string{"LANG=en_US.UTF-8", "LC_MESSAGES=fr_CA.UTF-8"}, "fr-CA"},
		{[]string{"LC_MESSAGES=fr_CA.UTF-8", "LC_ALL=es_ES"}, "es-ES"},
		{[]string{"LANG=", "LC_MESSAGES=it_IT"}, "it-IT"},
		{[]string{"LANG=C"}, ""},
		{[]string{"LANG=POSIX"}, ""},
		{[]string{"LANG=C.UTF-8"}, ""},
		{nil, ""},
		// hostile values: ignored, never a crash or a slow parse
		{[]string{"LANG=" + long}, ""},
		{[]string{"LANG=" + strings.Repeat("de_", 5000)}, ""},
		{[]string{"LANG=de_DE\x1b[31m.UTF-8"}, ""},
		{[]string{"LANG=de\x00"}, ""},
		{[]string{"LANG=../../etc/passwd"}, ""},
		{[]string{"LANG=xx_YY"}, ""},
		{[]string{"LANG=de_DE.UTF-8", "LC_ALL=\x1b]52;c;aGk=\a"}, ""},
		{[]string{"LANG=x-klingon"}, ""},
		{[]string{"LANG=und"}, ""},
	} {
		got := strings.Join(tagsOf(EnvLanguages(tc.env)), ",")
		if got != tc.want {
			t.Errorf("EnvLanguages(%.60q) = %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestAcceptLanguages(t *testing.T) {
	for header, want := range map[string]string{
		"de;q=0.9, en;q=0.8":                 "de,en",
		"en-GB,en;q=0.9,de;q=0.8":            "en-GB,en,de",
		"fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5": "fr-CH,fr,en",
		"pt-BR":                              "pt-BR",
		"":                                   "",
		"*":                                  "",
		strings.Repeat("de,", 3400):          "",
		"de\x1b[2J":                          "",
		"de;q=abc":                           "",
		"<script>":                           "",
		"de, \u00e9n":                        "",
	} {
		if got := strings.Join(tagsOf(AcceptLanguages(header)), ","); got != want {
			t.Errorf("AcceptLanguages(%.60q) = %q, want %q", header, got, want)
		}
	}
	many := strings.Repeat("de,fr,", 20)[:100]
	if n := len(AcceptLanguages(many)); n > maxLanguages {
		t.Errorf("%d preferences kept", n)
	}
}

func TestParseLanguages(t *testing.T) {
	for s, want := range map[string]string{"de": "de", "pt-BR": "pt-BR", "pt_br": "pt-BR", "": "", "xx": "", "de;q=1": "", "<b>": "", strings.Repeat("a", 10000): ""} {
		if got := strings.Join(tagsOf(ParseLanguages(s)), ","); got != want {
			t.Errorf("ParseLanguages(%.40q) = %q, want %q", s, got, want)
		}
	}
}

// translationFolder makes a profiles folder from paths ("de/rohit.md") and texts.
func translationFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		sub, base := filepath.Split(filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		writeProfile(t, filepath.Join(dir, sub), base, text)
	}
	return dir
}

var rohitVariants = map[string]string{
	"rohit.md":       "---\naliases: [rohit01]\nemail: hello@rohit.io\n---\n# Rohit\n\n## Experience\n\nOla.\n",
	"de/rohit.md":    "---\naliases: [ignored]\n---\n# Rohit\n\n## Berufserfahrung\n\nOla.\n",
	"pt-BR/rohit.md": "# Rohit\n\n## Experiência\n\nOla.\n",
	"ada.md":         "# Ada\n\n## Work\n\nEngines.\n",
	"images/ada.md":  "not a translation: images is not a language",
}

func TestLookupInPicksTheVisitorsLanguage(t *testing.T) {
	dir := translationFolder(t, rohitVariants)
	r, err := OpenRegistry(RegistryOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if p := r.Problems(); len(p) != 0 {
		t.Fatalf("problems: %v", p)
	}
	section := func(l Localized) string { return l.Profile.Sections[0].Title }
	for _, tc := range []struct {
		name        string
		prefs       Languages
		lang, title string
	}{
		{"rohit", EnvLanguages([]string{"LANG=de_DE.UTF-8"}), "de", "Berufserfahrung"},
		{"ROHIT01", EnvLanguages([]string{"LANG=de_CH.UTF-8"}), "de", "Berufserfahrung"},
		{"rohit", EnvLanguages([]string{"LANG=fr_FR.UTF-8"}), "en", "Experience"},
		{"rohit", EnvLanguages([]string{"LANG=pt_PT.UTF-8"}), "pt-BR", "Experiência"},
		{"rohit", EnvLanguages([]string{"LANG=" + strings.Repeat("x", 10000)}), "en", "Experience"},
		{"rohit", AcceptLanguages("de;q=0.9, en;q=0.8"), "de", "Berufserfahrung"},
		{"rohit", AcceptLanguages("en-GB, de;q=0.5"), "en", "Experience"},
		{"rohit", AcceptLanguages("nl, de;q=0.5"), "de", "Berufserfahrung"},
		{"rohit", ParseLanguages("pt-BR"), "pt-BR", "Experiência"},
		{"rohit", nil, "en", "Experience"},
	} {
		l, ok := r.LookupIn(tc.name, tc.prefs)
		if !ok || l.Lang != tc.lang || section(l) != tc.title {
			t.Errorf("LookupIn(%q, %v) = %q %q, %v; want %q %q", tc.name, tc.prefs, l.Lang, section(l), ok, tc.lang, tc.title)
			continue
		}
		if !slices.Equal(l.Langs, []string{"en", "de", "pt-BR"}) {
			t.Errorf("Langs = %v", l.Langs)
		}
		if l.Profile.Handle != "rohit" || !slices.Equal(l.Profile.Aliases, []string{"rohit01"}) {
			t.Errorf("the %s variant has handle %q and aliases %v; want the CV's", l.Lang, l.Profile.Handle, l.Profile.Aliases)
		}
	}
	// The original is the profile Lookup gives; translations claim no name of their own.
	orig, _ := r.Lookup("rohit")
	if l, _ := r.LookupIn("rohit", nil); l.Profile != orig {
		t.Error("LookupIn without preferences is not the CV Lookup gives")
	}
	if _, ok := r.Lookup("ignored"); ok {
		t.Error("an alias written in a translation is served")
	}
	if got := len(r.List()); got != 2 {
		t.Errorf("List has %d profiles; translations are not profiles of their own", got)
	}
	// Switching, as the viewer's L does.
	if l, ok := r.Variant("rohit01", "pt-BR"); !ok || section(l) != "Experiência" || l.Lang != "pt-BR" {
		t.Errorf("Variant pt-BR = %+v, %v", l, ok)
	}
	if l, ok := r.Variant("rohit", "en"); !ok || l.Profile != orig {
		t.Errorf("Variant en = %+v, %v", l, ok)
	}
	if _, ok := r.Variant("rohit", "fr"); ok {
		t.Error("Variant fr: rohit has no French")
	}
}

func TestACVWithoutTranslationsIsAsBefore(t *testing.T) {
	dir := translationFolder(t, rohitVariants)
	r, err := OpenRegistry(RegistryOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ada, _ := r.Lookup("ada")
	for _, prefs := range []Languages{nil, ParseLanguages("de"), AcceptLanguages("fr, pt;q=0.5")} {
		l, ok := r.LookupIn("ada", prefs)
		if !ok || l.Profile != ada || l.Lang != "en" || !slices.Equal(l.Langs, []string{"en"}) {
			t.Errorf("LookupIn(ada, %v) = %+v", prefs, l)
		}
	}
	if l, ok := r.Variant("ada", "en"); !ok || l.Profile != ada {
		t.Errorf("Variant(ada, en) = %+v, %v", l, ok)
	}
	if _, ok := r.LookupIn("nobody", nil); ok {
		t.Error("LookupIn found a CV that does not exist")
	}
}

func TestFolderLanguage(t *testing.T) {
	dir := translationFolder(t, map[string]string{
		"ada.md":    "# Ada\n\n## Arbeit\n\nMaschinen.\n",
		"en/ada.md": "# Ada\n\n## Work\n\nEngines.\n",
	})
	r, err := OpenRegistry(RegistryOptions{Dir: dir, Lang: "de"})
	if err != nil {
		t.Fatal(err)
	}
	if l, _ := r.LookupIn("ada", AcceptLanguages("en-US")); l.Lang != "en" || l.Profile.Sections[0].Title != "Work" {
		t.Errorf("en visitor: %+v", l)
	}
	if l, _ := r.LookupIn("ada", nil); l.Lang != "de" || !slices.Equal(l.Langs, []string{"de", "en"}) {
		t.Errorf("no preference: %+v", l)
	}
	if _, err := OpenRegistry(RegistryOptions{Dir: dir, Lang: "klingon"}); err == nil || !strings.Contains(err.Error(), `language "klingon"`) {
		t.Errorf("an unknown folder language: %v", err)
	}
}

func TestTranslationProblems(t *testing.T) {
	files := map[string]string{
		"rohit.md":       "# Rohit\n",
		"de/rohit.md":    "# Rohit\n",
		"de/rohit.json":  `{"basics": {"name": "Rohit"}}`,
		"de/nobody.md":   "# Nobody\n",
		"de/broken.md":   "---\naliases: 42\n---\n# Broken\n",
		"xx/rohit.md":    "# Rohit\n",
		"pt_br/rohit.md": "# Rohit\n",
		"en/rohit.md":    "# Rohit\n",
		"_drafts/x.md":   "# Draft\n",
		"images/a.md":    "# Image notes\n",
	}
	dir := translationFolder(t, files)
	at := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	want := []string{
		at("en") + `: language folder "en": en is the language of the CVs at the top of the folder`,
		at("pt_br") + `: language folder "pt_br": write the tag as pt-BR`,
		at("xx") + `: a folder named like a language, but "xx" is not a known language tag`,
		at("de/broken.md") + `:2:10: aliases: expected a list of names`,
		at("de/nobody.md") + `: a translation into de of "nobody", but no CV "nobody" is at the top of the profiles folder`,
		at("de/rohit.md") + `: ` + at("rohit.md") + ` already has a translation into de: ` + at("de/rohit.json"),
	}
	check := func(what string, got []error) {
		t.Helper()
		var lines []string
		for _, e := range got {
			lines = append(lines, e.Error())
		}
		if len(lines) != len(want) {
			t.Fatalf("%s: %d problems, want %d:\n%s", what, len(lines), len(want), strings.Join(lines, "\n"))
		}
		for _, w := range want {
			found := false
			for _, l := range lines {
				found = found || strings.HasPrefix(l, w)
			}
			if !found {
				t.Errorf("%s: no problem %q in:\n%s", what, w, strings.Join(lines, "\n"))
			}
		}
	}
	sum, errs := CheckFolder(dir, "")
	check("CheckFolder", errs)
	if sum != (FolderSummary{Profiles: 1, Translations: 1}) {
		t.Errorf("summary %+v", sum)
	}
	r, err := OpenRegistry(RegistryOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	check("Problems", r.Problems())
	if l, _ := r.LookupIn("rohit", ParseLanguages("de")); l.Lang != "de" || filepath.Base(l.Profile.Source) != "rohit.json" {
		t.Errorf("the first translation by file name is served: %+v", l)
	}
}

func TestTranslationsFollowTheFolder(t *testing.T) {
	dir := translationFolder(t, map[string]string{"ada.md": "# Ada\n\n## Work\n\nEngines.\n"})
	r, err := OpenRegistry(RegistryOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	watch(t, r)
	title := func(lang string) string {
		l, _ := r.LookupIn("ada", ParseLanguages(lang))
		return l.Lang + " " + l.Profile.Sections[0].Title
	}
	// A new language folder with a translation in it.
	if err := os.Mkdir(filepath.Join(dir, "de"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeProfile(t, filepath.Join(dir, "de"), "ada.md", "# Ada\n\n## Arbeit\n\nMaschinen.\n")
	eventually(t, "the German ada is served", func() bool { return title("de") == "de Arbeit" })
	// An edit of the translation.
	writeProfile(t, filepath.Join(dir, "de"), "ada.md", "# Ada\n\n## Berufserfahrung\n\nMaschinen.\n")
	eventually(t, "the edit of the translation is served", func() bool { return title("de") == "de Berufserfahrung" })
	// A broken edit keeps the last good translation.
	writeProfile(t, filepath.Join(dir, "de"), "ada.md", "---\naliases: 42\n---\n# Ada\n")
	eventually(t, "the broken translation is reported", func() bool { return len(r.Problems()) == 1 })
	if got := title("de"); got != "de Berufserfahrung" {
		t.Errorf("after a broken edit: %q", got)
	}
	// The original goes: its translation cannot be served alone.
	writeProfile(t, filepath.Join(dir, "de"), "ada.md", "# Ada\n\n## Arbeit\n\nMaschinen.\n")
	writeProfile(t, dir, "bob.md", "# Bob\n")
	eventually(t, "bob is served", func() bool { _, ok := r.Lookup("bob"); return ok && len(r.Problems()) == 0 })
	if err := os.Remove(filepath.Join(dir, "ada.md")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "ada and its translation are gone", func() bool {
		_, ok := r.LookupIn("ada", ParseLanguages("de"))
		return !ok && len(r.Problems()) == 1 && strings.Contains(r.Problems()[0].Error(), `no CV "ada"`)
	})
	// The folder goes: so does the problem.
	if err := os.RemoveAll(filepath.Join(dir, "de")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the language folder is forgotten", func() bool { return len(r.Problems()) == 0 })
}

// FuzzLanguageValues: whatever a visitor sends as LANG, LC_* or Accept-Language, the
// parsers return at most maxLanguages known tags, and only from values of plain
// characters.
func FuzzLanguageValues(f *testing.F) {
	for _, s := range []string{"de_DE.UTF-8", "sr_RS@latin", "C", "de;q=0.9, en;q=0.8", "*", "pt-BR", "\x1b[31m", strings.Repeat("de,", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range []Languages{EnvLanguages([]string{"LANG=" + s}), AcceptLanguages(s), ParseLanguages(s)} {
			if len(l) > maxLanguages {
				t.Fatalf("%d languages from %q", len(l), s)
			}
			if len(l) > 0 && (len(s) > maxLanguageValue || strings.ContainsAny(s, "\x1b\x00\n")) {
				t.Fatalf("%q gave %v", s, l)
			}
			for _, tag := range l {
				if !meaningful(tag) {
					t.Fatalf("%q gave %v", s, tag)
				}
			}
		}
	})
}

// A folder that holds no profile file is no language folder, whatever its name: the Go
// packages inside profiles/ (cv, doc), a folder of images or notes named like a tag.
func TestFoldersWithoutProfilesAreNoLanguage(t *testing.T) {
	dir := translationFolder(t, map[string]string{
		"rohit.md":      "# Rohit\n",
		"de/rohit.md":   "# Rohit\n",
		"cv/profile.go": "package cv\n",
		"doc/doc.go":    "package doc\n",
		"en/notes.txt":  "the language of the top folder, but no profile in it\n",
		"xx/notes.txt":  "not a known tag, but no profile in it\n",
		"pt_br/a.png":   "not written as a tag, but no profile in it\n",
	})
	sum, errs := CheckFolder(dir, "")
	if len(errs) != 0 {
		t.Errorf("problems: %v", errs)
	}
	if sum.Profiles != 1 || sum.Translations != 1 {
		t.Errorf("summary %+v; want 1 profile and 1 translation", sum)
	}
	r, err := OpenRegistry(RegistryOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := r.LookupIn("rohit", nil); !ok || !slices.Equal(l.Langs, []string{"en", "de"}) {
		t.Errorf("languages of rohit: %+v", l)
	}
}
