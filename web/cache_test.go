package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkPage is one visit of a cached page from a browser: negotiation, validators,
// compression and the headers, without the rendering.
func BenchmarkPage(b *testing.B) {
	for _, c := range []struct{ name, encoding string }{{"identity", ""}, {"gzip", "gzip, deflate, br"}} {
		b.Run(c.name, func(b *testing.B) {
			s := newTestServer(b)
			req := httptest.NewRequest("GET", "/rohit", nil)
			req.Header.Set("Accept", browserAccept)
			if c.encoding != "" {
				req.Header.Set("Accept-Encoding", c.encoding)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.handler.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
				b.SetBytes(int64(rec.Body.Len()))
				_, _ = io.Copy(io.Discard, rec.Body)
			}
		})
	}
}

// TestBurstOfFirstVisitorsRendersOnce: visitors asking at the same moment for a page
// nobody has asked for yet get it from one rendering.
func TestBurstOfFirstVisitorsRendersOnce(t *testing.T) {
	s := newTestServer(t)
	var renders atomic.Int32
	release := make(chan struct{})
	render := func() (*response, error) {
		renders.Add(1)
		<-release
		return newResponse(http.StatusOK, "text/plain; charset=utf-8", []byte("the page\n"), "v1", time.Time{}), nil
	}
	const visitors = 16
	var started, done sync.WaitGroup
	bodies := make([]string, visitors)
	for i := range bodies {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			rec := httptest.NewRecorder()
			started.Done()
			s.handler.serveCached(rec, httptest.NewRequest("GET", "/rohit", nil), cacheKey{handle: "rohit", variant: "burst"}, false, render)
			bodies[i] = rec.Body.String()
		}()
	}
	started.Wait()
	for renders.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // the others queue up behind the first rendering
	close(release)
	done.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("rendered %d times for %d visitors, want once", n, visitors)
	}
	for i, b := range bodies {
		if b != "the page\n" {
			t.Errorf("visitor %d got %q", i, b)
		}
	}
}
