package server

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/internal/testenv"
)

// tmuxPane is the real `ssh` client running in a detached tmux window of a fixed
// size, on a private tmux server.
type tmuxPane struct {
	t      *testing.T
	socket string
}

func openPane(t *testing.T, addr, user string, width, height int, sshOptions ...string) *tmuxPane {
	t.Helper()
	testenv.Program(t, "tmux")
	testenv.Program(t, "ssh")
	host, port, _ := strings.Cut(addr, ":")
	args := []string{"ssh", "-F", "/dev/null", "-p", port,
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "LogLevel=ERROR", "-o", "BatchMode=yes"}
	for _, o := range sshOptions {
		args = append(args, "-o", o)
	}
	args = append(args, user+"@"+host)
	p := &tmuxPane{t: t, socket: fmt.Sprintf("sshcv-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", p.socket, "kill-server").Run() })
	p.tmux("new-session", "-d", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), strings.Join(args, " "),
		";", "set-option", "remain-on-exit", "on")
	return p
}

func (p *tmuxPane) tmux(args ...string) string {
	p.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-L", p.socket, "-f", "/dev/null"}, args...)...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// capture returns the pane as a person reads it, lines wrapped by the terminal
// joined; with escapes, its styling too (colours other than the default).
func (p *tmuxPane) capture(escapes bool) string {
	p.t.Helper()
	if escapes {
		return p.tmux("capture-pane", "-p", "-J", "-e")
	}
	return p.tmux("capture-pane", "-p", "-J")
}

// waitFor waits until every text is on screen at once.
func (p *tmuxPane) waitFor(texts ...string) string {
	p.t.Helper()
	return p.waitForIn(func() string { return p.capture(false) }, texts...)
}

// waitForScrolled is waitFor over the screen and the lines scrolled off it.
func (p *tmuxPane) waitForScrolled(texts ...string) string {
	p.t.Helper()
	return p.waitForIn(func() string { return p.tmux("capture-pane", "-p", "-J", "-S", "-") }, texts...)
}

func (p *tmuxPane) waitForIn(capture func() string, texts ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		screen := capture()
		missing := ""
		for _, text := range texts {
			if !strings.Contains(screen, text) {
				missing = text
				break
			}
		}
		if missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%q never showed up; the pane shows:\n%s", missing, screen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *tmuxPane) keys(keys ...string) {
	p.t.Helper()
	p.tmux(append([]string{"send-keys"}, keys...)...)
}

func (p *tmuxPane) literal(text string) {
	p.t.Helper()
	p.tmux("send-keys", "-l", text)
}

func TestOpenSSHInTmux(t *testing.T) {
	testenv.Program(t, "tmux")
	testenv.Program(t, "ssh")
	ts := startServer(t, nil)
	for _, size := range [][2]int{{80, 24}, {40, 15}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			pane := openPane(t, ts.addr, "rohit", size[0], size[1])
			screen := pane.waitFor("Rohit Gupta")
			if size[0] >= 80 && !strings.Contains(screen, "Projects") {
				t.Errorf("no Projects tab at %dx%d:\n%s", size[0], size[1], screen)
			}

			pane.keys("Right") // Experience → Projects
			pane.waitFor("Graylog")

			pane.literal("/Dikhao")
			pane.keys("Enter")
			pane.waitFor("Dikhao")

			pane.keys("q")
			pane.waitForScrolled("ssh -p " + port(ts.addr) + " rohit@localhost")
		})
	}
}

func TestOpenSSHNoColor(t *testing.T) {
	testenv.Program(t, "tmux")
	testenv.Program(t, "ssh")
	ts := startServer(t, nil)
	colour := regexp.MustCompile(`\x1b\[[0-9;:]*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;:m]`)

	coloured := openPane(t, ts.addr, "rohit", 80, 24)
	coloured.waitFor("Rohit Gupta")
	if !colour.MatchString(coloured.capture(true)) {
		t.Fatal("without NO_COLOR the pane shows no colour: the check below proves nothing")
	}

	plain := openPane(t, ts.addr, "rohit", 80, 24, "SetEnv=NO_COLOR=1")
	plain.waitFor("Rohit Gupta")
	plain.keys("Right")
	plain.waitFor("Graylog")
	if m := colour.FindString(plain.capture(true)); m != "" {
		t.Errorf("NO_COLOR=1: the pane shows colour %q:\n%q", m, plain.capture(true))
	}
}
