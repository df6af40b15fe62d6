package tui

import (
	"strconv"
	"sync"
	"testing"
)

// TestThemeCacheKeepsRecentThemes: the theme cache drops the least recently used theme
// when it is full, not every theme at once.
func TestThemeCacheKeepsRecentThemes(t *testing.T) {
	var ts themes
	kept := map[int]*theme{}
	for i := 0; i < maxThemes; i++ {
		kept[i] = ts.get(strconv.Itoa(i%256), i >= 256)
	}
	ts.get("#123456", true) // one more than the bound
	for i := 1; i < maxThemes; i++ {
		if got := ts.get(strconv.Itoa(i%256), i >= 256); got != kept[i] {
			t.Fatalf("theme %d was dropped when the cache filled up", i)
		}
	}
}

// TestBurstOfFirstVisitorsLaysOutOnce: sessions opening the same CV at the same time
// share one layout.
func TestBurstOfFirstVisitorsLaysOutOnce(t *testing.T) {
	r := NewRenderer(8)
	p := bundled(t, "rohit")
	docs := make([]*document, 16)
	var wg sync.WaitGroup
	for i := range docs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			docs[i] = r.document(p, 78, english)
		}()
	}
	wg.Wait()
	for i, d := range docs {
		if d != docs[0] {
			t.Fatalf("session %d got a layout of its own", i)
		}
	}
}
