package profiles

import (
	"strings"
	"testing"
	"time"
)

// slowParse makes the parse of files whose name ends in "slow.md" wait until release
// is closed, as a file that takes long to parse would.
func slowParse(t *testing.T) (release func()) {
	gate := make(chan struct{})
	parseFile = func(name string, data []byte, modTime time.Time) (*Profile, error) {
		if strings.HasSuffix(name, "slow.md") {
			<-gate
		}
		return Parse(name, data, modTime)
	}
	var released bool
	release = func() {
		if !released {
			released = true
			close(gate)
		}
	}
	t.Cleanup(func() {
		release()
		parseFile = Parse
	})
	return release
}

func TestASlowFileDelaysNeitherTheStartNorOtherReloads(t *testing.T) {
	release := slowParse(t)
	dir := t.TempDir()
	writeProfile(t, dir, "ada.md", "# Ada\n")
	writeProfile(t, dir, "slow.md", "# Slow\n")
	opened := make(chan *Registry, 1)
	go func() {
		r, err := OpenRegistry(RegistryOptions{Dir: dir})
		if err != nil {
			t.Error(err)
		}
		opened <- r
	}()
	var r *Registry
	select {
	case r = <-opened:
	case <-time.After(15 * time.Second):
		t.Fatal("OpenRegistry waits for the slow file")
	}
	if r == nil {
		t.FailNow()
	}
	if _, ok := r.Lookup("ada"); !ok {
		t.Fatal("ada is not served while the slow file loads")
	}
	if _, ok := r.Lookup("slow"); ok {
		t.Fatal("the slow file is served before its parse ended")
	}

	// Another file's edit is served while the slow parse still runs.
	watch(t, r)
	writeProfile(t, dir, "ada.md", "---\nheadline: v2\n---\n# Ada\n")
	eventually(t, "ada's edit is served", func() bool {
		p, ok := r.Lookup("ada")
		return ok && p.Headline == "v2"
	})
	if _, ok := r.Lookup("slow"); ok {
		t.Fatal("the slow file is served before its parse ended")
	}

	release()
	eventually(t, "the slow file is served once parsed", func() bool { _, ok := r.Lookup("slow"); return ok })
}

func TestAFileEditedWhileItParsesEndsAtItsLastVersion(t *testing.T) {
	release := slowParse(t)
	dir := t.TempDir()
	writeProfile(t, dir, "ada.md", "# Ada\n")
	writeProfile(t, dir, "slow.md", "# Slow v1\n")
	r, err := OpenRegistry(RegistryOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	writeProfile(t, dir, "slow.md", "# Slow v2\n")
	r.reload(false) // the watcher's reload: it does not wait
	release()
	r.Reload()
	if p, ok := r.Lookup("slow"); !ok || p.Name != "Slow v2" {
		t.Fatalf("slow = %v; want v2", p)
	}
	if len(r.Problems()) != 0 {
		t.Errorf("problems: %v", r.Problems())
	}
}
