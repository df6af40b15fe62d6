// Command sshcv-load is the load benchmark for sshcv: it opens many SSH sessions with a
// PTY against a server on this machine, answers the terminal queries as xterm does,
// waits for a marker text on the emulated screen, optionally presses a key and waits
// for a second marker, then closes each session cleanly or abruptly (FIN, RST, RST in
// the middle of the first frame). It reports sessions/s, time to first frame and
// key→frame percentiles, bytes to first frame and errors by kind; given the server's
// PID, its CPU time per session, memory per held session and peak RSS; given its
// pprof or metrics address, its goroutines and heap before and after.
//
// With -baseline it also starts a bare Wish v2 + Bubble Tea v2 app (package baseline)
// in a child process of its own — pinned like sshcv with -cpu-pin — and runs the same
// workload against both in alternating rounds, printing every figure for both and the
// ratio sshcv/baseline.
//
//	go build -o /tmp/sshcv-load ./cmd/sshcv-load && go build -o /tmp/sshcv ./cmd/sshcv
//	taskset -c 1 /tmp/sshcv -addr 127.0.0.1:2222 -metrics 127.0.0.1:9100 -pprof &
//	taskset -c 0 /tmp/sshcv-load -addr 127.0.0.1:2222 -pid $! -pprof 127.0.0.1:9100 \
//	    -baseline -cpu-pin 1 -rounds 3 -n 1000 -c 16
//
// sshcv is pinned to one CPU with taskset -c 1 and the baseline child with -cpu-pin 1,
// so both servers run on one core alone, in turn, while the load tool uses the other.
//
// It only ever connects to loopback addresses (127.0.0.0/8, ::1), and every run is
// bounded by -timeout per session and -duration overall.
//
// It measures sshcv from the outside, over SSH, like a visitor: it must not import
// sshcv's own packages (server, tui, profiles).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sshcv/sshcv/cmd/sshcv-load/baseline"
	"github.com/sshcv/sshcv/internal/vterm"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// config is the parsed command line.
type config struct {
	addr        string
	user        string
	sessions    int
	concurrency int
	rate        float64
	width       int
	height      int
	marker      string
	key         string
	marker2     string
	close       closeKind
	hold        bool
	idle        time.Duration
	timeout     time.Duration
	duration    time.Duration
	rounds      int
	warmup      int
	settle      time.Duration
	pid         int
	pprofAddr   string
	metricsAddr string
	baseline    bool
	cpuPin      int
	json        bool
	maxErrors   int
	silent      bool
	kittyReply  bool
	sources     int
}

