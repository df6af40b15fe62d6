package server

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/internal/testenv"
	gossh "golang.org/x/crypto/ssh"
)

// TestOpenSSHLeavesAMessage drives the message form with the real ssh client, at
// 80x24 and 40x15, with NO_COLOR: m, type, esc keeps the draft, ctrl+s sends, the
// confirmation shows, and the message is in the store.
func TestOpenSSHLeavesAMessage(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 15}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			ts, st, _ := messageServer(t, nil)
			pane := openPane(t, ts.addr, "rohit", size[0], size[1], "SetEnv=NO_COLOR=1")
			pane.waitFor("Rohit Gupta")
			pane.keys("m")
			pane.waitFor("Leave Rohit a message", "[ Send ]")
			pane.literal("Jane, jane@example.com")
			pane.keys("Tab")
			pane.literal("Hello from tmux")
			pane.keys("Escape")
			pane.waitFor("Rohit Gupta")
			pane.keys("m")
			pane.waitFor("Leave Rohit a message", "Hello from tmux") // the draft is kept
			pane.keys("C-s")
			screen := pane.waitFor("Sent. Rohit will read it.")
			if strings.Contains(screen, "Leave Rohit a message") {
				t.Fatalf("the form is still open after sending:\n%s", screen)
			}
			for i, row := range strings.Split(strings.TrimRight(screen, "\n"), "\n") {
				if w := len([]rune(row)); w > size[0] {
					t.Fatalf("row %d is %d wide in a %d-column pane: %q", i, w, size[0], row)
				}
			}
			list, err := st.Messages(context.Background(), "rohit")
			if err != nil || len(list) != 1 || list[0].From != "Jane, jane@example.com" || list[0].Body != "Hello from tmux" {
				t.Fatalf("stored %+v, %v", list, err)
			}
			pane.keys("q")
		})
	}
}

// TestOpenSSHOwnerDoor: the owner's key opens the inbox; a wrong key or none ends
// with ssh's own "Permission denied (publickey)" and no prompt of any kind.
func TestOpenSSHOwnerDoor(t *testing.T) {
	ssh := testenv.Program(t, "ssh")
	keygen := testenv.Program(t, "ssh-keygen")
	dir := t.TempDir()
	keyFile := func(name string) string {
		path := filepath.Join(dir, name)
		if out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-f", path).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		return path
	}
	right, wrong := keyFile("owner"), keyFile("other")
	pub, err := os.ReadFile(right + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	key, _, _, _, err := gossh.ParseAuthorizedKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	ts, _, _ := messageServer(t, func(m *Messages) { m.OwnerKeys = []gossh.PublicKey{key} })
	if r := runWithInput(t, ts.addr, "rohit", `message --from "Jane, jane@example.com"`, []byte("Through the door")); r.status != 0 {
		t.Fatalf("message: %+v", r)
	}
	host, port, _ := strings.Cut(ts.addr, ":")
	runSSH := func(user string, options ...string) (string, error) {
		args := append([]string{"-F", "/dev/null", "-p", port, "-o", "StrictHostKeyChecking=no",
			"-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=no",
			"-o", "IdentityAgent=none", "-o", "NumberOfPasswordPrompts=1"}, options...)
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		cmd := exec.CommandContext(ctx, ssh, append(args, user+"@"+host)...)
		cmd.Stdin = strings.NewReader("")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := runSSH("rohit+inbox", "-i", right, "-o", "IdentitiesOnly=yes")
	if err != nil || !strings.Contains(out, "Jane, jane@example.com — Through the door") {
		t.Fatalf("the owner's key: %v\n%s", err, out)
	}
	start := time.Now()
	for name, opts := range map[string][]string{
		"wrong key": {"-i", wrong, "-o", "IdentitiesOnly=yes"},
		"no key":    {"-o", "IdentitiesOnly=yes", "-o", "IdentityFile=none"},
	} {
		out, err := runSSH("rohit+inbox", opts...)
		if err == nil || strings.TrimSpace(out) != "rohit+inbox@"+host+": Permission denied (publickey)." {
			t.Errorf("%s: %v, output %q; want only ssh's publickey refusal", name, err, out)
		}
	}
	if d := time.Since(start); d > waitLimit {
		t.Errorf("the refusals took %v", d)
	}
}
