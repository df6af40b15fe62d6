package stats

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sshcv/sshcv/store"
)

// Source is where reports read the counters (store.Store has it).
type Source interface {
	Counts(ctx context.Context, handle, since string) ([]store.Count, error)
}

// Report is one profile's view counts over some days, as `sshcv stats` and the
// owner's Views tab show them.
type Report struct {
	Handle   string           `json:"handle"`
	From     string           `json:"from"` // first day, UTC
	To       string           `json:"to"`   // last day (today), UTC
	Visits   int64            `json:"visits"`
	Uniques  int64            `json:"unique_visitors"` // estimated: see the package doc
	Channels map[string]int64 `json:"channels"`        // visits by channel
	Days     []DayCount       `json:"days"`            // every day, oldest first
	Sections []SectionReads   `json:"sections"`        // most read first
	Searches int64            `json:"searches"`
	Copies   int64            `json:"links_copied"`
	Messages int64            `json:"messages_sent"`
	Sizes    map[string]int64 `json:"terminal_sizes"` // viewer visits by SizeClass
	Colours  map[string]int64 `json:"colour_support"` // viewer visits by colour support
}

// DayCount is one day's visits.
type DayCount struct {
	Day      string           `json:"day"`
	Visits   int64            `json:"visits"`
	Uniques  int64            `json:"unique_visitors"`
	Channels map[string]int64 `json:"channels,omitempty"`
}

// SectionReads is how often a section was opened in the viewer and how long it
// stayed on screen. Median and P90 are estimated from the time buckets (linear
// within a bucket), in seconds.
type SectionReads struct {
	Title        string  `json:"title"`
	Reads        int64   `json:"reads"`
	TotalSeconds float64 `json:"total_seconds"`
	MedianSec    float64 `json:"median_seconds"`
	P90Sec       float64 `json:"p90_seconds"`
	buckets      map[string]int64
}

// Reports reads the counters of the last days days (today included) and returns
// one report per profile, by handle; handle "" means every profile with counts.
// A handle named but without counts gets an empty report.
func Reports(ctx context.Context, src Source, handle string, days int, now time.Time) ([]Report, error) {
	if days < 1 {
		days = 1
	}
	to := now.UTC()
	from := to.AddDate(0, 0, -(days - 1))
	counts, err := src.Counts(ctx, handle, Day(from))
	if err != nil {
		return nil, err
	}
	return Build(counts, handle, Day(from), Day(to)), nil
}

// Build turns counters into reports for the days from..to (inclusive, UTC
// "2006-01-02"); counters outside them are left out.
func Build(counts []store.Count, handle, from, to string) []Report {
	byHandle := map[string]*Report{}
	var order []string
	get := func(h string) *Report {
		if r, ok := byHandle[h]; ok {
			return r
		}
		r := newReport(h, from, to)
		byHandle[h] = r
		order = append(order, h)
		return r
	}
	if handle != "" {
		get(handle)
	}
	for _, c := range counts {
		if c.Day < from || c.Day > to || (handle != "" && c.Handle != handle) {
			continue
		}
		get(c.Handle).add(c)
	}
	sort.Strings(order)
	out := make([]Report, 0, len(order))
	for _, h := range order {
		r := byHandle[h]
		r.finish()
		out = append(out, *r)
	}
	return out
}

func newReport(handle, from, to string) *Report {
	r := &Report{Handle: handle, From: from, To: to, Channels: map[string]int64{}, Sizes: map[string]int64{}, Colours: map[string]int64{}, Sections: []SectionReads{}}
	start, err1 := time.Parse(time.DateOnly, from)
	end, err2 := time.Parse(time.DateOnly, to)
	if err1 == nil && err2 == nil {
		for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
			r.Days = append(r.Days, DayCount{Day: Day(d)})
		}
	}
	return r
}

