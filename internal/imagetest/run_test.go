package imagetest

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/sshcv/sshcv/internal/testenv"
)

// maxImageBytes is the size target of the final image, which is the binary plus a few
// hundred bytes of /etc files: 30 MB leaves room for the embedded SQLite store (~5 MB)
// on top of the ~21 MB the viewer, web side and their libraries take today.
const maxImageBytes = 30_000_000

func TestBinaryIsStaticAndStripped(t *testing.T) {
	bin := buildBinary(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("program header %s: the binary needs a dynamic loader, which scratch does not have", p.Type)
		}
	}
	if f.Section(".dynamic") != nil || f.Section(".interp") != nil {
		t.Error("the binary has a .dynamic or .interp section: it is dynamically linked")
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %q (%v)", libs, err)
	}
	if f.Section(".symtab") != nil {
		t.Error("the binary has a symbol table: -ldflags -s did not strip it")
	}

	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(built.context)) {
		t.Errorf("the binary contains the build folder %s: -trimpath did not apply", built.context)
	}
	t.Logf("binary: %d bytes (%.1f MiB)", len(data), float64(len(data))/(1<<20))
	if len(data) > maxImageBytes {
		t.Errorf("the binary is %d bytes; the image must stay under %d", len(data), maxImageBytes)
	}

	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "sshcv "+testVersion {
		t.Errorf("sshcv version: %q (%v), want \"sshcv %s\": -X main.version does not reach the binary", out, err, testVersion)
	}
}

// imageRoot is a root file system laid out as the final stage leaves it.
type imageRoot struct {
	dir        string
	uid, gid   uint32
	env        []string // the final stage's ENV
	entrypoint []string // ENTRYPOINT + CMD
}

