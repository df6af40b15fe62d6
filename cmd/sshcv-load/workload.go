package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// target is one server under test.
type target struct {
	name  string // "sshcv" or "baseline"
	addr  string // loopback host:port
	pid   int    // 0 when unknown: no CPU or memory figures
	probe *runtimeProbe
	// marker and marker2 replace the command line's for a target that shows its own
	// texts (the baseline); empty keeps them.
	marker, marker2 string
}

// specFor is the session spec aimed at t.
func (t target) specFor(w workload) sessionSpec {
	spec := w.spec
	spec.addr = t.addr
	spec.sources = loopbackSources(t.addr, w.sources)
	if t.marker != "" {
		spec.marker = t.marker
	}
	if t.marker2 != "" && spec.key != "" {
		spec.marker2 = t.marker2
	}
	return spec
}

// workload is what one round does to a target.
type workload struct {
	sessions    int
	concurrency int
	rate        float64 // sessions started per second; 0 means keep concurrency busy
	hold        bool
	idle        time.Duration // with hold: how long the held sessions stay idle while the server's CPU is read
	sources     int           // loopback source addresses to spread sessions over
	settle      time.Duration
	spec        sessionSpec // addr is filled in per target
}

// roundResult is everything measured in one round against one target.
type roundResult struct {
	target   string
	attempts int // sessions started and not aborted
	ok       int
	aborted  int
	errors   map[errorKind]int
	details  map[errorKind]string

	firstFrames     []time.Duration
	keyFrames       []time.Duration
	firstFrameBytes []int64
	wall            time.Duration // first dial → last session done (or, with hold, open)

	haveProc  bool
	cpu       time.Duration
	rssBefore int64
	rssHeld   int64
	held      int
	idleCPU   time.Duration // server CPU while the held sessions were idle
	idleWall  time.Duration // how long they were
	peakRSS   int64

	runtimeBefore *runtimeSample
	runtimeAfter  *runtimeSample
}

func (r *roundResult) add(res sessionResult) {
	switch {
	case res.aborted:
		r.aborted++
		return
	case res.failure != "":
		r.attempts++
		r.errors[res.failure]++
		if _, seen := r.details[res.failure]; !seen {
			r.details[res.failure] = res.detail
		}
		return
	}
	r.attempts++
	r.ok++
	if res.sawFirstFrame {
		r.firstFrames = append(r.firstFrames, res.firstFrame)
		r.firstFrameBytes = append(r.firstFrameBytes, res.firstFrameBytes)
	}
	if res.sawKeyFrame {
		r.keyFrames = append(r.keyFrames, res.keyFrame)
	}
}

