package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckValidatesTranslations(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ada.md", "# Ada Lovelace\n\n## Notes\n\nAnalytical engine.\n")
	write("de/ada.md", "# Ada Lovelace\n\n## Notizen\n\nAnalytische Maschine.\n")
	write("fr/ada.yaml", "basics:\n  name: Ada Lovelace\n")
	code, out, errs := runArgs("check", dir)
	if code != 0 || errs != "" || !strings.Contains(out, "1 profile and 2 translations, no problems") {
		t.Fatalf("status %d\nstdout %s\nstderr %s", code, out, errs)
	}

	write("de/byron.md", "# Lord Byron\n")
	write("xx/ada.md", "# Ada\n")
	write("pt_br/ada.md", "# Ada\n")
	code, _, errs = runArgs("check", dir)
	for _, want := range []string{
		filepath.Join(dir, "de", "byron.md") + `: a translation into de of "byron", but no CV "byron" is at the top of the profiles folder`,
		filepath.Join(dir, "xx") + `: a folder named like a language, but "xx" is not a known language tag`,
		filepath.Join(dir, "pt_br") + `: language folder "pt_br": write the tag as pt-BR`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if code != 1 || strings.Count(strings.TrimSpace(errs), "\n") != 2 {
		t.Errorf("status %d, want 1 and three lines:\n%s", code, errs)
	}

	// The folder's own language can be set: then en/ is a translation folder.
	if err := os.RemoveAll(filepath.Join(dir, "xx")); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"pt_br", "de/byron.md"} {
		if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(d))); err != nil {
			t.Fatal(err)
		}
	}
	write("en/ada.md", "# Ada Lovelace\n")
	if code, _, errs := runArgs("check", dir); code != 1 || !strings.Contains(errs, "en is the language of the CVs at the top") {
		t.Errorf("en/ in an English folder: status %d\n%s", code, errs)
	}
	if code, out, errs := runArgs("check", "--lang", "es", dir); code != 0 || !strings.Contains(out, "1 profile and 3 translations") {
		t.Errorf("--lang es: status %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runArgs("check", "--lang", "nope", dir); code != 2 || !strings.Contains(errs, `--lang "nope": not a known`) {
		t.Errorf("--lang nope: status %d\n%s", code, errs)
	}
}
