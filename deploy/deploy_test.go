package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/sshcv/sshcv/server/metrics"
)

var update = flag.Bool("update", false, "rewrite kubernetes/configmap.yaml from the bundled profiles")

const (
	image          = "ghcr.io/sshcv/sshcv:latest"
	hostKeySecret  = "sshcv-host-key"
	hostKeyItem    = "ssh_host_ed25519_key"
	profilesConfig = "sshcv-profiles"
)

// decodeAll reads every YAML document of a file into values of type T.
func decodeAll[T any](t *testing.T, path string) []T {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []T
	for {
		var doc T
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, doc)
	}
}

// Object is what every Kubernetes manifest has.
type Object struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
}

type deployment struct {
	Object `yaml:",inline"`
	Spec   struct {
		Replicas int `yaml:"replicas"`
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		Template struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type podSpec struct {
	SecurityContext struct {
		RunAsNonRoot *bool `yaml:"runAsNonRoot"`
		RunAsUser    int   `yaml:"runAsUser"`
	} `yaml:"securityContext"`
	Containers []container `yaml:"containers"`
	Volumes    []struct {
		Name      string `yaml:"name"`
		ConfigMap *struct {
			Name string `yaml:"name"`
		} `yaml:"configMap"`
	} `yaml:"volumes"`
}

type container struct {
	Name  string   `yaml:"name"`
	Image string   `yaml:"image"`
	Args  []string `yaml:"args"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	Env []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			SecretKeyRef *struct {
				Name string `yaml:"name"`
				Key  string `yaml:"key"`
			} `yaml:"secretKeyRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	Resources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	ReadinessProbe  *probe `yaml:"readinessProbe"`
	LivenessProbe   *probe `yaml:"livenessProbe"`
	SecurityContext struct {
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   *bool `yaml:"readOnlyRootFilesystem"`
		RunAsNonRoot             *bool `yaml:"runAsNonRoot"`
		Capabilities             struct {
			Drop []string `yaml:"drop"`
		} `yaml:"capabilities"`
	} `yaml:"securityContext"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"volumeMounts"`
}

type probe struct {
	Exec *struct {
		Command []string `yaml:"command"`
	} `yaml:"exec"`
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
	TCPSocket *struct {
		Port string `yaml:"port"`
	} `yaml:"tcpSocket"`
	PeriodSeconds  int `yaml:"periodSeconds"`
	TimeoutSeconds int `yaml:"timeoutSeconds"`
}

type service struct {
	Object `yaml:",inline"`
	Spec   struct {
		Type                  string            `yaml:"type"`
		ExternalTrafficPolicy string            `yaml:"externalTrafficPolicy"`
		Selector              map[string]string `yaml:"selector"`
		Ports                 []struct {
			Name       string `yaml:"name"`
			Port       int    `yaml:"port"`
			TargetPort string `yaml:"targetPort"`
		} `yaml:"ports"`
	} `yaml:"spec"`
}

type dataObject struct {
	Object `yaml:",inline"`
	Data   map[string]string `yaml:"data"`
}

func (c *container) env(name string) (value string, ok bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value, true
		}
	}
	return "", false
}

func (c *container) port(name string) int {
	for _, p := range c.Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	return 0
}

func isTrue(b *bool) bool { return b != nil && *b }

func loadDeployment(t *testing.T) deployment {
	t.Helper()
	docs := decodeAll[deployment](t, "kubernetes/deployment.yaml")
	if len(docs) != 1 || docs[0].Kind != "Deployment" {
		t.Fatalf("deployment.yaml: want one Deployment, got %d documents", len(docs))
	}
	if n := len(docs[0].Spec.Template.Spec.Containers); n != 1 {
		t.Fatalf("deployment.yaml: %d containers, want 1", n)
	}
	return docs[0]
}

func TestEveryManifestParses(t *testing.T) {
	files, err := filepath.Glob("kubernetes/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 6 {
		t.Fatalf("found only %v", files)
	}
	for _, f := range files {
		docs := decodeAll[Object](t, f)
		if len(docs) == 0 {
			t.Errorf("%s: no document", f)
		}
		for i, d := range docs {
			if d.APIVersion == "" || d.Kind == "" || (d.Kind != "Kustomization" && d.Metadata.Name == "") {
				t.Errorf("%s: document %d lacks apiVersion, kind or metadata.name: %+v", f, i+1, d)
			}
		}
	}
}

