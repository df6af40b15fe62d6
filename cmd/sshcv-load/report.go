package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// summary is one target's figures over all its rounds.
type summary struct {
	Target       string            `json:"target"`
	Rounds       int               `json:"rounds"`
	SessionsOK   int               `json:"sessions_ok"`
	Aborted      int               `json:"aborted"`
	Errors       map[string]int    `json:"errors"`
	ErrorDetails map[string]string `json:"error_details,omitempty"`
	// Figures maps a figure's key (see figureDefs) to its value; a figure that could
	// not be measured is absent.
	Figures map[string]float64 `json:"figures"`
}

func (s summary) errorCount() int {
	n := 0
	for _, v := range s.Errors {
		n += v
	}
	return n
}

// figureDef names one reported figure.
type figureDef struct {
	key      string // JSON key
	label    string // table row
	decimals int
}

var figureDefs = []figureDef{
	{"sessions_per_s", "sessions/s", 1},
	{"first_frame_p50_ms", "first frame p50 (ms)", 1},
	{"first_frame_p90_ms", "first frame p90 (ms)", 1},
	{"first_frame_p99_ms", "first frame p99 (ms)", 1},
	{"key_frame_p50_ms", "key→frame p50 (ms)", 1},
	{"key_frame_p90_ms", "key→frame p90 (ms)", 1},
	{"key_frame_p99_ms", "key→frame p99 (ms)", 1},
	{"first_frame_bytes_p50", "bytes to first frame p50", 0},
	{"cpu_per_session_ms", "server CPU per session (ms)", 2},
	{"mem_per_held_session_mb", "memory per held session (MB)", 3},
	{"rss_held_mb", "RSS with sessions held (MB)", 1},
	{"idle_cpu_pct", "server CPU with sessions held idle (% of a core)", 2},
	{"peak_rss_mb", "peak RSS (MB)", 1},
	{"goroutines_before", "goroutines before", 0},
	{"goroutines_after", "goroutines after", 0},
	{"heap_before_mb", "heap in use before (MB)", 2},
	{"heap_after_mb", "heap in use after (MB)", 2},
}

const mb = 1 << 20

// summarize folds one target's rounds into its figures. Counts and times add up over
// rounds; memory per held session and RSS while held come from the first round, since
// the Go runtime keeps freed memory and later rounds would reuse it and show too
// little; goroutines and heap compare the first round's start with the last's end.
func summarize(name string, rounds []roundResult) summary {
	s := summary{Target: name, Rounds: len(rounds), Errors: map[string]int{}, ErrorDetails: map[string]string{}, Figures: map[string]float64{}}
	var first, keys []time.Duration
	var bytesSeen []int64
	var wall, cpu time.Duration
	var cpuAttempts int
	var peak int64
	haveCPU, havePeak := false, false
	for _, r := range rounds {
		s.SessionsOK += r.ok
		s.Aborted += r.aborted
		for k, n := range r.errors {
			s.Errors[string(k)] += n
			if _, seen := s.ErrorDetails[string(k)]; !seen {
				s.ErrorDetails[string(k)] = r.details[k]
			}
		}
		first = append(first, r.firstFrames...)
		keys = append(keys, r.keyFrames...)
		bytesSeen = append(bytesSeen, r.firstFrameBytes...)
		wall += r.wall
		if r.haveProc {
			haveCPU, havePeak = true, true
			cpu += r.cpu
			cpuAttempts += r.attempts
			peak = max(peak, r.peakRSS)
		}
	}
	if wall > 0 && s.SessionsOK > 0 {
		s.Figures["sessions_per_s"] = float64(s.SessionsOK) / wall.Seconds()
	}
	if len(first) > 0 {
		f := spreadOf(first)
		s.Figures["first_frame_p50_ms"], s.Figures["first_frame_p90_ms"], s.Figures["first_frame_p99_ms"] = f.P50, f.P90, f.P99
		s.Figures["first_frame_bytes_p50"] = float64(percentile(bytesSeen, 50))
	}
	if len(keys) > 0 {
		k := spreadOf(keys)
		s.Figures["key_frame_p50_ms"], s.Figures["key_frame_p90_ms"], s.Figures["key_frame_p99_ms"] = k.P50, k.P90, k.P99
	}
	if haveCPU && cpuAttempts > 0 {
		s.Figures["cpu_per_session_ms"] = float64(cpu) / float64(time.Millisecond) / float64(cpuAttempts)
	}
	if havePeak {
		s.Figures["peak_rss_mb"] = float64(peak) / mb
	}
	for _, r := range rounds {
		if r.haveProc && r.held > 0 && r.rssHeld > 0 {
			s.Figures["mem_per_held_session_mb"] = float64(r.rssHeld-r.rssBefore) / float64(r.held) / mb
			s.Figures["rss_held_mb"] = float64(r.rssHeld) / mb
			if r.idleWall > 0 {
				s.Figures["idle_cpu_pct"] = 100 * r.idleCPU.Seconds() / r.idleWall.Seconds()
			}
			break
		}
	}
	for _, r := range rounds {
		if r.runtimeBefore != nil {
			s.Figures["goroutines_before"] = float64(r.runtimeBefore.Goroutines)
			if r.runtimeBefore.Heap > 0 {
				s.Figures["heap_before_mb"] = float64(r.runtimeBefore.Heap) / mb
			}
			break
		}
	}
	for _, r := range slices.Backward(rounds) {
		if r.runtimeAfter != nil {
			s.Figures["goroutines_after"] = float64(r.runtimeAfter.Goroutines)
			if r.runtimeAfter.Heap > 0 {
				s.Figures["heap_after_mb"] = float64(r.runtimeAfter.Heap) / mb
			}
			break
		}
	}
	return s
}

