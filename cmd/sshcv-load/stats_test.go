package main

import (
	"slices"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var hundred []int
	for i := 100; i >= 1; i-- { // unsorted on purpose
		hundred = append(hundred, i)
	}
	before := slices.Clone(hundred)
	cases := []struct {
		values []int
		p      float64
		want   int
	}{
		{hundred, 50, 50},
		{hundred, 90, 90},
		{hundred, 99, 99},
		{hundred, 100, 100},
		{hundred, 0.5, 1},
		{[]int{7}, 50, 7},
		{[]int{7}, 99, 7},
		{[]int{3, 1, 2}, 50, 2},
		{[]int{1, 2, 3, 4}, 50, 2}, // nearest rank never interpolates
		{[]int{1, 2, 3, 4}, 51, 3},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 99, 10},
		{nil, 50, 0},
	}
	for _, tc := range cases {
		if got := percentile(tc.values, tc.p); got != tc.want {
			t.Errorf("percentile(%d values, %v) = %d, want %d", len(tc.values), tc.p, got, tc.want)
		}
	}
	if !slices.Equal(hundred, before) {
		t.Error("percentile reordered its input")
	}
}

func TestSpreadInMilliseconds(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 200; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	got := spreadOf(d)
	want := spread{Count: 200, P50: 100, P90: 180, P99: 198}
	if got != want {
		t.Errorf("spreadOf = %+v, want %+v", got, want)
	}
}

func TestSummarizeAcrossRounds(t *testing.T) {
	round := func(ok int, ff time.Duration, cpu time.Duration, rssBefore, rssHeld int64) roundResult {
		r := roundResult{target: "x", ok: ok, attempts: ok, errors: map[errorKind]int{}, details: map[errorKind]string{},
			wall: time.Second, haveProc: true, cpu: cpu, rssBefore: rssBefore, rssHeld: rssHeld, held: ok, peakRSS: rssHeld}
		for range ok {
			r.firstFrames = append(r.firstFrames, ff)
			r.firstFrameBytes = append(r.firstFrameBytes, 2000)
		}
		return r
	}
	r1 := round(100, 20*time.Millisecond, 500*time.Millisecond, 10*mb, 110*mb)
	r2 := round(100, 30*time.Millisecond, 700*time.Millisecond, 60*mb, 115*mb)
	r2.errors[errTimeout] = 2
	r2.details[errTimeout] = "waiting for marker"
	r2.attempts += 2
	r1.runtimeBefore = &runtimeSample{Goroutines: 6}
	r2.runtimeAfter = &runtimeSample{Goroutines: 9, Heap: 2 * mb}

	s := summarize("x", []roundResult{r1, r2})
	if s.SessionsOK != 200 || s.Errors["timeout"] != 2 {
		t.Fatalf("counts: ok %d, errors %v", s.SessionsOK, s.Errors)
	}
	want := map[string]float64{
		"sessions_per_s":          100,
		"first_frame_p50_ms":      20,
		"first_frame_p99_ms":      30,
		"first_frame_bytes_p50":   2000,
		"cpu_per_session_ms":      1200.0 / 202,
		"mem_per_held_session_mb": 1, // first round only: (110-10) MB / 100
		"rss_held_mb":             110,
		"peak_rss_mb":             115,
		"goroutines_before":       6,
		"goroutines_after":        9,
		"heap_after_mb":           2,
	}
	for k, v := range want {
		if got, ok := s.Figures[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	if _, ok := s.Figures["key_frame_p50_ms"]; ok {
		t.Error("key→frame reported without any key press")
	}
}
