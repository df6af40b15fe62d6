package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/sshcv/sshcv/internal/pgtest"
	"github.com/sshcv/sshcv/internal/testenv"
	"github.com/sshcv/sshcv/stats"
	"github.com/sshcv/sshcv/store"
	gossh "golang.org/x/crypto/ssh"
)

// statsJSON runs `sshcv stats --json` with the given flags.
func statsJSON(t *testing.T, args ...string) []stats.Report {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"stats", "--json"}, args...), &stdout, &stderr); code != 0 {
		t.Fatalf("sshcv stats --json: status %d: %s", code, stderr.String())
	}
	var reports []stats.Report
	if err := json.Unmarshal(stdout.Bytes(), &reports); err != nil {
		t.Fatalf("sshcv stats --json: %v\n%s", err, stdout.String())
	}
	return reports
}

// stopBinary ends the server with SIGTERM and waits: its last counts are written.
func stopBinary(t *testing.T, sb *servedBinary) {
	t.Helper()
	_ = sb.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-sb.exited:
	case <-time.After(e2eWait):
		t.Fatal("the server did not stop on SIGTERM")
	}
	if sb.exitCode != 0 {
		t.Fatalf("the server exited with %d", sb.exitCode)
	}
}

// sshOpenSSH runs the real OpenSSH client against addr with args.
func sshOpenSSH(t *testing.T, addr string, args ...string) *exec.Cmd {
	t.Helper()
	ssh := testenv.Program(t, "ssh")
	_, port, _ := strings.Cut(addr, ":")
	base := []string{"-p", port, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes"}
	cmd := exec.Command(ssh, append(base, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "TERM=xterm-256color"}
	return cmd
}

// visitWithOpenSSH opens the viewer as user with the real OpenSSH client, waits
// for marker, types keys one by one and quits.
func visitWithOpenSSH(t *testing.T, addr, user, marker string, keys ...string) {
	t.Helper()
	cmd := sshOpenSSH(t, addr, "-tt", user+"@127.0.0.1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	seen := make(chan struct{})
	go func() {
		var screen strings.Builder
		buf := make([]byte, 32<<10)
		once := sync.Once{}
		for {
			n, err := out.Read(buf)
			screen.Write(buf[:n])
			if strings.Contains(ansi.Strip(screen.String()), marker) {
				once.Do(func() { close(seen) })
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-seen:
	case <-time.After(e2eWait):
		_ = cmd.Process.Kill()
		t.Fatalf("ssh %s never showed %q", user, marker)
	}
	for _, k := range append(keys, "q") {
		if _, err := io.WriteString(stdin, k); err != nil {
			t.Fatal(err)
		}
		time.Sleep(150 * time.Millisecond) // keys a person types, one by one
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("ssh %s: %v", user, err)
		}
	case <-time.After(e2eWait):
		_ = cmd.Process.Kill()
		t.Fatalf("ssh %s did not end after q", user)
	}
}

// loadTool builds cmd/sshcv-load once.
var loadOnce struct {
	sync.Once
	path string
	out  []byte
	err  error
}

func loadTool(t *testing.T) string {
	t.Helper()
	loadOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sshcv-load-")
		if err != nil {
			loadOnce.err = err
			return
		}
		loadOnce.path = filepath.Join(dir, "sshcv-load")
		loadOnce.out, loadOnce.err = exec.Command("go", "build", "-o", loadOnce.path, "../sshcv-load").CombinedOutput()
	})
	if loadOnce.err != nil {
		t.Fatalf("go build sshcv-load: %v\n%s", loadOnce.err, loadOnce.out)
	}
	return loadOnce.path
}

// webGet requests url with header pairs; the response must be 200.
func webGet(t *testing.T, url string, header ...string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
}

// TestStatsCountExactly: 50 terminal visits (3 with the real OpenSSH client, 47
// with cmd/sshcv-load), 20 plain-text and export commands and 30 web requests, 10
// of them with DNT or Sec-GPC: `sshcv stats --json` shows exactly those counts,
// and neither the SQLite file nor the stats' log lines hold the address, the
// typed username or the search word. It is one long scenario on purpose: the
// counts must come out exact with every channel served by one server run.
func TestStatsCountExactly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary; skipped with -short")
	}
	data := t.TempDir()
	webAddr := testenv.FreeLoopbackAddr(t)
	sb := startBinary(t, append([]string{"--data", data, "--web", webAddr, "--stats-interval", "200ms"}, loose...)...)

	// The real client: the alias and a section in the username, a search for a
	// word found nowhere, a copied contact.
	for range 3 {
		visitWithOpenSSH(t, sb.addr, "rohit01+exp", "Rohit Gupta", "/", "z", "e", "b", "r", "a", "\r", "c")
	}
	// The load tool: 47 sessions opening Experience, then Projects.
	load := exec.Command(loadTool(t), "-addr", sb.addr, "-user", "rohit", "-n", "47", "-c", "4", "-warmup", "0", "-settle", "0s",
		"-key", "right", "-marker2", "Graylog", "-max-errors", "0", "-timeout", "20s", "-duration", "2m")
	if out, err := load.CombinedOutput(); err != nil {
		t.Fatalf("sshcv-load: %v\n%s", err, out)
	}
	// 20 commands: text, md and json with the in-process client, plain text
	// without a PTY with the real one.
	for i := range 16 {
		cmd := []string{"text", "text", "md", "json"}[i%4]
		if _, code := runCommand(t, sb.addr, "rohit01", cmd); code != 0 {
			t.Fatalf("%s: status %d", cmd, code)
		}
	}
	for range 4 {
		if out, err := sshOpenSSH(t, sb.addr, "-T", "rohit01@127.0.0.1").Output(); err != nil || !strings.Contains(string(out), "Rohit Gupta") {
			t.Fatalf("ssh -T: %v\n%s", err, out)
		}
	}
	// A message, which is no visit but counts as a message sent.
	if out, code, err := sendMessage(sb.addr, "rohit01", "", "Hello from the stats test"); code != 0 {
		t.Fatalf("message: %d %q %v", code, out, err)
	}
	// 30 web requests: 20 counted, 10 asking not to be.
	base := "http://" + webAddr
	for range 10 {
		webGet(t, base+"/rohit", "Accept", "text/html", "User-Agent", "Mozilla/5.0")
	}
	for range 5 {
		webGet(t, base+"/rohit", "User-Agent", "curl/8.5.0")
		webGet(t, base+"/rohit.json")
		webGet(t, base+"/rohit", "Accept", "text/html", "DNT", "1")
		webGet(t, base+"/rohit.vcf", "Sec-GPC", "1")
	}
	stopBinary(t, sb)

	reports := statsJSON(t, "--data", data, "--handle", "rohit", "--days", "1")
	if len(reports) != 1 {
		t.Fatalf("%d reports", len(reports))
	}
	r := reports[0]
	want := map[string]int64{"terminal": 50, "ssh-text": 12, "ssh-md": 4, "ssh-json": 4, "web": 10, "curl": 5, "web-json": 5}
	if len(r.Channels) != len(want) || r.Visits != 90 {
		t.Errorf("channels %v (%d visits), want %v (90)", r.Channels, r.Visits, want)
	}
	for ch, n := range want {
		if r.Channels[ch] != n {
			t.Errorf("channel %s: %d, want %d", ch, r.Channels[ch], n)
		}
	}
	reads := map[string]int64{}
	for _, s := range r.Sections {
		reads[s.Title] = s.Reads
	}
	if reads["Experience"] != 50 || reads["Projects"] != 47 || len(reads) != 2 {
		t.Errorf("section reads %v, want Experience 50 and Projects 47", reads)
	}
	if r.Searches != 3 || r.Copies != 3 || r.Messages != 1 || r.Sizes["medium"] != 50 {
		t.Errorf("searches %d, copies %d, messages %d, sizes %v; want 3, 3, 1 and 50 medium", r.Searches, r.Copies, r.Messages, r.Sizes)
	}
	var colours int64
	for _, n := range r.Colours {
		colours += n
	}
	// The load tool spreads its sessions over 47 addresses; everything else came
	// from 127.0.0.1 with 5 kinds of client (OpenSSH, Go's SSH, curl, a browser,
	// Go's HTTP). The message is no visit.
	if colours != 50 || r.Uniques != 47+5 {
		t.Errorf("colours %v, uniques %d; want 50 viewer sessions and 52 unique visitors", r.Colours, r.Uniques)
	}

	db := readStoreFiles(t, data)
	if !strings.Contains(db, "Experience") {
		t.Fatal("the database file lacks the section's title: the checks below prove nothing")
	}
	for _, secret := range []string{"127.0.0.1", "127.1.0.", "rohit01", "zebra", "OpenSSH", "Mozilla"} {
		if strings.Contains(db, secret) {
			t.Errorf("the SQLite files contain %q", secret)
		}
		for _, line := range strings.Split(sb.logs.String(), "\n") {
			if strings.Contains(line, "stats") && strings.Contains(line, secret) {
				t.Errorf("a stats log line contains %q: %s", secret, line)
			}
		}
	}
	if strings.Contains(sb.logs.String(), "zebra") {
		t.Error("the logs contain the search word")
	}
	var out bytes.Buffer
	if code := run([]string{"stats", "--data", data, "--handle", "rohit", "--days", "7"}, &out, io.Discard); code != 0 ||
		!strings.Contains(out.String(), "visits 90") || !strings.Contains(out.String(), "│ Experience") {
		t.Errorf("sshcv stats: status %d\n%s", code, out.String())
	}
	t.Logf("sshcv stats --days 7:\n%s", out.String())
}

