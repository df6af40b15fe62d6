package stats

import (
	"strconv"
	"sync"
	"time"
)

// readBuckets are the upper bounds, in milliseconds, of the time-spent buckets
// of a section read; a read longer than the last falls in the open bucket "inf".
// Buckets add up across flushes and replicas, where medians would not; the
// report estimates the median and p90 from them.
var readBuckets = []int{250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000}

const openBucket = "inf"

// bucketOf is the bucket a read of d falls in.
func bucketOf(d time.Duration) string {
	for _, b := range readBuckets {
		if d <= time.Duration(b)*time.Millisecond {
			return strconv.Itoa(b)
		}
	}
	return openBucket
}

// Session is one visitor's viewer session: it hears what the viewer shows (it
// has the methods of tui.Views) and counts a terminal visit for each profile opened, the
// sections read and the time on each. Its methods are safe for concurrent use; a
// nil *Session counts nothing.
type Session struct {
	r            *Recorder
	addr, client string
	size, colour string

	mu      sync.Mutex
	opened  []string // profiles whose visit is counted
	handle  string   // the section on screen, if any
	section string
	since   time.Time
}

// Viewer starts counting a viewer session from addr with client software client,
// in a width x height terminal with colour support colour ("truecolor", "256",
// "16" or "none"). End it with End.
func (r *Recorder) Viewer(addr, client string, width, height int, colour string) *Session {
	if r == nil {
		return nil
	}
	return &Session{r: r, addr: addr, client: client, size: SizeClass(width, height), colour: colour}
}

// SizeClass names a terminal's size for the owner's layout choices.
func SizeClass(width, height int) string {
	switch {
	case width < 80 || height < 24:
		return "small"
	case width < 120 || height < 40:
		return "medium"
	default:
		return "large"
	}
}

// Section records that section title of profile handle is now on screen (both
// empty: no CV, the picker). The previous section's read ends here.
func (s *Session) Section(handle, title string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if handle == s.handle && title == s.section {
		return
	}
	now := s.r.now()
	s.endRead(now)
	s.handle, s.section, s.since = handle, title, now
	if handle == "" {
		return
	}
	for _, h := range s.opened {
		if h == handle {
			return
		}
	}
	s.opened = append(s.opened, handle)
	s.r.Visit(handle, ChannelTerminal, s.addr, s.client)
	s.r.add(handle, kindSize, s.size, "", 1)
	s.r.add(handle, kindColour, s.colour, "", 1)
}

// endRead counts the read of the section on screen until now. s.mu is held.
func (s *Session) endRead(now time.Time) {
	if s.handle == "" || s.section == "" {
		return
	}
	d := max(now.Sub(s.since), 0)
	s.r.add(s.handle, kindSection, s.section, bucketOf(d), 1)
	s.r.add(s.handle, kindSectionMS, s.section, "", d.Milliseconds())
}

// Searched counts a search made in handle's CV (never what was typed).
func (s *Session) Searched(handle string) { s.count(handle, kindSearch) }

// Copied counts a contact copied from handle's CV.
func (s *Session) Copied(handle string) { s.count(handle, kindCopy) }

func (s *Session) count(handle, kind string) {
	if s == nil {
		return
	}
	s.r.add(handle, kind, "", "", 1)
}

// End ends the session: the section on screen counts as read until now.
func (s *Session) End() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endRead(s.r.now())
	s.handle, s.section = "", ""
}
