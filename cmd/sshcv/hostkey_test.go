package main

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sshcv/sshcv/internal/testenv"
	gossh "golang.org/x/crypto/ssh"
)

// hostkeyOutput runs `sshcv hostkey` and returns its labelled lines and its SSHFP
// records.
func hostkeyOutput(t *testing.T, args ...string) (fields map[string]string, records []string, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := runHostkey(args, &out, &errOut); code != 0 {
		t.Fatalf("sshcv hostkey %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, errOut.String())
	}
	fields = map[string]string{}
	for line := range strings.Lines(out.String()) {
		line = strings.TrimRight(line, "\n")
		if strings.Contains(line, " IN SSHFP ") {
			records = append(records, line)
			continue
		}
		for _, label := range []string{"host key", "fingerprint", "public key", "known_hosts"} {
			if rest, ok := strings.CutPrefix(line, label+" "); ok {
				fields[label] = strings.TrimSpace(rest)
			}
		}
	}
	return fields, records, errOut.String()
}

// sshKeygenRecords returns what `ssh-keygen -r name -f pub` prints for an
// authorized_keys line.
func sshKeygenRecords(t *testing.T, keygen, name, authorizedKey string) []string {
	t.Helper()
	pubFile := filepath.Join(t.TempDir(), "key.pub")
	if err := os.WriteFile(pubFile, []byte(authorizedKey+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(keygen, "-r", name, "-f", pubFile).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen -r %s: %v\n%s", name, err, out)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
}

func TestHostkeyGeneratesOnceAndMatchesSSHKeygen(t *testing.T) {
	keygen := testenv.Program(t, "ssh-keygen")
	t.Setenv("SSHCV_HOST_KEY", "")
	t.Setenv("SSHCV_HOST", "")
	dir := filepath.Join(t.TempDir(), "hostkeys")

	first, records, stderr := hostkeyOutput(t, "--hostkeys", dir, "--hostname", "cv.example.com")
	if !strings.Contains(stderr, "generated a new host key") {
		t.Errorf("first run: stderr %q does not say a key was generated", stderr)
	}
	if want := filepath.Join(dir, "ssh_host_ed25519_key"); first["host key"] != want {
		t.Errorf("host key = %q, want %q", first["host key"], want)
	}
	if !strings.HasPrefix(first["public key"], "ssh-ed25519 ") {
		t.Errorf("public key = %q, want an ssh-ed25519 line", first["public key"])
	}
	if want := "cv.example.com " + first["public key"]; first["known_hosts"] != want {
		t.Errorf("known_hosts = %q, want %q", first["known_hosts"], want)
	}

	want := sshKeygenRecords(t, keygen, "cv.example.com", first["public key"])
	if strings.Join(records, "\n") != strings.Join(want, "\n") {
		t.Errorf("SSHFP records differ from ssh-keygen -r:\n got: %q\nwant: %q", records, want)
	}

	// ssh-keygen -l prints the fingerprint a visitor's ssh shows on first contact.
	pubFile := filepath.Join(t.TempDir(), "key.pub")
	if err := os.WriteFile(pubFile, []byte(first["public key"]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(keygen, "-l", "-E", "sha256", "-f", pubFile).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen -l: %v\n%s", err, out)
	}
	if f := strings.Fields(string(out)); len(f) < 2 || f[1] != first["fingerprint"] {
		t.Errorf("fingerprint = %q, ssh-keygen -l says %q", first["fingerprint"], out)
	}

	// A second run, like every later start of serve, reuses the key.
	second, _, stderr := hostkeyOutput(t, "--hostkeys", dir, "--hostname", "cv.example.com")
	if stderr != "" {
		t.Errorf("second run: unexpected stderr %q", stderr)
	}
	if second["fingerprint"] != first["fingerprint"] {
		t.Errorf("second run fingerprint %s, first %s: the key was not reused", second["fingerprint"], first["fingerprint"])
	}
}

func TestHostkeyReadsTheEnvironmentLikeServe(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	t.Setenv("SSHCV_HOSTKEYS", dir)
	t.Setenv("SSHCV_HOST", "cv.example.org")
	t.Setenv("SSHCV_HOST_KEY", "")

	fields, records, _ := hostkeyOutput(t)
	if want := filepath.Join(dir, "ssh_host_ed25519_key"); fields["host key"] != want {
		t.Errorf("host key = %q, want %q (from SSHCV_HOSTKEYS)", fields["host key"], want)
	}
	if len(records) != 2 || !strings.HasPrefix(records[0], "cv.example.org IN SSHFP 4 1 ") || !strings.HasPrefix(records[1], "cv.example.org IN SSHFP 4 2 ") {
		t.Errorf("records for SSHCV_HOST = %q, want SSHFP 4 1 and 4 2 for cv.example.org", records)
	}
}

func TestHostkeyFromPEMWritesNothing(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "unused")
	t.Setenv("SSHCV_HOST_KEY", string(pem.EncodeToMemory(block)))
	t.Setenv("SSHCV_HOST", "")

	fields, records, _ := hostkeyOutput(t, "--hostkeys", dir)
	if fields["host key"] != "SSHCV_HOST_KEY" {
		t.Errorf("host key = %q, want SSHCV_HOST_KEY", fields["host key"])
	}
	if want := gossh.FingerprintSHA256(signer.PublicKey()); fields["fingerprint"] != want {
		t.Errorf("fingerprint = %q, want the PEM key's %q", fields["fingerprint"], want)
	}
	if len(records) != 0 {
		t.Errorf("records without a host name: %q", records)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the host key folder was touched although the key came from SSHCV_HOST_KEY (stat: %v)", err)
	}
}

func TestSSHFPRecordsMatchSSHKeygenForEveryKeyType(t *testing.T) {
	keygen := testenv.Program(t, "ssh-keygen")
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]crypto.Signer{"ed25519": edKey, "rsa": rsaKey}
	for name, curve := range map[string]elliptic.Curve{"p256": elliptic.P256(), "p384": elliptic.P384(), "p521": elliptic.P521()} {
		k, err := ecdsa.GenerateKey(curve, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		keys["ecdsa-"+name] = k
	}
	for name, key := range keys {
		t.Run(name, func(t *testing.T) {
			pub, err := gossh.NewPublicKey(key.Public())
			if err != nil {
				t.Fatal(err)
			}
			got, err := sshfpRecords("cv.example.com.", pub)
			if err != nil {
				t.Fatal(err)
			}
			authorized := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pub)))
			want := sshKeygenRecords(t, keygen, "cv.example.com.", authorized)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("records differ from ssh-keygen -r:\n got: %q\nwant: %q", got, want)
			}
		})
	}
}

func TestHostkeyRejectsWhatIsNoDNSName(t *testing.T) {
	t.Setenv("SSHCV_HOST_KEY", "")
	for _, name := range []string{"cv example.com", "cv..example.com", "cv.example.com/22", strings.Repeat("a", 64) + ".example.com"} {
		var out, errOut bytes.Buffer
		code := runHostkey([]string{"--hostkeys", t.TempDir(), "--hostname", name}, &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), "not a DNS name") {
			t.Errorf("--hostname %q: exit %d, stderr %q; want exit 2 and \"not a DNS name\"", name, code, errOut.String())
		}
		if out.Len() != 0 {
			t.Errorf("--hostname %q: printed %q on stdout", name, out.String())
		}
	}
}
