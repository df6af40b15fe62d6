package metrics

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// get fetches path from the handler and returns the status and body.
func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// sample returns the value of the series named exactly series (name and labels as
// printed) in a scrape, or fails.
func sample(t *testing.T, scrape, series string) float64 {
	t.Helper()
	for line := range strings.Lines(scrape) {
		rest, ok := strings.CutPrefix(line, series+" ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
		if err != nil {
			t.Fatalf("series %s: %v", series, err)
		}
		return v
	}
	t.Fatalf("series %s not in the scrape", series)
	return 0
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	status, body := get(t, m.Handler(nil), "/metrics")
	if status != http.StatusOK {
		t.Fatalf("/metrics answered %d", status)
	}
	return body
}

func TestCountersMoveAfterSessionsRefusalsAndReloads(t *testing.T) {
	m := New()
	m.SessionStarted("rohit")
	m.SessionStarted("_picker")
	m.SessionStarted("rohit")
	m.Handshake(3 * time.Millisecond)
	m.FirstFrame(21 * time.Millisecond)
	m.FirstFrame(40 * time.Millisecond)
	m.SessionEnded("rohit", "quit", 90*time.Second, 3500)
	m.SessionEnded("ada", "idle", 20*time.Minute, 1500)
	m.SessionStarted("_none")
	m.SessionEnded("_none", "max-length", time.Second, 0)
	m.Refused("per_ip")
	m.Refused("per_ip")
	m.Refused("rate")
	m.Reloaded(nil)
	m.Reloaded(errors.New("profiles/bad.md:3: unknown section"))

	got := scrape(t, m)
	for series, want := range map[string]float64{
		`sshcv_sessions_active`: 1,
		`sshcv_sessions_total{outcome="max-length",profile="_none"}`: 1,
		`sshcv_sessions_total{outcome="quit",profile="rohit"}`:       1,
		`sshcv_sessions_total{outcome="idle",profile="ada"}`:         1,
		`sshcv_session_duration_seconds_count`:                       3,
		`sshcv_session_duration_seconds_bucket{le="0.5"}`:            0,
		`sshcv_session_duration_seconds_bucket{le="60"}`:             1,
		`sshcv_session_duration_seconds_bucket{le="120"}`:            2,
		`sshcv_session_duration_seconds_bucket{le="+Inf"}`:           3,
		`sshcv_refused_total{reason="per_ip"}`:                       2,
		`sshcv_refused_total{reason="rate"}`:                         1,
		`sshcv_handshake_duration_seconds_count`:                     1,
		`sshcv_handshake_duration_seconds_bucket{le="0.002"}`:        0,
		`sshcv_handshake_duration_seconds_bucket{le="0.005"}`:        1,
		`sshcv_first_frame_seconds_count`:                            2,
		`sshcv_first_frame_seconds_bucket{le="0.02"}`:                0,
		`sshcv_first_frame_seconds_bucket{le="0.025"}`:               1,
		`sshcv_first_frame_seconds_bucket{le="0.04"}`:                2,
		`sshcv_bytes_sent_total`:                                     5000,
		`sshcv_profile_reloads_total`:                                2,
		`sshcv_profile_reload_errors_total`:                          1,
	} {
		if v := sample(t, got, series); v != want {
			t.Errorf("%s = %v, want %v", series, v, want)
		}
	}
	// The runtime and process collectors are there; their values vary.
	for _, series := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "process_open_fds"} {
		sample(t, got, series)
	}
	// A session that is still open is not counted as ended.
	if strings.Contains(got, `profile="_picker"`) {
		t.Errorf("the open picker session is counted as ended:\n%s", grep(got, "sshcv_sessions_total"))
	}
	if !strings.Contains(got, `sshcv_build_info{goversion="go`) {
		t.Errorf("sshcv_build_info missing or without goversion:\n%s", grep(got, "sshcv_build_info"))
	}
}

func grep(text, substr string) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		if strings.Contains(line, substr) {
			b.WriteString(line)
		}
	}
	return b.String()
}