func (r *Report) day(day string) *DayCount {
	i := sort.Search(len(r.Days), func(i int) bool { return r.Days[i].Day >= day })
	if i < len(r.Days) && r.Days[i].Day == day {
		return &r.Days[i]
	}
	return &DayCount{} // outside the days: counted in the totals only
}

func (r *Report) section(title string) *SectionReads {
	for i := range r.Sections {
		if r.Sections[i].Title == title {
			return &r.Sections[i]
		}
	}
	r.Sections = append(r.Sections, SectionReads{Title: title, buckets: map[string]int64{}})
	return &r.Sections[len(r.Sections)-1]
}

func (r *Report) add(c store.Count) {
	switch c.Kind {
	case kindVisit:
		r.Visits += c.N
		r.Channels[c.Name] += c.N
		d := r.day(c.Day)
		d.Visits += c.N
		if d.Channels == nil {
			d.Channels = map[string]int64{}
		}
		d.Channels[c.Name] += c.N
	case kindUnique:
		r.Uniques += c.N
		r.day(c.Day).Uniques += c.N
	case kindSection:
		s := r.section(c.Name)
		s.Reads += c.N
		s.buckets[c.Detail] += c.N
	case kindSectionMS:
		r.section(c.Name).TotalSeconds += float64(c.N) / 1000
	case kindSearch:
		r.Searches += c.N
	case kindCopy:
		r.Copies += c.N
	case kindMessage:
		r.Messages += c.N
	case kindSize:
		r.Sizes[c.Name] += c.N
	case kindColour:
		r.Colours[c.Name] += c.N
	}
}

// finish estimates the quantiles and ranks the sections: most read first, then
// the longest read, then by title.
func (r *Report) finish() {
	for i := range r.Sections {
		s := &r.Sections[i]
		s.MedianSec = quantile(s.buckets, s.Reads, 0.5)
		s.P90Sec = quantile(s.buckets, s.Reads, 0.9)
		s.TotalSeconds = float64(int64(s.TotalSeconds*10+0.5)) / 10
	}
	sort.SliceStable(r.Sections, func(i, j int) bool {
		a, b := r.Sections[i], r.Sections[j]
		if a.Reads != b.Reads {
			return a.Reads > b.Reads
		}
		if a.TotalSeconds != b.TotalSeconds {
			return a.TotalSeconds > b.TotalSeconds
		}
		return a.Title < b.Title
	})
}

// quantile estimates the q-quantile of reads from the buckets, interpolating
// linearly inside the bucket it falls in (the open bucket gives its lower bound).
func quantile(buckets map[string]int64, total int64, q float64) float64 {
	if total <= 0 {
		return 0
	}
	rank := q * float64(total)
	var seen int64
	lower := 0.0
	for _, b := range readBuckets {
		n := buckets[strconv.Itoa(b)]
		if n > 0 && float64(seen+n) >= rank {
			upper := float64(b) / 1000
			v := lower + (upper-lower)*(rank-float64(seen))/float64(n)
			return float64(int64(v*100+0.5)) / 100
		}
		seen += n
		lower = float64(b) / 1000
	}
	return lower
}

// channelGroups splits the channels seen into the SSH ones and the web ones, each
// in a fixed order: the main channel first, then the exports by name.
func channelGroups(ch map[string]int64) (sshSide, webSide []string) {
	var moreSSH, moreWeb []string
	for name := range ch {
		switch {
		case name == ChannelTerminal || name == ChannelText || name == ChannelWeb || name == ChannelCurl:
		case strings.HasPrefix(name, PrefixSSH):
			moreSSH = append(moreSSH, name)
		default:
			moreWeb = append(moreWeb, name)
		}
	}
	sort.Strings(moreSSH)
	sort.Strings(moreWeb)
	sshSide = append([]string{ChannelTerminal, ChannelText}, moreSSH...)
	webSide = append([]string{ChannelWeb, ChannelCurl}, moreWeb...)
	return sshSide, webSide
}
