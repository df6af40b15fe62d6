package imagetest

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// composeFile is the part of compose.yaml the tests check.
type composeFile struct {
	Services map[string]struct {
		Build       any               `yaml:"build"`
		Image       string            `yaml:"image"`
		Restart     string            `yaml:"restart"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		Environment map[string]string `yaml:"environment"`
		ReadOnly    bool              `yaml:"read_only"`
		CapDrop     []string          `yaml:"cap_drop"`
		SecurityOpt []string          `yaml:"security_opt"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func TestComposeRunsTheImageAsTheDockerfileDescribesIt(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(moduleRoot(t), "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	svc, ok := c.Services["sshcv"]
	if !ok {
		t.Fatalf("compose.yaml has no sshcv service")
	}
	d := parseDockerfile(t)
	final := d.final()

	if svc.Build != "." {
		t.Errorf("build: %v, want . (the Dockerfile beside it)", svc.Build)
	}
	if svc.Restart != "unless-stopped" {
		t.Errorf("restart: %q, want unless-stopped", svc.Restart)
	}

	var addr string
	for _, kv := range stageEnv(final) {
		if v, ok := strings.CutPrefix(kv, "SSHCV_ADDR="); ok {
			addr = v
		}
	}
	_, port, _ := net.SplitHostPort(addr)
	published := false
	for _, p := range svc.Ports {
		published = published || strings.HasSuffix(p, ":"+port) && strings.Contains(p, "22")
	}
	if !published {
		t.Errorf("ports %q do not publish the image's port %s on port 22", svc.Ports, port)
	}

	var volumes []string
	for _, v := range commands[*instructions.VolumeCommand](final) {
		volumes = append(volumes, v.Volumes...)
	}
	mounts := map[string]string{}
	for _, v := range svc.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) < 2 {
			t.Errorf("volume %q: want SOURCE:TARGET", v)
			continue
		}
		mounts[parts[1]] = v
	}
	for _, target := range volumes {
		if mounts[target] == "" {
			t.Errorf("compose.yaml mounts nothing on the image's VOLUME %s", target)
		}
	}
	if m := mounts["/profiles"]; m != "./profiles:/profiles:ro" {
		t.Errorf("profiles mount %q, want ./profiles:/profiles:ro", m)
	}
	if source, _, _ := strings.Cut(mounts["/hostkeys"], ":"); c.Volumes == nil || !hasKey(c.Volumes, source) {
		t.Errorf("host keys mount %q is not a named volume declared under volumes:", mounts["/hostkeys"])
	}

	health := commands[*instructions.HealthCheckCommand](final)
	if len(health) != 1 || !slices.Equal(svc.Healthcheck.Test, health[0].Health.Test) {
		t.Errorf("healthcheck test %q, want the image's %q", svc.Healthcheck.Test, health[0].Health.Test)
	}
	if !svc.ReadOnly {
		t.Error("read_only is not set: the container writes only to its volumes")
	}
	if !slices.Equal(svc.CapDrop, []string{"ALL"}) {
		t.Errorf("cap_drop %q, want [ALL]", svc.CapDrop)
	}
	if !slices.Contains(svc.SecurityOpt, "no-new-privileges:true") {
		t.Errorf("security_opt %q lacks no-new-privileges:true", svc.SecurityOpt)
	}
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// unitSettings reads a systemd unit's Key=Value lines; repeated keys keep every value.
func unitSettings(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	settings := map[string][]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || line[0] == '#' || line[0] == ';' || line[0] == '[' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: %q is not Key=Value", path, line)
		}
		settings[k] = append(settings[k], v)
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return settings
}

func TestSystemdUnitIsHardened(t *testing.T) {
	path := filepath.Join(moduleRoot(t), "deploy", "sshcv.service")
	u := unitSettings(t, path)
	for key, want := range map[string]string{
		"DynamicUser":             "yes",
		"StateDirectory":          "sshcv",
		"AmbientCapabilities":     "CAP_NET_BIND_SERVICE",
		"CapabilityBoundingSet":   "CAP_NET_BIND_SERVICE",
		"NoNewPrivileges":         "yes",
		"ProtectSystem":           "strict",
		"ProtectHome":             "yes",
		"PrivateTmp":              "yes",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
		"MemoryDenyWriteExecute":  "yes",
		"LockPersonality":         "yes",
		"ProtectKernelTunables":   "yes",
		"ProtectKernelModules":    "yes",
		"ProtectKernelLogs":       "yes",
		"Restart":                 "on-failure",
	} {
		if !slices.Contains(u[key], want) {
			t.Errorf("%s=%q, want %s", key, u[key], want)
		}
	}
	if !slices.Contains(u["SystemCallFilter"], "@system-service") {
		t.Errorf("SystemCallFilter=%q, want @system-service", u["SystemCallFilter"])
	}
	// PrivateUsers would put the service in a user namespace, where its capability no
	// longer lets it bind port 22 of the host's network.
	if slices.Contains(u["PrivateUsers"], "yes") {
		t.Error("PrivateUsers=yes: CAP_NET_BIND_SERVICE would not apply to the host's port 22")
	}
	env := map[string]string{}
	for _, e := range u["Environment"] {
		k, v, _ := strings.Cut(e, "=")
		env[k] = v
	}
	for k, want := range map[string]string{"SSHCV_ADDR": ":22", "SSHCV_HOSTKEYS": "/var/lib/" + u["StateDirectory"][0], "SSHCV_PROFILES": "/etc/sshcv/profiles"} {
		if env[k] != want {
			t.Errorf("Environment %s=%q, want %q", k, env[k], want)
		}
	}
	if exec := u["ExecStart"]; len(exec) != 1 || !strings.HasSuffix(exec[0], "/sshcv serve") {
		t.Errorf("ExecStart=%q, want the binary's serve command", exec)
	}
}

func TestSystemdUnitPassesSystemdAnalyze(t *testing.T) {
	analyze := programOrSkip(t, "systemd-analyze")
	data, err := os.ReadFile(filepath.Join(moduleRoot(t), "deploy", "sshcv.service"))
	if err != nil {
		t.Fatal(err)
	}
	// verify checks that ExecStart names an executable; the binary is not installed
	// here, so the copy points at one that is.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(t.TempDir(), "sshcv.service")
	text := regexp.MustCompile(`(?m)^ExecStart=\S+`).ReplaceAllString(string(data), "ExecStart="+self)
	if err := os.WriteFile(unit, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", unit).CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}

	out, err := exec.Command(analyze, "security", "--offline=yes", "--no-pager", unit).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security --offline=yes: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for sshcv\.service: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("systemd-analyze security printed no exposure level:\n%s", out)
	}
	exposure, _ := strconv.ParseFloat(string(m[1]), 64)
	t.Logf("systemd-analyze security: exposure %.1f (0 is fully locked down, 10 unprotected)", exposure)
	// The listed exposures left are the ones a public network server needs: the host's
	// network, INET sockets, binding port 22.
	if exposure > 2.0 {
		t.Errorf("systemd-analyze security rates the unit %.1f, want 2.0 or less:\n%s", exposure, out)
	}
}
