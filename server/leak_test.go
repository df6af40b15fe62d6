package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// How a test visitor leaves right after the first frame.
type leaveKind int

const (
	leaveQuit leaveKind = iota // presses q and waits for the exit status
	leaveFIN                   // closes the TCP connection
	leaveRST                   // resets the TCP connection
)

func (k leaveKind) String() string { return [...]string{"quit", "FIN", "RST"}[k] }

// TestNoGoroutineLeftBehind opens 500 sessions whose client answers the terminal's
// start-up queries like xterm and leaves right after the first frame — by q, by
// FIN and by RST — then checks that every goroutine they used has ended. The stock
// Wish/Bubble Tea stack leaves one blocked for ever in 1–5 % of such sessions.
func TestNoGoroutineLeftBehind(t *testing.T) {
	// Eight visitors at a time from one address, leaving by RST before the server
	// notices: not what the per-address cap is about.
	ts := startServer(t, func(c *Config) { c.MaxSessionsPerAddr = 0 })
	if err := visitOnce(ts.addr, leaveQuit); err != nil { // start what starts once
		t.Fatal(err)
	}
	before := settledGoroutines(runtime.NumGoroutine(), time.Second)

	counts := map[leaveKind]int{leaveQuit: 100, leaveFIN: 200, leaveRST: 200}
	const concurrency = 8
	for _, kind := range []leaveKind{leaveQuit, leaveFIN, leaveRST} {
		var wg sync.WaitGroup
		jobs := make(chan struct{})
		errs := make(chan error, counts[kind])
		for range concurrency {
			wg.Go(func() {
				for range jobs {
					if err := visitOnce(ts.addr, kind); err != nil {
						errs <- err
					}
				}
			})
		}
		for range counts[kind] {
			jobs <- struct{}{}
		}
		close(jobs)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("%s: %v", kind, err)
		}
	}

	deadline := time.Now().Add(30 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			var dump bytes.Buffer
			_ = pprof.Lookup("goroutine").WriteTo(&dump, 1)
			t.Fatalf("%d goroutines before the sessions, %d after:\n%s", before, runtime.NumGoroutine(), dump.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// settledGoroutines waits until the goroutine count stops changing.
func settledGoroutines(n int, quiet time.Duration) int {
	for {
		time.Sleep(quiet / 10)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
}

// visitOnce opens Rohit's CV with a PTY, answers the terminal queries like xterm
// as soon as they arrive, and leaves the given way right after the first frame.
func visitOnce(addr string, kind leaveKind) error {
	conn, err := net.DialTimeout("tcp", addr, waitLimit)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(waitLimit))
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, clientConfig("rohit"))
	if err != nil {
		return fmt.Errorf("handshake: %w", err)
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	session, err := client.NewSession()
	if err != nil {
		return err
	}
	if err := session.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		return err
	}
	stdin, err := session.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := session.StdoutPipe()
	if err != nil {
		return err
	}
	if err := session.Shell(); err != nil {
		return err
	}

	// Read until the first frame shows the name, answering queries on the way.
	var seen bytes.Buffer
	buf := make([]byte, 32<<10)
	for !strings.Contains(stripped(seen.String()), "Rohit") {
		n, err := stdout.Read(buf)
		chunk := buf[:n]
		seen.Write(chunk)
		for _, qa := range xtermAnswers {
			if bytes.Contains(chunk, []byte(qa.query)) {
				_, _ = io.WriteString(stdin, qa.answer)
			}
		}
		if err != nil {
			return fmt.Errorf("before the first frame: %w", err)
		}
	}

	switch kind {
	case leaveQuit:
		_, _ = io.WriteString(stdin, "q")
		go func() { _, _ = io.Copy(io.Discard, stdout) }()
		if err := session.Wait(); err != nil {
			return fmt.Errorf("after q: %w", err)
		}
	case leaveFIN:
		return conn.Close()
	case leaveRST:
		tcp, ok := conn.(*net.TCPConn)
		if !ok {
			return errors.New("not a TCP connection")
		}
		_ = tcp.SetLinger(0)
		return tcp.Close()
	}
	return nil
}
