package netguard

import (
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// sweepEvery is how often the visitor table drops idle entries. An entry is idle when
// its visitor holds no connection and its token bucket is full again, so forgetting it
// changes nothing; the table therefore holds at most the visitors with open connections
// plus those that connected within the last sweepEvery + BurstPerIP/RatePerIP, however
// many addresses a flood comes from.
const sweepEvery = 10 * time.Second

// VisitorKey groups addresses the way limits should count them: an IPv4 address alone,
// an IPv6 address by its /64, the smallest network an ISP gives one customer (a single
// machine can otherwise rotate through 2^64 addresses).
func VisitorKey(addr netip.Addr) (netip.Prefix, bool) {
	if !addr.IsValid() {
		return netip.Prefix{}, false
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is4() {
		return netip.PrefixFrom(addr, 32), true
	}
	p, err := addr.Prefix(64)
	return p, err == nil
}

// visitor is what the limits remember about one key.
type visitor struct {
	active int           // connections held now
	bucket *rate.Limiter // new connections allowed; nil when the rate limit is off
}

// limits counts connections in all and per visitor. Safe for concurrent use.
type limits struct {
	maxTotal    int
	maxPerIP    int
	ratePerIP   rate.Limit
	burstPerIP  int
	now         func() time.Time
	mu          sync.Mutex
	total       int
	visitors    map[netip.Prefix]*visitor
	lastSweep   time.Time
	rateLimited bool
}

func newLimits(cfg Config, now func() time.Time) *limits {
	return &limits{
		maxTotal:    cfg.MaxConns,
		maxPerIP:    cfg.MaxConnsPerIP,
		ratePerIP:   rate.Limit(cfg.RatePerIP),
		burstPerIP:  cfg.BurstPerIP,
		rateLimited: cfg.RatePerIP > 0,
		now:         now,
		visitors:    make(map[netip.Prefix]*visitor),
		lastSweep:   now(),
	}
}

// acquireTotal takes one of the MaxConns slots.
func (l *limits) acquireTotal() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.maxTotal > 0 && l.total >= l.maxTotal {
		return false
	}
	l.total++
	return true
}

func (l *limits) releaseTotal() {
	l.mu.Lock()
	l.total--
	l.mu.Unlock()
}

// acquireVisitor admits one more connection from key, or says which limit refuses it.
// A connection refused for the concurrency limit does not spend a token: the bucket
// measures connections actually opened.
func (l *limits) acquireVisitor(key netip.Prefix) (reason string, ok bool) {
	if l.maxPerIP <= 0 && !l.rateLimited {
		return "", true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.lastSweep) >= sweepEvery {
		l.sweepLocked(now)
	}
	v := l.visitors[key]
	if v == nil {
		v = &visitor{}
		if l.rateLimited {
			v.bucket = rate.NewLimiter(l.ratePerIP, l.burstPerIP)
		}
		l.visitors[key] = v
	}
	if l.maxPerIP > 0 && v.active >= l.maxPerIP {
		return ReasonPerIP, false
	}
	if v.bucket != nil && !v.bucket.AllowN(now, 1) {
		return ReasonRate, false
	}
	v.active++
	return "", true
}

// releaseVisitor gives back a connection taken by acquireVisitor.
func (l *limits) releaseVisitor(key netip.Prefix) {
	l.mu.Lock()
	defer l.mu.Unlock()
	v := l.visitors[key]
	if v == nil {
		return
	}
	v.active--
	if v.active <= 0 && v.bucket == nil {
		delete(l.visitors, key)
	}
}

// sweepLocked forgets visitors that hold nothing and whose bucket has refilled.
func (l *limits) sweepLocked(now time.Time) {
	l.lastSweep = now
	full := float64(l.burstPerIP)
	for key, v := range l.visitors {
		if v.active > 0 {
			continue
		}
		if v.bucket == nil || v.bucket.TokensAt(now) >= full {
			delete(l.visitors, key)
		}
	}
}
