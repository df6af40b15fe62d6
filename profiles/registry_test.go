package profiles

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeProfile writes a profile file into dir, the way an editor does: to a temporary
// file first, then renamed over the old one.
func writeProfile(t *testing.T, dir, name, text string) {
	t.Helper()
	tmp := filepath.Join(dir, ".#"+name+".tmp")
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func openFolder(t *testing.T, files map[string]string, opts RegistryOptions) (*Registry, string) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		writeProfile(t, dir, name, text)
	}
	opts.Dir = dir
	r, err := OpenRegistry(opts)
	if err != nil {
		t.Fatal(err)
	}
	return r, dir
}

func TestBundledRegistry(t *testing.T) {
	r, err := OpenRegistry(RegistryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var handles []string
	for _, p := range r.List() {
		handles = append(handles, p.Handle)
		if !strings.HasPrefix(p.Source, "bundled:") {
			t.Errorf("%s: source %q", p.Handle, p.Source)
		}
	}
	if strings.Join(handles, ",") != "ankush,rohit" {
		t.Errorf("handles %v", handles)
	}
	for name, want := range map[string]string{"rohit": "rohit", "ROHIT": "rohit", "Rohit01": "rohit", "darxtrix": "ankush", "AnKuSh": "ankush"} {
		if p, ok := r.Lookup(name); !ok || p.Handle != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", name, p, ok, want)
		}
	}
	if _, ok := r.Default(); ok {
		t.Error("two bundled CVs and no default: Default should find none")
	}
	if p := r.Problems(); len(p) != 0 {
		t.Errorf("problems %v", p)
	}
	if err := r.Watch(context.Background()); err != nil {
		t.Errorf("Watch without a folder: %v", err)
	}
}