func TestLabelsNeverCarryVisitorInput(t *testing.T) {
	m := New()
	// A typed username, an address and an escape sequence are not handles or words.
	m.SessionEnded("Rohit Sharma", "quit", time.Second, 0)
	m.SessionEnded("203.0.113.7:5555", "quit", time.Second, 0)
	m.SessionEnded("rohit", "\x1b[31mred", time.Second, 0)
	m.SessionEnded("__picker", "Quit", time.Second, 0)
	m.Refused("from 203.0.113.7")
	got := scrape(t, m)
	for series, want := range map[string]float64{
		`sshcv_sessions_total{outcome="quit",profile="other"}`:  2,
		`sshcv_sessions_total{outcome="other",profile="rohit"}`: 1,
		`sshcv_sessions_total{outcome="other",profile="other"}`: 1,
		`sshcv_refused_total{reason="other"}`:                   1,
	} {
		if v := sample(t, got, series); v != want {
			t.Errorf("%s = %v, want %v", series, v, want)
		}
	}
	for _, leaked := range []string{"Rohit Sharma", "203.0.113.7", "[31m"} {
		if strings.Contains(got, leaked) {
			t.Errorf("the scrape contains %q", leaked)
		}
	}
}

func TestDistinctLabelValuesAreCapped(t *testing.T) {
	m := New()
	for i := range MaxProfileLabels + 44 {
		m.SessionEnded(fmt.Sprintf("cv%d", i), "quit", time.Second, 0)
	}
	for i := range MaxReasonLabels + 8 {
		m.Refused(fmt.Sprintf("reason_%d", i))
	}
	got := scrape(t, m)
	if n := strings.Count(got, "sshcv_sessions_total{"); n != MaxProfileLabels+1 {
		t.Errorf("%d sshcv_sessions_total series, want %d and other", n, MaxProfileLabels)
	}
	if v := sample(t, got, `sshcv_sessions_total{outcome="quit",profile="other"}`); v != 44 {
		t.Errorf("other = %v, want 44", v)
	}
	if v := sample(t, got, `sshcv_sessions_total{outcome="quit",profile="cv0"}`); v != 1 {
		t.Errorf("cv0 = %v, want 1", v)
	}
	if n := strings.Count(got, "sshcv_refused_total{"); n != MaxReasonLabels+1 {
		t.Errorf("%d sshcv_refused_total series, want %d and other", n, MaxReasonLabels)
	}
}

func TestHealthz(t *testing.T) {
	m := New()
	status, body := get(t, m.Handler(nil), "/healthz")
	if status != http.StatusOK || body != "ok\n" {
		t.Errorf("always ready: %d %q, want 200 \"ok\\n\"", status, body)
	}
	ready := errors.New("profiles not loaded yet")
	h := m.Handler(func() error { return ready })
	status, body = get(t, h, "/healthz")
	if status != http.StatusServiceUnavailable || body != "profiles not loaded yet\n" {
		t.Errorf("not ready: %d %q, want 503 with the reason", status, body)
	}
	ready = nil
	if status, body = get(t, h, "/healthz"); status != http.StatusOK || body != "ok\n" {
		t.Errorf("ready again: %d %q, want 200 \"ok\\n\"", status, body)
	}
	if status, _ = get(t, h, "/"); status != http.StatusNotFound {
		t.Errorf("/ answered %d, want 404", status)
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	m.SessionStarted("rohit")
	m.SessionEnded("rohit", "quit", time.Second, 10)
	m.Handshake(time.Millisecond)
	m.FirstFrame(time.Millisecond)
	m.Refused("rate")
	m.Reloaded(nil)
}

func TestSeparateInstancesDoNotShareCounters(t *testing.T) {
	a, b := New(), New()
	a.Refused("rate")
	if strings.Contains(scrape(t, b), `sshcv_refused_total{reason="rate"}`) {
		t.Fatal("a refusal counted in one Metrics shows in another")
	}
}
