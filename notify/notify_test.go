package notify

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sshcv/sshcv/store"
)

// counter is an Observer that counts.
type counter struct{ delivered, failed atomic.Int64 }

func (c *counter) NotifyDelivered(string) { c.delivered.Add(1) }
func (c *counter) NotifyFailed(string)    { c.failed.Add(1) }

func fastOutbox(st store.Store, ch []Channel, obs Observer) *Outbox {
	o := NewOutbox(st, ch, nil, obs)
	o.Poll = 10 * time.Millisecond
	o.Lease = 300 * time.Millisecond
	o.Backoff = func(int) time.Duration { return 20 * time.Millisecond }
	return o
}

// runUntil runs o until cond holds (or 20 s pass) and stops it.
func runUntil(t *testing.T, o *Outbox, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if !cond() {
		t.Fatal("condition not reached in 20 s")
	}
}

func TestWebhookFailingThreeTimesIsDeliveredOnceAcrossARestart(t *testing.T) {
	var mu sync.Mutex
	var posts, ok int
	var got Payload
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		posts++
		if posts <= 3 {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		ok++
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &got); err != nil || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("webhook body %q (%s): %v", body, r.Header.Get("Content-Type"), err)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()
	count := func() (int, int) { mu.Lock(); defer mu.Unlock(); return posts, ok }

	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	wh, err := NewWebhook(hook.URL)
	if err != nil {
		t.Fatal(err)
	}
	obs := &counter{}
	o := fastOutbox(st, []Channel{wh}, obs)
	m, err := st.AddMessage(ctx, store.Message{Handle: "rohit", From: "Jane", Body: "Hi, let's talk"}, 0, o.Names())
	if err != nil {
		t.Fatal(err)
	}
	// Two failed attempts, then the server "restarts": a new store and outbox.
	runUntil(t, o, func() bool { return obs.failed.Load() >= 2 })
	st.Close()
	st, err = store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o = fastOutbox(st, []Channel{wh}, obs)
	runUntil(t, o, func() bool { _, k := count(); return k >= 1 })
	// Nothing more is sent once delivered.
	runUntil(t, o, func() bool { time.Sleep(700 * time.Millisecond); return true }) // past a lease
	posts, delivered := count()
	if posts != 4 || delivered != 1 {
		t.Fatalf("%d POSTs, %d accepted; want 4 and 1", posts, delivered)
	}
	if got.Handle != "rohit" || got.From != "Jane" || got.Message != "Hi, let's talk" || got.ID != m.ID || !strings.Contains(got.Text, "Hi, let's talk") || got.Content != got.Text {
		t.Fatalf("payload = %+v", got)
	}
	if obs.delivered.Load() != 1 || obs.failed.Load() != 3 {
		t.Fatalf("observer counted %d delivered, %d failed; want 1 and 3", obs.delivered.Load(), obs.failed.Load())
	}
}

// smtpServer is just enough of an SMTP server to receive mail: it records each
// message's DATA.
type smtpServer struct {
	l    net.Listener
	mu   sync.Mutex
	mail []string
}

func startSMTP(t *testing.T) *smtpServer {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{l: l}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 localhost ESMTP test")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-localhost")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.mail = append(s.mail, b.String())
			s.mu.Unlock()
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default: // MAIL, RCPT, RSET, NOOP
			say("250 ok")
		}
	}
}

func (s *smtpServer) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.mail...)
}

func TestEmailIsSentThroughSMTP(t *testing.T) {
	srv := startSMTP(t)
	em, err := NewEmail("smtp://"+srv.l.Addr().String(), "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o := fastOutbox(st, []Channel{em}, nil)
	if _, err := st.AddMessage(ctx, store.Message{Handle: "rohit", From: "Jane, jane@example.com", Body: "Hi from the terminal"}, 0, o.Names()); err != nil {
		t.Fatal(err)
	}
	runUntil(t, o, func() bool { return len(srv.received()) == 1 })
	mail := srv.received()[0]
	for _, want := range []string{"To: <owner@example.com>", "Subject: sshcv: a message for rohit from Jane, jane@example.com", "Hi from the terminal"} {
		if !strings.Contains(mail, want) {
			t.Errorf("the mail lacks %q:\n%s", want, mail)
		}
	}
}

func TestBadChannelSettingsAreClearErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{func() error { _, err := NewWebhook("ftp://x"); return err }(), "expected an http:// or https:// URL"},
		{func() error { _, err := NewEmail("mail.example.com", "a@b.c"); return err }(), "expected smtp://"},
		{func() error { _, err := NewEmail("smtp://mail.example.com", ""); return err }(), "needs --notify-email"},
		{func() error { _, err := NewEmail("smtp://mail.example.com", "not an address"); return err }(), "--notify-email"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("error %v, want it to contain %q", c.err, c.want)
		}
	}
}

func TestBackoffGrowsToAnHour(t *testing.T) {
	if Backoff(1) != 10*time.Second || Backoff(2) != 20*time.Second || Backoff(30) != time.Hour {
		t.Fatalf("Backoff(1, 2, 30) = %v, %v, %v", Backoff(1), Backoff(2), Backoff(30))
	}
}
