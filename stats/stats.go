// Package stats counts who read a CV without keeping anything that identifies a
// visitor: visits per day and profile by channel, the sections opened in the
// viewer and the time spent on each, searches made (how many, never what was
// typed), links copied, messages sent, the visitors' terminal size class and
// colour support, and an estimate of unique visitors per day.
//
// A Recorder aggregates in memory and adds its counters to the store every few
// seconds and when it stops (store.Store.AddCounts): counters, never a log of
// visits, so replicas writing to one database add up and a crash loses at most
// one flush interval. Unique visitors are estimated from a keyed hash of (source
// address, client software, profile) whose key is random, held only in memory
// and replaced at the end of each UTC day together with the hashes seen, so no
// stored value can be linked back to an address, not even by the operator; the
// store gets only how many distinct hashes there were.
//
// Report and Render turn the stored counters into the owner's report. stats
// imports store and the Charm libraries; never tui, server or web (they call it).
package stats

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/sshcv/sshcv/store"
)

// Channels a visit comes through. An export adds its format to the prefix:
// "ssh-md", "web-json", …
const (
	ChannelTerminal = "terminal" // the interactive viewer over SSH
	ChannelText     = "ssh-text" // plain text over SSH: no PTY, TERM=dumb or the text command
	ChannelWeb      = "web"      // the web page
	ChannelCurl     = "curl"     // the page as text, for curl and Accept: text/plain
	PrefixSSH       = "ssh-"     // an export over SSH: PrefixSSH + command
	PrefixWeb       = "web-"     // an export file on the web: PrefixWeb + extension
)

// Kinds of counters in the store.
const (
	kindVisit     = "visit"      // name: the channel
	kindUnique    = "unique"     // distinct visitors (estimated)
	kindSection   = "section"    // name: the section's title; detail: the time-spent bucket
	kindSectionMS = "section_ms" // name: the section's title; n: milliseconds spent in all
	kindSearch    = "search"
	kindCopy      = "copy"
	kindMessage   = "message"
	kindSize      = "size"   // name: the terminal size class
	kindColour    = "colour" // name: the colour support
)

// Sink is where the counters go (store.Store has it).
type Sink interface {
	AddCounts(ctx context.Context, counts []store.Count) error
}

// Options configure a Recorder.
type Options struct {
	Sink     Sink
	Interval time.Duration // between flushes; 0 means DefaultInterval
	Logger   *slog.Logger  // nil: slog.Default()
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
}

// DefaultInterval is how often counters are written: what a crash may lose.
const DefaultInterval = 5 * time.Second

// maxSeen bounds the hashes kept for the unique estimate in one day (16 bytes
// each, about 20 MiB at most with the map's overhead; far more visitors than a CV
// gets): past it every further visitor is counted as new, so a flood can raise
// the estimate but not the memory.
const maxSeen = 1 << 19

// flushTimeout bounds one write to the store.
const flushTimeout = 10 * time.Second

// Recorder aggregates the counters in memory. Its methods are safe for concurrent
// use, and a nil *Recorder counts nothing (stats turned off).
type Recorder struct {
	sink     Sink
	interval time.Duration
	log      *slog.Logger
	now      func() time.Time

	mu      sync.Mutex
	pending map[counter]int64
	day     string                // the UTC day key and seen belong to
	key     [32]byte              // the day's random hash key, never stored or logged
	seen    map[[16]byte]struct{} // the day's visitor hashes
	flushMu sync.Mutex            // one flush at a time
}

type counter struct{ day, handle, kind, name, detail string }

// New returns a Recorder writing to o.Sink; call Run to flush it.
func New(o Options) *Recorder {
	r := &Recorder{sink: o.Sink, interval: o.Interval, log: o.Logger, now: o.Now, pending: map[counter]int64{}}
	if r.interval <= 0 {
		r.interval = DefaultInterval
	}
	if r.log == nil {
		r.log = slog.Default()
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r
}

// Day is the UTC day a time is counted in.
func Day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// Visit counts a visit to handle through channel. addr (the source address; a
// port is ignored) and client (the SSH client's version or the browser's
// User-Agent) feed the day's unique estimate only and are not kept.
func (r *Recorder) Visit(handle, channel, addr, client string) {
	if r == nil || handle == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	day := r.today()
	r.pending[counter{day, handle, kindVisit, channel, ""}]++
	if r.firstToday(handle, addr, client) {
		r.pending[counter{day, handle, kindUnique, "", ""}]++
	}
}

// Message counts a message committed for handle's owner (from the viewer or the
// message command).
func (r *Recorder) Message(handle string) { r.add(handle, kindMessage, "", "", 1) }

// add counts n more of kind name detail for handle today.
func (r *Recorder) add(handle, kind, name, detail string, n int64) {
	if r == nil || handle == "" {
		return
	}
	r.mu.Lock()
	r.pending[counter{r.today(), handle, kind, name, detail}] += n
	r.mu.Unlock()
}

// today returns the current UTC day, replacing the hash key and forgetting the
// hashes seen when the day has changed. r.mu is held.
func (r *Recorder) today() string {
	day := Day(r.now())
	if day != r.day {
		r.day = day
		if _, err := rand.Read(r.key[:]); err != nil {
			panic("stats: no randomness for the day's key: " + err.Error())
		}
		r.seen = map[[16]byte]struct{}{}
	}
	return day
}

// firstToday reports whether this (profile, address, client) was not seen today.
// r.mu is held and today was called.
func (r *Recorder) firstToday(handle, addr, client string) bool {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	mac := hmac.New(sha256.New, r.key[:])
	for _, s := range []string{handle, addr, client} {
		mac.Write([]byte(s))
		mac.Write([]byte{0})
	}
	var h [16]byte
	copy(h[:], mac.Sum(nil))
	if _, ok := r.seen[h]; ok {
		return false
	}
	if len(r.seen) < maxSeen {
		r.seen[h] = struct{}{}
	}
	return true
}

// Run flushes every interval until ctx ends, then once more, and returns.
func (r *Recorder) Run(ctx context.Context) {
	if r == nil {
		return
	}
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.mu.Lock()
			r.today() // the day's key is dropped at midnight even without visits
			r.mu.Unlock()
			_ = r.Flush(context.Background())
		case <-ctx.Done():
			_ = r.Flush(context.Background())
			return
		}
	}
}

// Flush adds what was counted since the last flush to the store. On failure the
// counts are kept for the next flush and the failure is logged (counters carry
// nothing about a visitor).
func (r *Recorder) Flush(ctx context.Context) error {
	if r == nil || r.sink == nil {
		return nil
	}
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	r.mu.Lock()
	batch := r.pending
	r.pending = map[counter]int64{}
	r.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	counts := make([]store.Count, 0, len(batch))
	for c, n := range batch {
		counts = append(counts, store.Count{Day: c.day, Handle: c.handle, Kind: c.kind, Name: c.name, Detail: c.detail, N: n})
	}
	ctx, cancel := context.WithTimeout(ctx, flushTimeout)
	defer cancel()
	err := r.sink.AddCounts(ctx, counts)
	if err != nil {
		r.mu.Lock()
		for c, n := range batch {
			r.pending[c] += n
		}
		r.mu.Unlock()
		r.log.Warn("stats: cannot write the view counts; kept for the next try", "err", err, "counters", len(batch))
	}
	return err
}
