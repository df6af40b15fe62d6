package server

import (
	"encoding/json"
	"github.com/sshcv/sshcv/internal/vterm"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh/agent"
)

func TestFirstFrameNamesTheRightPerson(t *testing.T) {
	ts := startServer(t, nil)
	for _, user := range []string{"rohit", "ROHIT", "rohit01", "Rohit01"} {
		t.Run(user, func(t *testing.T) {
			term := openTerminal(t, ts.addr, user, terminalOptions{width: 80, height: 24})
			term.waitFor("Rohit Gupta")
			if strings.Contains(term.screen(), "Ankush") {
				t.Errorf("%s@ shows Ankush:\n%s", user, term.screen())
			}
		})
	}
	term := openTerminal(t, ts.addr, "darxtrix", terminalOptions{width: 80, height: 24})
	term.waitFor("Ankush")
}

func TestSectionFromUsername(t *testing.T) {
	ts := startServer(t, nil)
	term := openTerminal(t, ts.addr, "rohit+proj", terminalOptions{width: 100, height: 30})
	// The Projects tab opens with its first projects on screen; the second one is
	// on no other tab's first screen ("Graylog" is on Experience's too).
	term.waitFor("Rohit Gupta")
	term.waitFor("Centralized monitoring - Prometheus & OpenTSDB")
	if screen := term.screen(); strings.Contains(screen, "ANI Technologies") {
		t.Errorf("the Experience tab is on screen:\n%s", screen)
	}
}

func TestUnknownUserGetsThePicker(t *testing.T) {
	ts := startServer(t, nil)
	term := openTerminal(t, ts.addr, "rohti", terminalOptions{width: 80, height: 24})
	term.waitFor("No CV named")
	term.waitFor("rohti")
	term.waitFor("rohit") // did you mean
	term.waitFor("Ankush")

	auto := openTerminal(t, ts.addr, "root", terminalOptions{width: 80, height: 24})
	auto.waitFor("Ankush")
	if strings.Contains(auto.screen(), "No CV named") {
		t.Errorf("root@ (an automatic login name) is told its CV is missing:\n%s", auto.screen())
	}
}

func TestQuitEndsWithStatusZeroAndTheQuitLine(t *testing.T) {
	ts := startServer(t, nil)
	term := openTerminal(t, ts.addr, "rohit", terminalOptions{width: 80, height: 24, answerQueries: true})
	term.waitFor("Rohit Gupta")
	term.send("q")
	if status := term.wait(); status != 0 {
		t.Errorf("exit status %d after q, want 0", status)
	}
	out := term.out.String()
	leave := strings.LastIndex(out, "\x1b[?1049l")
	if leave < 0 {
		t.Fatalf("the alternate screen was never left:\n%q", out)
	}
	after := out[leave:]
	_, port, _ := strings.Cut(ts.addr, ":")
	want := "ssh -p " + port + " rohit@localhost"
	if !strings.Contains(after, want) {
		t.Errorf("after the alternate screen closed, %q is missing; got %q", want, after)
	}
	ts.waitForLog(t, "outcome=quit")
}

func TestWithoutPTYPlainText(t *testing.T) {
	ts := startServer(t, nil)
	res := run(t, ts.addr, "rohit", "", nil)
	if res.status != 0 {
		t.Errorf("exit status %d, want 0 (stderr %q)", res.status, res.stderr)
	}
	if strings.ContainsRune(res.stdout, 0x1b) {
		t.Errorf("plain output has an escape byte: %q", firstEscape(res.stdout))
	}
	for _, want := range []string{"Rohit Gupta", "Experience", "Projects", "Education"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("plain output lacks %q", want)
		}
	}
	for i, line := range strings.Split(res.stdout, "\n") {
		if w := len([]rune(line)); w > 80 {
			t.Errorf("line %d is %d columns wide, want at most 80: %q", i+1, w, line)
			break
		}
	}
}