// parseFlags reads the command line. It is long because it is one flag a line;
// split, the list would only be harder to read.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	var size, closeName string
	fs := flag.NewFlagSet("sshcv-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "sshcv-load measures an SSH CV server on this machine, optionally side by side with a bare Wish app.")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Usage: sshcv-load -addr 127.0.0.1:2222 [-pid PID] [-metrics ADDR|-pprof ADDR] [-baseline] [flags]")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	fs.StringVar(&c.addr, "addr", "", "sshcv's SSH address, loopback only (empty with -baseline: measure the baseline alone)")
	fs.StringVar(&c.user, "user", "rohit", "SSH user name (the CV to open)")
	fs.IntVar(&c.sessions, "n", 200, "sessions per round and target")
	fs.IntVar(&c.concurrency, "c", 16, "sessions in flight at once (ignored with -rate)")
	fs.Float64Var(&c.rate, "rate", 0, "start this many sessions per second instead of keeping -c busy")
	fs.StringVar(&size, "size", "80x24", "PTY size, WIDTHxHEIGHT")
	fs.StringVar(&c.marker, "marker", "Rohit Gupta", "text that shows sshcv's first frame arrived (the baseline shows its own)")
	fs.StringVar(&c.key, "key", "", "key to press after the first marker: right, left, up, down, tab, enter, pgdown, … or one character")
	fs.StringVar(&c.marker2, "marker2", "", "text sshcv draws in answer to the key (required with -key; the baseline shows its own)")
	fs.StringVar(&closeName, "close", "clean", "how sessions end: clean (q, wait for exit status), fin, rst, rst-mid")
	fs.IntVar(&c.sources, "sources", 256, "spread sessions over this many source addresses 127.1.0.1, 127.1.0.2, … (1: the kernel's choice); "+
		"many visitors rather than one address hitting the server's per-address limits")
	fs.BoolVar(&c.hold, "hold", false, "keep every session open until all are, measure memory, then close them")
	fs.DurationVar(&c.idle, "idle", 0, "with -hold: leave the held sessions idle this long and report the server's CPU over it (% of a core)")
	fs.DurationVar(&c.timeout, "timeout", 15*time.Second, "limit for each session's open and close phases")
	fs.DurationVar(&c.duration, "duration", 10*time.Minute, "limit for the whole run")
	fs.IntVar(&c.rounds, "rounds", 1, "rounds per target; with -baseline the targets alternate (A B, B A, …)")
	fs.IntVar(&c.warmup, "warmup", 10, "unmeasured sessions per target before the first round")
	fs.DurationVar(&c.settle, "settle", 5*time.Second, "after a round, wait up to this long for the server's goroutines to come back down")
	fs.IntVar(&c.pid, "pid", 0, "sshcv's process ID, for CPU and memory figures from /proc")
	fs.StringVar(&c.pprofAddr, "pprof", "", "sshcv's net/http/pprof address, for goroutines and heap after a forced GC (loopback; preferred)")
	fs.StringVar(&c.metricsAddr, "metrics", "", "sshcv's Prometheus address or URL, for go_goroutines and heap in use, garbage included (loopback)")
	fs.BoolVar(&c.baseline, "baseline", false, "also measure a bare Wish v2 + Bubble Tea v2 app, run as a child process")
	fs.IntVar(&c.cpuPin, "cpu-pin", -1, "pin the baseline child to this CPU with taskset (start sshcv with the same taskset -c)")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON")
	fs.IntVar(&c.maxErrors, "max-errors", 0, "exit with status 1 when more sessions than this fail")
	fs.BoolVar(&c.silent, "no-answer", false, "never answer terminal queries (a client that ignores them)")
	fs.BoolVar(&c.kittyReply, "kitty-reply", false, "answer the kitty keyboard query with no flags (xterm ignores it)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (flags only)", fs.Arg(0))
	}

	var err error
	if c.close, err = parseCloseKind(closeName); err != nil {
		return c, err
	}
	if c.width, c.height, err = parseSize(size); err != nil {
		return c, err
	}
	switch {
	case c.addr == "" && !c.baseline:
		return c, errors.New("nothing to measure: give -addr (sshcv's address) and/or -baseline")
	case c.sessions < 1:
		return c, errors.New("-n must be at least 1")
	case c.concurrency < 1:
		return c, errors.New("-c must be at least 1")
	case c.rate < 0:
		return c, errors.New("-rate must not be negative")
	case c.rounds < 1:
		return c, errors.New("-rounds must be at least 1")
	case c.sources < 1 || c.sources > 65534:
		return c, errors.New("-sources must be 1–65534")
	case c.warmup < 0:
		return c, errors.New("-warmup must not be negative")
	case c.timeout <= 0 || c.duration <= 0:
		return c, errors.New("-timeout and -duration must be positive")
	case c.marker == "":
		return c, errors.New("-marker must not be empty")
	case c.key != "" && c.marker2 == "":
		return c, errors.New("-key needs -marker2: the text its frame draws")
	case c.key != "" && !vterm.KnownKey(c.key):
		return c, fmt.Errorf("-key %q: want right, left, up, down, home, end, pgup, pgdown, tab, shift+tab, enter, space, esc or one character", c.key)
	case c.idle < 0 || (c.idle > 0 && !c.hold):
		return c, errors.New("-idle needs -hold and a positive duration")
	case c.close == closeRSTMid && (c.hold || c.key != ""):
		return c, errors.New("-close rst-mid resets during the first frame: it cannot be combined with -hold or -key")
	case c.pprofAddr != "" && c.metricsAddr != "":
		return c, errors.New("give -pprof or -metrics, not both")
	case c.addr == "" && (c.pid != 0 || c.pprofAddr != "" || c.metricsAddr != ""):
		return c, errors.New("-pid, -pprof and -metrics describe the sshcv server: give its -addr too")
	}
	return c, nil
}

