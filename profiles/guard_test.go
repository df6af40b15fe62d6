package profiles

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sshcv/sshcv/profiles/doc"
)

// yamlBomb is a JSON Resume whose aliases expand to 9^depth strings.
func yamlBomb(depth int) string {
	var b strings.Builder
	b.WriteString("basics:\n  name: Bomb\nx0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for i := 1; i <= depth; i++ {
		p := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "x%d: &a%d [%s]\n", i, i, strings.Join([]string{p, p, p, p, p, p, p, p, p}, ","))
	}
	return b.String()
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestYAMLAliasBombIsRefusedBeforeExpanding(t *testing.T) {
	bomb := yamlBomb(8)
	var err error
	n := allocated(func() { _, err = Parse("profiles/bomb.yaml", []byte(bomb), time.Now()) })
	if err == nil {
		t.Fatal("the alias bomb loaded")
	}
	if want := "profiles/bomb.yaml:4:"; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "YAML alias *a0") {
		t.Errorf("error = %q; want it at %s… naming the alias", err, want)
	}
	// Without the check the expansion allocates gigabytes (and tens of seconds).
	if n > 200<<20 {
		t.Errorf("refusing the bomb allocated %d MiB; want under 200", n>>20)
	}
	t.Logf("%d bytes, refused after allocating %d KiB", len(bomb), n>>10)
}

func TestYAMLWithoutAliasesStillLoads(t *testing.T) {
	doc := "basics:\n  name: \"Star *Name\"\n  label: '*quoted star*'\n"
	p, err := Parse("profiles/star.yaml", []byte(doc), time.Now())
	if err != nil || p.Name != "Star *Name" {
		t.Fatalf("Parse = %+v, %v", p, err)
	}
}

// hostileMarkdown is about 1 MiB of one paragraph of unclosed link destinations, which
// goldmark parses in time quadratic in its length (minutes for 1 MiB).
func hostileMarkdown() []byte {
	return []byte("# Hostile\n\n" + strings.Repeat("[a](", (MaxFileSize-16)/4) + "\n")
}

func TestQuadraticMarkdownIsRefusedAtTheMark(t *testing.T) {
	for name, body := range map[string]string{
		"destinations": strings.Repeat("[a](", 300),
		"nested":       strings.Repeat("[", 300) + strings.Repeat("]", 300),
		"emphasis":     strings.Repeat("*a_", 300),
	} {
		data := "# Hostile\n\nintro\n\n" + body + "\n"
		var err error
		// The parse itself must never be reached: allocations tell, where wall time
		// would flake on a busy machine.
		n := allocated(func() { _, err = Parse("profiles/hostile.md", []byte(data), time.Now()) })
		if err == nil || !strings.HasPrefix(err.Error(), "profiles/hostile.md:5:") || !strings.Contains(err.Error(), "Markdown marks") {
			t.Errorf("%s: error = %v; want one at line 5", name, err)
		}
		if n > 64<<10 {
			t.Errorf("%s: refusing allocated %d KiB", name, n>>10)
		}
	}
	var err error
	start := time.Now()
	cpu := cpuTime()
	_, err = Parse("profiles/hostile.md", hostileMarkdown(), time.Now())
	used := cpuTime() - cpu
	if err == nil {
		t.Fatal("1 MiB of unclosed link destinations loaded")
	}
	if used > 3*time.Second {
		t.Errorf("refusing 1 MiB of \"[a](\" took %v of CPU; want under 3 s", used)
	}
	t.Logf("1 MiB refused in %v (CPU %v): %v", time.Since(start), used, err)
}

func TestMarksAreCountedPerParagraph(t *testing.T) {
	// As many links as fit, but split into paragraphs, and escaped marks: all load.
	var b strings.Builder
	b.WriteString("# Many Links\n\n")
	for range 40 {
		b.WriteString(strings.Repeat("[a](https://example.com/a_b) *x* ", 40) + "\n\n")
	}
	b.WriteString(strings.Repeat(`\[a\]\(`, 600) + "\n")
	if _, err := Parse("profiles/links.md", []byte(b.String()), time.Now()); err != nil {
		t.Fatal(err)
	}
}

// cpuTime is the CPU time the test process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestLinksOutOfTheFolderAreRefused(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.md")
	if err := os.WriteFile(secret, []byte("# Not Yours\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ada.md"), []byte("# Ada\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "abs.md")); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
	rel, err := filepath.Rel(dir, secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(rel, filepath.Join(dir, "up.md")); err != nil {
		t.Fatal(err)
	}
	errs := CheckDir(dir)
	if len(errs) != 2 {
		t.Fatalf("CheckDir = %v; want two refused links", errs)
	}
	for i, name := range []string{"abs.md", "up.md"} {
		want := filepath.Join(dir, name) + ": a link to "
		if got := errs[i].Error(); !strings.HasPrefix(got, want) || !strings.Contains(got, "outside the profiles folder") {
			t.Errorf("error %d = %q; want %q… outside the profiles folder", i, got, want)
		}
	}
	r, err := OpenRegistry(RegistryOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Lookup("abs"); ok {
		t.Error("a link out of the folder is served")
	}
	if _, ok := r.Lookup("ada"); !ok || len(r.Problems()) != 2 {
		t.Errorf("ada served: %v; problems %v", ok, r.Problems())
	}
}

// The benchmarks below give the figures of the limits: what refusing a hostile file
// costs, and what the worst 1 MiB Markdown that passes the check costs to parse.

func BenchmarkRefuseYAMLBomb(b *testing.B) {
	bomb := []byte(yamlBomb(8))
	for b.Loop() {
		if _, err := Parse("profiles/bomb.yaml", bomb, time.Now()); err == nil {
			b.Fatal("loaded")
		}
	}
}

func BenchmarkRefuseMarkdownDestinations(b *testing.B) {
	data := hostileMarkdown()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("profiles/hostile.md", data, time.Now()); err == nil {
			b.Fatal("loaded")
		}
	}
}

func TestMarkdownMadeFromHTMLIsBoundedToo(t *testing.T) {
	// 500 marks in the file, 750 once the links are Markdown: the block is kept as its text.
	src := "# A\n\n<div>\n" + strings.Repeat(`<a href="https://x.io/">a</a> `, 250) + "\n</div>\n"
	p, err := Parse("profiles/html.md", []byte(src), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if body := doc.Markdown(p.Sections[0].Blocks); strings.Contains(body, "](") || !strings.HasPrefix(body, "a a a") {
		t.Errorf("body %.80q; want the plain text of the links", body)
	}
}
