package stats

import (
	"log/slog"
	"strconv"
	"testing"
)

// BenchmarkViewerSession is what the stats cost one terminal visit: the visit and
// its unique hash, three sections read, a search and a copy, and its share of a
// flush. Compare with the load tool's CPU per session (a few ms).
func BenchmarkViewerSession(b *testing.B) {
	sink := &memSink{}
	r := New(Options{Sink: sink, Logger: slog.New(slog.DiscardHandler)})
	b.ReportAllocs()
	for i := range b.N {
		s := r.Viewer("127.1.0."+strconv.Itoa(i%250)+":40000", "SSH-2.0-OpenSSH_9.6", 80, 24, "256")
		s.Section("rohit", "Experience")
		s.Section("rohit", "Projects")
		s.Searched("rohit")
		s.Copied("rohit")
		s.Section("rohit", "Skills")
		s.End()
		if i%1000 == 999 {
			sink.all = sink.all[:0]
			_ = r.Flush(b.Context())
		}
	}
}