func TestDeploymentRunsThreeLockedDownReplicas(t *testing.T) {
	d := loadDeployment(t)
	pod := d.Spec.Template.Spec
	c := pod.Containers[0]

	if d.Spec.Replicas != 3 {
		t.Errorf("replicas = %d, want 3", d.Spec.Replicas)
	}
	for k, v := range d.Spec.Selector.MatchLabels {
		if d.Spec.Template.Metadata.Labels[k] != v {
			t.Errorf("selector %s=%s does not match the pod template's labels", k, v)
		}
	}
	if c.Image != image {
		t.Errorf("image = %q, want %q", c.Image, image)
	}
	if !isTrue(pod.SecurityContext.RunAsNonRoot) || !isTrue(c.SecurityContext.RunAsNonRoot) {
		t.Error("runAsNonRoot is not true for the pod and the container")
	}
	if pod.SecurityContext.RunAsUser == 0 {
		t.Error("runAsUser is root")
	}
	if !isTrue(c.SecurityContext.ReadOnlyRootFilesystem) {
		t.Error("readOnlyRootFilesystem is not true")
	}
	if c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation {
		t.Error("allowPrivilegeEscalation is not false")
	}
	if !slices.Equal(c.SecurityContext.Capabilities.Drop, []string{"ALL"}) {
		t.Errorf("capabilities.drop = %v, want [ALL]", c.SecurityContext.Capabilities.Drop)
	}
	for _, r := range []string{"cpu", "memory"} {
		if c.Resources.Requests[r] == "" || c.Resources.Limits[r] == "" {
			t.Errorf("%s: requests %q, limits %q; want both", r, c.Resources.Requests[r], c.Resources.Limits[r])
		}
	}
	if memLimit, goLimit := c.Resources.Limits["memory"], must(c.env("SSHCV_MEMLIMIT")); !lessBytes(t, goLimit, memLimit) {
		t.Errorf("SSHCV_MEMLIMIT %s is not below the memory limit %s", goLimit, memLimit)
	}

	if c.port("ssh") != 2222 || c.port("metrics") != 9090 {
		t.Errorf("ports ssh=%d metrics=%d, want 2222 and 9090", c.port("ssh"), c.port("metrics"))
	}
	if addr := must(c.env("SSHCV_ADDR")); addr != ":2222" {
		t.Errorf("SSHCV_ADDR = %q, want :2222 (the ssh port)", addr)
	}
	if addr := must(c.env("SSHCV_METRICS")); addr != ":9090" {
		t.Errorf("SSHCV_METRICS = %q, want :9090 (the metrics port the liveness probe asks)", addr)
	}

	r := c.ReadinessProbe
	if r == nil || r.Exec == nil || !slices.Equal(r.Exec.Command[:2], []string{"/sshcv", "healthcheck"}) {
		t.Errorf("readiness probe %+v, want exec /sshcv healthcheck", r)
	} else if r.TimeoutSeconds < 5 {
		t.Errorf("readiness probe timeout %ds is shorter than the healthcheck's own 4s", r.TimeoutSeconds)
	}
	l := c.LivenessProbe
	if l == nil || l.HTTPGet == nil || l.HTTPGet.Path != "/healthz" || l.HTTPGet.Port != "metrics" {
		t.Errorf("liveness probe %+v, want GET /healthz on the metrics port", l)
	}

	var key string
	for _, e := range c.Env {
		if e.Name == "SSHCV_HOST_KEY" && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			key = e.ValueFrom.SecretKeyRef.Name + "/" + e.ValueFrom.SecretKeyRef.Key
		}
	}
	if key != hostKeySecret+"/"+hostKeyItem {
		t.Errorf("SSHCV_HOST_KEY comes from %q, want the Secret %s/%s", key, hostKeySecret, hostKeyItem)
	}

	if dir := must(c.env("SSHCV_PROFILES")); dir != "/profiles" {
		t.Errorf("SSHCV_PROFILES = %q, want /profiles", dir)
	}
	mounted := false
	for _, m := range c.VolumeMounts {
		for _, v := range pod.Volumes {
			if v.Name == m.Name && v.ConfigMap != nil && v.ConfigMap.Name == profilesConfig && m.MountPath == "/profiles" && m.ReadOnly {
				mounted = true
			}
		}
	}
	if !mounted {
		t.Errorf("the ConfigMap %s is not mounted read-only at /profiles", profilesConfig)
	}
}

func must(v string, ok bool) string {
	if !ok {
		return "(unset)"
	}
	return v
}

