package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	charmlog "charm.land/log/v2"
	"charm.land/ssh"
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/server"
	"github.com/sshcv/sshcv/server/metrics"
	"github.com/sshcv/sshcv/server/netguard"
	"github.com/sshcv/sshcv/tui"
	"github.com/sshcv/sshcv/web"
)

// serveConfig is everything `sshcv serve` can be told, by flag or environment.
type serveConfig struct {
	srv        server.Config
	guard      netguard.Config
	profiles   string
	def        string
	lang       string
	proxyFrom  string
	metrics    string
	pprof      bool
	web        string
	logFormat  string
	logLevel   string
	gogc       int
	memLimit   string
	shutdownIn time.Duration
	store      storeFlags   // messages.go
	messages   messageFlags // messages.go
	stats      statsFlags   // stats.go
}

// parseServe reads serve's command line through the flags every subcommand uses.
// When the command should end at once, done is true and code is its exit status
// (0 after -h, 2 after a bad flag or value, said on stderr).
func parseServe(args []string, stderr io.Writer) (c *serveConfig, code int, done bool) {
	c = &serveConfig{srv: server.DefaultConfig(), guard: netguard.DefaultConfig()}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ef := &envFlags{fs: fs}
	s, g := &c.srv, &c.guard

	ef.String(&s.Addr, "addr", "SSHCV_ADDR", s.Addr, "address to listen on for SSH")
	ef.String(&c.profiles, "profiles", "SSHCV_PROFILES", "", "folder of profiles, reloaded on change (default: the bundled CVs)")
	ef.String(&s.HostKeyDir, "hostkeys", "SSHCV_HOSTKEYS", s.HostKeyDir, "folder for the host key (generated on first start)")
	ef.String(&c.def, "default", "SSHCV_DEFAULT", "", "handle of the CV shown to visitors who name none")
	ef.String(&c.lang, "lang", "SSHCV_LANG", profiles.DefaultLang, "language of the CVs at the top of --profiles, a BCP 47 tag; translations are in folders named by other tags")
	ef.String(&s.Host, "host", "SSHCV_HOST", "", "public name visitors use, NAME or NAME:PORT (e.g. cv.example.com): shown in the \"come back\" hint and on the web pages")
	ef.String(&c.metrics, "metrics", "SSHCV_METRICS", "", "address for /metrics and /healthz (off when empty)")
	ef.Bool(&c.pprof, "pprof", "SSHCV_PPROF", false, "also serve /debug/pprof/ on the metrics address")
	ef.String(&c.web, "web", "SSHCV_WEB", "", "address for the CV web pages (off when empty)")
	ef.String(&s.WebBase, "web-url", "SSHCV_WEB_URL", "", "the web pages' public address, e.g. http://cv.example.com:8080, for QR codes (default: https:// + the --host name)")
	ef.String(&c.proxyFrom, "proxy-protocol", "SSHCV_PROXY_PROTOCOL", "", "CIDRs of load balancers whose PROXY protocol headers are trusted")

	ef.Int(&s.MaxSessions, "max-sessions", "SSHCV_MAX_SESSIONS", s.MaxSessions, "concurrent SSH sessions in all")
	ef.Int(&s.MaxSessionsPerAddr, "max-sessions-per-ip", "SSHCV_MAX_SESSIONS_PER_IP", s.MaxSessionsPerAddr, "concurrent SSH sessions from one address, all its connections together (0: no limit)")
	ef.Int(&g.MaxConns, "max-conns", "SSHCV_MAX_CONNS", g.MaxConns, "concurrent TCP connections in all")
	ef.Int(&g.MaxConnsPerIP, "max-conns-per-ip", "SSHCV_MAX_CONNS_PER_IP", g.MaxConnsPerIP, "concurrent connections from one address")
	ef.Float(&g.RatePerIP, "conn-rate", "SSHCV_CONN_RATE", g.RatePerIP, "new connections per second from one address")
	ef.Int(&g.BurstPerIP, "conn-burst", "SSHCV_CONN_BURST", g.BurstPerIP, "burst of new connections from one address")
	ef.Duration(&s.HandshakeTimeout, "handshake-timeout", "SSHCV_HANDSHAKE_TIMEOUT", s.HandshakeTimeout, "time allowed for the SSH handshake")
	ef.Duration(&s.SessionWait, "session-wait", "SSHCV_SESSION_WAIT", s.SessionWait, "close a connection that has no session this long after logging in or after its last session (keepalives do not count)")
	ef.Duration(&s.IdleTimeout, "idle-timeout", "SSHCV_IDLE_TIMEOUT", s.IdleTimeout, "end a session after this long without input")
	ef.Duration(&s.MaxSession, "max-session", "SSHCV_MAX_SESSION", s.MaxSession, "longest a session may last")
	ef.Int(&s.MaxWidth, "max-width", "SSHCV_MAX_WIDTH", s.MaxWidth, "widest window the viewer draws (larger ones are clamped)")
	ef.Int(&s.MaxHeight, "max-height", "SSHCV_MAX_HEIGHT", s.MaxHeight, "tallest window the viewer draws (larger ones are clamped)")
	c.store.add(ef)
	c.messages.add(ef)
	c.stats.add(ef)
	ef.Duration(&c.shutdownIn, "shutdown-timeout", "SSHCV_SHUTDOWN_TIMEOUT", 10*time.Second, "time open sessions get to close on SIGINT/SIGTERM")

	ef.String(&c.logFormat, "log-format", "SSHCV_LOG_FORMAT", "text", "log format: text, json or logfmt")
	ef.String(&c.logLevel, "log-level", "SSHCV_LOG_LEVEL", "info", "log level: debug, info, warn or error")
	ef.Int(&c.gogc, "gogc", "SSHCV_GOGC", 100, "garbage collector target percentage (GOGC); higher trades memory for CPU")
	ef.String(&c.memLimit, "memlimit", "SSHCV_MEMLIMIT", "off", "soft memory limit (GOMEMLIMIT), e.g. 768MiB under a 1GiB container limit; \"off\" for none")

	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: sshcv serve [flags]\n\nServes CVs over SSH. Every flag can also be set by its environment variable.")
		fs.PrintDefaults()
	}
	if _, code, done := ef.parse(args, 0, stderr); done {
		return nil, code, true
	}
	fail := func(err error) (*serveConfig, int, bool) {
		fmt.Fprintln(stderr, "sshcv serve:", err)
		return nil, 2, true
	}
	if len(profiles.ParseLanguages(c.lang)) == 0 {
		return fail(fmt.Errorf("--lang %q: not a known BCP 47 language tag (en, de, pt-BR)", c.lang))
	}
	s.HostKeyPEM = os.Getenv("SSHCV_HOST_KEY")
	base, err := webBase(s.WebBase, s.Host, c.web)
	if err != nil {
		return fail(err)
	}
	s.WebBase = base
	if c.proxyFrom != "" {
		prefixes, err := netguard.ParsePrefixes(c.proxyFrom)
		if err != nil {
			return fail(fmt.Errorf("--proxy-protocol: %w", err))
		}
		g.ProxyFrom = prefixes
	}
	return c, 0, false
}

