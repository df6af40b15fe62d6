package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// runtimeProbe reads a server's goroutine count and live heap over HTTP, from either
// net/http/pprof or a Prometheus /metrics page.
type runtimeProbe struct {
	kind string // "pprof" or "metrics"
	base string // scheme://host:port plus any path prefix given
	http *http.Client
}

// runtimeSample is one reading; Heap is 0 when the endpoint does not give it.
type runtimeSample struct {
	Goroutines int
	Heap       int64 // pprof: heap in use after a forced GC; metrics: go_memstats_heap_inuse_bytes
}

// newRuntimeProbe builds a probe for addr ("127.0.0.1:6060" or a URL such as
// "http://127.0.0.1:9100/metrics"); the host must be loopback.
func newRuntimeProbe(ctx context.Context, kind, flagName, addr string) (*runtimeProbe, error) {
	raw := addr
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("-%s %q: want host:port or an http:// URL", flagName, addr)
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("-%s %q: only http:// is supported on loopback", flagName, addr)
	}
	host, err := loopbackAddr(ctx, flagName, u.Host)
	if err != nil {
		return nil, err
	}
	path := strings.TrimSuffix(u.Path, "/")
	switch kind {
	case "metrics":
		if !strings.HasSuffix(path, "/metrics") {
			path += "/metrics"
		}
	case "pprof":
		path = strings.TrimSuffix(path, "/debug/pprof")
	}
	return &runtimeProbe{
		kind: kind,
		base: "http://" + host + path,
		// No keep-alive: an idle connection would be a goroutine of its own on the server.
		http: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}},
	}, nil
}

func (p *runtimeProbe) get(ctx context.Context, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := p.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(body), nil
}

// sample reads the goroutine count and heap now.
func (p *runtimeProbe) sample(ctx context.Context) (runtimeSample, error) {
	if p.kind == "metrics" {
		body, err := p.get(ctx, p.base)
		if err != nil {
			return runtimeSample{}, err
		}
		return parseMetricsRuntime(body)
	}
	body, err := p.get(ctx, p.base+"/debug/pprof/goroutine?debug=1")
	if err != nil {
		return runtimeSample{}, err
	}
	n, err := parsePprofGoroutines(body)
	if err != nil {
		return runtimeSample{}, err
	}
	s := runtimeSample{Goroutines: n}
	// gc=1 runs a collection first, so HeapInuse is what sessions left alive.
	if body, err := p.get(ctx, p.base+"/debug/pprof/heap?debug=1&gc=1"); err == nil {
		s.Heap = parsePprofHeapInuse(body)
	}
	return s, nil
}

// goroutines reads only the goroutine count (no forced GC), for polling.
func (p *runtimeProbe) goroutines(ctx context.Context) (int, error) {
	if p.kind == "metrics" {
		s, err := p.sample(ctx)
		return s.Goroutines, err
	}
	body, err := p.get(ctx, p.base+"/debug/pprof/goroutine?debug=1")
	if err != nil {
		return 0, err
	}
	return parsePprofGoroutines(body)
}

// parsePprofGoroutines reads "goroutine profile: total N" from the debug=1 profile.
func parsePprofGoroutines(body string) (int, error) {
	const prefix = "goroutine profile: total "
	for line := range strings.Lines(body) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
			n, err := strconv.Atoi(strings.TrimSpace(rest))
			if err != nil {
				return 0, fmt.Errorf("pprof goroutine header %q: %v", strings.TrimSpace(line), err)
			}
			return n, nil
		}
	}
	return 0, fmt.Errorf("pprof goroutine profile: no %q line", strings.TrimSpace(prefix))
}

// parsePprofHeapInuse reads "# HeapInuse = N" from the heap profile's runtime stats.
func parsePprofHeapInuse(body string) int64 {
	for line := range strings.Lines(body) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "# HeapInuse = "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			return n
		}
	}
	return 0
}

// parseMetricsRuntime reads go_goroutines and go_memstats_heap_inuse_bytes from the
// Prometheus text format (labels and timestamps allowed, exponent notation too).
func parseMetricsRuntime(body string) (runtimeSample, error) {
	var s runtimeSample
	found := false
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		name, value, ok := metricLine(line)
		if !ok {
			continue
		}
		switch name {
		case "go_goroutines":
			s.Goroutines, found = int(value), true
		case "go_memstats_heap_inuse_bytes":
			s.Heap = int64(value)
		}
	}
	if err := sc.Err(); err != nil {
		return s, fmt.Errorf("metrics: %v", err)
	}
	if !found {
		return s, fmt.Errorf("metrics: no go_goroutines sample (is the Go collector registered?)")
	}
	return s, nil
}

// metricLine splits `name{labels} value [timestamp]` into the name and the value.
func metricLine(line string) (string, float64, bool) {
	var name, rest string
	if i := strings.IndexAny(line, "{ \t"); i < 0 {
		return "", 0, false
	} else if line[i] == '{' {
		end := strings.LastIndexByte(line, '}')
		if end < i {
			return "", 0, false
		}
		name, rest = line[:i], line[end+1:]
	} else {
		name, rest = line[:i], line[i:]
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return "", 0, false
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return "", 0, false
	}
	return name, v, true
}
