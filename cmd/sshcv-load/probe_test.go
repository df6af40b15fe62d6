package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"testing"
)

func TestParsePprof(t *testing.T) {
	body := "goroutine profile: total 42\n7 @ 0x43a\n#\t0x43a\truntime.gopark\n"
	if n, err := parsePprofGoroutines(body); err != nil || n != 42 {
		t.Errorf("parsePprofGoroutines = %d, %v; want 42", n, err)
	}
	if _, err := parsePprofGoroutines("heap profile: 1: 2 [3: 4] @ heap/1048576\n"); err == nil {
		t.Error("a profile without the goroutine header was accepted")
	}
	heap := "heap profile: 1: 2 [3: 4] @ heap/1048576\n\n# runtime.MemStats\n# Alloc = 100\n# HeapInuse = 3276800\n# Stack = 1\n"
	if got := parsePprofHeapInuse(heap); got != 3276800 {
		t.Errorf("parsePprofHeapInuse = %d, want 3276800", got)
	}
}

func TestParseMetrics(t *testing.T) {
	body := `# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 17
go_goroutines_total_bogus{x="y"} 99
go_memstats_heap_inuse_bytes 4.194304e+06
sshcv_sessions_active{profile="rohit"} 3 1700000000000
`
	s, err := parseMetricsRuntime(body)
	if err != nil || s.Goroutines != 17 || s.Heap != 4194304 {
		t.Errorf("parseMetricsRuntime = %+v, %v; want 17 goroutines and 4194304 bytes", s, err)
	}
	labelled := "go_goroutines{instance=\"a b}\"} 5\n"
	if s, err := parseMetricsRuntime(labelled); err != nil || s.Goroutines != 5 {
		t.Errorf("labelled go_goroutines: %+v, %v", s, err)
	}
	if _, err := parseMetricsRuntime("up 1\n"); err == nil {
		t.Error("metrics without go_goroutines were accepted")
	}
}

func TestProbeOverHTTP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "go_goroutines 11\ngo_memstats_heap_inuse_bytes 1048576")
	})
	mux.HandleFunc("/debug/pprof/goroutine", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "goroutine profile: total 12")
	})
	mux.HandleFunc("/debug/pprof/heap", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("gc") != "1" {
			http.Error(w, "want gc=1", http.StatusBadRequest)
		}
		fmt.Fprintln(w, "# HeapInuse = 2097152")
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	ctx := context.Background()

	for _, tc := range []struct {
		kind, addr string
		want       runtimeSample
	}{
		{"metrics", ln.Addr().String(), runtimeSample{11, 1 << 20}},
		{"metrics", "http://" + ln.Addr().String() + "/metrics", runtimeSample{11, 1 << 20}},
		{"pprof", ln.Addr().String(), runtimeSample{12, 2 << 20}},
		{"pprof", "http://" + ln.Addr().String() + "/debug/pprof/", runtimeSample{12, 2 << 20}},
	} {
		p, err := newRuntimeProbe(ctx, tc.kind, tc.kind, tc.addr)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.kind, tc.addr, err)
		}
		got, err := p.sample(ctx)
		if err != nil || got != tc.want {
			t.Errorf("%s %s: sample = %+v, %v; want %+v", tc.kind, tc.addr, got, err, tc.want)
		}
	}
}
