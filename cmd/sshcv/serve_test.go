package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/sshcv/sshcv/internal/testenv"
	gossh "golang.org/x/crypto/ssh"
)

// These tests run the real binary, as an owner would: `sshcv serve` with flags, a profiles
// folder that changes under it, a flood from one address while a visitor reads a CV from
// another, /metrics, and SIGTERM.

const e2eWait = 30 * time.Second

// buildBinary builds cmd/sshcv once per test binary run.
var buildOnce struct {
	sync.Once
	path string
	err  error
	out  []byte
}

func sshcvBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sshcv-e2e-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "sshcv")
		cmd := exec.Command("go", "build", "-o", buildOnce.path, ".")
		buildOnce.out, buildOnce.err = cmd.CombinedOutput()
	})
	if buildOnce.err != nil {
		t.Fatalf("go build: %v\n%s", buildOnce.err, buildOnce.out)
	}
	return buildOnce.path
}

type servedBinary struct {
	cmd      *exec.Cmd
	addr     string
	metrics  string
	logs     *testenv.SyncBuffer
	exited   chan struct{}
	exitCode int
}

func startBinary(t *testing.T, args ...string) *servedBinary {
	t.Helper()
	return startBinaryEnv(t, nil, args...)
}

// startBinaryEnv starts `sshcv serve` with the given flags and extra environment
// (NAME=value) on free loopback ports, and waits until it listens.
func startBinaryEnv(t *testing.T, env []string, args ...string) *servedBinary {
	t.Helper()
	bin := sshcvBinary(t)
	sb := &servedBinary{addr: testenv.FreeLoopbackAddr(t), metrics: testenv.FreeLoopbackAddr(t), logs: &testenv.SyncBuffer{}, exited: make(chan struct{})}
	args = append([]string{"serve", "--addr", sb.addr, "--metrics", sb.metrics, "--hostkeys", filepath.Join(t.TempDir(), "keys"), "--data", filepath.Join(t.TempDir(), "data"), "--log-format", "logfmt"}, args...)
	sb.cmd = exec.Command(bin, args...)
	sb.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	sb.cmd.Stdout = sb.logs
	sb.cmd.Stderr = sb.logs
	if err := sb.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = sb.cmd.Wait()
		sb.exitCode = sb.cmd.ProcessState.ExitCode()
		close(sb.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-sb.exited:
		default:
			_ = sb.cmd.Process.Kill()
			<-sb.exited
		}
		if t.Failed() {
			t.Logf("server log:\n%s", sb.logs.String())
		}
	})
	deadline := time.Now().Add(e2eWait)
	for {
		c, err := net.DialTimeout("tcp", sb.addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-sb.exited:
			t.Fatalf("sshcv serve exited with %d:\n%s", sb.exitCode, sb.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("sshcv serve never listened on %s:\n%s", sb.addr, sb.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return sb
}

// metric returns the sum of the samples of a metric whose labels contain every one of
// the given label pairs, from a fresh scrape of /metrics.
func (sb *servedBinary) metric(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + sb.metrics + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sum float64
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name) || (len(line) > len(name) && line[len(name)] != '{' && line[len(name)] != ' ') {
			continue
		}
		ok := true
		for _, l := range labels {
			if !strings.Contains(line, l) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err == nil {
			sum += f
		}
	}
	return sum
}

func (sb *servedBinary) waitMetric(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("metrics never showed %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// readFrame opens a PTY session as user and returns once want is on the screen.
func readFrame(t *testing.T, addr, user, want string) {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            user,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         10 * time.Second,
	})
	if err != nil {
		t.Fatalf("dial as %s: %v", user, err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	// An open stdin, as a person's terminal has: input that ends ends the session.
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	var screen strings.Builder
	found := make(chan struct{})
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := out.Read(buf)
			screen.Write(buf[:n])
			if strings.Contains(ansi.Strip(screen.String()), want) {
				close(found)
				io.Copy(io.Discard, out)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-found:
	case <-time.After(e2eWait):
		t.Fatalf("%s never saw %q", user, want)
	}
}

// runCommand runs one command as user in its own connection: its output and exit status.
func runCommand(t *testing.T, addr, user, command string) (string, int) {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: user, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer client.Close()
	return commandOn(t, client, command)
}

// TestServeHoldsUpUnderAFlood: 500 connections from 127.0.0.2 that never speak are cut
// by the per-address cap at once and at the handshake deadline, while a visitor from
// 127.0.0.1 reads Rohit's CV at the same time; /metrics shows every refusal.
func TestServeHoldsUpUnderAFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary; skipped with -short")
	}
	sb := startBinary(t, "--max-conns-per-ip", "10", "--conn-burst", "1000", "--conn-rate", "1000", "--handshake-timeout", "2s")

	const flood = 500
	var (
		wg            sync.WaitGroup
		closedFast    atomic.Int32
		closedLater   atomic.Int32
		dialFailures  atomic.Int32
		refusalLines  atomic.Int32
		stillOpenLate atomic.Int32
	)
	start := time.Now()
	for i := 0; i < flood; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: 10 * time.Second}
			c, err := d.Dial("tcp", sb.addr)
			if err != nil {
				dialFailures.Add(1)
				return
			}
			defer c.Close()
			_ = c.SetReadDeadline(time.Now().Add(15 * time.Second))
			got, err := io.ReadAll(c)
			switch {
			case err != nil:
				stillOpenLate.Add(1)
			case bytes.Contains(got, []byte("too many connections")):
				refusalLines.Add(1)
				closedFast.Add(1)
			default:
				closedLater.Add(1)
			}
		}()
	}

	// Meanwhile a real visitor from 127.0.0.1 gets the CV.
	readFrame(t, sb.addr, "rohit", "Rohit Gupta")
	visitorDone := time.Since(start)
	wg.Wait()

	if dialFailures.Load() > 0 || stillOpenLate.Load() > 0 {
		t.Fatalf("of %d flood connections, %d could not dial and %d were still open after 15s", flood, dialFailures.Load(), stillOpenLate.Load())
	}
	if refusalLines.Load() < flood-10 {
		t.Errorf("%d connections were refused with the per-address line; want at least %d", refusalLines.Load(), flood-10)
	}
	if closedLater.Load() == 0 || closedLater.Load() > 10 {
		t.Errorf("%d connections were admitted and cut at the handshake deadline; want 1..10", closedLater.Load())
	}
	t.Logf("flood: %d refused at once, %d cut at the handshake deadline; the visitor read the CV after %v", refusalLines.Load(), closedLater.Load(), visitorDone.Round(time.Millisecond))

	sb.waitMetric(t, "per-address refusals", func() bool {
		return sb.metric(t, "sshcv_refused_total", `reason="per_ip"`) >= float64(refusalLines.Load())
	})
	sb.waitMetric(t, "handshake timeouts", func() bool {
		return sb.metric(t, "sshcv_refused_total", `reason="handshake_timeout"`) >= float64(closedLater.Load())
	})
	sb.waitMetric(t, "the visitor's session", func() bool {
		return sb.metric(t, "sshcv_sessions_total", `profile="rohit"`) >= 1
	})
	if strings.Contains(sb.logs.String(), "ERROR") {
		t.Errorf("the server logged errors:\n%s", sb.logs.String())
	}
}

