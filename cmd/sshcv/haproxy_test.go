package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/internal/testenv"
	"github.com/sshcv/sshcv/server"
	gossh "golang.org/x/crypto/ssh"
)

// TestHAProxyInFrontOfTwoReplicas runs the real HAProxy with deploy/haproxy.cfg in front
// of two sshcv replicas that share one host key (SSHCV_HOST_KEY) and trust HAProxy's
// PROXY protocol headers: a visitor from 127.0.0.2 meets the same fingerprint on both
// replicas, and each replica logs the visitor's address, not the balancer's.
func TestHAProxyInFrontOfTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts HAProxy and two servers; skipped with -short")
	}
	haproxy := testenv.Program(t, "haproxy")
	key, err := server.LoadOrCreateHostKey(filepath.Join(t.TempDir(), "shared"), "")
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"SSHCV_HOST_KEY=" + string(key.PEM), "SSHCV_PROXY_PROTOCOL=127.0.0.1/32"}
	one := startBinaryEnv(t, env)
	two := startBinaryEnv(t, env)

	front := testenv.FreeLoopbackAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	hp := exec.CommandContext(ctx, haproxy, "-db", "-f", filepath.Join("..", "..", "deploy", "haproxy.cfg"))
	hp.Env = append(os.Environ(), "SSHCV_LISTEN="+front, "SSHCV_REPLICA_1="+one.addr, "SSHCV_REPLICA_2="+two.addr)
	hpOut := &testenv.SyncBuffer{}
	hp.Stdout, hp.Stderr = hpOut, hpOut
	if err := hp.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = hp.Wait()
		if t.Failed() {
			t.Logf("haproxy output:\n%s", hpOut.String())
		}
	})

	// Two visitors from 127.0.0.2, the first still connected while the second arrives:
	// leastconn sends them to different replicas.
	var fingerprints []string
	for i := range 2 {
		client := dialThrough(t, front, "127.0.0.2", &fingerprints)
		t.Cleanup(func() { client.Close() })
		out, code := commandOn(t, client, "list")
		if code != 0 || !strings.Contains(out, "rohit") {
			t.Fatalf("visitor %d: list gave status %d:\n%s", i+1, code, out)
		}
	}
	for _, fp := range fingerprints {
		if fp != key.Fingerprint() {
			t.Errorf("a replica answered with %s, want the shared key %s", fp, key.Fingerprint())
		}
	}
	for name, r := range map[string]*servedBinary{"one": one, "two": two} {
		deadline := time.Now().Add(e2eWait)
		for !strings.Contains(r.logs.String(), "remote=127.0.0.2:") {
			if time.Now().After(deadline) {
				t.Fatalf("replica %s never logged a session from the visitor's address 127.0.0.2:\n%s", name, r.logs.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		if strings.Contains(r.logs.String(), "proxy_untrusted") || strings.Contains(r.logs.String(), "level=error") {
			t.Errorf("replica %s refused or failed something:\n%s", name, r.logs.String())
		}
	}
}

// dialThrough opens an SSH connection from source to addr once HAProxy answers, and
// records the host key fingerprint the server presented.
func dialThrough(t *testing.T, addr, source string, fingerprints *[]string) *gossh.Client {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	for {
		d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
		conn, err := d.Dial("tcp", addr)
		if err == nil {
			var fp string
			cfg := &gossh.ClientConfig{
				User: "rohit",
				HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
					fp = gossh.FingerprintSHA256(k)
					return nil
				},
				Timeout: 10 * time.Second,
			}
			c, chans, reqs, err := gossh.NewClientConn(conn, addr, cfg)
			if err == nil {
				*fingerprints = append(*fingerprints, fp)
				return gossh.NewClient(c, chans, reqs)
			}
			conn.Close()
			// HAProxy listens before its health checks mark the replicas up.
			err = fmt.Errorf("handshake: %w", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no SSH session through haproxy at %s: %v", addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func commandOn(t *testing.T, client *gossh.Client, command string) (string, int) {
	t.Helper()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	out, err := sess.Output(command)
	if err != nil {
		if ee, ok := err.(*gossh.ExitError); ok {
			return string(out), ee.ExitStatus()
		}
		t.Fatalf("%s: %v", command, err)
	}
	return string(out), 0
}
