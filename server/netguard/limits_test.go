package netguard

import (
	"fmt"
	"net/netip"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func key(t *testing.T, addr string) netip.Prefix {
	t.Helper()
	k, ok := VisitorKey(netip.MustParseAddr(addr))
	if !ok {
		t.Fatalf("no key for %s", addr)
	}
	return k
}

func TestVisitorKeyGroupsIPv6By64(t *testing.T) {
	cases := []struct{ addr, want string }{
		{"192.0.2.1", "192.0.2.1/32"},
		{"::ffff:192.0.2.1", "192.0.2.1/32"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2::ffff", "2001:db8:1:2::/64"},
		{"fe80::1%eth0", "fe80::/64"},
	}
	for _, tc := range cases {
		if got := key(t, tc.addr); got.String() != tc.want {
			t.Errorf("VisitorKey(%s) = %s, want %s", tc.addr, got, tc.want)
		}
	}
	if _, ok := VisitorKey(netip.Addr{}); ok {
		t.Error("the zero address has a key; connections without an IP must skip per-visitor limits")
	}
}

func TestTokenBucketRefillsAtTheRate(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newLimits(Config{RatePerIP: 1, BurstPerIP: 2}.normalized(), clock.now)
	k := key(t, "192.0.2.1")

	var got []string
	attempt := func() {
		if reason, ok := l.acquireVisitor(k); ok {
			l.releaseVisitor(k)
			got = append(got, "ok")
		} else {
			got = append(got, reason)
		}
	}
	attempt()
	attempt()
	attempt()
	clock.advance(time.Second)
	attempt()
	attempt()
	clock.advance(5 * time.Second) // refills to the burst, no further
	attempt()
	attempt()
	attempt()
	want := "[ok ok rate ok rate ok ok rate]"
	if fmt.Sprint(got) != want {
		t.Fatalf("attempts %v, want %v", got, want)
	}
}

func TestPerIPLimitDoesNotSpendTokens(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newLimits(Config{MaxConnsPerIP: 1, RatePerIP: 0.001, BurstPerIP: 2}.normalized(), clock.now)
	k := key(t, "192.0.2.1")
	if _, ok := l.acquireVisitor(k); !ok {
		t.Fatal("first connection refused")
	}
	for range 5 {
		if reason, _ := l.acquireVisitor(k); reason != ReasonPerIP {
			t.Fatalf("refused for %q, want %q", reason, ReasonPerIP)
		}
	}
	l.releaseVisitor(k)
	if reason, ok := l.acquireVisitor(k); !ok {
		t.Fatalf("second connection refused for %q; refusals must not drain the bucket", reason)
	}
}

func TestIdleVisitorsAreForgotten(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newLimits(DefaultConfig().normalized(), clock.now)

	// A spread of 10 000 addresses, one connection each; one visitor stays connected.
	held := key(t, "198.51.100.1")
	if _, ok := l.acquireVisitor(held); !ok {
		t.Fatal("held visitor refused")
	}
	for i := range 10_000 {
		k := key(t, fmt.Sprintf("10.%d.%d.1", i/256, i%256))
		if _, ok := l.acquireVisitor(k); !ok {
			t.Fatalf("address %d refused", i)
		}
		l.releaseVisitor(k)
	}
	if _, tracked, _ := l.counts(); tracked != 10_001 {
		t.Fatalf("%d visitors remembered, want 10001 before the sweep", tracked)
	}

	// Once their buckets have refilled and a sweep is due, only the connected one remains
	// (plus the newcomer whose arrival ran the sweep).
	clock.advance(sweepEvery + time.Duration(DefaultBurstPerIP/DefaultRatePerIP)*time.Second)
	newcomer := key(t, "203.0.113.5")
	if _, ok := l.acquireVisitor(newcomer); !ok {
		t.Fatal("newcomer refused")
	}
	if _, tracked, active := l.counts(); tracked != 2 || active != 2 {
		t.Fatalf("after the sweep: %d visitors remembered with %d connections, want 2 and 2", tracked, active)
	}
}

func TestRecentlyActiveVisitorsKeepTheirBucket(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newLimits(Config{RatePerIP: 0.01, BurstPerIP: 1}.normalized(), clock.now)
	k := key(t, "192.0.2.1")
	if _, ok := l.acquireVisitor(k); !ok {
		t.Fatal("first connection refused")
	}
	l.releaseVisitor(k)
	clock.advance(sweepEvery) // a sweep runs, but the bucket needs 100 s to refill
	if reason, ok := l.acquireVisitor(k); ok || reason != ReasonRate {
		t.Fatalf("got ok=%v reason=%q: a sweep forgot a visitor whose bucket was empty", ok, reason)
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := ParsePrefixes(" 10.0.0.0/8, 192.168.1.5 ,,fd00::/8,2001:db8::1,10.1.2.3/16,::ffff:172.16.0.0/108")
	if err != nil {
		t.Fatal(err)
	}
	want := "[10.0.0.0/8 192.168.1.5/32 fd00::/8 2001:db8::1/128 10.1.0.0/16 172.16.0.0/12]"
	if fmt.Sprint(got) != want {
		t.Fatalf("got %v, want %v", got, want)
	}
	if got, err := ParsePrefixes(""); err != nil || len(got) != 0 {
		t.Fatalf("empty list: %v, %v", got, err)
	}
	for in, wantErr := range map[string]string{
		"10.0.0.0/8,10.0.0.0/33": `entry 2 "10.0.0.0/33": not a CIDR prefix such as 10.0.0.0/8 or fd00::/8`,
		"loadbalancer.internal":  `entry 1 "loadbalancer.internal": not an IP address or a CIDR prefix such as 10.0.0.0/8`,
		"fe80::1%eth0":           `entry 1 "fe80::1%eth0": an address with a zone cannot be trusted; drop the %eth0`,
	} {
		if _, err := ParsePrefixes(in); err == nil || err.Error() != wantErr {
			t.Errorf("ParsePrefixes(%q) error %v, want %q", in, err, wantErr)
		}
	}
}

func TestStartsLikeProxyHeader(t *testing.T) {
	for data, want := range map[string]bool{
		"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n": true,
		"PRO":                                true,
		"\r\n\r\n\x00\r\nQUIT\n\x21":         true,
		"\r\n":                               true,
		"SSH-2.0-OpenSSH_9.6\r\n":            false,
		"PROXIMA":                            false,
		"\r\nSSH":                            false,
	} {
		if got := startsLikeProxyHeader([]byte(data)); got != want {
			t.Errorf("startsLikeProxyHeader(%q) = %v, want %v", data, got, want)
		}
	}
}

// counts reports the connections held in all and the visitors remembered.
func (l *limits) counts() (total, tracked, active int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, v := range l.visitors {
		active += v.active
	}
	return l.total, len(l.visitors), active
}
