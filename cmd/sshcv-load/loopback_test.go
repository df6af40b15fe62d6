package main

import (
	"context"
	"strings"
	"testing"
)

func TestLoopbackOnly(t *testing.T) {
	ctx := context.Background()
	allowed := map[string]string{
		"127.0.0.1:2222":          "127.0.0.1:2222",
		"127.0.0.2:22":            "127.0.0.2:22",
		"127.255.255.254:1":       "127.255.255.254:1",
		"[::1]:2222":              "[::1]:2222",
		"[::ffff:127.0.0.1]:2222": "127.0.0.1:2222",
	}
	for in, want := range allowed {
		got, err := loopbackAddr(ctx, "addr", in)
		if err != nil || got != want {
			t.Errorf("loopbackAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	refused := []string{
		"10.0.0.1:22", "192.168.1.10:22", "8.8.8.8:22", "0.0.0.0:22", "[::]:22",
		"[2001:db8::1]:22", "[fe80::1%lo]:22", "[::ffff:10.0.0.1]:22",
	}
	for _, in := range refused {
		_, err := loopbackAddr(ctx, "addr", in)
		if err == nil || !strings.Contains(err.Error(), "refusing a non-loopback target") {
			t.Errorf("loopbackAddr(%q): %v, want a non-loopback refusal", in, err)
		}
	}
	for _, in := range []string{":22", "127.0.0.1", "127.0.0.1:", "nonsense"} {
		if _, err := loopbackAddr(ctx, "addr", in); err == nil {
			t.Errorf("loopbackAddr(%q) accepted a malformed address", in)
		}
	}
}

func TestLoopbackResolvesLocalhost(t *testing.T) {
	got, err := loopbackAddr(context.Background(), "addr", "localhost:2222")
	if err != nil {
		t.Skipf("localhost does not resolve here: %v", err)
	}
	if got != "127.0.0.1:2222" && got != "[::1]:2222" {
		t.Errorf("localhost:2222 became %q", got)
	}
}

func TestRunRefusesNonLoopbackTargets(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "10.1.2.3:22"},
		{"-addr", "127.0.0.1:22", "-metrics", "10.1.2.3:9100"},
		{"-addr", "127.0.0.1:22", "-pprof", "http://192.168.0.1:6060/"},
	} {
		var out, errOut strings.Builder
		code := run(args, strings.NewReader(""), &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), "refusing a non-loopback target") {
			t.Errorf("run %q: exit %d, stderr %q; want exit 2 and a refusal", args, code, errOut.String())
		}
	}
}

func TestLoopbackSources(t *testing.T) {
	got := loopbackSources("127.0.0.1:2222", 300)
	if len(got) != 300 {
		t.Fatalf("%d sources, want 300", len(got))
	}
	for i, want := range map[int]string{0: "127.1.0.1", 254: "127.1.0.255", 255: "127.1.1.0", 299: "127.1.1.44"} {
		if s := got[i].IP.String(); s != want {
			t.Errorf("source %d = %s, want %s", i, s, want)
		}
	}
	if got := loopbackSources("[::1]:2222", 300); got != nil {
		t.Errorf("IPv6 target got sources %v", got)
	}
	if got := loopbackSources("127.0.0.1:2222", 1); got != nil {
		t.Errorf("one source means the kernel's choice, got %v", got)
	}
}