func TestCommands(t *testing.T) {
	ts := startServer(t, nil)

	text := run(t, ts.addr, "rohit", "text", nil)
	if text.status != 0 || !strings.Contains(text.stdout, "Rohit Gupta") || strings.ContainsRune(text.stdout, 0x1b) {
		t.Errorf("text: status %d, output %.200q", text.status, text.stdout)
	}

	md := run(t, ts.addr, "rohit", "md", nil)
	if md.status != 0 || !strings.Contains(md.stdout, "# Rohit Gupta") || !strings.Contains(md.stdout, "## Projects") {
		t.Errorf("md: status %d, output %.200q", md.status, md.stdout)
	}

	js := run(t, ts.addr, "ankush", "json", nil)
	var doc struct {
		Basics struct{ Name string } `json:"basics"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil || js.status != 0 {
		t.Errorf("json: status %d, %v, output %.200q", js.status, err, js.stdout)
	} else if !strings.Contains(doc.Basics.Name, "Ankush") {
		t.Errorf("json: basics.name %q, want Ankush's", doc.Basics.Name)
	}

	vc := run(t, ts.addr, "rohit", "vcard", nil)
	if vc.status != 0 || !strings.HasPrefix(vc.stdout, "BEGIN:VCARD") || !strings.Contains(vc.stdout, "Rohit Gupta") {
		t.Errorf("vcard: status %d, output %.200q", vc.status, vc.stdout)
	}

	list := run(t, ts.addr, "anyone", "list", nil)
	if list.status != 0 || !regexp.MustCompile(`(?m)^ankush\s+\S`).MatchString(list.stdout) || !regexp.MustCompile(`(?m)^rohit\s+\S`).MatchString(list.stdout) {
		t.Errorf("list: status %d, output %q", list.status, list.stdout)
	}

	help := run(t, ts.addr, "rohit", "help", nil)
	if help.status != 0 || !strings.Contains(help.stdout, "json") || !strings.Contains(help.stdout, "rohit@localhost") {
		t.Errorf("help: status %d, output %q", help.status, help.stdout)
	}

	bad := run(t, ts.addr, "rohit", "rm -rf /", nil)
	want := `sshcv: unknown command "rm -rf /"; try: text, md, json, vcard, pdf, qr, list, help` + "\n"
	if bad.status != 1 || bad.stderr != want || bad.stdout != "" {
		t.Errorf("unknown command: status %d, stderr %q, stdout %q; want 1 and %q", bad.status, bad.stderr, bad.stdout, want)
	}

	noCV := run(t, ts.addr, "nobody-here", "json", nil)
	if noCV.status != 1 || !strings.Contains(noCV.stderr, `no CV named "nobody-here"`) {
		t.Errorf("json for an unknown user: status %d, stderr %q", noCV.status, noCV.stderr)
	}

	// With a PTY (ssh -t host json) the command still runs, not the viewer.
	term := openTerminalCommand(t, ts.addr, "rohit", "json")
	// The screen shows the end of the JSON, not the viewer.
	if status := term.wait(); status != 0 || !strings.HasSuffix(term.screen(), "}") || strings.Contains(term.screen(), "q quit") {
		t.Errorf("ssh -t rohit@ json: status %d, screen:\n%s", status, term.screen())
	}
}

func TestForwardingAndSubsystemsAreRefused(t *testing.T) {
	ts := startServer(t, nil)
	c := dial(t, ts.addr, "rohit")

	if conn, err := c.Dial("tcp", "127.0.0.1:22"); err == nil {
		conn.Close()
		t.Error("a direct-tcpip channel (ssh -L) was accepted")
	}
	if l, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		l.Close()
		t.Error("a tcpip-forward request (ssh -R) was accepted")
	}

	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestSubsystem("sftp"); err == nil {
		t.Error("the sftp subsystem was accepted")
	}
	s.Close()

	s, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := agent.RequestAgentForwarding(s); err == nil {
		t.Error("agent forwarding was accepted")
	}
	ok, err := s.SendRequest("x11-req", true, make([]byte, 32))
	if err == nil && ok {
		t.Error("X11 forwarding was accepted")
	}
	s.Close()

	// The connection still serves the CV afterwards.
	s, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Output("text")
	if err != nil || !strings.Contains(string(out), "Rohit Gupta") {
		t.Errorf("text after the refusals: %v, %.100q", err, out)
	}
}

func TestNoColor(t *testing.T) {
	ts := startServer(t, nil)
	colour := regexp.MustCompile(`\x1b\[[0-9;:]*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;:m]`)

	coloured := openTerminal(t, ts.addr, "rohit", terminalOptions{width: 80, height: 24, env: map[string]string{"COLORTERM": "truecolor"}})
	coloured.waitFor("Rohit Gupta")
	if !colour.MatchString(coloured.out.String()) {
		t.Fatal("without NO_COLOR the viewer shows no colour: the check below proves nothing")
	}

	plain := openTerminal(t, ts.addr, "rohit", terminalOptions{width: 80, height: 24, env: map[string]string{"NO_COLOR": "1", "COLORTERM": "truecolor"}})
	plain.waitFor("Rohit Gupta")
	plain.send("l")
	time.Sleep(50 * time.Millisecond)
	plain.send("q")
	plain.wait()
	if m := colour.FindString(plain.out.String()); m != "" {
		t.Errorf("NO_COLOR=1: colour sequence %q in the output", m)
	}
}

func TestWindowSizesAreClamped(t *testing.T) {
	ts := startServer(t, nil)
	for _, size := range [][2]int{{0, 0}, {1, 1}, {5000, 5000}} {
		term := openTerminal(t, ts.addr, "rohit", terminalOptions{width: size[0], height: size[1]})
		if size[0] == 1 {
			waitForAfter(t, term, 0, "P") // one cell: the start of "Please enlarge the window"
		} else {
			term.waitFor("Rohit Gupta")
		}
		// After 200 resizes in a burst the screen still reads at 80x24.
		for i := range 200 {
			w, h := []int{0, 1, 5000, 40, 120}[i%5], []int{0, 1, 5000, 12, 40}[i%5]
			if err := term.session.WindowChange(h, w); err != nil {
				t.Fatalf("window change %d: %v", i, err)
			}
		}
		if err := term.session.WindowChange(24, 80); err != nil {
			t.Fatal(err)
		}
		term.width, term.height = 80, 24 // the client's screen is now 80x24
		mark := term.out.Len()
		term.send("1")
		waitForAfter(t, term, mark, "Experience")
		term.send("q")
		if status := term.wait(); status != 0 {
			t.Errorf("%dx%d: exit status %d", size[0], size[1], status)
		}
	}
	for _, want := range []string{"pty=80x24", "pty=1x1", "pty=300x120"} {
		ts.waitForLog(t, want)
	}
}

// waitForAfter waits until text is on a screen row drawn after the first mark
// bytes had arrived: the frame that answers a key.
func waitForAfter(t *testing.T, term *terminal, mark int, text string) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		out := term.out.String()
		vt := vterm.New(term.width, term.height, vterm.Options{Silent: true})
		_, _ = vt.Write([]byte(out[:mark]))
		vt.ResetDirty()
		_, _ = vt.Write([]byte(out[mark:]))
		if vt.Find(text) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q never showed up after the mark; the screen had:\n%s", text, vt.Screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func firstEscape(s string) string {
	i := strings.IndexRune(s, 0x1b)
	return s[max(0, i-20):min(len(s), i+20)]
}