// TestServeReloadsMetricsAndStopsCleanly: a profiles folder edited, broken and fixed
// under the running binary; reloads counted; SIGTERM ends open sessions with a line and
// the process with status 0.
func TestServeReloadsMetricsAndStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary; skipped with -short")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "jane.md")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(file+".tmp", []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(file+".tmp", file); err != nil {
			t.Fatal(err)
		}
	}
	write("---\nheadline: Site reliability engineer\n---\n# Jane Doe\n\n## Experience\n\nAcme, 2020 – present.\n")
	sb := startBinary(t, "--profiles", dir)

	out, code := runCommand(t, sb.addr, "jane", "text")
	if code != 0 || !strings.Contains(out, "Jane Doe") || !strings.Contains(out, "Acme") {
		t.Fatalf("text: status %d\n%s", code, out)
	}

	write("---\nheadline: Site reliability engineer\n---\n# Jane Doe\n\n## Experience\n\nGlobex, 2024 – present.\n")
	sb.waitMetric(t, "a reload", func() bool { return sb.metric(t, "sshcv_profile_reloads_total") >= 1 })
	deadline := time.Now().Add(e2eWait)
	for {
		out, _ = runCommand(t, sb.addr, "jane", "text")
		if strings.Contains(out, "Globex") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edit was never served:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}

	write("---\naliases: 42\n---\n# Jane Doe\n\n## Experience\n\nBroken edit.\n")
	sb.waitMetric(t, "a reload error", func() bool { return sb.metric(t, "sshcv_profile_reload_errors_total") >= 1 })
	out, _ = runCommand(t, sb.addr, "jane", "text")
	if !strings.Contains(out, "Globex") || strings.Contains(out, "Broken edit") {
		t.Fatalf("a broken edit replaced the last good version:\n%s", out)
	}
	if !regexp.MustCompile(`jane\.md:2:\d+: aliases`).MatchString(sb.logs.String()) {
		t.Errorf("the log does not place the broken alias:\n%s", sb.logs.String())
	}

	// An open interactive session is told, then the process exits 0.
	client, err := gossh.Dial("tcp", sb.addr, &gossh.ClientConfig{User: "jane", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdout := &testenv.SyncBuffer{}
	sess.Stdout = stdout
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(e2eWait)
	for !strings.Contains(ansi.Strip(stdout.String()), "Jane Doe") {
		if time.Now().After(deadline) {
			t.Fatalf("no first frame:\n%q", stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := sb.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sb.exited:
	case <-time.After(e2eWait):
		t.Fatal("sshcv serve did not exit after SIGTERM")
	}
	if sb.exitCode != 0 {
		t.Errorf("exit status after SIGTERM = %d, want 0", sb.exitCode)
	}
	_ = sess.Wait()
	if !strings.Contains(ansi.Strip(stdout.String()), "restarting") {
		t.Errorf("the open session was not told the server is restarting:\n%q", ansi.Strip(stdout.String()))
	}
}

// TestServeRefusesBadFlags: a bad value in a flag or its environment variable stops the
// start with a line naming it, and exit status 2.
func TestServeRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{args: []string{"--idle-timeout", "soon"}, want: "invalid value \"soon\" for flag -idle-timeout"},
		{env: "SSHCV_MAX_SESSIONS=many", want: `SSHCV_MAX_SESSIONS="many": not a whole number`},
		{args: []string{"--proxy-protocol", "10.0.0.0/33"}, want: "--proxy-protocol"},
		{args: []string{"--memlimit", "lots"}, want: "--memlimit \"lots\""},
		{args: []string{"--log-format", "xml"}, want: "--log-format \"xml\""},
		{args: []string{"extra"}, want: "unexpected argument \"extra\""},
	} {
		t.Run(fmt.Sprint(tc.args, tc.env), func(t *testing.T) {
			if tc.env != "" {
				k, v, _ := strings.Cut(tc.env, "=")
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"serve"}, tc.args...), &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tc.want) {
				t.Fatalf("status %d, stderr %q; want 2 and %q", code, stderr.String(), tc.want)
			}
		})
	}
}

