package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sshcv/sshcv/internal/testenv"
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/store"
	gossh "golang.org/x/crypto/ssh"
)

// runWithInput runs command without a PTY, with stdin.
func runWithInput(t testing.TB, addr, user, command string, stdin []byte) result {
	t.Helper()
	c := dial(t, addr, user)
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var stdout, stderr bytes.Buffer
	s.Stdout, s.Stderr = &stdout, &stderr
	s.Stdin = bytes.NewReader(stdin)
	err = s.Run(command)
	return result{stdout.String(), stderr.String(), exitStatus(t, err)}
}

// messageServer is a server with a SQLite store in a temporary folder.
func messageServer(t *testing.T, change func(*Messages)) (*testServer, store.Store, string) {
	t.Helper()
	return messageServerConfig(t, change, nil)
}

// messageServerConfig is messageServer with the server's Config adjusted too.
func messageServerConfig(t *testing.T, change func(*Messages), changeConfig func(*Config)) (*testServer, store.Store, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m := &Messages{Store: st, PerHour: 100, PerDay: 100}
	if change != nil {
		change(m)
	}
	ts := startServer(t, func(c *Config) {
		c.Messages = m
		if changeConfig != nil {
			changeConfig(c)
		}
	})
	return ts, st, dir
}

func TestMessageCommand(t *testing.T) {
	ts, st, dir := messageServer(t, nil)
	ok := runWithInput(t, ts.addr, "rohit01", `message --from "Jane, jane@example.com"`, []byte("Hi, let's talk\n"))
	if ok.status != 0 || ok.stdout != "Sent. Rohit will read it.\n" || ok.stderr != "" {
		t.Fatalf("message: %+v", ok)
	}
	list, _ := st.Messages(context.Background(), "rohit")
	if len(list) != 1 || list[0].From != "Jane, jane@example.com" || list[0].Body != "Hi, let's talk" {
		t.Fatalf("stored %+v", list)
	}

	for _, c := range []struct {
		name, command string
		stdin         []byte
		want          string
	}{
		{"empty", "message", []byte(" \n\n"), "sshcv: not sent: the message is empty\n"},
		{"escapes only", "message", []byte("\x1b[2J\x00"), "sshcv: not sent: the message is empty\n"},
		{"too long", "message", bytes.Repeat([]byte("a"), store.MaxBody+1), "sshcv: not sent: the message is longer than 2000 characters\n"},
		{"10 MB", "message", bytes.Repeat([]byte("x"), 10<<20), "sshcv: not sent: the message is longer than 2000 characters\n"},
		{"not UTF-8", "message", []byte("caf\xe9\n"), "sshcv: not sent: the message is not UTF-8 text\n"},
		{"bad argument", "message --to x", []byte("hi"), `sshcv: message: unknown argument "--to"`},
		{"no value", "message --from", []byte("hi"), "sshcv: message: --from needs a value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runWithInput(t, ts.addr, "rohit", c.command, c.stdin)
			if r.status != 1 || !strings.HasPrefix(r.stderr, c.want) || r.stdout != "" {
				t.Fatalf("%s: status %d, stdout %q, stderr %q; want 1 and %q", c.command, r.status, r.stdout, r.stderr, c.want)
			}
		})
	}
	// The server is unaffected and nothing was half-written.
	if r := run(t, ts.addr, "rohit", "text", nil); r.status != 0 || !strings.Contains(r.stdout, "Rohit Gupta") {
		t.Fatalf("text after the hostile messages: %+v", r)
	}
	if list, _ := st.Messages(context.Background(), ""); len(list) != 1 {
		t.Fatalf("%d messages stored, want 1", len(list))
	}

	// Escape sequences are removed before they are stored.
	r := runWithInput(t, ts.addr, "rohit", "message --from=\"Eve\x1b]0;x\x07\"", []byte("\x1b[31mred\x1b[0m and \x07bell\x00"))
	if r.status != 0 {
		t.Fatalf("hostile but non-empty message: %+v", r)
	}
	list, _ = st.Messages(context.Background(), "rohit")
	if list[0].Body != "red and bell" || list[0].From != "Eve" {
		t.Fatalf("stored from %q body %q", list[0].From, list[0].Body)
	}

	// Nothing of the visitor but what they typed is in the database file.
	st.Close()
	for _, name := range []string{store.SQLiteFile, store.SQLiteFile + "-wal"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && name == store.SQLiteFile {
			t.Fatal(err)
		}
		for _, secret := range []string{"127.0.0.1", "rohit01"} {
			if bytes.Contains(data, []byte(secret)) {
				t.Fatalf("%s contains %q", name, secret)
			}
		}
	}
}

