package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/sshcv/sshcv/stats"
	"github.com/sshcv/sshcv/store"
)

// statsFlags are serve's settings for the owner's view counts.
type statsFlags struct {
	on       bool
	interval time.Duration
}

func (f *statsFlags) add(ef *envFlags) {
	ef.Bool(&f.on, "stats", "SSHCV_STATS", true, "count views per CV, section and channel for the owner (sshcv stats); nothing identifying is kept")
	ef.Duration(&f.interval, "stats-interval", "SSHCV_STATS_INTERVAL", stats.DefaultInterval, "how often the view counts are written to the store (what a crash may lose)")
}

// start returns the recorder writing to st and runs its flushes until stop is
// called; stop returns after the last flush. With stats off both are no-ops.
func (f *statsFlags) start(st store.Store, logger *slog.Logger) (rec *stats.Recorder, stop func()) {
	if !f.on {
		logger.Info("stats", "on", false)
		return nil, func() {}
	}
	if f.interval <= 0 {
		f.interval = stats.DefaultInterval
	}
	rec = stats.New(stats.Options{Sink: st, Interval: f.interval, Logger: logger})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		rec.Run(ctx)
	}()
	logger.Info("stats", "on", true, "flush", f.interval)
	return rec, func() {
		cancel()
		<-done
	}
}

// runStats is `sshcv stats`: the owner's view counts, as an 80-column report or
// as JSON for scripts.
//
//	sshcv stats [--handle H] [--days 30] [--json]   [--data DIR | --store postgres://…]
func runStats(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ef := &envFlags{fs: fs}
	var sf storeFlags
	sf.add(ef)
	var handle string
	var days int
	var asJSON bool
	fs.StringVar(&handle, "handle", "", "only this profile (default: every profile with views)")
	fs.IntVar(&days, "days", 30, "how many days back, today included")
	fs.BoolVar(&asJSON, "json", false, "print JSON for scripts")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: sshcv stats [--handle H] [--days 30] [--json]   [--data DIR | --store postgres://…]")
		fs.PrintDefaults()
	}
	if _, code, done := ef.parse(args, 0, stderr); done {
		return code
	}
	if days < 1 || days > 3660 {
		fmt.Fprintf(stderr, "sshcv stats: --days %d: expected 1 to 3660\n", days)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := sf.open(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "sshcv stats:", err)
		return 1
	}
	defer st.Close()
	reports, err := stats.Reports(ctx, st, handle, days, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "sshcv stats:", err)
		return 1
	}
	if asJSON {
		return writeJSON(stdout, reports)
	}
	fmt.Fprint(stdout, stats.Render(reports, stats.ReportWidth))
	return 0
}
