package server

import (
	"encoding/binary"
	"io"
	"net"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// ptyPayload is an SSH pty-req payload (RFC 4254, 6.2).
func ptyPayload(term string, w, h uint32) []byte {
	return gossh.Marshal(struct {
		Term                    string
		Width, Height, PxW, PxH uint32
		Modes                   string
	}{term, w, h, 0, 0, ""})
}

func windowPayload(w, h uint32) []byte {
	return gossh.Marshal(struct{ Width, Height, PxW, PxH uint32 }{w, h, 0, 0})
}

// playRequests opens a session channel and sends the requests that ops spell,
// each op one byte and its arguments the next ones: pty-req, window-change, env,
// shell, exec, subsystem, x11-req, or closing the input. It then reads what the
// server sends until the session ends or a short while passes, and closes.
func playRequests(t testing.TB, addr string, ops []byte) {
	conn, err := net.DialTimeout("tcp", addr, waitLimit)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(waitLimit))
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, clientConfig("rohit"))
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	ch, in, err := client.OpenChannel("session", nil)
	if err != nil {
		t.Fatalf("open session: %v", err)
	}
	go gossh.DiscardRequests(in)
	go func() { _, _ = io.Copy(io.Discard, ch) }()
	go func() { _, _ = io.Copy(io.Discard, ch.Stderr()) }()
	arg := func(i int) uint32 {
		if i < len(ops) {
			return uint32(ops[i]) * 3
		}
		return 0
	}
	for i := 0; i < len(ops) && i < 64; i += 3 {
		var err error
		switch ops[i] % 9 {
		case 0:
			_, err = ch.SendRequest("pty-req", true, ptyPayload("xterm-256color", arg(i+1), arg(i+2)))
		case 1:
			_, err = ch.SendRequest("window-change", false, windowPayload(arg(i+1), arg(i+2)))
		case 2:
			_, err = ch.SendRequest("window-change", true, windowPayload(arg(i+1)*40, arg(i+2)*40))
		case 3:
			_, err = ch.SendRequest("env", true, gossh.Marshal(struct{ K, V string }{"NO_COLOR", "1"}))
		case 4:
			_, err = ch.SendRequest("shell", true, nil)
		case 5:
			_, err = ch.SendRequest("exec", true, gossh.Marshal(struct{ C string }{[]string{"list", "help", "rohit", "nope"}[arg(i+1)%4]}))
		case 6:
			_, err = ch.SendRequest("subsystem", true, gossh.Marshal(struct{ S string }{"sftp"}))
		case 7:
			_, err = ch.SendRequest("x11-req", true, binary.BigEndian.AppendUint32(nil, 0))
		case 8:
			_, err = ch.Write([]byte("q"))
		}
		if err != nil {
			return // the server ended the session: fine
		}
	}
	_ = ch.CloseWrite()
	time.Sleep(20 * time.Millisecond)
}

// sshGoroutines counts the goroutines running SSH server or session code (the
// fuzzing engine runs goroutines of its own, so the total count says little).
func sshGoroutines() (int, string) {
	var b strings.Builder
	_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
	n := 0
	var dump strings.Builder
	for _, g := range strings.Split(b.String(), "\n\n") {
		if strings.Contains(g, "testing.") {
			continue // the test itself and the fuzzing engine
		}
		if strings.Contains(g, "charm.land/ssh") || strings.Contains(g, "sshcv/server.") || strings.Contains(g, "x/crypto/ssh") {
			if count, _, ok := strings.Cut(g, " @ "); ok {
				c, _ := strconv.Atoi(strings.TrimSpace(count[strings.LastIndex(count, "\n")+1:]))
				n += c
			}
			dump.WriteString(g + "\n\n")
		}
	}
	return n, dump.String()
}

// FuzzRequestSequence sends pty-req, window-change, env, shell, exec and other
// session requests in any order and with any sizes through a real server: no
// request may go unanswered (each SendRequest waiting for a reply would hang,
// bounded by the connection's deadline), and once the clients are gone nothing
// they started may be left running.
func FuzzRequestSequence(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 26, 8, 1, 20, 6, 4, 0, 0}, // pty-req, window-change, shell: the leak that was
		{0, 26, 8, 1, 20, 6, 1, 30, 9, 2, 1, 1, 4, 0, 0},
		{1, 10, 10, 0, 26, 8, 5, 1, 0},                 // window-change before the PTY, then exec
		{0, 26, 8, 6, 0, 0, 1, 9, 9, 1, 8, 8, 4, 0, 0}, // a refused subsystem, resizes, a shell
		{3, 0, 0, 7, 0, 0, 4, 0, 0, 8, 0, 0},
		{4, 0, 0, 0, 26, 8, 1, 5, 5}, // shell without a PTY, then a late PTY
	} {
		f.Add(seed)
	}
	ts := startServer(f, func(c *Config) { c.MaxSessionsPerAddr = 0 })
	playRequests(f, ts.addr, []byte{4, 0, 0}) // start what starts once
	f.Fuzz(func(t *testing.T, ops []byte) {
		playRequests(t, ts.addr, ops)
		// Within the fuzzing engine's 10 s for one input; the server's accept
		// loop is all that may be left.
		deadline := time.Now().Add(5 * time.Second)
		for {
			n, dump := sshGoroutines()
			if n <= 1 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d goroutines of the SSH server left after the client went:\n%s", n, dump)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