// TestServeRefusesUntrustedProxyHeaders: a PROXY protocol header from an address that is
// not a trusted balancer is refused before the handshake and counted once, under its own
// reason.
func TestServeRefusesUntrustedProxyHeaders(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary; skipped with -short")
	}
	sb := startBinary(t, "--proxy-protocol", "10.0.0.0/8")
	// startBinary's readiness probe connected and left without a handshake: wait for
	// the server to count that before counting on.
	sb.waitMetric(t, "the readiness probe's failed handshake", func() bool {
		return sb.metric(t, "sshcv_refused_total", `reason="handshake_failed"`) >= 1
	})
	failedBefore := sb.metric(t, "sshcv_refused_total", `reason="handshake_failed"`)
	c, err := net.DialTimeout("tcp", sb.addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "PROXY TCP4 203.0.113.9 127.0.0.1 40000 22\r\n"); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadAll(c); err != nil {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("the connection was not closed")
		} // a reset is a close too
	}
	sb.waitMetric(t, "the untrusted header", func() bool {
		return sb.metric(t, "sshcv_refused_total", `reason="proxy_untrusted"`) == 1
	})
	if n := sb.metric(t, "sshcv_refused_total", `reason="handshake_failed"`) - failedBefore; n != 0 {
		t.Errorf("the refusal was also counted as %v failed handshakes", n)
	}
	// A direct visitor is still served.
	if out, code := runCommand(t, sb.addr, "rohit", "list"); code != 0 || !strings.Contains(out, "rohit") {
		t.Errorf("list: status %d\n%s", code, out)
	}
}

// TestReadmeSetUp keeps the README's two set-up commands true: it names them, and the
// binary with no arguments at all serves the bundled CVs, generating its host key in
// ./hostkeys (only the address is moved off :2222, through the environment).
func TestReadmeSetUp(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary; skipped with -short")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"go run ./cmd/sshcv", "go test ./..."} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(cmd) + `\s`).Match(readme) {
			t.Errorf("the README's set-up block no longer starts a line with %q", cmd)
		}
	}

	dir := t.TempDir()
	addr := testenv.FreeLoopbackAddr(t)
	cmd := exec.Command(sshcvBinary(t))
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "SSHCV_ADDR=" + addr}
	logs := &testenv.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	}()
	deadline := time.Now().Add(e2eWait)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sshcv never listened:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	readFrame(t, addr, "rohit", "Rohit Gupta")
	if out, code := runCommand(t, addr, "ankush", "json"); code != 0 || !strings.Contains(out, `"Koinex`) {
		t.Errorf("ssh ankush@ json: status %d\n%.300s", code, out)
	}
	info, err := os.Stat(filepath.Join(dir, "hostkeys", "ssh_host_ed25519_key"))
	if err != nil {
		t.Fatalf("no host key in ./hostkeys: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", info.Mode().Perm())
	}
}