func TestMessageLimitsAndSwitches(t *testing.T) {
	t.Run("address", func(t *testing.T) {
		ts, _, _ := messageServer(t, func(m *Messages) { m.PerHour = 2 })
		// A refused message does not use up the address's hour.
		if r := runWithInput(t, ts.addr, "rohit", "message", []byte("  ")); r.status != 1 {
			t.Fatalf("empty message: %+v", r)
		}
		for i := range 2 {
			if r := runWithInput(t, ts.addr, "rohit", "message", []byte("hi")); r.status != 0 {
				t.Fatalf("message %d: %+v", i, r)
			}
		}
		r := runWithInput(t, ts.addr, "ankush", "message", []byte("hi"))
		if r.status != 1 || r.stderr != "sshcv: not sent: too many messages from your address in the last hour; try again later\n" {
			t.Fatalf("third message from one address: %+v", r)
		}
	})
	t.Run("profile", func(t *testing.T) {
		ts, _, _ := messageServer(t, func(m *Messages) { m.PerDay = 1 })
		runWithInput(t, ts.addr, "rohit", "message", []byte("hi"))
		r := runWithInput(t, ts.addr, "rohit", "message", []byte("hi"))
		if r.status != 1 || !strings.Contains(r.stderr, "as many messages as it takes today") {
			t.Fatalf("second message to a profile with PerDay 1: %+v", r)
		}
		if r := runWithInput(t, ts.addr, "ankush", "message", []byte("hi")); r.status != 0 {
			t.Fatalf("another profile: %+v", r)
		}
	})
	t.Run("host off", func(t *testing.T) {
		ts, _, _ := messageServer(t, func(m *Messages) { m.Off = true })
		r := runWithInput(t, ts.addr, "rohit", "message", []byte("hi"))
		if r.status != 1 || r.stderr != "sshcv: not sent: this CV does not take messages\n" {
			t.Fatalf("messages off: %+v", r)
		}
		if h := run(t, ts.addr, "rohit", "help", nil); strings.Contains(h.stdout, "message") {
			t.Fatalf("help lists message while messages are off:\n%s", h.stdout)
		}
	})
	t.Run("help", func(t *testing.T) {
		ts, _, _ := messageServer(t, nil)
		h := run(t, ts.addr, "rohit", "help", nil)
		if !strings.Contains(h.stdout, "rohit@localhost message < note.txt") || !strings.Contains(h.stdout, "leave the owner a message") {
			t.Fatalf("help does not list message:\n%s", h.stdout)
		}
	})
}

func TestMessageOffPerProfile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "quiet.md"), []byte("---\nname: Quiet Person\nmessages: false\n---\n## About\nNo messages please.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := profiles.OpenRegistry(profiles.RegistryOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenSQLite(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ts := startServer(t, func(c *Config) { c.Catalog = reg; c.Messages = &Messages{Store: st} })
	r := runWithInput(t, ts.addr, "quiet", "message", []byte("hi"))
	if r.status != 1 || r.stderr != "sshcv: not sent: this CV does not take messages\n" {
		t.Fatalf("messages: false: %+v", r)
	}
}

func TestConcurrentMessagesAllCommittedOnce(t *testing.T) {
	// One address sends them all: its session cap is lifted for the test.
	ts, st, _ := messageServerConfig(t, func(m *Messages) { m.PerHour, m.PerDay = 0, 0 }, func(c *Config) { c.MaxSessionsPerAddr = 0 })
	const n = 100
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := runWithInput(t, ts.addr, "rohit", "message", []byte("message "+strings.Repeat("x", i)))
			if r.status != 0 || r.stdout != "Sent. Rohit will read it.\n" {
				t.Errorf("message %d: %+v", i, r)
			}
		})
	}
	wg.Wait()
	if list, _ := st.Messages(context.Background(), "rohit"); len(list) != n {
		t.Fatalf("%d messages, want %d", len(list), n)
	}
}

// newKey returns a fresh ed25519 signer.
func newKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dialWithKeys(addr, user string, keys ...gossh.Signer) (*gossh.Client, error) {
	cfg := clientConfig(user)
	if len(keys) > 0 {
		cfg.Auth = []gossh.AuthMethod{gossh.PublicKeys(keys...)}
	}
	return gossh.Dial("tcp", addr, cfg)
}