// newImageRoot lays out the final stage in a fresh folder: the binary, /etc/passwd and
// /etc/group as the build stage writes them, an empty /profiles and a private
// /hostkeys owned by the image's user. Nothing else: no shell, no libraries, no /tmp.
func newImageRoot(t *testing.T, d *dockerfile, bin string) *imageRoot {
	t.Helper()
	final := d.final()
	users := commands[*instructions.UserCommand](final)
	uidStr, gidStr, _ := strings.Cut(users[len(users)-1].User, ":")
	uid, err1 := strconv.ParseUint(uidStr, 10, 32)
	gid, err2 := strconv.ParseUint(gidStr, 10, 32)
	if err1 != nil || err2 != nil {
		t.Fatalf("USER %s: want numeric uid:gid", users[len(users)-1].User)
	}
	r := &imageRoot{dir: t.TempDir(), uid: uint32(uid), gid: uint32(gid), env: stageEnv(final)}
	r.entrypoint = commands[*instructions.EntrypointCommand](final)[0].CmdLine
	r.entrypoint = append(slices.Clone(r.entrypoint), commands[*instructions.CmdCommand](final)[0].CmdLine...)

	// t.TempDir is private to root; the image's root folder is not.
	must(t, os.Chmod(r.dir, 0o755))
	must(t, copyFile(bin, r.path(r.entrypoint[0])))
	must(t, os.Chmod(r.path(r.entrypoint[0]), 0o755))
	must(t, os.MkdirAll(r.path("/etc"), 0o755))
	passwd := passwdLine(t, d)
	name, _, _ := strings.Cut(passwd, ":")
	must(t, os.WriteFile(r.path("/etc/passwd"), []byte(passwd+"\n"), 0o644))
	must(t, os.WriteFile(r.path("/etc/group"), []byte(fmt.Sprintf("%s:x:%d:\n", name, gid)), 0o644))
	for dir, mode := range map[string]os.FileMode{r.envValue(t, "SSHCV_PROFILES"): 0o755, r.envValue(t, "SSHCV_HOSTKEYS"): 0o700, r.envValue(t, "SSHCV_DATA"): 0o700} {
		must(t, os.Mkdir(r.path(dir), mode))
		must(t, os.Chmod(r.path(dir), mode))
		must(t, os.Chown(r.path(dir), int(uid), int(gid)))
	}
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// path maps a path inside the image to the host.
func (r *imageRoot) path(p string) string { return filepath.Join(r.dir, filepath.FromSlash(p)) }

func (r *imageRoot) envValue(t *testing.T, name string) string {
	t.Helper()
	for _, kv := range r.env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	t.Fatalf("the final stage sets no ENV %s", name)
	return ""
}

// command runs the image's binary chrooted into the root, as the image's user, with
// the image's environment plus extra, and args in place of CMD (the default CMD when
// args is nil).
func (r *imageRoot) command(args []string, extraEnv ...string) *exec.Cmd {
	argv := r.entrypoint
	if args != nil {
		argv = append([]string{r.entrypoint[0]}, args...)
	}
	return &exec.Cmd{
		Path: argv[0], // resolved inside the chroot
		Args: argv,
		Env:  append(slices.Clone(r.env), extraEnv...),
		Dir:  "/",
		SysProcAttr: &syscall.SysProcAttr{
			Chroot:     r.dir,
			Credential: &syscall.Credential{Uid: r.uid, Gid: r.gid, Groups: []uint32{}},
			Setpgid:    true,
		},
	}
}

func TestImageServesCVsAsTheFinalStageRunsIt(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("chroot and credentials as used here are Linux only")
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("this test chroots and switches to the image's user, which needs root; CI=true runs it as root")
		}
		t.Skip("needs root to chroot and switch to the image's unprivileged user")
	}
	sshPath := testenv.Program(t, "ssh")
	keygen := testenv.Program(t, "ssh-keygen")
	d := parseDockerfile(t)
	bin := buildBinary(t)
	root := newImageRoot(t, d, bin)

	var entries []string
	must(t, filepath.WalkDir(root.dir, func(path string, e fs.DirEntry, err error) error {
		if err == nil && path != root.dir {
			rel, _ := filepath.Rel(root.dir, path)
			entries = append(entries, "/"+filepath.ToSlash(rel))
		}
		return err
	}))
	if want := []string{root.entrypoint[0], "/data", "/etc", "/etc/group", "/etc/passwd", "/hostkeys", "/profiles"}; !slices.Equal(entries, sortedCopy(want)) {
		t.Fatalf("the image root holds %q, want only %q", entries, sortedCopy(want))
	}

	// The image listens on :2222; here the port is one nothing else on this machine uses.
	addr := testenv.FreeLoopbackAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	webAddr := testenv.FreeLoopbackAddr(t)
	serve, server := startServer(t, root, "SSHCV_ADDR="+addr, "SSHCV_WEB="+webAddr)

	// The image also serves the CVs over HTTP (on :8080 in the image).
	resp, err := http.Get("http://" + webAddr + "/rohit.txt")
	if err != nil {
		t.Fatalf("the web side does not answer: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "Rohit Gupta") {
		t.Errorf("GET /rohit.txt: %s\n%s", resp.Status, page)
	}

	// hostkey, run the same way, reports the key serve generated in the /hostkeys volume.
	out, code := runIn(t, root.command([]string{"hostkey", "--hostname", "cv.example.com"}))
	if code != 0 {
		t.Fatalf("sshcv hostkey: exit %d\n%s", code, out)
	}
	pubFile := root.path(root.envValue(t, "SSHCV_HOSTKEYS") + "/ssh_host_ed25519_key.pub")
	keyFile := strings.TrimSuffix(pubFile, ".pub")
	info, err := os.Stat(keyFile)
	if err != nil {
		t.Fatalf("serve wrote no host key in the volume: %v", err)
	}
	if st := info.Sys().(*syscall.Stat_t); info.Mode().Perm() != 0o600 || st.Uid != root.uid {
		t.Errorf("host key mode %v owner %d, want 0600 owned by %d", info.Mode().Perm(), st.Uid, root.uid)
	}
	keygenOut, err := exec.Command(keygen, "-r", "cv.example.com", "-f", pubFile).Output()
	if err != nil {
		t.Fatalf("ssh-keygen -r: %v", err)
	}
	if !strings.Contains(out, string(keygenOut)) {
		t.Errorf("sshcv hostkey prints:\n%s\nwant the records of serve's key, as ssh-keygen -r prints them:\n%s", out, keygenOut)
	}
	pub, err := os.ReadFile(pubFile)
	if err != nil {
		t.Fatal(err)
	}
	pubFields := strings.Fields(string(pub))
	knownHosts := filepath.Join(t.TempDir(), "known_hosts")
	must(t, os.WriteFile(knownHosts, fmt.Appendf(nil, "[127.0.0.1]:%s %s %s\n", port, pubFields[0], pubFields[1]), 0o644))

	// A visitor's OpenSSH client, pinning that key, reads a bundled CV.
	ssh := exec.Command(sshPath, "-F", "/dev/null", "-T", "-p", port,
		"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
		"-o", "UserKnownHostsFile="+knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
		"-o", "ConnectTimeout=20", "-o", "LogLevel=ERROR",
		"rohit@127.0.0.1")
	ssh.Env = withoutAgent(os.Environ())
	var cv, sshErr bytes.Buffer
	ssh.Stdout, ssh.Stderr = &cv, &sshErr
	if err := ssh.Run(); err != nil {
		t.Fatalf("ssh rohit@127.0.0.1: %v\n%s", err, sshErr.String())
	}
	for _, want := range []string{"Rohit Gupta", "Production Engineer"} {
		if !strings.Contains(cv.String(), want) {
			t.Errorf("the CV read over ssh lacks %q:\n%s", want, cv.String())
		}
	}
	if strings.Contains(cv.String(), "\x1b") {
		t.Errorf("the CV read without a terminal holds escape sequences:\n%q", cv.String())
	}

	// The HEALTHCHECK, as the container runtime runs it: same user, same environment.
	out, code = runIn(t, root.command([]string{"healthcheck"}, "SSHCV_ADDR="+addr))
	if code != 0 || !regexp.MustCompile(`^ok: [2-9]\d* profiles served\n$`).MatchString(out) {
		t.Errorf("sshcv healthcheck against the server: exit %d, output %q; want 0 and \"ok: N profiles served\" for the bundled CVs", code, out)
	}
	t.Logf("sshcv healthcheck: %s", strings.TrimSpace(out))
	closed := testenv.FreeLoopbackAddr(t)
	out, code = runIn(t, root.command([]string{"healthcheck"}, "SSHCV_ADDR="+closed))
	if code != 1 || strings.Count(out, "\n") != 1 || !strings.Contains(out, "connection refused") {
		t.Errorf("sshcv healthcheck against a closed port: exit %d, output %q; want 1 and one line saying the connection was refused", code, out)
	}

	// Behind a load balancer that speaks PROXY protocol from this machine's address, the
	// server refuses connections without a header; the check sends a LOCAL one.
	proxied := testenv.FreeLoopbackAddr(t)
	startServer(t, root, "SSHCV_ADDR="+proxied, "SSHCV_PROXY_PROTOCOL=127.0.0.0/8")
	out, code = runIn(t, root.command([]string{"healthcheck"}, "SSHCV_ADDR="+proxied, "SSHCV_PROXY_PROTOCOL=127.0.0.0/8"))
	if code != 0 {
		t.Errorf("sshcv healthcheck with SSHCV_PROXY_PROTOCOL trusting loopback: exit %d, output %q; want 0", code, out)
	}

	// docker stop sends SIGTERM: the server stops and exits 0.
	must(t, serve.Process.Signal(syscall.SIGTERM))
	select {
	case <-server.done:
		if server.err != nil {
			t.Errorf("after SIGTERM the server exited with %v, want status 0", server.err)
		}
	case <-time.After(time.Minute):
		t.Error("the server did not exit within a minute of SIGTERM")
	}
}

