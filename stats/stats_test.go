package stats

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/sshcv/sshcv/store"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// memSink adds counts up in memory, like the store; fail makes the next writes fail.
type memSink struct {
	mu   sync.Mutex
	all  []store.Count
	fail bool
}

func (m *memSink) AddCounts(_ context.Context, counts []store.Count) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("database is down")
	}
	m.all = append(m.all, counts...)
	return nil
}

func (m *memSink) Counts(_ context.Context, handle, since string) ([]store.Count, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	sum := map[store.Count]int64{}
	for _, c := range m.all {
		n := c.N
		c.N = 0
		if c.Day >= since && (handle == "" || c.Handle == handle) {
			sum[c] += n
		}
	}
	var out []store.Count
	for c, n := range sum {
		c.N = n
		out = append(out, c)
	}
	return out, nil
}

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestRecorder(t *testing.T) (*Recorder, *memSink, *clock) {
	t.Helper()
	sink := &memSink{}
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	return New(Options{Sink: sink, Now: clk.now, Logger: slog.New(slog.DiscardHandler)}), sink, clk
}

func report(t *testing.T, sink *memSink, handle string, now time.Time) Report {
	t.Helper()
	rs, err := Reports(context.Background(), sink, handle, 30, now)
	if err != nil || len(rs) != 1 {
		t.Fatalf("Reports: %v, %d reports", err, len(rs))
	}
	return rs[0]
}

func TestVisitsUniquesAndSections(t *testing.T) {
	r, sink, clk := newTestRecorder(t)
	// Three visitors: two from one address with different clients, one revisiting.
	r.Visit("rohit", ChannelText, "127.0.0.1:50000", "SSH-2.0-OpenSSH_9.6")
	r.Visit("rohit", ChannelText, "127.0.0.1:50001", "SSH-2.0-OpenSSH_9.6") // same visitor, another port
	r.Visit("rohit", PrefixSSH+"json", "127.0.0.1:50002", "SSH-2.0-Go")
	r.Visit("rohit", ChannelWeb, "10.0.0.7:1234", "Mozilla/5.0")
	s := r.Viewer("10.0.0.8:999", "SSH-2.0-PuTTY", 100, 30, "256")
	s.Section("rohit", "About")
	clk.advance(3 * time.Second)
	s.Section("rohit", "Experience")
	s.Searched("rohit")
	clk.advance(45 * time.Second)
	s.Copied("rohit")
	r.Message("rohit")
	s.End()
	if err := r.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := report(t, sink, "rohit", clk.now())
	if got.Visits != 5 || got.Uniques != 4 {
		t.Errorf("visits %d, uniques %d; want 5 and 4", got.Visits, got.Uniques)
	}
	want := map[string]int64{ChannelText: 2, "ssh-json": 1, ChannelWeb: 1, ChannelTerminal: 1}
	for ch, n := range want {
		if got.Channels[ch] != n {
			t.Errorf("channel %s: %d, want %d", ch, got.Channels[ch], n)
		}
	}
	if got.Searches != 1 || got.Copies != 1 || got.Messages != 1 || got.Sizes["medium"] != 1 || got.Colours["256"] != 1 {
		t.Errorf("searches %d copies %d messages %d sizes %v colours %v", got.Searches, got.Copies, got.Messages, got.Sizes, got.Colours)
	}
	if len(got.Sections) != 2 || got.Sections[0].Title != "Experience" || got.Sections[0].TotalSeconds != 45 || got.Sections[1].TotalSeconds != 3 {
		t.Errorf("sections %+v", got.Sections)
	}
}

func TestNewDayNewKey(t *testing.T) {
	r, sink, clk := newTestRecorder(t)
	r.Visit("rohit", ChannelText, "127.0.0.1:1", "c")
	key := r.key
	clk.advance(24 * time.Hour)
	r.Visit("rohit", ChannelText, "127.0.0.1:1", "c")
	if r.key == key {
		t.Fatal("the hash key was kept into the next day")
	}
	_ = r.Flush(context.Background())
	got := report(t, sink, "rohit", clk.now())
	if got.Uniques != 2 || got.Days[len(got.Days)-1].Uniques != 1 || got.Days[len(got.Days)-2].Uniques != 1 {
		t.Fatalf("a visitor on two days: uniques %d, days %+v", got.Uniques, got.Days[len(got.Days)-2:])
	}
}

