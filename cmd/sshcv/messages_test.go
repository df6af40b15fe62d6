package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sshcv/sshcv/internal/pgtest"
	"github.com/sshcv/sshcv/store"
	gossh "golang.org/x/crypto/ssh"
)

// sendMessage runs `ssh user@addr message --from FROM` with body on stdin.
func sendMessage(addr, user, from, body string) (string, int, error) {
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: user, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: e2eWait})
	if err != nil {
		return "", -1, err
	}
	defer client.Close()
	s, err := client.NewSession()
	if err != nil {
		return "", -1, err
	}
	defer s.Close()
	var out, errOut bytes.Buffer
	s.Stdout, s.Stderr = &out, &errOut
	s.Stdin = strings.NewReader(body)
	cmd := "message"
	if from != "" {
		cmd += fmt.Sprintf(" --from %q", from)
	}
	err = s.Run(cmd)
	out.Write(errOut.Bytes())
	var exit *gossh.ExitError
	switch {
	case err == nil:
		return out.String(), 0, nil
	case errorsAs(err, &exit):
		return out.String(), exit.ExitStatus(), nil
	}
	return out.String(), -1, err
}

func errorsAs(err error, exit **gossh.ExitError) bool {
	e, ok := err.(*gossh.ExitError)
	if ok {
		*exit = e
	}
	return ok
}

// inboxJSON runs `sshcv inbox --json` with the given store flags.
func inboxJSON(t *testing.T, storeArgs ...string) []inboxMessage {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"inbox", "--json"}, storeArgs...), &stdout, &stderr); code != 0 {
		t.Fatalf("sshcv inbox --json: status %d: %s", code, stderr.String())
	}
	var list []inboxMessage
	if err := json.Unmarshal(stdout.Bytes(), &list); err != nil {
		t.Fatalf("sshcv inbox --json: %v\n%s", err, stdout.String())
	}
	return list
}

// loose are the serve flags that let one test address send many messages quickly.
var loose = []string{"--messages-per-hour", "0", "--messages-per-day", "0", "--max-conns-per-ip", "1000", "--max-sessions-per-ip", "0", "--conn-rate", "100000", "--conn-burst", "1000", "--max-sessions", "1000"}

// TestMessagesSurviveSIGKILL: 200 messages sent at once over SSH, the server killed
// with SIGKILL right after the last confirmation and started again: all 200 are in
// `sshcv inbox`, none twice.
func TestMessagesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary; skipped with -short")
	}
	data := t.TempDir()
	sb := startBinary(t, append([]string{"--data", data}, loose...)...)
	const n = 200
	var wg sync.WaitGroup
	var confirmed atomic.Int32
	errs := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			out, code, err := sendMessage(sb.addr, "rohit", fmt.Sprintf("visitor %d", i), fmt.Sprintf("message number %d", i))
			if err != nil || code != 0 || out != "Sent. Rohit will read it.\n" {
				errs <- fmt.Sprintf("message %d: status %d, %q, %v", i, code, out, err)
				return
			}
			if confirmed.Add(1) == n {
				_ = sb.cmd.Process.Signal(syscall.SIGKILL) // right after the last confirmation
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if t.Failed() {
		_ = sb.cmd.Process.Kill()
	}
	<-sb.exited
	if t.Failed() {
		return
	}
	again := startBinary(t, append([]string{"--data", data}, loose...)...)
	if out, code, err := sendMessage(again.addr, "rohit", "", "after the restart"); code != 0 {
		t.Fatalf("after the restart: %d %q %v", code, out, err)
	}
	list := inboxJSON(t, "--data", data, "--handle", "rohit")
	seen := map[string]int{}
	for _, m := range list {
		seen[m.Message]++
	}
	for i := range n {
		if c := seen[fmt.Sprintf("message number %d", i)]; c != 1 {
			t.Errorf("message number %d is there %d times", i, c)
		}
	}
	if len(list) != n+1 {
		t.Errorf("%d messages in the inbox, want %d", len(list), n+1)
	}
}

