package server

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

func (c *countSink) Counts(context.Context, string, string) ([]store.Count, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]store.Count(nil), c.all...), nil
}

// A viewer session, an alias's text command, a JSON export and plain text
// without a PTY are counted by channel under the CV's handle; the viewer's
// sections under their titles, its terminal by colour and by the size the client
// reported (not the size the viewer is clamped to).
func TestSessionsAreCounted(t *testing.T) {
	sink := &countSink{}
	rec := stats.New(stats.Options{Sink: sink, Logger: slog.New(slog.DiscardHandler)})
	ts := startServer(t, func(c *Config) { c.Stats = rec })

	term := openTerminal(t, ts.addr, "rohit01", terminalOptions{width: 160, height: 50, answerQueries: true})
	term.waitFor("Rohit Gupta")
	term.send("l")
	term.waitFor("Graylog")
	term.send("q")
	if code := term.wait(); code != 0 {
		t.Fatalf("viewer: status %d", code)
	}
	for _, cmd := range []string{"text", "json", ""} {
		if r := run(t, ts.addr, "rohit01", cmd, nil); r.status != 0 {
			t.Fatalf("%q: %+v", cmd, r)
		}
	}
	if r := run(t, ts.addr, "nobody-here", "text", nil); r.status == 0 {
		t.Fatal("text for an unknown CV succeeded")
	}
	if err := rec.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	rs, err := stats.Reports(context.Background(), sink, "", 1, time.Now())
	if err != nil || len(rs) != 1 || rs[0].Handle != "rohit" {
		t.Fatalf("reports %+v, %v; want one, for rohit", rs, err)
	}
	r := rs[0]
	want := map[string]int64{stats.ChannelTerminal: 1, stats.ChannelText: 2, "ssh-json": 1}
	if len(r.Channels) != len(want) {
		t.Fatalf("channels %v, want %v", r.Channels, want)
	}
	for ch, n := range want {
		if r.Channels[ch] != n {
			t.Fatalf("channels %v, want %v", r.Channels, want)
		}
	}
	if len(r.Sections) != 2 || r.Sizes["large"] != 1 || r.Colours["256"] != 1 {
		t.Fatalf("sections %+v, sizes %v, colours %v\n%s", r.Sections, r.Sizes, r.Colours, ts.logs.String())
	}
}
