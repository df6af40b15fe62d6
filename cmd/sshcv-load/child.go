package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"charm.land/ssh"

	"github.com/sshcv/sshcv/cmd/sshcv-load/baseline"
)

// serveBaselineFlag is the hidden mode in which sshcv-load is the baseline server: the
// load tool re-executes itself with it, so that the baseline runs in a process of its
// own and its CPU time and memory are read from /proc exactly as sshcv's are.
const serveBaselineFlag = "-serve-baseline"

// readyPrefix starts the line the child prints once it listens.
const readyPrefix = "sshcv-load baseline ready"

// serveBaseline runs the baseline app on addr (loopback only) and net/http/pprof on a
// free loopback port, prints where, and serves until stdin closes (the parent ended or
// finished). It returns the process exit status.
func serveBaseline(addr string, stdin io.Reader, stdout, stderr io.Writer) int {
	addr, err := loopbackAddr(context.Background(), "serve-baseline", addr)
	if err != nil {
		fmt.Fprintln(stderr, "sshcv-load:", err)
		return 2
	}
	srv, err := baseline.NewServer(addr)
	if err != nil {
		fmt.Fprintln(stderr, "sshcv-load:", err)
		return 1
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		fmt.Fprintln(stderr, "sshcv-load: baseline:", err)
		return 1
	}
	pprofLn, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(stderr, "sshcv-load: baseline pprof:", err)
		return 1
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	httpSrv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := httpSrv.Serve(pprofLn); !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "sshcv-load: baseline pprof:", err)
		}
	}()
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, ssh.ErrServerClosed) {
			fmt.Fprintln(stderr, "sshcv-load: baseline:", err)
		}
	}()

	fmt.Fprintf(stdout, "%s ssh=%s pprof=%s pid=%d\n", readyPrefix, ln.Addr(), pprofLn.Addr(), os.Getpid())
	_, _ = io.Copy(io.Discard, stdin)
	httpSrv.Close()
	srv.Close()
	return 0
}

// baselineChild is a running baseline server process.
type baselineChild struct {
	cmd       *exec.Cmd
	stdin     io.WriteCloser
	sshAddr   string
	pprofAddr string
	pid       int
}

// startBaselineChild starts the baseline in a child process, pinned to cpu with
// taskset when cpu ≥ 0. The child gets the parent's environment minus GOGC,
// GOMEMLIMIT and GOMAXPROCS, so that it runs with the Go runtime's stock settings.
func startBaselineChild(ctx context.Context, self string, cpu int, stderr io.Writer) (*baselineChild, error) {
	argv := []string{self, serveBaselineFlag, "127.0.0.1:0"}
	if cpu >= 0 {
		taskset, err := exec.LookPath("taskset")
		if err != nil {
			return nil, fmt.Errorf("-cpu-pin %d: taskset not found (Debian package util-linux); "+
				"run without -cpu-pin or install it", cpu)
		}
		argv = append([]string{taskset, "-c", strconv.Itoa(cpu)}, argv...)
	}
	// Not CommandContext: stop ends the child in order (stdin closed, then a kill if it
	// lingers), which a cancelled ctx must not cut short.
	cmd := exec.Command(argv[0], argv[1:]...) //nolint:gosec,noctx // argv is this executable (and taskset from PATH)
	cmd.Env = stockGoEnv(os.Environ())
	cmd.Stderr = stderr
	// Its own process group: a Ctrl-C at the terminal goes to the load tool, which then
	// ends the child in order, instead of to every baseline session's signal handler.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start baseline: %w", err)
	}
	c := &baselineChild{cmd: cmd, stdin: stdin, pid: cmd.Process.Pid}

	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			ready <- fmt.Errorf("baseline exited before it was ready: %w", err)
			return
		}
		// The child prints nothing after this line.
		ready <- c.parseReady(line)
	}()
	timer := time.NewTimer(15 * time.Second)
	defer timer.Stop()
	select {
	case err = <-ready:
	case <-timer.C:
		err = errors.New("baseline did not start within 15 s")
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

func (c *baselineChild) parseReady(line string) error {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), readyPrefix)
	if !ok {
		return fmt.Errorf("baseline: unexpected first line %q", line)
	}
	for _, field := range strings.Fields(rest) {
		k, v, _ := strings.Cut(field, "=")
		switch k {
		case "ssh":
			c.sshAddr = v
		case "pprof":
			c.pprofAddr = v
		case "pid":
			// taskset execs the program, so this is normally cmd.Process.Pid already.
			if pid, err := strconv.Atoi(v); err == nil {
				c.pid = pid
			}
		}
	}
	if c.sshAddr == "" || c.pprofAddr == "" {
		return fmt.Errorf("baseline: incomplete ready line %q", line)
	}
	return nil
}

// stop closes the child's stdin, which ends it, and kills it if it lingers.
func (c *baselineChild) stop() {
	c.stdin.Close()
	done := make(chan struct{})
	go func() {
		_ = c.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
}

// stockGoEnv drops the variables that would tune the child's Go runtime.
func stockGoEnv(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "GOGC", "GOMEMLIMIT", "GOMAXPROCS":
			continue
		}
		out = append(out, kv)
	}
	return out
}
