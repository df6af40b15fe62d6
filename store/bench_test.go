package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/sshcv/sshcv/internal/pgtest"
)

// BenchmarkAddMessage measures what a visitor waits for after "send": one message and
// its outbox entry committed durably (SQLite: WAL, synchronous=FULL; PostgreSQL: fsync
// on), one at a time. It reports the p50 and p99 commit latency beside ns/op.
//
//	go test ./store -run '^$' -bench AddMessage -benchtime 500x
func BenchmarkAddMessage(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchAdd(b, b.TempDir()) })
	b.Run("postgres", func(b *testing.B) {
		srv := pgtest.StartDurable(b)
		benchAdd(b, srv.NewDatabase(b))
	})
}

func benchAdd(b *testing.B, location string) {
	ctx := context.Background()
	s, err := Open(ctx, location)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := s.AddMessage(ctx, Message{Handle: "rohit", From: "Jane, jane@example.com", Body: fmt.Sprintf("Hello, message %d", i)}, 50000, []string{"webhook"}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