func TestOwnerDoor(t *testing.T) {
	owner, global := newKey(t), newKey(t)
	dir := t.TempDir()
	cv := "---\nname: Jane Doe\nowner_keys:\n  - " + string(bytes.TrimSpace(gossh.MarshalAuthorizedKey(owner.PublicKey()))) + " jane\n---\n## About\nHello.\n"
	if err := os.WriteFile(filepath.Join(dir, "jane.md"), []byte(cv), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bob.md"), []byte("---\nname: Bob\n---\n## About\nHi.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := profiles.OpenRegistry(profiles.RegistryOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenSQLite(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ts := startServer(t, func(c *Config) {
		c.Catalog = reg
		c.Messages = &Messages{Store: st, OwnerKeys: []gossh.PublicKey{global.PublicKey()}}
	})
	if r := runWithInput(t, ts.addr, "jane", `message --from "Sam, sam@example.com"`, []byte("Hello Jane")); r.status != 0 {
		t.Fatalf("message: %+v", r)
	}
	if _, err := st.AddMessage(context.Background(), store.Message{Handle: "bob", Body: "for bob only"}, 0, nil); err != nil {
		t.Fatal(err)
	}

	inbox := func(user string, keys ...gossh.Signer) (string, error) {
		c, err := dialWithKeys(ts.addr, user, keys...)
		if err != nil {
			return "", err
		}
		defer c.Close()
		s, err := c.NewSession()
		if err != nil {
			return "", err
		}
		out, err := s.Output("")
		return string(out), err
	}
	// The right key, the profile's or the host's: the inbox, jane's messages only.
	for name, key := range map[string]gossh.Signer{"profile key": owner, "host key": global} {
		out, err := inbox("jane+inbox", key)
		if err != nil || !strings.Contains(out, "Sam, sam@example.com — Hello Jane") || strings.Contains(out, "for bob") {
			t.Fatalf("%s: %q, %v", name, out, err)
		}
	}
	// The host's key opens bob's too; jane's own key does not.
	if out, err := inbox("bob+inbox", global); err != nil || !strings.Contains(out, "for bob only") {
		t.Fatalf("bob+inbox with the host key: %q, %v", out, err)
	}
	wrong := make([]gossh.Signer, 10)
	for i := range wrong {
		wrong[i] = newKey(t)
	}
	for name, try := range map[string]func() error{
		"no key":         func() error { _, err := inbox("jane+inbox"); return err },
		"wrong key":      func() error { _, err := inbox("jane+inbox", wrong[0]); return err },
		"ten wrong":      func() error { _, err := inbox("jane+inbox", wrong...); return err },
		"other's key":    func() error { _, err := inbox("bob+inbox", owner); return err },
		"no such CV":     func() error { _, err := inbox("nobody+inbox", global); return err },
		"case of +INBOX": func() error { _, err := inbox("jane+INBOX", wrong[1]); return err },
	} {
		err := try()
		if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
			t.Errorf("%s: %v, want an authentication failure", name, err)
		}
	}
	// A visitor is still let in by `none`, keys never asked for, with or without
	// keys at hand.
	if r := run(t, ts.addr, "jane", "text", nil); r.status != 0 || !strings.Contains(r.stdout, "Jane Doe") {
		t.Fatalf("visitor: %+v", r)
	}
	cfg := clientConfig("jane")
	cfg.Auth = []gossh.AuthMethod{gossh.PublicKeys(wrong[0])}
	if c, err := gossh.Dial("tcp", ts.addr, cfg); err != nil {
		t.Fatalf("a visitor offering a key: %v", err)
	} else {
		c.Close()
	}
}

// TestOwnerDoorWithATerminal: with a PTY the door runs the inbox program: the list,
// enter reads a message with its reply-to, q ends the session with status 0.
func TestOwnerDoorWithATerminal(t *testing.T) {
	owner := newKey(t)
	ts, _, _ := messageServer(t, func(m *Messages) { m.OwnerKeys = []gossh.PublicKey{owner.PublicKey()} })
	if r := runWithInput(t, ts.addr, "rohit", `message --from "Jane <jane@example.com>"`, []byte("Shall we talk?")); r.status != 0 {
		t.Fatalf("message: %+v", r)
	}
	c, err := dialWithKeys(ts.addr, "rohit+inbox", owner)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, _ := s.StdinPipe()
	stdout, _ := s.StdoutPipe()
	term := &terminal{t: t, client: c, session: s, stdin: stdin, out: &testenv.SyncBuffer{}, done: make(chan error, 1), drained: make(chan struct{}), width: 80, height: 24}
	go term.read(stdout, true, 24)
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { term.done <- s.Wait() }()
	term.waitFor("1 message, 1 unread")
	term.waitFor("Jane <jane@example.com> — Shall we talk?")
	term.send("\r")
	term.waitFor("Reply to: jane@example.com")
	term.send("q")
	if status := term.wait(); status != 0 {
		t.Fatalf("exit status %d", status)
	}
}