// readStoreFiles is every byte of the SQLite database and its WAL, as text.
func readStoreFiles(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(filepath.Join(dir, store.SQLiteFile+suffix))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}

// TestStatsReplicasAddUp: two servers on one PostgreSQL database each count their
// own visits; the report has their sum, and a dump of the database holds no
// address and no typed username.
func TestStatsReplicasAddUp(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary and PostgreSQL; skipped with -short")
	}
	pg := pgtest.Start(t)
	url := pg.NewDatabase(t)
	a := startBinary(t, append([]string{"--store", url, "--stats-interval", "100ms"}, loose...)...)
	b := startBinary(t, append([]string{"--store", url, "--stats-interval", "100ms"}, loose...)...)
	var wg sync.WaitGroup
	for i := range 12 {
		addr := a.addr
		if i%3 == 0 {
			addr = b.addr
		}
		wg.Go(func() {
			if _, code := runCommand(t, addr, "rohit01", "text"); code != 0 {
				t.Errorf("text: status %d", code)
			}
		})
	}
	wg.Wait()
	stopBinary(t, a)
	stopBinary(t, b)
	reports := statsJSON(t, "--store", url, "--handle", "rohit")
	if len(reports) != 1 || reports[0].Channels["ssh-text"] != 12 {
		t.Fatalf("two replicas: %+v, want 12 plain-text visits", reports)
	}
	dump := pg.Dump(t, url)
	if !strings.Contains(dump, "ssh-text") {
		t.Fatal("the dump lacks the counters: the checks below prove nothing")
	}
	for _, secret := range []string{"127.0.0.1", "rohit01", "SSH-2.0"} {
		if strings.Contains(dump, secret) {
			t.Errorf("the dump contains %q", secret)
		}
	}
}