// parseSize reads "80x24".
func parseSize(s string) (int, int, error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	w, errW := strconv.Atoi(ws)
	h, errH := strconv.Atoi(hs)
	if !ok || errW != nil || errH != nil || w < 1 || h < 1 || w > 1000 || h > 1000 {
		return 0, 0, fmt.Errorf("-size %q: want WIDTHxHEIGHT such as 80x24 (each 1–1000)", s)
	}
	return w, h, nil
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) >= 1 && (args[0] == serveBaselineFlag || args[0] == "-"+serveBaselineFlag) {
		if len(args) != 2 {
			fmt.Fprintln(stderr, "sshcv-load: -serve-baseline takes one address")
			return 2
		}
		return serveBaseline(args[1], stdin, stdout, stderr)
	}

	c, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "sshcv-load:", err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()

	var targets []target
	if c.addr != "" {
		t, err := sshcvTarget(ctx, c)
		if err != nil {
			fmt.Fprintln(stderr, "sshcv-load:", err)
			return 2
		}
		targets = append(targets, t)
	}
	if c.baseline {
		self, err := os.Executable()
		if err != nil {
			fmt.Fprintln(stderr, "sshcv-load: cannot find my own executable to start the baseline:", err)
			return 1
		}
		child, err := startBaselineChild(ctx, self, c.cpuPin, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "sshcv-load:", err)
			return 1
		}
		defer child.stop()
		probe, err := newRuntimeProbe(ctx, "pprof", "pprof", child.pprofAddr)
		if err != nil {
			fmt.Fprintln(stderr, "sshcv-load: baseline:", err)
			return 1
		}
		targets = append(targets, target{name: "baseline", addr: child.sshAddr, pid: child.pid, probe: probe,
			marker: baseline.FirstMarker, marker2: baseline.SecondMarker})
	}

	rep, err := measure(ctx, c, targets, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "sshcv-load:", err)
		return 1
	}
	if c.json {
		err = rep.writeJSON(stdout)
	} else {
		err = rep.writeTable(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "sshcv-load:", err)
		return 1
	}
	failed := 0
	for _, t := range rep.Targets {
		failed += t.errorCount()
	}
	if failed > c.maxErrors {
		fmt.Fprintf(stderr, "sshcv-load: %d sessions failed (more than -max-errors %d)\n", failed, c.maxErrors)
		return 1
	}
	return 0
}

func sshcvTarget(ctx context.Context, c config) (target, error) {
	addr, err := loopbackAddr(ctx, "addr", c.addr)
	if err != nil {
		return target{}, err
	}
	t := target{name: "sshcv", addr: addr, pid: c.pid}
	if c.pid != 0 {
		if _, err := procCPU(c.pid); err != nil {
			return target{}, fmt.Errorf("-pid %d: %v", c.pid, err)
		}
	}
	switch {
	case c.pprofAddr != "":
		t.probe, err = newRuntimeProbe(ctx, "pprof", "pprof", c.pprofAddr)
	case c.metricsAddr != "":
		t.probe, err = newRuntimeProbe(ctx, "metrics", "metrics", c.metricsAddr)
	}
	return t, err
}

