package tui

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

// viewEvents records what the viewer tells Views.
type viewEvents struct {
	mu  sync.Mutex
	got []string
}

func (v *viewEvents) add(s string)                 { v.mu.Lock(); v.got = append(v.got, s); v.mu.Unlock() }
func (v *viewEvents) Section(handle, title string) { v.add("section " + handle + "/" + title) }
func (v *viewEvents) Searched(handle string)       { v.add("search " + handle) }
func (v *viewEvents) Copied(handle string)         { v.add("copy " + handle) }

func (v *viewEvents) list() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.got...)
}

// The viewer reports the sections a visitor opens, a search made (but not what
// was typed) and a copied contact; keys typed into the search box are no copy.
func TestViewsHearWhatTheVisitorDoes(t *testing.T) {
	ev := &viewEvents{}
	p := bundled(t, "rohit")
	s := start(t, Options{Profile: p, Views: ev}, 80, 24)
	s.keys("l")
	s.keys("/")
	s.typeText("cgo") // a c while typing is text, not a copy
	s.keys("enter", "c", "h")
	s.frame()
	first, second := p.Sections[0].Title, p.Sections[1].Title
	got := ev.list()
	want := []string{"section rohit/" + first, "section rohit/" + second}
	i := 2
	for ; i < len(got) && strings.HasPrefix(got[i], "section "); i++ {
		want = append(want, got[i]) // the search may move to the section of its first match
	}
	want = append(want, "search rohit", "copy rohit")
	if len(got) < len(want) || !reflect.DeepEqual(got[:len(want)], want) {
		t.Fatalf("Views heard:\n%s\nwant it to start with:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range got {
		if strings.Contains(e, "cgo") {
			t.Fatalf("Views was told what was typed: %q", e)
		}
	}
	if last := got[len(got)-1]; !strings.HasPrefix(last, "section rohit/") {
		t.Fatalf("h did not report the section it opened: %q", last)
	}
}