func TestFailedFlushKeepsCounts(t *testing.T) {
	r, sink, clk := newTestRecorder(t)
	r.Visit("rohit", ChannelText, "127.0.0.1:1", "c")
	sink.fail = true
	if err := r.Flush(context.Background()); err == nil {
		t.Fatal("a failed write was not reported")
	}
	sink.fail = false
	r.Visit("rohit", ChannelText, "127.0.0.2:1", "c")
	if err := r.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := report(t, sink, "rohit", clk.now()); got.Visits != 2 {
		t.Fatalf("after a failed flush: %d visits, want 2", got.Visits)
	}
}

func TestNilRecorderCountsNothing(t *testing.T) {
	var r *Recorder
	r.Visit("rohit", ChannelText, "a", "b")
	s := r.Viewer("a", "b", 80, 24, "none")
	s.Section("rohit", "About")
	s.Searched("rohit")
	s.End()
	r.Run(context.Background())
	if err := r.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestQuantiles(t *testing.T) {
	// 10 reads: 5 in (1, 2] s, 4 in (10, 30] s, 1 over 30 minutes.
	b := map[string]int64{"2000": 5, "30000": 4, "inf": 1}
	if m := quantile(b, 10, 0.5); m != 2 {
		t.Errorf("median %v, want 2", m)
	}
	if p := quantile(b, 10, 0.9); p != 30 {
		t.Errorf("p90 %v, want 30", p)
	}
	if p := quantile(b, 10, 1); p != 1800 {
		t.Errorf("max %v, want the open bucket's lower bound 1800", p)
	}
}

// goldenCounts is a month of counts for the golden report.
func goldenCounts() []store.Count {
	var cs []store.Count
	add := func(day, kind, name, detail string, n int64) {
		cs = append(cs, store.Count{Day: day, Handle: "rohit", Kind: kind, Name: name, Detail: detail, N: n})
	}
	for i, n := range []int64{3, 0, 7, 12, 5, 1, 0, 9} {
		day := time.Date(2026, 11, 24+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		add(day, kindVisit, ChannelTerminal, "", n)
		add(day, kindVisit, ChannelWeb, "", n/2)
		add(day, kindUnique, "", "", n/2+n/3)
	}
	add("2026-12-01", kindVisit, ChannelText, "", 4)
	add("2026-12-01", kindVisit, ChannelCurl, "", 2)
	add("2026-12-01", kindVisit, "ssh-json", "", 1)
	add("2026-12-01", kindVisit, "web-vcf", "", 3)
	add("2026-12-01", kindSection, "Experience", "30000", 10)
	add("2026-12-01", kindSection, "Experience", "120000", 6)
	add("2026-12-01", kindSectionMS, "Experience", "", 760_000)
	add("2026-12-01", kindSection, "About", "5000", 20)
	add("2026-12-01", kindSectionMS, "About", "", 61_000)
	add("2026-12-01", kindSection, "Open Source Contributions and Talks at Conferences Around the World", "inf", 1)
	add("2026-12-01", kindSectionMS, "Open Source Contributions and Talks at Conferences Around the World", "", 2_000_000)
	add("2026-12-01", kindSearch, "", "", 4)
	add("2026-12-01", kindCopy, "", "", 2)
	add("2026-12-01", kindMessage, "", "", 1)
	add("2026-12-01", kindSize, "medium", "", 30)
	add("2026-12-01", kindSize, "small", "", 7)
	add("2026-12-01", kindColour, "truecolor", "", 25)
	add("2026-12-01", kindColour, "none", "", 12)
	return cs
}

func TestRenderGolden(t *testing.T) {
	reports := Build(goldenCounts(), "rohit", "2026-11-18", "2026-12-01")
	for _, width := range []int{ReportWidth, 40} {
		out := Render(reports, width)
		for i, line := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(line); w > width {
				t.Errorf("width %d: line %d is %d columns: %q", width, i+1, w, line)
			}
		}
		if strings.Contains(out, "\x1b") {
			t.Errorf("width %d: the report has escape sequences", width)
		}
		golden := filepath.Join("testdata", "report-"+itoa(int64(width))+".golden")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if out != string(want) {
			t.Errorf("width %d: the report differs from %s:\n%s", width, golden, out)
		}
	}
}
