package memo

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBurstBuildsOnce: many goroutines asking for the same missing key at once get
// the same value from a single build.
func TestBurstBuildsOnce(t *testing.T) {
	c := New[string, *int](4)
	var builds atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	var started atomic.Int32
	got := make([]*int, 32)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started.Add(1)
			got[i], _ = c.Get("rohit", func() (*int, error) {
				builds.Add(1)
				<-release // hold the build until every caller is waiting
				n := 42
				return &n, nil
			})
		}()
	}
	// Let the callers pile up behind the first build, then finish it.
	for started.Load() < int32(len(got)) || builds.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Fatalf("built %d times, want once", n)
	}
	for i, v := range got {
		if v != got[0] {
			t.Fatalf("caller %d got another value", i)
		}
	}
}

func TestBoundedAndLeastRecentlyUsedGoes(t *testing.T) {
	c := New[int, int](3)
	for i := 0; i < 3; i++ {
		_, _ = c.Get(i, func() (int, error) { return i, nil })
	}
	_, _ = c.Get(0, func() (int, error) { t.Fatal("0 built again"); return 0, nil })
	_, _ = c.Get(3, func() (int, error) { return 3, nil })
	if c.Len() != 3 {
		t.Fatalf("%d entries, want 3", c.Len())
	}
	if _, ok := c.Peek(1); ok {
		t.Error("the least recently used entry was kept")
	}
	if _, ok := c.Peek(0); !ok {
		t.Error("a recently used entry was evicted")
	}
}

func TestFailedBuildIsNotCached(t *testing.T) {
	c := New[string, string](2)
	if _, err := c.Get("k", func() (string, error) { return "", errors.New("broken") }); err == nil {
		t.Fatal("the error was lost")
	}
	v, err := c.Get("k", func() (string, error) { return "ok", nil })
	if err != nil || v != "ok" {
		t.Fatalf("after a failed build: %q, %v", v, err)
	}
}