// lessBytes compares a Go size ("768MiB") with a Kubernetes quantity ("1Gi").
func lessBytes(t *testing.T, goSize, quantity string) bool {
	t.Helper()
	parse := func(s string, units map[string]int64) int64 {
		for suffix, mult := range units {
			if n, ok := strings.CutSuffix(s, suffix); ok {
				var v int64
				if _, err := fmt.Sscan(n, &v); err == nil {
					return v * mult
				}
			}
		}
		t.Fatalf("cannot read the size %q", s)
		return 0
	}
	return parse(goSize, map[string]int64{"MiB": 1 << 20, "GiB": 1 << 30}) < parse(quantity, map[string]int64{"Mi": 1 << 20, "Gi": 1 << 30})
}

func TestServicesExposeSSHPubliclyAndMetricsInside(t *testing.T) {
	d := loadDeployment(t)
	c := d.Spec.Template.Spec.Containers[0]
	services := decodeAll[service](t, "kubernetes/service.yaml")
	byName := map[string]service{}
	for _, s := range services {
		byName[s.Metadata.Name] = s
		for k, v := range s.Spec.Selector {
			if d.Spec.Template.Metadata.Labels[k] != v {
				t.Errorf("service %s selects %s=%s, which the pods do not carry", s.Metadata.Name, k, v)
			}
		}
		for _, p := range s.Spec.Ports {
			if c.port(p.TargetPort) == 0 {
				t.Errorf("service %s targets the port %q, which the container does not name", s.Metadata.Name, p.TargetPort)
			}
		}
	}
	ssh := byName["sshcv"]
	if ssh.Spec.Type != "LoadBalancer" || len(ssh.Spec.Ports) != 1 || ssh.Spec.Ports[0].Port != 22 || c.port(ssh.Spec.Ports[0].TargetPort) != 2222 {
		t.Errorf("service sshcv: %+v, want a LoadBalancer from 22 to 2222 only", ssh.Spec)
	}
	if ssh.Spec.ExternalTrafficPolicy != "Local" {
		t.Errorf("service sshcv: externalTrafficPolicy %q, want Local so visitors' addresses reach the pods", ssh.Spec.ExternalTrafficPolicy)
	}
	m := byName["sshcv-metrics"]
	if m.Spec.Type != "ClusterIP" || len(m.Spec.Ports) != 1 || c.port(m.Spec.Ports[0].TargetPort) != 9090 {
		t.Errorf("service sshcv-metrics: %+v, want a ClusterIP to the metrics port", m.Spec)
	}
}

func TestHostKeySecretExampleHoldsNoKey(t *testing.T) {
	docs := decodeAll[dataObject](t, "kubernetes/secret.example.yaml")
	if len(docs) != 1 || docs[0].Kind != "Secret" || docs[0].Metadata.Name != hostKeySecret {
		t.Fatalf("secret.example.yaml: want one Secret named %s", hostKeySecret)
	}
	value, ok := docs[0].Data[hostKeyItem]
	if !ok {
		t.Fatalf("secret.example.yaml has no %s item", hostKeyItem)
	}
	if strings.Contains(value, "PRIVATE KEY") || strings.Contains(value, "LS0t") { // "LS0t" is base64 of "---"
		t.Fatal("secret.example.yaml holds a real key")
	}
}

func TestKustomizationAppliesEveryManifestButTheSecret(t *testing.T) {
	type kustomization struct {
		Resources []string `yaml:"resources"`
		Images    []struct {
			Name   string `yaml:"name"`
			NewTag string `yaml:"newTag"`
		} `yaml:"images"`
	}
	docs := decodeAll[kustomization](t, "kubernetes/kustomization.yaml")
	if len(docs) != 1 {
		t.Fatalf("kustomization.yaml: %d documents, want 1", len(docs))
	}
	k := docs[0]
	files, _ := filepath.Glob("kubernetes/*.yaml")
	var want []string
	for _, f := range files {
		if base := filepath.Base(f); base != "kustomization.yaml" && !strings.HasSuffix(base, ".example.yaml") {
			want = append(want, base)
		}
	}
	got := slices.Sorted(slices.Values(k.Resources))
	if !slices.Equal(got, want) {
		t.Errorf("kustomization resources %v, want %v", got, want)
	}
	if len(k.Images) != 1 || k.Images[0].Name+":"+k.Images[0].NewTag != image {
		t.Errorf("kustomization images %+v, want %s", k.Images, image)
	}
}

