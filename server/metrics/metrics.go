// Package metrics records what the SSH server does as Prometheus metrics and serves them,
// with a health check, over HTTP.
//
// A Metrics value has its own registry: nothing is registered globally, so tests and
// several servers in one process never share counters. Its methods match the server's
// Observer interface by shape; this package imports no other sshcv package (in particular
// not server, which would be a cycle) and must not.
//
// Label values are limited to what cannot identify a visitor: profile handles (or the
// server's "_picker" and "_none"), and short fixed words for how a session ended and why a connection
// was refused. Anything else — a typed username, an address, an unexpected word — is
// counted under "other", and so is every value past a fixed number of distinct ones, so a
// scraper's memory cannot be blown up from outside.
package metrics

import (
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Limits on distinct label values; past them new values are counted as OtherLabel.
const (
	MaxProfileLabels = 256
	MaxOutcomeLabels = 16
	MaxReasonLabels  = 32
	// OtherLabel stands for every label value refused by the limits above.
	OtherLabel = "other"
)

// latencyBuckets suit the handshake and the time to first frame: a few milliseconds on a
// fast path, tens of milliseconds for a CV, seconds only when something is wrong. They are
// fine around 5–50 ms, where the targets are, so p50 and p99 interpolate closely.
func latencyBuckets() []float64 {
	return []float64{
		0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05,
		0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
	}
}

// sessionBuckets span a bot that leaves at once to a reader who stays the whole hour.
func sessionBuckets() []float64 {
	return []float64{0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600}
}

// Metrics holds the server's metrics. Its methods are safe for concurrent use, and a nil
// *Metrics records nothing, so a caller without metrics can pass one without checking.
type Metrics struct {
	registry *prometheus.Registry

	sessionsActive  prometheus.Gauge
	sessionsTotal   *prometheus.CounterVec
	sessionDuration prometheus.Histogram
	refused         *prometheus.CounterVec
	handshake       prometheus.Histogram
	firstFrame      prometheus.Histogram
	bytesSent       prometheus.Counter
	inputDropped    prometheus.Counter
	panics          prometheus.Counter
	reloads         prometheus.Counter
	reloadErrors    prometheus.Counter

	profiles *labelGuard
	outcomes *labelGuard
	reasons  *labelGuard

	messages *messageMetrics // see messages.go
}

// New returns metrics registered in a registry of their own, with the Go runtime and
// process collectors and sshcv_build_info.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		sessionsActive: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sshcv_sessions_active",
			Help: "SSH sessions open now.",
		}),
		sessionsTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sshcv_sessions_total",
			Help: "SSH sessions ended, by the profile shown last and how the session ended.",
		}, []string{"profile", "outcome"}),
		sessionDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sshcv_session_duration_seconds",
			Help:    "How long SSH sessions lasted, from the end of the handshake to the close.",
			Buckets: sessionBuckets(),
		}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sshcv_refused_total",
			Help: "Connections or sessions refused, by the limit that refused them.",
		}, []string{"reason"}),
		handshake: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sshcv_handshake_duration_seconds",
			Help:    "Time from accepting a connection to the end of its SSH handshake.",
			Buckets: latencyBuckets(),
		}),
		firstFrame: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sshcv_first_frame_seconds",
			Help:    "Time from the start of a session to its first screen written to the visitor.",
			Buckets: latencyBuckets(),
		}),
		bytesSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sshcv_bytes_sent_total",
			Help: "Bytes written to visitors' terminals, counted when each session ends.",
		}),
		inputDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sshcv_input_dropped_bytes_total",
			Help: "Bytes of visitors' input read and thrown away over the per-session input rate.",
		}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sshcv_session_panics_total",
			Help: "Panics recovered in a session, each of which ended that session only.",
		}),
		reloads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sshcv_profile_reloads_total",
			Help: "Reloads of the profiles folder, successful or not.",
		}),
		reloadErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sshcv_profile_reload_errors_total",
			Help: "Reloads of the profiles folder that reported an error.",
		}),
		profiles: newLabelGuard(MaxProfileLabels, isHandleLabel),
		outcomes: newLabelGuard(MaxOutcomeLabels, isWordLabel),
		reasons:  newLabelGuard(MaxReasonLabels, isWordLabel),
	}
	m.messages = newMessageMetrics(m.registry)
	version, revision := buildVersion()
	buildInfo := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "sshcv_build_info",
		Help:        "Always 1; the labels say which build of sshcv is running.",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": runtime.Version()},
	})
	buildInfo.Set(1)
	m.registry.MustRegister(
		m.sessionsActive, m.sessionsTotal, m.sessionDuration, m.refused,
		m.handshake, m.firstFrame, m.bytesSent, m.inputDropped, m.panics, m.reloads, m.reloadErrors, buildInfo,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// buildVersion reads the module version and VCS revision the binary was built from.
func buildVersion() (version, revision string) {
	version, revision = "unknown", "unknown"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version, revision
	}
	if v := info.Main.Version; v != "" {
		version = v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && s.Value != "" {
			revision = s.Value
		}
	}
	return version, revision
}

