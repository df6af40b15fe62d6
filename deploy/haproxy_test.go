package deploy

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sshcv/sshcv/internal/testenv"
	"github.com/sshcv/sshcv/server/netguard"
)

func TestHAProxyConfigIsValid(t *testing.T) {
	out, err := exec.Command(testenv.Program(t, "haproxy"), "-c", "-f", "haproxy.cfg").CombinedOutput()
	if err != nil {
		t.Fatalf("haproxy -c -f deploy/haproxy.cfg: %v\n%s", err, out)
	}
}

// replica stands in for an sshcv replica behind HAProxy: the real listener guard with
// HAProxy trusted, and a handler that speaks first like an SSH server, then says which
// address it sees for the client.
type replica struct {
	name     string
	listener net.Listener
	mu       sync.Mutex
	seen     []string // RemoteAddr of every connection, health checks included
	refused  []string
}

func startReplica(t *testing.T, name string) *replica {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{name: name}
	cfg := netguard.DefaultConfig()
	cfg.ProxyFrom = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	cfg.OnRefuse = func(reason string, remote netip.Addr) {
		r.mu.Lock()
		r.refused = append(r.refused, reason+" "+remote.String())
		r.mu.Unlock()
	}
	r.listener = netguard.Wrap(raw, cfg)
	done := make(chan struct{})
	var handlers sync.WaitGroup
	go func() {
		defer close(done)
		for {
			c, err := r.listener.Accept()
			if err != nil {
				return
			}
			handlers.Add(1)
			go func() {
				defer handlers.Done()
				defer c.Close()
				addr := c.RemoteAddr().String()
				r.mu.Lock()
				r.seen = append(r.seen, addr)
				r.mu.Unlock()
				if _, err := fmt.Fprintf(c, "SSH-2.0-sshcv_%s\r\nvisitor %s\r\n", r.name, addr); err != nil {
					return
				}
				_, _ = c.Read(make([]byte, 1)) // hold the connection until the peer closes it
			}()
		}
	}()
	t.Cleanup(func() {
		_ = r.listener.Close()
		<-done
		handlers.Wait()
	})
	return r
}

func (r *replica) snapshot() (seen, refused []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...), append([]string(nil), r.refused...)
}

func TestHAProxyPassesVisitorAddressesToReplicas(t *testing.T) {
	haproxy := testenv.Program(t, "haproxy")
	one, two := startReplica(t, "one"), startReplica(t, "two")
	front := testenv.FreeLoopbackAddr(t)

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, haproxy, "-db", "-f", "haproxy.cfg")
	cmd.Env = append(os.Environ(),
		"SSHCV_LISTEN="+front,
		"SSHCV_REPLICA_1="+one.listener.Addr().String(),
		"SSHCV_REPLICA_2="+two.listener.Addr().String(),
	)
	var output testenv.SyncBuffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("haproxy output:\n%s", output.String())
		}
	})

	// Two visitors from another address than HAProxy's: leastconn gives one to each
	// replica, and each replica sees the visitor, not the balancer.
	replicas := map[string]bool{}
	for range 2 {
		c := dialWhenUp(t, front, "127.0.0.2")
		r := bufio.NewReader(c)
		version, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the version line through haproxy: %v", err)
		}
		visitor, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the visitor line through haproxy: %v", err)
		}
		if want := "visitor " + c.LocalAddr().String() + "\r\n"; visitor != want {
			t.Errorf("replica %s saw %q, want %q", strings.TrimSpace(version), visitor, want)
		}
		replicas[strings.TrimSpace(version)] = true
	}
	if !replicas["SSH-2.0-sshcv_one"] || !replicas["SSH-2.0-sshcv_two"] {
		t.Errorf("visitors reached %v, want both replicas", replicas)
	}

	// HAProxy's health checks arrive with a PROXY LOCAL header: accepted, keeping
	// HAProxy's own address, and never refused.
	for _, r := range []*replica{one, two} {
		deadline := time.Now().Add(20 * time.Second)
		for {
			seen, refused := r.snapshot()
			if len(refused) > 0 {
				t.Fatalf("replica %s refused %v", r.name, refused)
			}
			if slices.ContainsFunc(seen, func(a string) bool { return strings.HasPrefix(a, "127.0.0.1:") }) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("replica %s saw no health check from 127.0.0.1 (saw %v)", r.name, seen)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// dialWhenUp connects to HAProxy from source once it listens, within a bounded wait.
func dialWhenUp(t *testing.T, addr, source string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 2 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := d.Dial("tcp", addr)
		if err == nil {
			t.Cleanup(func() { _ = c.Close() })
			_ = c.SetDeadline(time.Now().Add(10 * time.Second))
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("haproxy did not listen on %s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