// TestStatsSIGKILLLosesAtMostAnInterval: the server killed with SIGKILL during a
// stream of visits keeps, after a restart, no more visits than were made and no
// fewer than those made one flush interval (and a flush's time) before the kill;
// the store still opens and counts on.
func TestStatsSIGKILLLosesAtMostAnInterval(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary; skipped with -short")
	}
	const interval = 300 * time.Millisecond
	data := t.TempDir()
	args := append([]string{"--data", data, "--stats-interval", interval.String()}, loose...)
	sb := startBinary(t, args...)
	var started atomic.Int64
	var mu sync.Mutex
	var finished []time.Time
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				started.Add(1)
				out, code, err := plainOnce(sb.addr)
				if err != nil || code != 0 || !strings.Contains(out, "Rohit Gupta") {
					return // the server is gone
				}
				mu.Lock()
				finished = append(finished, time.Now())
				mu.Unlock()
			}
		})
	}
	time.Sleep(2 * time.Second)
	_ = sb.cmd.Process.Signal(syscall.SIGKILL)
	killed := time.Now()
	close(stop)
	wg.Wait()
	<-sb.exited

	var before int64 // visits finished more than one interval and a flush before the kill
	for _, at := range finished {
		if at.Before(killed.Add(-interval - time.Second)) {
			before++
		}
	}
	got := statsJSON(t, "--data", data, "--handle", "rohit")[0].Channels["ssh-text"]
	if got > started.Load() || got < before {
		t.Fatalf("after SIGKILL: %d visits counted; %d were started, %d finished well before the kill", got, started.Load(), before)
	}
	t.Logf("after SIGKILL: %d counted of %d finished (%d started, %d finished over %v before the kill)", got, len(finished), started.Load(), before, interval+time.Second)
	again := startBinary(t, args...)
	if _, code := runCommand(t, again.addr, "rohit", "text"); code != 0 {
		t.Fatal("text after the restart failed")
	}
	stopBinary(t, again)
	if after := statsJSON(t, "--data", data, "--handle", "rohit")[0].Channels["ssh-text"]; after != got+1 {
		t.Fatalf("after the restart: %d, want %d", after, got+1)
	}
}