// runRound runs the workload against t once, measuring the server around it. Progress
// and measurement problems go to log. It is long because it is one round's steps in
// order (start the measurements, run, stop them, collect), sharing their state.
func runRound(ctx context.Context, t target, w workload, log io.Writer) roundResult {
	r := roundResult{target: t.name, errors: map[errorKind]int{}, details: map[errorKind]string{}}
	spec := t.specFor(w)

	if t.probe != nil {
		if s, err := quiesce(ctx, t.probe, w.settle); err == nil {
			r.runtimeBefore = &s
		} else {
			fmt.Fprintf(log, "sshcv-load: %s: reading goroutines: %v\n", t.name, err)
		}
	}

	var cpuBefore time.Duration
	var sampler *rssSampler
	peakReset := false
	if t.pid > 0 {
		var err error
		cpuBefore, err = procCPU(t.pid)
		mem, err2 := readProcMemory(t.pid)
		if err == nil && err2 == nil {
			r.haveProc = true
			r.rssBefore = mem.RSS
			peakReset = resetPeakRSS(t.pid)
			sampler = startRSSSampler(t.pid, 20*time.Millisecond)
		} else {
			fmt.Fprintf(log, "sshcv-load: %s: cannot read /proc for pid %d: %v\n", t.name, t.pid, firstErr(err, err2))
		}
	}

	var mu sync.Mutex
	var held []*liveSession
	var heldResults []sessionResult
	record := func(res sessionResult) {
		mu.Lock()
		r.add(res)
		mu.Unlock()
	}
	one := func(seq int) {
		s, res := openSession(ctx, &spec, seq)
		if s == nil {
			record(res)
			return
		}
		if w.hold {
			mu.Lock()
			held = append(held, s)
			heldResults = append(heldResults, res)
			mu.Unlock()
			return
		}
		s.finish(ctx, &res)
		record(res)
	}

	start := time.Now()
	var wg sync.WaitGroup
	if w.rate > 0 {
		interval := time.Duration(float64(time.Second) / w.rate)
		tick := time.NewTicker(interval)
	schedule:
		for i := 0; i < w.sessions; i++ {
			if i > 0 {
				select {
				case <-tick.C:
				case <-ctx.Done():
					break schedule
				}
			}
			wg.Go(func() { one(i) })
		}
		tick.Stop()
	} else {
		var next atomic.Int64
		for range min(w.concurrency, w.sessions) {
			wg.Go(func() {
				for seq := int(next.Add(1)) - 1; seq < w.sessions && ctx.Err() == nil; seq = int(next.Add(1)) - 1 {
					one(seq)
				}
			})
		}
	}
	wg.Wait()
	r.wall = time.Since(start)

	if w.hold {
		r.held = len(held)
		if r.haveProc {
			if mem, err := readProcMemory(t.pid); err == nil {
				r.rssHeld = mem.RSS
			}
		}
		if w.idle > 0 {
			r.idleCPU, r.idleWall = idleCPU(ctx, t.pid, w.idle, log)
		}
		fmt.Fprintf(log, "sshcv-load: %s: %d sessions held open; closing them\n", t.name, len(held))
		var next atomic.Int64
		for range min(w.concurrency, max(len(held), 1)) {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= len(held) {
						return
					}
					res := heldResults[i]
					held[i].finish(ctx, &res)
					record(res)
				}
			})
		}
		wg.Wait()
	}

	// Let the server finish tearing the sessions down before reading its CPU time.
	sleepCtx(ctx, 250*time.Millisecond)
	if r.haveProc {
		if cpu, err := procCPU(t.pid); err == nil {
			r.cpu = cpu - cpuBefore
		} else {
			r.haveProc = false
		}
		r.peakRSS = sampler.finish()
		if mem, err := readProcMemory(t.pid); err == nil && peakReset {
			r.peakRSS = max(r.peakRSS, mem.Peak)
		}
	}

	if t.probe != nil && r.runtimeBefore != nil {
		r.runtimeAfter = settle(ctx, t.probe, r.runtimeBefore.Goroutines, w.settle)
	}
	return r
}

// idleCPU reads the server's CPU time over d while nothing is sent to it (the
// held sessions idle), and how long that was; zero without /proc.
func idleCPU(ctx context.Context, pid int, d time.Duration, log io.Writer) (cpu, wall time.Duration) {
	if pid <= 0 {
		return 0, 0
	}
	before, err := procCPU(pid)
	if err != nil {
		fmt.Fprintf(log, "sshcv-load: reading CPU time: %v\n", err)
		return 0, 0
	}
	start := time.Now()
	sleepCtx(ctx, d)
	after, err := procCPU(pid)
	if err != nil {
		fmt.Fprintf(log, "sshcv-load: reading CPU time: %v\n", err)
		return 0, 0
	}
	return after - before, time.Since(start)
}

// settle waits (up to limit) for the server's goroutines to come back down to want,
// then takes the final reading, heap included.
func settle(ctx context.Context, p *runtimeProbe, want int, limit time.Duration) *runtimeSample {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		n, err := p.goroutines(ctx)
		if err != nil || n <= want {
			break
		}
		sleepCtx(ctx, 100*time.Millisecond)
	}
	// The deadline may have passed with the run's context; take the reading regardless.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	s, err := p.sample(sctx)
	if err != nil {
		return nil
	}
	return &s
}

// quiesce waits (up to limit) until the server's goroutine count holds still for a
// moment — sessions of a warm-up or an earlier round may still be ending — and then
// takes the reading, heap included.
func quiesce(ctx context.Context, p *runtimeProbe, limit time.Duration) (runtimeSample, error) {
	deadline := time.Now().Add(limit)
	last, err := p.goroutines(ctx)
	if err != nil {
		return runtimeSample{}, err
	}
	for time.Now().Before(deadline) && ctx.Err() == nil {
		sleepCtx(ctx, 200*time.Millisecond)
		n, err := p.goroutines(ctx)
		if err != nil {
			return runtimeSample{}, err
		}
		if n == last {
			break
		}
		last = n
	}
	return p.sample(ctx)
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