// Registry is where the metrics live, for a caller that adds its own collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// SessionStarted counts a session as open. The profile is not a label here: a session that
// starts in the picker changes profile while open, and the gauge must come back to zero.
func (m *Metrics) SessionStarted(_ string) {
	if m == nil {
		return
	}
	m.sessionsActive.Inc()
}

// SessionEnded counts a session as closed: by the profile it showed last (a handle,
// "_picker" or "_none") and how it ended (a short fixed word such as "quit" or "idle").
func (m *Metrics) SessionEnded(profile, outcome string, d time.Duration, bytesOut int64) {
	if m == nil {
		return
	}
	m.sessionsActive.Dec()
	m.sessionsTotal.WithLabelValues(m.profiles.value(profile), m.outcomes.value(outcome)).Inc()
	m.sessionDuration.Observe(max(d, 0).Seconds())
	if bytesOut > 0 {
		m.bytesSent.Add(float64(bytesOut))
	}
}

// Handshake records how long one SSH handshake took.
func (m *Metrics) Handshake(d time.Duration) {
	if m == nil {
		return
	}
	m.handshake.Observe(max(d, 0).Seconds())
}

// FirstFrame records how long a session waited for its first screen.
func (m *Metrics) FirstFrame(d time.Duration) {
	if m == nil {
		return
	}
	m.firstFrame.Observe(max(d, 0).Seconds())
}

// Refused counts one refused connection or session, by reason (a short fixed word such as
// "per_ip" or "rate").
func (m *Metrics) Refused(reason string) {
	if m == nil {
		return
	}
	m.refused.WithLabelValues(m.reasons.value(reason)).Inc()
}

// InputDropped counts n bytes of input dropped over a session's input rate.
func (m *Metrics) InputDropped(n int) {
	if m == nil {
		return
	}
	m.inputDropped.Add(float64(n))
}

// Panicked counts a panic recovered in a session.
func (m *Metrics) Panicked() {
	if m == nil {
		return
	}
	m.panics.Inc()
}

// Reloaded counts one reload of the profiles folder, and err as a reload error.
func (m *Metrics) Reloaded(err error) {
	if m == nil {
		return
	}
	m.reloads.Inc()
	if err != nil {
		m.reloadErrors.Inc()
	}
}

// Handler serves /metrics in the Prometheus text format and /healthz, which answers
// 200 "ok" while ready returns nil and 503 with the error's text otherwise (a nil ready
// is always ready). Other paths are not found.
func (m *Metrics) Handler(ready func() error) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.InstrumentMetricHandler(m.registry,
		promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
			Registry:            m.registry,
			MaxRequestsInFlight: 4,
			Timeout:             10 * time.Second,
		})))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if ready != nil {
			if err := ready(); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(err.Error() + "\n"))
				return
			}
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	return mux
}

// labelGuard admits a label value if it is well formed and among the first limit distinct
// values seen; everything else becomes OtherLabel.
type labelGuard struct {
	valid func(string) bool
	limit int
	mu    sync.Mutex
	seen  map[string]struct{}
}

func newLabelGuard(limit int, valid func(string) bool) *labelGuard {
	return &labelGuard{valid: valid, limit: limit, seen: make(map[string]struct{})}
}

func (g *labelGuard) value(s string) string {
	if !g.valid(s) {
		return OtherLabel
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.seen[s]; ok {
		return s
	}
	if len(g.seen) >= g.limit {
		return OtherLabel
	}
	g.seen[s] = struct{}{}
	return s
}

// isHandleLabel accepts a profile handle as the profiles package defines it,
// [a-z0-9][a-z0-9._-]{0,31}, or the server's own names for sessions that show no single
// CV, which start with an underscore so that no handle can take them ("_picker", "_none").
func isHandleLabel(s string) bool {
	s = strings.TrimPrefix(s, "_")
	if len(s) == 0 || len(s) > 32 || !isLowerOrDigit(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLowerOrDigit(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// isWordLabel accepts an outcome or a reason: [a-z][a-z0-9_-]{0,31}.
func isWordLabel(s string) bool {
	if len(s) == 0 || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLowerOrDigit(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isLowerOrDigit(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
