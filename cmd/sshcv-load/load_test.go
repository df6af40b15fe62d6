package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/cmd/sshcv-load/baseline"
)

// TestMain lets the test binary play the baseline child: startBaselineChild re-executes
// os.Executable(), which under `go test` is this binary.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == serveBaselineFlag {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// startInProcessBaseline serves the baseline app on a free loopback port for the test.
func startInProcessBaseline(t *testing.T) string {
	t.Helper()
	srv, err := baseline.NewServer("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func testWorkload(close closeKind, key bool) workload {
	spec := sessionSpecFor(config{
		user: "rohit", width: 80, height: 24, marker: "Rohit Gupta", close: close,
		timeout: 10 * time.Second,
	})
	if key {
		spec.key, spec.marker2 = "right", "Technical Skills"
	}
	return workload{sessions: 20, concurrency: 4, settle: time.Second, spec: spec}
}

func TestLoadAgainstBaselineEveryCloseKind(t *testing.T) {
	addr := startInProcessBaseline(t)
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	tgt := target{name: "baseline", addr: addr, pid: os.Getpid()}

	for _, kind := range closeKinds {
		t.Run(string(kind), func(t *testing.T) {
			w := testWorkload(kind, kind != closeRSTMid)
			r := runRound(ctx, tgt, w, io.Discard)
			if r.ok != w.sessions || len(r.errors) != 0 || r.aborted != 0 {
				t.Fatalf("%d of %d sessions ok, errors %v (%v), %d aborted", r.ok, w.sessions, r.errors, r.details, r.aborted)
			}
			if kind == closeRSTMid {
				return // reset as soon as the frame starts: the marker may not be complete
			}
			if len(r.firstFrames) != w.sessions || len(r.keyFrames) != w.sessions {
				t.Fatalf("first frames %d, key frames %d; want %d each", len(r.firstFrames), len(r.keyFrames), w.sessions)
			}
			if b := percentile(r.firstFrameBytes, 50); b <= 0 || b > 64*1024 {
				t.Errorf("bytes to first frame p50 = %d", b)
			}
			s := summarize("baseline", []roundResult{r})
			var table strings.Builder
			if err := newReport(map[string]string{}, []summary{s}).writeTable(&table); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"sessions ok", "20", "first frame p50 (ms)", "key→frame p99 (ms)", "server CPU per session (ms)"} {
				if !strings.Contains(table.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, table.String())
				}
			}
		})
	}
}

func TestLoadHoldsSessionsOpen(t *testing.T) {
	addr := startInProcessBaseline(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	w := testWorkload(closeClean, false)
	w.sessions, w.hold, w.idle = 6, true, 200*time.Millisecond
	r := runRound(ctx, target{name: "baseline", addr: addr, pid: os.Getpid()}, w, io.Discard)
	if r.ok != 6 || r.held != 6 || len(r.errors) != 0 {
		t.Fatalf("ok %d, held %d, errors %v (%v)", r.ok, r.held, r.errors, r.details)
	}
	if r.rssHeld <= 0 {
		t.Error("no RSS reading while the sessions were held")
	}
	if r.idleWall < w.idle {
		t.Errorf("sessions held idle for %v, want at least %v", r.idleWall, w.idle)
	}
	if s := summarize("baseline", []roundResult{r}); !hasFigure(s, "idle_cpu_pct") {
		t.Errorf("no idle CPU figure for the held sessions: %v", s.Figures)
	}
}

func TestLoadReportsWrongMarkerAsTimeout(t *testing.T) {
	addr := startInProcessBaseline(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	w := testWorkload(closeClean, false)
	w.sessions = 2
	w.spec.marker = "Somebody Else"
	w.spec.timeout = 500 * time.Millisecond
	r := runRound(ctx, target{name: "baseline", addr: addr}, w, io.Discard)
	if r.errors[errTimeout] != 2 || r.ok != 0 {
		t.Fatalf("errors %v, ok %d; want 2 timeouts", r.errors, r.ok)
	}
	if d := r.details[errTimeout]; !strings.Contains(d, `waiting for "Somebody Else"`) {
		t.Errorf("timeout detail %q does not name the marker", d)
	}
}

func TestLoadReportsDialErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	w := testWorkload(closeClean, false)
	w.sessions = 3
	r := runRound(context.Background(), target{name: "nothing", addr: addr}, w, io.Discard)
	if r.errors[errDial] != 3 {
		t.Fatalf("errors %v, want 3 dial errors", r.errors)
	}
}

// TestRunWithBaselineChild runs the command as a user would, with -baseline: the tool
// re-executes itself as the baseline server and measures it through /proc and pprof.
func TestRunWithBaselineChild(t *testing.T) {
	var out, errOut strings.Builder
	args := []string{"-baseline", "-n", "8", "-c", "2", "-warmup", "2", "-settle", "2s",
		"-key", "right", "-marker2", "Technical Skills", "-duration", "25s", "-json"}
	if code := run(args, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s\nstdout:\n%s", code, errOut.String(), out.String())
	}
	var rep report
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, out.String())
	}
	if len(rep.Targets) != 1 || rep.Targets[0].Target != "baseline" {
		t.Fatalf("targets %+v", rep.Targets)
	}
	b := rep.Targets[0]
	if b.SessionsOK != 8 || b.errorCount() != 0 {
		t.Fatalf("baseline: %d ok, errors %v %v", b.SessionsOK, b.Errors, b.ErrorDetails)
	}
	for _, k := range []string{"sessions_per_s", "first_frame_p50_ms", "key_frame_p50_ms", "first_frame_bytes_p50",
		"cpu_per_session_ms", "peak_rss_mb", "goroutines_before", "goroutines_after"} {
		if _, ok := b.Figures[k]; !ok {
			t.Errorf("figure %s missing from %v", k, b.Figures)
		}
	}
}

func hasFigure(s summary, key string) bool {
	_, ok := s.Figures[key]
	return ok
}