func TestHostileNamesNeverReachTheFileSystem(t *testing.T) {
	// The registry's only way to files is OpenRegistry and reloads: Lookup and Suggest
	// read the in-memory snapshot. Prove it: remove the folder, then look names up.
	r, dir := openFolder(t, map[string]string{"rohit.md": "---\naliases: [rohit01]\n---\n# Rohit\n"}, RegistryOptions{})
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	// Files that a path-building lookup would find, if one existed.
	etc := t.TempDir()
	if err := os.WriteFile(filepath.Join(etc, "passwd.md"), []byte("# root\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hostile := []string{
		"../../etc/passwd", "..", ".", "/", "", strings.Repeat("a", 10000), "rohit\x00", "\x00",
		"rohit\x1b[2J", "\x1b]52;c;aGk=\x07", filepath.Join(etc, "passwd"), "rohit/../rohit", "rohit.md",
		"ROHİT", "\u212aohit",
	}
	for _, name := range hostile {
		if p, ok := r.Lookup(name); ok {
			t.Errorf("Lookup(%q) found %s", name, p.Handle)
		}
		if s, ok := r.Suggest(name); ok && s != "rohit" && s != "rohit01" {
			t.Errorf("Suggest(%q) = %q", name, s)
		}
	}
	for _, name := range []string{"rohit", "ROHIT", "Rohit01", "rOhIt01"} {
		if p, ok := r.Lookup(name); !ok || p.Handle != "rohit" {
			t.Errorf("Lookup(%q) = %v, %v after the hostile names", name, p, ok)
		}
	}
	if p, ok := r.Default(); !ok || p.Handle != "rohit" {
		t.Errorf("the only profile is the default: got %v", p)
	}
}

func TestLookupCostIsBounded(t *testing.T) {
	r, _ := openFolder(t, map[string]string{"rohit.md": "# Rohit\n"}, RegistryOptions{})
	huge := strings.Repeat("rohit", 2000)
	allocs := testing.AllocsPerRun(100, func() {
		r.Lookup(huge)
		r.Suggest(huge)
	})
	if allocs != 0 {
		t.Errorf("a 10 000-character name costs %v allocations; want none (rejected by length)", allocs)
	}
}

func TestSuggest(t *testing.T) {
	r, _ := openFolder(t, map[string]string{
		"rohit.md":  "---\naliases: [rohit01]\n---\n# Rohit\n",
		"ankush.md": "---\naliases: [darxtrix]\n---\n# Ankush\n",
	}, RegistryOptions{})
	for name, want := range map[string]string{
		"rohti": "rohit", "ROHTI": "rohit", "rohit1": "rohit", "rohit011": "rohit01", "ankhus": "ankush",
		"darxtrx": "darxtrix", "dax": "", "roh": "rohit", "ankush-cv": "ankush", "zebra": "", "": "", "r": "",
	} {
		got, ok := r.Suggest(name)
		if got != want || ok != (want != "") {
			t.Errorf("Suggest(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"rohit", "rohit", 0}, {"rohti", "rohit", 1}, {"roht", "rohit", 1}, {"rohitt", "rohit", 1},
		{"rihot", "rohit", 2}, {"ca", "abc", 3}, {"abc", "xyz", 3}, {"", "ab", 2},
	} {
		if got := editDistance(tc.a, tc.b, 2); got != min(tc.want, 3) {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, min(tc.want, 3))
		}
	}
}

func TestDefaultProfile(t *testing.T) {
	files := map[string]string{
		"ada.md":  "# Ada\n",
		"bob.md":  "---\ndefault: true\n---\n# Bob\n",
		"cy.json": `{"basics": {"name": "Cy"}, "meta": {"sshcv": {"aliases": ["cee"]}}}`,
	}
	r, _ := openFolder(t, files, RegistryOptions{})
	if p, ok := r.Default(); !ok || p.Handle != "bob" {
		t.Errorf("default: true → bob, got %v", p)
	}
	r, _ = openFolder(t, files, RegistryOptions{Default: "CEE"})
	if p, ok := r.Default(); !ok || p.Handle != "cy" {
		t.Errorf("Default by alias → cy, got %v", p)
	}
	_, err := OpenRegistry(RegistryOptions{Dir: r.opts.Dir, Default: "nobody"})
	want := `default profile "nobody": no such handle or alias (the profiles are ada, bob, cy)`
	if err == nil || err.Error() != want {
		t.Errorf("unknown default:\n got %v\nwant %s", err, want)
	}
	if _, err := OpenRegistry(RegistryOptions{Default: "nobody"}); err == nil {
		t.Error("an unknown default over the bundled CVs must fail too")
	}
}

func TestOpenRegistryFailures(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	if _, err := OpenRegistry(RegistryOptions{Dir: missing}); err == nil || err.Error() != "profiles folder "+missing+": no such file or directory" {
		t.Errorf("missing folder: %v", err)
	}
	dir := t.TempDir()
	writeProfile(t, dir, "bad.json", "{")
	_, err := OpenRegistry(RegistryOptions{Dir: dir})
	want := dir + ": no profile loads:\n" + filepath.Join(dir, "bad.json") + ":1:1: JSON syntax error: the document ends too early (a missing } or ] or closing quote)"
	if err == nil || err.Error() != want {
		t.Errorf("no valid profile:\n got %v\nwant %s", err, want)
	}
}

func TestProblemsAreKeptWhileOthersServe(t *testing.T) {
	var logs bytes.Buffer
	r, dir := openFolder(t, map[string]string{
		"ada.md":   "# Ada\n",
		"bad.json": `{"basics": {"name": 5}}`,
	}, RegistryOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if _, ok := r.Lookup("ada"); !ok {
		t.Error("ada is not served")
	}
	problems := r.Problems()
	want := filepath.Join(dir, "bad.json") + ":1:21: basics.name: expected a string, got a number"
	if len(problems) != 1 || problems[0].Error() != want {
		t.Errorf("problems %v, want [%s]", problems, want)
	}
	if !strings.Contains(logs.String(), "basics.name: expected a string") {
		t.Errorf("the problem was not logged:\n%s", logs.String())
	}
}

func TestEmptyFolderServesBundledUntilAFileArrives(t *testing.T) {
	var logs bytes.Buffer
	dir := t.TempDir()
	r, err := OpenRegistry(RegistryOptions{Dir: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Lookup("rohit"); !ok {
		t.Fatal("an empty folder should serve the bundled CVs")
	}
	if !strings.Contains(logs.String(), "serving the bundled profiles") {
		t.Errorf("the fallback was not logged:\n%s", logs.String())
	}
	watch(t, r)
	writeProfile(t, dir, "ada.md", "# Ada\n")
	eventually(t, "ada replaces the bundled CVs", func() bool {
		_, ada := r.Lookup("ada")
		_, rohit := r.Lookup("rohit")
		return ada && !rohit
	})
}

// watch runs r.Watch until the test ends.
func watch(t *testing.T, r *Registry) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Watch(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	})
}

// eventually polls cond until it holds, failing after a generous deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestHotReload(t *testing.T) {
	var (
		mu     sync.Mutex
		events []ReloadEvent
	)
	r, dir := openFolder(t, map[string]string{
		"ada.md": "---\nheadline: v1\naliases: [lovelace]\n---\n# Ada\n",
		"bob.md": "# Bob\n",
	}, RegistryOptions{OnReload: func(ev ReloadEvent) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
	}})
	watch(t, r)
	headline := func() string {
		p, ok := r.Lookup("lovelace")
		if !ok {
			return ""
		}
		return p.Headline
	}
	held, _ := r.Lookup("ada") // a session holding the first version

	// Edit: the new version is served.
	writeProfile(t, dir, "ada.md", "---\nheadline: v2\naliases: [lovelace]\n---\n# Ada\n")
	eventually(t, "the edit is served", func() bool { return headline() == "v2" })
	if held.Headline != "v1" {
		t.Errorf("a profile handed out changed: %q", held.Headline)
	}

	// Break: the last good version stays, the error is reported.
	writeProfile(t, dir, "ada.md", "---\nheadline: [v3\n---\n# Ada\n")
	eventually(t, "the broken file is reported", func() bool { return len(r.Problems()) == 1 })
	if headline() != "v2" {
		t.Errorf("after a broken edit, headline %q; want the last good v2", headline())
	}
	if !strings.HasPrefix(r.Problems()[0].Error(), filepath.Join(dir, "ada.md")+":") {
		t.Errorf("problem %v does not name the file", r.Problems()[0])
	}
	mu.Lock()
	var sawError bool
	for _, ev := range events {
		sawError = sawError || (ev.Err != nil && ev.Handle == "ada")
	}
	mu.Unlock()
	if !sawError {
		t.Error("OnReload did not report the broken file")
	}

	// Fix: the fixed version is served and the problem is gone.
	writeProfile(t, dir, "ada.md", "---\nheadline: v4\naliases: [lovelace]\n---\n# Ada\n")
	eventually(t, "the fix is served", func() bool { return headline() == "v4" && len(r.Problems()) == 0 })

	// A name claimed twice is a file that stops validating too.
	writeProfile(t, dir, "bob.md", "---\naliases: [lovelace]\n---\n# Bob v2\n")
	eventually(t, "the conflict is reported", func() bool { return len(r.Problems()) == 1 })
	if p, _ := r.Lookup("bob"); p == nil || p.Name != "Bob" {
		t.Errorf("bob: want the last good version, got %v", p)
	}
	if p, _ := r.Lookup("lovelace"); p == nil || p.Handle != "ada" {
		t.Errorf("lovelace: want ada, got %v", p)
	}
	want := filepath.Join(dir, "bob.md") + `: alias "lovelace" is already used by ` + filepath.Join(dir, "ada.md")
	if got := r.Problems()[0].Error(); got != want {
		t.Errorf("problem:\n got %s\nwant %s", got, want)
	}

	// Delete: the profile is gone, and the name it claimed is free for bob.
	if err := os.Remove(filepath.Join(dir, "ada.md")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "ada is removed and bob takes the alias", func() bool {
		_, ada := r.Lookup("ada")
		p, _ := r.Lookup("lovelace")
		return !ada && p != nil && p.Handle == "bob" && p.Name == "Bob v2" && len(r.Problems()) == 0
	})

	// Add: a new file is served.
	writeProfile(t, dir, "cy.yaml", "basics:\n  name: Cy\n")
	eventually(t, "cy is added", func() bool { _, ok := r.Lookup("cy"); return ok })
	if got := len(r.List()); got != 2 {
		t.Errorf("%d profiles, want bob and cy", got)
	}

	mu.Lock()
	defer mu.Unlock()
	var removed bool
	for _, ev := range events {
		removed = removed || (ev.Removed && ev.Handle == "ada")
	}
	if !removed {
		t.Errorf("OnReload did not report the removal: %+v", events)
	}
}

func TestReloadKeepsServingWhenTheFolderGoes(t *testing.T) {
	r, dir := openFolder(t, map[string]string{"ada.md": "# Ada\n"}, RegistryOptions{})
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	var got error
	r.opts.OnReload = func(ev ReloadEvent) { got = ev.Err }
	r.Reload()
	if _, ok := r.Lookup("ada"); !ok {
		t.Error("a vanished folder must not empty the registry")
	}
	if got == nil || !errors.Is(got, os.ErrNotExist) {
		t.Errorf("OnReload error %v", got)
	}
}