// bundledProfiles returns the profile files the repository ships, by name.
func bundledProfiles(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../profiles/*.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		base := filepath.Base(f)
		if strings.EqualFold(base, "README.md") || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[base] = string(data)
	}
	if len(out) == 0 {
		t.Fatal("no bundled profiles in ../profiles")
	}
	return out
}

const configMapHeader = `# The CVs sshcv serves, one key per file, mounted read-only at /profiles. This copy holds
# the bundled CVs (written by: go test ./deploy -run ConfigMap -update). Replace it with
# your own folder of profiles:
#
#   kubectl create configmap sshcv-profiles --from-file=path/to/profiles/ \
#     --dry-run=client -o yaml > deploy/kubernetes/configmap.yaml
#
# A ConfigMap holds at most 1 MiB in all; sshcv reloads the files when it changes.
`

func TestConfigMapHoldsTheBundledProfiles(t *testing.T) {
	const path = "kubernetes/configmap.yaml"
	want := bundledProfiles(t)
	if *update {
		doc := yaml.MapSlice{
			{Key: "apiVersion", Value: "v1"},
			{Key: "kind", Value: "ConfigMap"},
			{Key: "metadata", Value: yaml.MapSlice{
				{Key: "name", Value: profilesConfig},
				{Key: "labels", Value: map[string]string{"app.kubernetes.io/name": "sshcv"}},
			}},
			{Key: "data", Value: want},
		}
		body, err := yaml.MarshalWithOptions(doc, yaml.UseLiteralStyleIfMultiline(true), yaml.Indent(2))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append([]byte(configMapHeader), body...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	docs := decodeAll[dataObject](t, path)
	if len(docs) != 1 || docs[0].Kind != "ConfigMap" || docs[0].Metadata.Name != profilesConfig {
		t.Fatalf("%s: want one ConfigMap named %s", path, profilesConfig)
	}
	got := docs[0].Data
	for name, text := range want {
		if got[name] != text {
			t.Errorf("%s: %s differs from profiles/%s; run go test ./deploy -run ConfigMap -update", path, name, name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: %s is not a bundled profile; run go test ./deploy -run ConfigMap -update", path, name)
		}
	}
	if info, err := os.Stat(path); err == nil && info.Size() > 1<<20 {
		t.Errorf("%s is %d bytes, over a ConfigMap's 1 MiB", path, info.Size())
	}
}

// metricNames are the metric names the server exports, with histogram suffixes.
func metricNames(t *testing.T) map[string]bool {
	t.Helper()
	m := metrics.New()
	m.SessionStarted("rohit")
	m.SessionEnded("rohit", "quit", time.Second, 100)
	m.Refused("rate")
	m.Reloaded(nil)
	rec := httptest.NewRecorder()
	m.Handler(nil).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	names := map[string]bool{}
	for line := range strings.Lines(rec.Body.String()) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			names[line[:i]] = true
		}
	}
	return names
}

func TestDashboardQueriesExportedMetrics(t *testing.T) {
	data, err := os.ReadFile("grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title  string `json:"title"`
		UID    string `json:"uid"`
		Inputs []struct {
			Name string `json:"name"`
		} `json:"__inputs"`
		Panels []struct {
			Title   string `json:"title"`
			Type    string `json:"type"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("grafana-dashboard.json: %v", err)
	}
	if dash.Title == "" || dash.UID == "" || len(dash.Inputs) != 1 || dash.Inputs[0].Name != "DS_PROMETHEUS" {
		t.Fatalf("not an importable dashboard: title %q, uid %q, inputs %+v", dash.Title, dash.UID, dash.Inputs)
	}
	exported := metricNames(t)
	metricRef := regexp.MustCompile(`\b(?:sshcv|go|process)_[a-z0-9_]+`)
	queried := map[string]bool{}
	for _, p := range dash.Panels {
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, target := range p.Targets {
			for _, name := range metricRef.FindAllString(target.Expr, -1) {
				queried[name] = true
				if !exported[name] {
					t.Errorf("panel %q queries %s, which the server does not export", p.Title, name)
				}
			}
		}
	}
	for _, name := range []string{
		"sshcv_sessions_active", "sshcv_sessions_total", "sshcv_refused_total",
		"sshcv_handshake_duration_seconds_bucket", "sshcv_first_frame_seconds_bucket",
		"sshcv_bytes_sent_total", "sshcv_profile_reloads_total", "sshcv_profile_reload_errors_total",
		"go_goroutines", "process_resident_memory_bytes",
	} {
		if !queried[name] {
			t.Errorf("no panel shows %s", name)
		}
	}
}
