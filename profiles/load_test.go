package profiles

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sshcv/sshcv/profiles/cv"
)

func TestIsProfileFile(t *testing.T) {
	for name, want := range map[string]bool{
		"rohit.md": true, "ankush.json": true, "cv.yaml": true, "cv.yml": true, "CV.MD": true,
		"README.md": false, "readme.md": false, "ReadMe.MD": false, ".rohit.md": false, "_draft.md": false,
		"notes.txt": false, "rohit.md.swp": false, "rohit.md~": false, "profiles/_old.json": false, "": false,
	} {
		if got := IsProfileFile(name); got != want {
			t.Errorf("IsProfileFile(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestHandleFromPath(t *testing.T) {
	for path, want := range map[string]string{
		"profiles/rohit.md": "rohit", "rohit01.json": "rohit01", "a.b_c-d.yaml": "a.b_c-d",
		"bundled:ankush.md": "ankush", "0.md": "0",
	} {
		got, err := HandleFromPath(path)
		if err != nil || got != want {
			t.Errorf("HandleFromPath(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
}

func TestInvalidHandlesAreRejected(t *testing.T) {
	long := strings.Repeat("a", 40)
	for _, tc := range []struct{ name, want string }{
		{"profiles/Rohit.md", `profiles/Rohit.md: the file name "Rohit" has capital letters (rename the file to rohit.md): it is the handle visitors type (ssh NAME@host), and ` + cv.HandleRule},
		{"profiles/a b.md", `profiles/a b.md: the file name "a b" has characters a handle may not have: it is the handle visitors type (ssh NAME@host), and ` + cv.HandleRule},
		{"profiles/" + long + ".md", `profiles/` + long + `.md: the file name "` + long + `" is 40 characters long: it is the handle visitors type (ssh NAME@host), and ` + cv.HandleRule},
		{"profiles/-x.md", `profiles/-x.md: the file name "-x" has characters a handle may not have: it is the handle visitors type (ssh NAME@host), and ` + cv.HandleRule},
	} {
		_, err := Parse(tc.name, []byte("# Someone\n"), time.Time{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%q):\n got %v\nwant %s", tc.name, err, tc.want)
		}
	}
}

func TestOversizedFileIsRejected(t *testing.T) {
	data := bytes.Repeat([]byte("x"), MaxFileSize+MaxFileSize/5+1)
	want := "profiles/big.md: file is 1.2 MiB; the limit is 1 MiB"
	if _, err := Parse("profiles/big.md", data, time.Time{}); err == nil || err.Error() != want {
		t.Errorf("Parse:\n got %v\nwant %s", err, want)
	}
	// From a folder, the size is checked before the file is read.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.md"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs := LoadFS(os.DirFS(dir), "profiles")
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("LoadFS errors %v, want [%s]", errs, want)
	}
}

func TestInvalidUTF8IsPlaced(t *testing.T) {
	data := []byte("# Ada\n\n## About\n\nCaf\xe9 au lait\n")
	want := "profiles/ada.md:5:4: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
	if _, err := Parse("profiles/ada.md", data, time.Time{}); err == nil || err.Error() != want {
		t.Errorf("Parse:\n got %v\nwant %s", err, want)
	}
}

func TestParseFillsFileFacts(t *testing.T) {
	mod := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	data := []byte("\ufeff{\"basics\": {\"name\": \"Ada\"}, \"meta\": {\"sshcv\": {\"aliases\": [\"ADA01\", \"ada\", \"ada01\"]}}}")
	p, err := Parse("profiles/ada.json", data, mod)
	if err != nil {
		t.Fatal(err)
	}
	if p.Handle != "ada" || p.Source != "profiles/ada.json" || !p.ModTime.Equal(mod) || p.Format != FormatJSONResume {
		t.Errorf("facts: handle %q source %q modtime %v format %q", p.Handle, p.Source, p.ModTime, p.Format)
	}
	if p.Hash != hashOf(data) || len(p.Hash) != 64 {
		t.Errorf("hash %q", p.Hash)
	}
	if strings.Join(p.Aliases, ",") != "ada01" {
		t.Errorf("aliases %q: want lowercased, without repeats or the handle", p.Aliases)
	}
	md, err := Parse("profiles/bob.md", []byte("# Bob\n"), mod)
	if err != nil || md.Format != FormatMarkdown || md.Handle != "bob" {
		t.Errorf("markdown: %v, %+v", err, md)
	}
}

func TestLoadFSChecksNamesAcrossFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"b.md":          {Data: []byte("---\naliases: [rohit, bee]\n---\n# B\n")},
		"rohit.md":      {Data: []byte("# Rohit\n")},
		"rohit.json":    {Data: []byte(`{"basics": {"name": "Rohit again"}}`)},
		"c.yaml":        {Data: []byte("basics:\n  name: C\nmeta:\n  sshcv:\n    aliases: [bee]\n")},
		"README.md":     {Data: []byte("# not a profile")},
		"_draft.md":     {Data: []byte("# draft")},
		".hidden.md":    {Data: []byte("# hidden")},
		"notes.txt":     {Data: []byte("notes")},
		"sub/nested.md": {Data: []byte("# nested")},
	}
	list, errs := LoadFS(fsys, "profiles")
	var got []string
	for _, p := range list {
		got = append(got, p.Handle+"="+p.Source)
	}
	if strings.Join(got, " ") != "c=profiles/c.yaml rohit=profiles/rohit.json" {
		t.Errorf("loaded %v", got)
	}
	want := []string{
		`profiles/rohit.md: handle "rohit" is already used by profiles/rohit.json`,
		`profiles/b.md: alias "rohit" is already used by profiles/rohit.json`,
	}
	if len(errs) != len(want) {
		t.Fatalf("errors %v, want %q", errs, want)
	}
	for i := range want {
		if errs[i].Error() != want[i] {
			t.Errorf("error %d:\n got %v\nwant %s", i, errs[i], want[i])
		}
	}
}

func TestTwoFilesClaimingOneAlias(t *testing.T) {
	fsys := fstest.MapFS{
		"b.md":     {Data: []byte("---\naliases: [rohit]\n---\n# B\n")},
		"rohit.md": {Data: []byte("# Rohit\n")},
	}
	list, errs := LoadFS(fsys, "profiles")
	want := `profiles/b.md: alias "rohit" is already used by profiles/rohit.md`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("errors %v, want [%s]", errs, want)
	}
	if len(list) != 1 || list[0].Handle != "rohit" {
		t.Errorf("loaded %v, want rohit only", list)
	}
}

func TestLoadFSFollowsLinksToFiles(t *testing.T) {
	// A Kubernetes ConfigMap mounts "rohit.md" as a link into a hidden "..data" folder.
	dir := t.TempDir()
	data := filepath.Join(dir, "..data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "rohit.md"), []byte("# Rohit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("..data", "rohit.md"), filepath.Join(dir, "rohit.md")); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
	list, errs := LoadFS(os.DirFS(dir), dir)
	if len(errs) != 0 || len(list) != 1 || list[0].Handle != "rohit" {
		t.Errorf("loaded %v, errors %v", list, errs)
	}
}

func TestCheckDir(t *testing.T) {
	good := t.TempDir()
	for name, text := range map[string]string{"ada.md": "# Ada\n", "bob.json": `{"basics": {"name": "Bob"}}`} {
		if err := os.WriteFile(filepath.Join(good, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if errs := CheckDir(good); len(errs) != 0 {
		t.Errorf("a valid folder: %v", errs)
	}
	// full.json, full.yaml and full.md (the golden Markdown) all claim "full".
	errs := CheckDir("testdata/resume")
	if len(errs) != 2 || errs[0].Error() != `testdata/resume/full.md: handle "full" is already used by testdata/resume/full.json` {
		t.Errorf("testdata/resume: %v", errs)
	}
	errs = CheckDir("testdata/bad")
	if len(errs) != 6 {
		t.Errorf("testdata/bad: %d problems, want 6: %v", len(errs), errs)
	}
	for _, err := range errs {
		if !strings.HasPrefix(err.Error(), "testdata/bad/") {
			t.Errorf("problem without its file: %v", err)
		}
	}
	missing := filepath.Join(t.TempDir(), "nope")
	if errs := CheckDir(missing); len(errs) != 1 || errs[0].Error() != missing+": no such file or directory" {
		t.Errorf("missing folder: %v", errs)
	}
}
