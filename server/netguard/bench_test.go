package netguard

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"
)

// BenchmarkVisitorLimits measures the bookkeeping of one admitted connection: the total
// and per-visitor slots with the default limits, over 4096 visitors.
func BenchmarkVisitorLimits(b *testing.B) {
	l := newLimits(DefaultConfig().normalized(), time.Now)
	keys := make([]netip.Prefix, 4096)
	for i := range keys {
		keys[i], _ = VisitorKey(netip.MustParseAddr(fmt.Sprintf("10.0.%d.%d", i/256, i%256)))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := keys[i%len(keys)]
		l.acquireTotal()
		if _, ok := l.acquireVisitor(k); ok {
			l.releaseVisitor(k)
		}
		l.releaseTotal()
	}
}

// BenchmarkRefusedConnection measures a refused connection end to end on loopback: the
// client's dial, the server's accept, refusal line and close, and the client reading to
// EOF. The server's own share is a small part of it.
func BenchmarkRefusedConnection(b *testing.B) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ln := Wrap(raw, Config{MaxConns: 1})
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		held, err := ln.Accept() // the one connection admitted
		if err != nil {
			return
		}
		accepted <- held
		_, _ = ln.Accept() // refuses every other one until the listener closes
	}()
	holder, err := net.Dial("tcp", raw.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer holder.Close()
	defer (<-accepted).Close()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c, err := net.Dial("tcp", raw.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadAll(c); err != nil {
			b.Fatal(err)
		}
		_ = c.Close()
	}
}