// plainOnce reads the CV once with the text command over a fresh connection.
func plainOnce(addr string) (string, int, error) {
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "rohit", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		return "", -1, err
	}
	defer client.Close()
	s, err := client.NewSession()
	if err != nil {
		return "", -1, err
	}
	defer s.Close()
	out, err := s.Output("text")
	if err != nil {
		return string(out), -1, err
	}
	return string(out), 0, nil
}

// TestStatsCommand: an empty store says so, a named CV without views gets its
// empty report, --json is valid JSON, and bad flags exit 2 with the reason.
func TestStatsCommand(t *testing.T) {
	data := t.TempDir()
	code, out, _ := runArgs("stats", "--data", data)
	if code != 0 || out != "No views counted yet.\n" {
		t.Fatalf("empty store: %d %q", code, out)
	}
	code, out, _ = runArgs("stats", "--data", data, "--handle", "rohit", "--days", "3")
	if code != 0 || !strings.Contains(out, "rohit: views") || !strings.Contains(out, "visits 0") {
		t.Fatalf("a CV without views: %d\n%s", code, out)
	}
	if r := statsJSON(t, "--data", data, "--handle", "rohit", "--days", "3"); len(r) != 1 || len(r[0].Days) != 3 {
		t.Fatalf("--json: %+v", r)
	}
	for _, args := range [][]string{{"--days", "0"}, {"--days", "x"}, {"extra"}} {
		code, _, errOut := runArgs(append([]string{"stats", "--data", data}, args...)...)
		if code != 2 || errOut == "" {
			t.Errorf("sshcv stats %v: status %d, %q", args, code, errOut)
		}
	}
}

// TestStatsOff: with --stats=false (or SSHCV_STATS=false) nothing is counted.
func TestStatsOff(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary; skipped with -short")
	}
	for _, how := range []struct {
		env  []string
		args []string
	}{{args: []string{"--stats=false"}}, {env: []string{"SSHCV_STATS=false"}}} {
		data := t.TempDir()
		sb := startBinaryEnv(t, how.env, append([]string{"--data", data}, how.args...)...)
		if _, code := runCommand(t, sb.addr, "rohit", "text"); code != 0 {
			t.Fatal("text failed")
		}
		stopBinary(t, sb)
		if code, out, _ := runArgs("stats", "--data", data); code != 0 || out != "No views counted yet.\n" {
			t.Errorf("%v %v: %d %q", how.env, how.args, code, out)
		}
	}
}