// startServer starts the image's default command (serve) in the root with extra
// environment and waits until it listens on the address SSHCV_ADDR names.
func startServer(t *testing.T, root *imageRoot, extraEnv ...string) (*exec.Cmd, *process) {
	t.Helper()
	var addr string
	web := false
	for _, kv := range extraEnv {
		if v, ok := strings.CutPrefix(kv, "SSHCV_ADDR="); ok {
			addr = v
		}
		web = web || strings.HasPrefix(kv, "SSHCV_WEB=")
	}
	if !web {
		// The image serves the web pages on :8080; here on a port nothing else uses.
		extraEnv = append(extraEnv, "SSHCV_WEB="+testenv.FreeLoopbackAddr(t))
	}
	serve := root.command(nil, extraEnv...)
	out := &testenv.SyncBuffer{}
	serve.Stdout, serve.Stderr = out, out
	must(t, serve.Start())
	server := watch(serve)
	t.Cleanup(func() {
		_ = serve.Process.Kill() // a no-op once it has exited
		<-server.done
		if t.Failed() {
			t.Logf("server on %s:\n%s", addr, out.String())
		}
	})
	waitListening(t, addr, server, out)
	return serve, server
}

// runIn runs a command to completion and returns its combined output and exit code.
func runIn(t *testing.T, cmd *exec.Cmd) (string, int) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			return string(out), exit.ExitCode()
		}
		t.Fatalf("%s: %v", strings.Join(cmd.Args, " "), err)
	}
	return string(out), 0
}

// process is a started command and, once done is closed, how it ended.
type process struct {
	done chan struct{}
	err  error
}

func watch(cmd *exec.Cmd) *process {
	p := &process{done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p
}

// waitListening waits until the server accepts connections, failing when it exits
// first or does not listen within a minute.
func waitListening(t *testing.T, addr string, server *process, out *testenv.SyncBuffer) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-server.done:
			t.Fatalf("the server exited before listening (%v):\n%s", server.err, out.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not listen on %s within a minute:\n%s", addr, out.String())
		}
	}
}

func withoutAgent(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(kv, "SSH_AUTH_SOCK=")
	})
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