// sessionSpecFor turns the command line into what every session does.
func sessionSpecFor(c config) sessionSpec {
	return sessionSpec{
		user:     c.user,
		width:    c.width,
		height:   c.height,
		marker:   c.marker,
		key:      c.key,
		marker2:  c.marker2,
		close:    c.close,
		timeout:  c.timeout,
		terminal: vterm.Options{Silent: c.silent, KittyReply: c.kittyReply},
		config:   newClientConfig(c.user),
	}
}

// measure warms every target up, runs the rounds (alternating the order between
// targets each round) and summarizes them.
func measure(ctx context.Context, c config, targets []target, log io.Writer) (report, error) {
	w := workload{
		sessions:    c.sessions,
		concurrency: c.concurrency,
		rate:        c.rate,
		hold:        c.hold,
		idle:        c.idle,
		sources:     c.sources,
		settle:      c.settle,
		spec:        sessionSpecFor(c),
	}
	for _, t := range targets {
		if err := warmUp(ctx, t, w, c.warmup); err != nil {
			return report{}, err
		}
	}

	rounds := make(map[string][]roundResult)
	for i := range c.rounds {
		order := targets
		if i%2 == 1 && len(targets) == 2 {
			order = []target{targets[1], targets[0]}
		}
		for _, t := range order {
			if ctx.Err() != nil {
				break
			}
			r := runRound(ctx, t, w, log)
			rounds[t.name] = append(rounds[t.name], r)
			fmt.Fprintf(log, "sshcv-load: round %d/%d %s: %d ok, %d failed, %d aborted in %.1fs\n",
				i+1, c.rounds, t.name, r.ok, r.attempts-r.ok, r.aborted, r.wall.Seconds())
		}
	}

	var sums []summary
	for _, t := range targets {
		sums = append(sums, summarize(t.name, rounds[t.name]))
	}
	return newReport(describe(c, targets), sums), nil
}

// warmUp runs n unmeasured sessions (closed cleanly) so that first-connection costs
// fall outside the figures, and stops early with the reason when the target does not
// show the marker at all.
func warmUp(ctx context.Context, t target, w workload, n int) error {
	if n == 0 {
		return nil
	}
	spec := t.specFor(w)
	if spec.close == closeRSTMid {
		spec.close = closeRST
	}
	succeeded := false
	for i := range n {
		s, res := openSession(ctx, &spec, i)
		if s != nil {
			s.finish(ctx, &res)
		}
		switch {
		case res.aborted:
			return ctx.Err()
		case res.failure == "":
			succeeded = true
		case !succeeded:
			// A target that fails its very first session is misconfigured (wrong
			// marker, limits, address): say so now rather than after every timeout.
			return fmt.Errorf("%s at %s: first warm-up session failed (%s): %s", t.name, t.addr, res.failure, res.detail)
		}
	}
	return nil
}

// describe records the run's settings for the report.
func describe(c config, targets []target) map[string]string {
	d := map[string]string{
		"sessions":    strconv.Itoa(c.sessions),
		"concurrency": strconv.Itoa(c.concurrency),
		"size":        fmt.Sprintf("%dx%d", c.width, c.height),
		"user":        c.user,
		"marker":      c.marker,
		"close":       string(c.close),
		"rounds":      strconv.Itoa(c.rounds),
		"hold":        strconv.FormatBool(c.hold),
		"idle":        c.idle.String(),
		"answers":     "xterm",
		"sources":     strconv.Itoa(c.sources),
	}
	if c.rate > 0 {
		d["rate"] = strconv.FormatFloat(c.rate, 'f', -1, 64)
		delete(d, "concurrency")
	}
	if c.key != "" {
		d["key"], d["marker2"] = c.key, c.marker2
	}
	switch {
	case c.silent:
		d["answers"] = "none"
	case c.kittyReply:
		d["answers"] = "xterm, kitty keyboard query answered"
	}
	if c.cpuPin >= 0 {
		d["baseline_cpu"] = strconv.Itoa(c.cpuPin)
	}
	for _, t := range targets {
		d[t.name+"_addr"] = t.addr
	}
	return d
}