func newLogger(format, level string, w io.Writer) (*slog.Logger, error) {
	l := charmlog.NewWithOptions(w, charmlog.Options{ReportTimestamp: true, TimeFormat: time.RFC3339})
	switch format {
	case "text":
	case "json":
		l.SetFormatter(charmlog.JSONFormatter)
	case "logfmt":
		l.SetFormatter(charmlog.LogfmtFormatter)
	default:
		return nil, fmt.Errorf("--log-format %q: use text, json or logfmt", format)
	}
	lvl, err := charmlog.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	l.SetLevel(lvl)
	return slog.New(l), nil
}

// tuneRuntime applies GOGC and GOMEMLIMIT unless the standard environment variables
// already set them. The defaults are Go's own (GOGC 100, no limit): measured with
// the load tool, GOGC 400 saves about 15 % of the CPU per session but costs 8 %
// more memory per open session and raises the peak of a burst by 70 %, and a limit below the live heap of many open sessions makes the
// collector run without pause. A container sets a limit a little under its own.
func tuneRuntime(gogc int, memLimit string) error {
	if os.Getenv("GOGC") == "" && gogc > 0 {
		debug.SetGCPercent(gogc)
	}
	if os.Getenv("GOMEMLIMIT") != "" || memLimit == "" || memLimit == "off" {
		return nil
	}
	n, err := parseBytes(memLimit)
	if err != nil {
		return fmt.Errorf("--memlimit %q: %w", memLimit, err)
	}
	debug.SetMemoryLimit(n)
	return nil
}

func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}
	for _, u := range units {
		if len(s) > len(u.suffix) && s[len(s)-len(u.suffix):] == u.suffix {
			n, err := strconv.ParseInt(s[:len(s)-len(u.suffix)], 10, 64)
			if err != nil || n <= 0 {
				break
			}
			return n * u.mult, nil
		}
	}
	return 0, errors.New("expected a size such as 512MiB or 2GiB")
}

