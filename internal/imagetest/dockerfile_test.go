package imagetest

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

func TestDockerfileHasNoLintWarnings(t *testing.T) {
	d := parseDockerfile(t)
	for _, w := range d.lint {
		t.Errorf("%s: %s", d.path, w)
	}
}

func TestBuildStageUsesTheGoVersionOfGoMod(t *testing.T) {
	d := parseDockerfile(t)
	mod, err := os.ReadFile(filepath.Join(moduleRoot(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)\s*$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	goLine := string(m[1])
	if v := d.metaArg(t, "GO_VERSION"); v != goLine {
		t.Errorf("ARG GO_VERSION=%s, but go.mod says go %s", v, goLine)
	}
	build := d.stage(t, "build")
	base, _, err := shell.NewLex('\\').ProcessWord(build.BaseName, shell.EnvsFromSlice([]string{"GO_VERSION=" + d.metaArg(t, "GO_VERSION")}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "golang:"+goLine) {
		t.Errorf("build stage FROM %s (%s), want the golang:%s image", build.BaseName, base, goLine)
	}
}

func TestBuildStageDownloadsModulesInTheirOwnLayer(t *testing.T) {
	d := parseDockerfile(t)
	build := d.stage(t, "build")
	step := func(match func(instructions.Command) bool) int {
		return slices.IndexFunc(build.Commands, match)
	}
	copyMod := step(func(c instructions.Command) bool {
		cp, ok := c.(*instructions.CopyCommand)
		return ok && slices.Equal(cp.SourcePaths, []string{"go.mod", "go.sum"})
	})
	download := step(func(c instructions.Command) bool {
		r, ok := c.(*instructions.RunCommand)
		return ok && strings.Join(r.CmdLine, " ") == "go mod download"
	})
	copyAll := step(func(c instructions.Command) bool {
		cp, ok := c.(*instructions.CopyCommand)
		return ok && slices.Equal(cp.SourcePaths, []string{"."})
	})
	if copyMod < 0 || download < 0 || copyAll < 0 || !(copyMod < download && download < copyAll) {
		t.Errorf("build stage steps: COPY go.mod go.sum at %d, RUN go mod download at %d, COPY . at %d; want them present and in that order", copyMod, download, copyAll)
	}
}

func TestGoBuildIsStaticReproducibleAndStripped(t *testing.T) {
	d := parseDockerfile(t)
	g := d.goBuild(t, map[string]string{"TARGETOS": "linux", "TARGETARCH": "arm64", "VERSION": "v1.2.3"})
	if v, _ := g.envValue("CGO_ENABLED"); v != "0" {
		t.Errorf("go build RUN sets CGO_ENABLED=%q, want 0 (a static binary for scratch)", v)
	}
	if v, _ := g.envValue("GOOS"); v != "linux" {
		t.Errorf("GOOS=%q, want the target platform's OS", v)
	}
	if v, _ := g.envValue("GOARCH"); v != "arm64" {
		t.Errorf("GOARCH=%q, want the target platform's architecture", v)
	}
	if !slices.Contains(g.argv, "-trimpath") {
		t.Errorf("go build without -trimpath: %q", g.argv)
	}
	ldflags, _ := g.flagValue("ldflags")
	fields := strings.Fields(ldflags)
	for _, want := range []string{"-s", "-w"} {
		if !slices.Contains(fields, want) {
			t.Errorf("-ldflags %q lacks %s", ldflags, want)
		}
	}
	if !strings.Contains(ldflags, "-X main.version=v1.2.3") {
		t.Errorf("-ldflags %q does not set main.version from the VERSION build argument", ldflags)
	}
	if g.argv[len(g.argv)-1] != "./cmd/sshcv" {
		t.Errorf("go build builds %q, want ./cmd/sshcv", g.argv[len(g.argv)-1])
	}
}

func TestFinalStageIsMinimalAndUnprivileged(t *testing.T) {
	d := parseDockerfile(t)
	final := d.final()
	if final.BaseName != "scratch" && !strings.HasPrefix(final.BaseName, "gcr.io/distroless/static") {
		t.Errorf("final stage FROM %s, want scratch or distroless static", final.BaseName)
	}
	if runs := commands[*instructions.RunCommand](final); len(runs) > 0 {
		t.Errorf("final stage has %d RUN steps; an image without a shell can have none", len(runs))
	}
	for _, cp := range commands[*instructions.CopyCommand](final) {
		if cp.From != "build" {
			t.Errorf("final stage copies %q from %q; everything must come from the build stage", cp.SourcePaths, cp.From)
		}
	}

	users := commands[*instructions.UserCommand](final)
	if len(users) == 0 {
		t.Fatal("final stage has no USER: the server would run as root")
	}
	user := users[len(users)-1].User
	uid, gid, ok := strings.Cut(user, ":")
	uidN, err := strconv.Atoi(uid)
	if err != nil || uidN == 0 || !ok || gid == "0" {
		t.Fatalf("USER %s: want a numeric non-root uid:gid, which Kubernetes' runAsNonRoot can check", user)
	}
	passwd := passwdLine(t, d)
	if f := strings.Split(passwd, ":"); len(f) < 4 || f[2] != uid || f[3] != gid {
		t.Errorf("/etc/passwd line %q does not name USER %s", passwd, user)
	}

	env := map[string]string{}
	for _, kv := range stageEnv(final) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	for k, want := range map[string]string{"SSHCV_PROFILES": "/profiles", "SSHCV_HOSTKEYS": "/hostkeys", "SSHCV_DATA": "/data", "SSHCV_ADDR": ":2222", "SSHCV_WEB": ":8080"} {
		if env[k] != want {
			t.Errorf("ENV %s=%q, want %q", k, env[k], want)
		}
	}

	var volumes []string
	for _, v := range commands[*instructions.VolumeCommand](final) {
		volumes = append(volumes, v.Volumes...)
	}
	slices.Sort(volumes)
	if want := []string{env["SSHCV_DATA"], env["SSHCV_HOSTKEYS"], env["SSHCV_PROFILES"]}; !slices.Equal(volumes, want) {
		t.Errorf("VOLUME %q, want %q (the folders the ENV points at)", volumes, want)
	}
	owned := false
	for _, cp := range commands[*instructions.CopyCommand](final) {
		owned = owned || cp.Chown == user
	}
	if !owned {
		t.Errorf("no COPY --chown=%s: the volume folders must belong to the user, or a new named volume is not writable", user)
	}

	_, port, err := net.SplitHostPort(env["SSHCV_ADDR"])
	if err != nil {
		t.Fatalf("ENV SSHCV_ADDR=%q: %v", env["SSHCV_ADDR"], err)
	}
	var exposed []string
	for _, e := range commands[*instructions.ExposeCommand](final) {
		exposed = append(exposed, e.Ports...)
	}
	if !slices.Contains(exposed, port) && !slices.Contains(exposed, port+"/tcp") {
		t.Errorf("EXPOSE %q does not include the SSH port %s", exposed, port)
	}

	entrypoints := commands[*instructions.EntrypointCommand](final)
	if len(entrypoints) != 1 || entrypoints[0].PrependShell || len(entrypoints[0].CmdLine) != 1 {
		t.Fatalf("want one exec-form ENTRYPOINT naming the binary, got %v", entrypoints)
	}
	binary := entrypoints[0].CmdLine[0]
	g := d.goBuild(t, nil)
	out, _ := g.flagValue("o")
	copied := false
	for _, cp := range commands[*instructions.CopyCommand](final) {
		copied = copied || cp.DestPath == binary && slices.Equal(cp.SourcePaths, []string{out})
	}
	if !copied {
		t.Errorf("no COPY --from=build %s %s: the ENTRYPOINT is not the binary go build makes", out, binary)
	}
	cmds := commands[*instructions.CmdCommand](final)
	if len(cmds) != 1 || cmds[0].PrependShell || !slices.Equal(cmds[0].CmdLine, []string{"serve"}) {
		t.Errorf("want CMD [\"serve\"] in exec form, got %v", cmds)
	}

	checks := commands[*instructions.HealthCheckCommand](final)
	if len(checks) != 1 {
		t.Fatalf("final stage has %d HEALTHCHECKs, want 1", len(checks))
	}
	h := checks[0].Health
	if want := []string{"CMD", binary, "healthcheck"}; !slices.Equal(h.Test, want) {
		t.Errorf("HEALTHCHECK %q, want %q: there is no shell to run anything else", h.Test, want)
	}
	if h.Interval <= 0 || h.Timeout <= 0 || h.Retries <= 0 {
		t.Errorf("HEALTHCHECK interval %s, timeout %s, retries %d: want all three set", h.Interval, h.Timeout, h.Retries)
	}

	labels := map[string]string{}
	for _, l := range commands[*instructions.LabelCommand](final) {
		for _, kv := range l.Labels {
			labels[kv.Key] = kv.Value
		}
	}
	for _, key := range []string{"title", "description", "source", "version"} {
		if labels["org.opencontainers.image."+key] == "" {
			t.Errorf("no LABEL org.opencontainers.image.%s", key)
		}
	}
}

// passwdLine returns the /etc/passwd line the build stage writes for the final stage.
func passwdLine(t testing.TB, d *dockerfile) string {
	t.Helper()
	re := regexp.MustCompile(`echo '([^']*)' > \S*/etc/passwd`)
	for _, r := range commands[*instructions.RunCommand](d.stage(t, "build")) {
		if m := re.FindStringSubmatch(strings.Join(r.CmdLine, " ")); m != nil {
			return m[1]
		}
	}
	t.Fatalf("%s: the build stage writes no /etc/passwd line (echo '…' > …/etc/passwd)", d.path)
	return ""
}

func TestDockerignoreSendsOnlyWhatTheBuildNeeds(t *testing.T) {
	files := buildContext(t, t.TempDir())
	for _, want := range []string{"go.mod", "go.sum", "cmd/sshcv/main.go", "profiles/rohit.md"} {
		if !slices.Contains(files, want) {
			t.Errorf("the build context lacks %s", want)
		}
	}
	for _, f := range files {
		switch {
		case strings.HasPrefix(f, ".git/"), strings.HasPrefix(f, "hostkeys/"), strings.HasPrefix(f, ".ci/"):
			t.Errorf("the build context holds %s: no history, host keys or CI files may reach the builder", f)
		case strings.HasSuffix(f, "_test.go"), strings.Contains(f, "/testdata/"):
			t.Errorf("the build context holds the test file %s", f)
		}
	}
}
