package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileFolder is a profiles folder with one real CV, 1 MiB of unclosed Markdown link
// destinations (minutes of parsing for goldmark) and a YAML alias bomb (gigabytes once
// expanded).
func hostileFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"jane.md":    "# Jane Doe\n\n## Experience\n\nAcme, 2020 – present.\n",
		"hostile.md": "# Hostile\n\n" + strings.Repeat("[a](", (1<<20-16)/4) + "\n",
		"bomb.yaml":  "basics:\n  name: Bomb\nx0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + bombLevels(8),
		"outside.md": "",
	}
	for name, text := range files {
		if name == "outside.md" {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	secret := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(secret, []byte("# Not Served\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "outside.md")); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
	return dir
}

func bombLevels(depth int) string {
	var b strings.Builder
	for i := 1; i <= depth; i++ {
		prev := "*a" + string(rune('0'+i-1))
		b.WriteString("x" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(prev+",", 8) + prev + "]\n")
	}
	return b.String()
}

var hostileProblems = []*regexp.Regexp{
	regexp.MustCompile(`hostile\.md:3:\d+: more than 512 Markdown marks`),
	regexp.MustCompile(`bomb\.yaml:4:\d+: YAML alias \*a0: aliases are not allowed`),
	regexp.MustCompile(`outside\.md: a link to .*secret\.md, outside the profiles folder`),
}

// TestCheckRefusesHostileFiles: `sshcv check` names each hostile file at its place,
// quickly and without expanding anything.
func TestCheckRefusesHostileFiles(t *testing.T) {
	dir := hostileFolder(t)
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run([]string{"check", dir}, &stdout, &stderr) }()
	select {
	case code := <-done:
		if code != 1 {
			t.Errorf("status %d, want 1", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("sshcv check did not finish")
	}
	for _, re := range hostileProblems {
		if !re.MatchString(stderr.String()) {
			t.Errorf("stderr does not match %s:\n%s", re, stderr.String())
		}
	}
}

// TestServeStartsBesideHostileFiles: the server listens and serves the real CV at once,
// logs each hostile file as not loaded, and the whole start costs under 3 s of CPU
// (CPU, not wall time, so that a busy machine cannot fail it; without the checks the
// start takes minutes).
func TestServeStartsBesideHostileFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary; skipped with -short")
	}
	dir := hostileFolder(t)
	sb := startBinary(t, "--profiles", dir)
	out, code := runCommand(t, sb.addr, "jane", "text")
	if code != 0 || !strings.Contains(out, "Jane Doe") {
		t.Fatalf("text: status %d\n%s", code, out)
	}
	for _, re := range hostileProblems {
		if !re.MatchString(sb.logs.String()) {
			t.Errorf("the log does not match %s:\n%s", re, sb.logs.String())
		}
	}
	if err := sb.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sb.exited:
	case <-time.After(e2eWait):
		t.Fatal("sshcv serve did not exit after SIGTERM")
	}
	if cpu := sb.cmd.ProcessState.UserTime() + sb.cmd.ProcessState.SystemTime(); cpu > 3*time.Second {
		t.Errorf("the server used %v of CPU; want under 3 s", cpu)
	} else {
		t.Logf("CPU used by the whole run: %v", cpu)
	}
}