// TestWebhookDeliveredOnceAcrossARestart: an endpoint that fails 3 times and then
// accepts gets the notification exactly once, with the server restarted between
// the failures.
func TestWebhookDeliveredOnceAcrossARestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary; skipped with -short")
	}
	var mu sync.Mutex
	var posts, accepted int
	var body []byte
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		posts++
		if posts <= 3 {
			http.Error(w, "down for maintenance", http.StatusBadGateway)
			return
		}
		accepted++
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		body = b.Bytes()
	}))
	defer hook.Close()
	count := func() (int, int) { mu.Lock(); defer mu.Unlock(); return posts, accepted }
	wait := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(e2eWait)
		for !cond() {
			if time.Now().After(deadline) {
				p, a := count()
				t.Fatalf("never %s (%d POSTs, %d accepted)", what, p, a)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	data := t.TempDir()
	args := []string{"--data", data, "--notify-url", hook.URL, "--notify-retry", "300ms"}
	sb := startBinary(t, args...)
	if out, code, err := sendMessage(sb.addr, "rohit", "Jane, jane@example.com", "Ping me"); code != 0 {
		t.Fatalf("message: %d %q %v", code, out, err)
	}
	wait("saw two attempts", func() bool { p, _ := count(); return p >= 2 })
	time.Sleep(100 * time.Millisecond) // the second failure is recorded
	_ = sb.cmd.Process.Signal(syscall.SIGTERM)
	<-sb.exited

	again := startBinary(t, args...)
	wait("delivered", func() bool { _, a := count(); return a == 1 })
	time.Sleep(time.Second) // nothing more comes
	if p, a := count(); p != 4 || a != 1 {
		t.Fatalf("%d POSTs and %d accepted; want 4 and 1", p, a)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil || got["handle"] != "rohit" || got["from"] != "Jane, jane@example.com" || got["message"] != "Ping me" {
		t.Fatalf("webhook body %s (%v)", body, err)
	}
	again.waitMetric(t, "the delivery", func() bool {
		return again.metric(t, "sshcv_notifications_total", `channel="webhook"`, `result="delivered"`) == 1
	})
}

// TestPostgresStoreKeepsNoVisitorData: with --store postgres://…, a message sent
// as the alias rohit01 from 127.0.0.1 is in `sshcv inbox`, and a pg_dump of the
// database holds neither the address nor the typed username.
func TestPostgresStoreKeepsNoVisitorData(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary and PostgreSQL; skipped with -short")
	}
	pg := pgtest.Start(t)
	url := pg.NewDatabase(t)
	sb := startBinary(t, "--store", url)
	if out, code, err := sendMessage(sb.addr, "rohit01", "Jane", "Hello over Postgres"); code != 0 {
		t.Fatalf("message: %d %q %v", code, out, err)
	}
	list := inboxJSON(t, "--store", url)
	if len(list) != 1 || list[0].Handle != "rohit" || list[0].Message != "Hello over Postgres" {
		t.Fatalf("inbox: %+v", list)
	}
	dump := pg.Dump(t, url)
	if !strings.Contains(dump, "Hello over Postgres") {
		t.Fatal("the dump lacks the message: the checks below prove nothing")
	}
	for _, secret := range []string{"127.0.0.1", "rohit01"} {
		if strings.Contains(dump, secret) {
			t.Errorf("the dump contains %q", secret)
		}
	}
}

// TestInboxCommand: list, show (marks read, shows the reply-to), done, and the
// errors for a bad or unknown id.
func TestInboxCommand(t *testing.T) {
	data := t.TempDir()
	st, err := store.OpenSQLite(t.Context(), data)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := st.AddMessage(t.Context(), store.Message{Handle: "rohit", From: "Jane, jane@example.com", Body: "Hi there"}, 0, nil)
	st.AddMessage(t.Context(), store.Message{Handle: "ankush", Body: "For Ankush"}, 0, nil)
	st.Close()
	sshcv := func(args ...string) (string, string, int) {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"inbox", "--data", data}, args...), &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	out, _, code := sshcv()
	if code != 0 || !strings.Contains(out, "ankush") || !strings.Contains(out, "* ") || strings.Index(out, "For Ankush") > strings.Index(out, "Hi there") {
		t.Fatalf("inbox: %d\n%s", code, out)
	}
	if out, _, _ := sshcv("--handle", "rohit"); strings.Contains(out, "Ankush") {
		t.Fatalf("--handle rohit lists another profile's message:\n%s", out)
	}
	id := fmt.Sprint(first.ID)
	out, _, code = sshcv("show", id)
	if code != 0 || !strings.Contains(out, "From: Jane, jane@example.com\nReply to: jane@example.com\n") || !strings.Contains(out, "Hi there") {
		t.Fatalf("inbox show: %d\n%s", code, out)
	}
	out, _, code = sshcv("done", id)
	if code != 0 || out != "Message "+id+" marked done.\n" {
		t.Fatalf("inbox done: %d %q", code, out)
	}
	list := inboxJSON(t, "--data", data, "--handle", "rohit")
	if len(list) != 1 || !list[0].Read || !list[0].Done || list[0].ReplyTo != "jane@example.com" {
		t.Fatalf("after show and done: %+v", list)
	}
	if _, stderr, code := sshcv("done", "999"); code != 1 || !strings.Contains(stderr, "no such message") {
		t.Fatalf("done 999: %d %q", code, stderr)
	}
	if _, stderr, code := sshcv("show", "abc"); code != 2 || !strings.Contains(stderr, `"abc" is not a message number`) {
		t.Fatalf("show abc: %d %q", code, stderr)
	}
	if _, stderr, code := sshcv("--store", "mysql://x"); code != 1 || !strings.Contains(stderr, "expected a postgres://") {
		t.Fatalf("--store mysql: %d %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(data, store.SQLiteFile)); err != nil {
		t.Fatal(err)
	}
}

// TestServeRefusesBadMessageSettings: a bad notification or key setting stops the
// start with a line naming it.
func TestServeRefusesBadMessageSettings(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(keys, []byte("ssh-ed25519 not-a-key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--notify-url", "ftp://example.com"}, "expected an http:// or https:// URL"},
		{[]string{"--smtp", "smtp://mail.example.com"}, "--smtp needs --notify-email ADDR"},
		{[]string{"--notify-email", "me@example.com"}, "--notify-email needs --smtp URL"},
		{[]string{"--owner-keys", keys}, "not an authorized_keys line"},
		{[]string{"--store", "mysql://db"}, "expected a postgres:// or postgresql:// URL"},
		{[]string{"--messages-per-day", "-1"}, "must not be negative"},
	} {
		t.Run(c.want, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"serve", "--addr", "127.0.0.1:0", "--hostkeys", t.TempDir(), "--data", t.TempDir()}, c.args...)
			if code := run(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), c.want) {
				t.Fatalf("status %d, stderr %q; want 1 and %q", code, stderr.String(), c.want)
			}
		})
	}
}
