package web

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/sshcv/sshcv/stats"
	"github.com/sshcv/sshcv/store"
)

// countSink keeps the counts a Recorder flushes.
type countSink struct {
	mu  sync.Mutex
	all []store.Count
}

func (c *countSink) AddCounts(_ context.Context, counts []store.Count) error {
	c.mu.Lock()
	c.all = append(c.all, counts...)
	c.mu.Unlock()
	return nil
}

func (c *countSink) Counts(_ context.Context, handle, since string) ([]store.Count, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]store.Count(nil), c.all...), nil
}

// Page views, curl text and export files are counted by channel; a request with
// DNT: 1 or Sec-GPC: 1, a HEAD and a miss are not.
func TestWebCountsVisitsAndHonoursDNT(t *testing.T) {
	sink := &countSink{}
	rec := stats.New(stats.Options{Sink: sink, Logger: slog.New(slog.DiscardHandler)})
	s := newTestServer(t, func(o *Options) { o.Stats = rec })
	browser := []string{"Accept", "text/html", "User-Agent", "Mozilla/5.0"}
	s.get("/rohit", browser...)
	s.get("/rohit", append(browser, "DNT", "1")...)
	s.get("/rohit", append(browser, "Sec-GPC", "1")...)
	s.get("/rohit", "User-Agent", "curl/8.5.0")
	s.get("/rohit.json")
	s.get("/rohit.vcf", "DNT", "1")
	s.do("HEAD", "/rohit", browser...)
	s.get("/nobody", browser...)
	if err := rec.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	rs, err := stats.Reports(context.Background(), sink, "rohit", 1, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got := rs[0].Channels
	want := map[string]int64{stats.ChannelWeb: 1, stats.ChannelCurl: 1, stats.PrefixWeb + "json": 1}
	if len(got) != len(want) || rs[0].Visits != 3 {
		t.Fatalf("channels %v (visits %d), want %v", got, rs[0].Visits, want)
	}
	for ch, n := range want {
		if got[ch] != n {
			t.Fatalf("channels %v, want %v", got, want)
		}
	}
}
