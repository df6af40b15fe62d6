package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckBundledProfilesPass(t *testing.T) {
	code, out, errs := runArgs("check", "../../profiles")
	if code != 0 || errs != "" || !strings.Contains(out, "2 profiles and 1 translation, no problems") {
		t.Fatalf("check profiles: status %d\nstdout %s\nstderr %s", code, out, errs)
	}
}

func TestCheckNamesEveryBadFile(t *testing.T) {
	code, out, errs := runArgs("check", "../../profiles/testdata/bad")
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if code != 1 || out != "" || len(lines) != 6 {
		t.Fatalf("status %d, %d problem lines, stdout %q:\n%s", code, len(lines), out, errs)
	}
	for _, want := range []string{
		"profiles/testdata/bad/syntax.json:4:3: JSON syntax error",
		"profiles/testdata/bad/wrongtype.json:4:36: work[0].highlights: expected a list of strings, got a string",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("check output lacks %q:\n%s", want, errs)
		}
	}
}

func TestCheckRejectsADuplicateAlias(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ada.md", "---\naliases: [countess]\n---\n# Ada Lovelace\n\n## Notes\n\nAnalytical engine.\n")
	write("byron.md", "---\naliases: [countess]\n---\n# Lord Byron\n\n## Poems\n\nDon Juan.\n")
	code, _, errs := runArgs("check", dir)
	if code != 1 || !strings.Contains(errs, "byron.md") || !strings.Contains(errs, "ada.md") || !strings.Contains(errs, `"countess"`) {
		t.Fatalf("status %d:\n%s", code, errs)
	}
}

func TestRenderFormats(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		want   []string
		styled bool
	}{
		{[]string{"render", "rohit"}, []string{"Rohit Gupta", "Dikhao", "Knowlarity"}, false},
		{[]string{"render", "rohit01", "--format", "text", "--width", "40"}, []string{"Rohit Gupta"}, false},
		{[]string{"render", "ankush", "--format", "md"}, []string{"# Ankush Sharma", "## Experience", "Koinex"}, false},
		{[]string{"render", "ankush", "--format", "vcard"}, []string{"BEGIN:VCARD", "VERSION:4.0", "FN:Ankush Sharma", "darxtrix@gmail.com"}, false},
		{[]string{"render", "--format", "ansi", "rohit"}, []string{"\x1b[", "Rohit Gupta"}, true},
		{[]string{"render", "rohit", "--format", "pdf"}, []string{"%PDF-", "/MediaBox [0 0 595.28 841.89]", "%%EOF"}, true},
		{[]string{"render", "rohit", "--format", "pdf", "--paper", "letter"}, []string{"/MediaBox [0 0 612.00 792.00]"}, true},
		{[]string{"render", "rohit", "--lang", "de"}, []string{"Berufserfahrung", "E-Mail: hello@rohit.io"}, false},
		{[]string{"render", "rohit", "--lang", "de", "--format", "md"}, []string{"## Berufserfahrung"}, false},
	} {
		code, out, errs := runArgs(tc.args...)
		if code != 0 || errs != "" {
			t.Errorf("%v: status %d, stderr %s", tc.args, code, errs)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q", tc.args, w)
			}
		}
		if !tc.styled && strings.ContainsRune(out, 0x1b) {
			t.Errorf("%v: escape bytes in plain output", tc.args)
		}
	}
}

func TestRenderJSONIsAJSONResumeWithEveryEmployer(t *testing.T) {
	code, out, errs := runArgs("render", "ankush", "--format", "json")
	if code != 0 {
		t.Fatalf("status %d: %s", code, errs)
	}
	var doc struct {
		Basics struct{ Name string }
		Work   []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	var names []string
	for _, w := range doc.Work {
		names = append(names, w.Name)
	}
	all := strings.Join(names, "|")
	if doc.Basics.Name != "Ankush Sharma" || !strings.Contains(all, "Koinex") || !strings.Contains(all, "PayPal") {
		t.Fatalf("basics.name %q, work %q", doc.Basics.Name, names)
	}
}

func TestRenderErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"render", "rohti"}, 1, `no CV named "rohti"; did you mean "rohit"?`},
		{[]string{"render", "rohit", "--format", "docx"}, 2, `unknown format "docx"`},
		{[]string{"render", "rohit", "--lang", "fr"}, 1, `--lang "fr": rohit is in en, de only`},
		{[]string{"render", "rohit", "--format", "pdf", "--paper", "a5"}, 2, `--paper "a5": use a4 or letter`},
		{[]string{"render", "rohit", "--width", "5"}, 2, "--width 5"},
		{[]string{"render"}, 2, "Usage: sshcv render"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
	} {
		code, _, errs := runArgs(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: status %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}

// TestArgumentsAndFlagsInAnyOrder: owners type the handle where they like.
func TestArgumentsAndFlagsInAnyOrder(t *testing.T) {
	for _, args := range [][]string{
		{"render", "rohit", "--format", "md"},
		{"render", "--format", "md", "rohit"},
		{"render", "--format", "md", "--", "rohit"},
		{"render", "--width", "60", "rohit", "--format", "md"},
	} {
		code, out, errs := runArgs(args...)
		if code != 0 || !strings.HasPrefix(out, "---\n") || !strings.Contains(out, "# Rohit Gupta") {
			t.Errorf("%v: status %d, stderr %q, stdout starts %.40q", args, code, errs, out)
		}
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"render", "rohit", "ankush"}, 2, `sshcv render: unexpected argument "ankush"`},
		{[]string{"signature", "rohit", "--host", "cv.rohit.io", "extra"}, 2, `sshcv signature: unexpected argument "extra"`},
		{[]string{"check", "profiles", "more"}, 2, `sshcv check: unexpected argument "more"`},
		{[]string{"hostkey", "cv.rohit.io"}, 2, `sshcv hostkey: unexpected argument "cv.rohit.io"`},
		{[]string{"render", "rohit", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"render", "-h"}, 0, "Usage: sshcv render"},
		{[]string{"check", "--help"}, 0, "Usage: sshcv check"},
	} {
		code, _, errs := runArgs(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: status %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	if code, out, _ := runArgs("version"); code != 0 || !strings.HasPrefix(out, "sshcv ") {
		t.Errorf("version: %d %q", code, out)
	}
	code, out, _ := runArgs("help")
	if code != 0 {
		t.Fatalf("help: %d", code)
	}
	for _, c := range subcommands() {
		if !strings.Contains(out, c.name) {
			t.Errorf("help does not list %s", c.name)
		}
	}
}