// runServe runs `sshcv serve` until SIGINT or SIGTERM. It is long because it is the
// one place the parts (logger, registry, metrics, server, web) are put together, in
// the order they start and stop.
func runServe(args []string, _, stderr io.Writer) int {
	c, code, done := parseServe(args, stderr)
	if done {
		return code
	}
	logger, err := newLogger(c.logFormat, c.logLevel, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "sshcv serve:", err)
		return 2
	}
	if err := tuneRuntime(c.gogc, c.memLimit); err != nil {
		fmt.Fprintln(stderr, "sshcv serve:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var m *metrics.Metrics
	if c.metrics != "" {
		m = metrics.New()
	}
	regOpts := profiles.RegistryOptions{Dir: c.profiles, Default: c.def, Lang: c.lang, Logger: logger}
	if m != nil {
		regOpts.OnReload = func(ev profiles.ReloadEvent) { m.Reloaded(ev.Err) }
	}
	reg, err := profiles.OpenRegistry(regOpts)
	if err != nil {
		logger.Error("cannot load profiles", "err", err)
		return 1
	}
	go func() {
		if err := reg.Watch(ctx); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error("profile watcher stopped", "err", err)
		}
	}()

	st, outbox, err := c.openMessages(ctx, logger, m)
	if err != nil {
		logger.Error("cannot set up messages", "err", err)
		return 1
	}
	defer st.Close()
	if outbox != nil {
		delivered := make(chan struct{})
		go func() { outbox.Run(ctx); close(delivered) }()
		defer func() { stop(); <-delivered }() // the outbox ends before the store closes (deferred above)
	}

	rec, stopStats := c.stats.start(st, logger)
	defer stopStats()

	renderer := tui.NewRenderer(256)
	c.srv.Stats = rec
	c.srv.Catalog = reg
	c.srv.Renderer = renderer
	c.srv.Logger = logger
	guard := c.guard
	if m != nil {
		c.srv.Observer = m
		guard.OnRefuse = func(reason string, _ netip.Addr) { m.Refused(reason) }
	}
	c.srv.WrapListener = func(l net.Listener) net.Listener { return netguard.Wrap(l, guard) }

	srv, err := server.New(c.srv)
	if err != nil {
		logger.Error("cannot start", "err", err)
		return 1
	}

	var httpServers []*http.Server
	if c.metrics != "" {
		mux := http.NewServeMux()
		mux.Handle("/", m.Handler(srv.Serving))
		if c.pprof {
			mux.HandleFunc("/debug/pprof/", pprof.Index)
			mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
			mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
			mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
			mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		}
		hs, err := startHTTP(c.metrics, "metrics", mux, logger)
		if err != nil {
			logger.Error("cannot listen", "err", err)
			return 1
		}
		httpServers = append(httpServers, hs)
	}
	if c.web != "" {
		sshHost, sshPort := publicSSH(c.srv.Host, c.srv.Addr)
		h := web.NewHandler(web.Options{Catalog: reg, Renderer: renderer, SSHHost: sshHost, SSHPort: sshPort, Logger: logger, Stats: rec})
		hs, err := startHTTP(c.web, "web", h, logger)
		if err != nil {
			logger.Error("cannot listen", "err", err)
			return 1
		}
		httpServers = append(httpServers, hs)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()

	select {
	case err := <-errc:
		if err != nil && !errors.Is(err, ssh.ErrServerClosed) {
			logger.Error("server stopped", "err", err)
			return 1
		}
		return 0
	case <-ctx.Done():
	}
	stop()
	logger.Info("shutting down", "deadline", c.shutdownIn)
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownIn)
	defer cancel()
	for _, h := range httpServers {
		_ = h.Shutdown(sctx)
	}
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
		logger.Warn("shutdown", "err", err)
	}
	stopStats() // the sessions have ended: their last counts are written
	logger.Info("stopped")
	return 0
}

// startHTTP listens at once, so that a taken port stops the start with a clear error
// instead of a log line nobody reads, then serves in the background.
func startHTTP(addr, name string, h http.Handler, logger *slog.Logger) (*http.Server, error) {
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("listening", "what", name, "addr", l.Addr().String())
	go func() {
		if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("http server stopped", "what", name, "err", err)
		}
	}()
	return hs, nil
}

// publicSSH returns the host name and port visitors use for SSH, as the web pages show
// them. --host is NAME or NAME:PORT; a NAME alone means port 22, because the listen port
// is often not the public one (a container maps 22 to 2222). Without --host the pages use
// the name the browser asked for and the port the server listens on.
func publicSSH(host, listenAddr string) (string, int) {
	if host == "" {
		return "", portOf(listenAddr, 22)
	}
	if h, p, err := net.SplitHostPort(host); err == nil {
		return h, portOf(":"+p, 22)
	}
	return host, 22
}

// portOf returns the port of an address such as ":2222", or def when it has none.
func portOf(addr string, def int) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return def
	}
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 || n > 65535 {
		return def
	}
	return n
}