// report is the whole run's outcome, as printed.
type report struct {
	Config  map[string]string  `json:"config"`
	Targets []summary          `json:"targets"`
	Ratios  map[string]float64 `json:"ratios,omitempty"` // sshcv / baseline, per figure
}

func newReport(config map[string]string, targets []summary) report {
	r := report{Config: config, Targets: targets}
	if len(targets) == 2 {
		a, b := targets[0], targets[1]
		r.Ratios = map[string]float64{}
		for _, f := range figureDefs {
			va, okA := a.Figures[f.key]
			vb, okB := b.Figures[f.key]
			if okA && okB && vb != 0 {
				r.Ratios[f.key] = va / vb
			}
		}
	}
	return r
}

func (r report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeTable prints the figures side by side, one row per figure measured for at least
// one target, with the ratio when there are two targets. It is long because it is one
// row a figure, in the order printed.
func (r report) writeTable(w io.Writer) error {
	var rows [][]string
	header := []string{""}
	for _, t := range r.Targets {
		header = append(header, t.Target)
	}
	if r.Ratios != nil {
		header = append(header, r.Targets[0].Target+"/"+r.Targets[1].Target)
	}
	rows = append(rows, header)

	counts := func(label string, get func(summary) int) {
		cells := []string{label}
		for _, t := range r.Targets {
			cells = append(cells, strconv.Itoa(get(t)))
		}
		if r.Ratios != nil {
			cells = append(cells, "")
		}
		rows = append(rows, cells)
	}
	counts("sessions ok", func(s summary) int { return s.SessionsOK })
	counts("errors", summary.errorCount)
	kinds := map[string]bool{}
	for _, t := range r.Targets {
		for k, n := range t.Errors {
			if n > 0 {
				kinds[k] = true
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		counts("  "+k, func(s summary) int { return s.Errors[k] })
	}
	if slices.ContainsFunc(r.Targets, func(s summary) bool { return s.Aborted > 0 }) {
		counts("aborted (run ended)", func(s summary) int { return s.Aborted })
	}

	for _, f := range figureDefs {
		cells := []string{f.label}
		measured := false
		for _, t := range r.Targets {
			v, ok := t.Figures[f.key]
			if !ok {
				cells = append(cells, "–")
				continue
			}
			measured = true
			cells = append(cells, strconv.FormatFloat(v, 'f', f.decimals, 64))
		}
		if !measured {
			continue
		}
		if r.Ratios != nil {
			if ratio, ok := r.Ratios[f.key]; ok {
				cells = append(cells, strconv.FormatFloat(ratio, 'f', 2, 64))
			} else {
				cells = append(cells, "–")
			}
		}
		rows = append(rows, cells)
	}

	// Labels on the left, figures right-aligned under their target.
	widths := make([]int, len(header))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		b.WriteByte('\n')
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	for _, t := range r.Targets {
		for _, k := range slices.Sorted(maps.Keys(t.ErrorDetails)) {
			fmt.Fprintf(w, "first %s error on %s: %s\n", k, t.Target, t.ErrorDetails[k])
		}
	}
	return nil
}
