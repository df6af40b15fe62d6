package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHostKeySurvivesRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hostkeys")

	first, err := LoadOrCreateHostKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created {
		t.Error("first start: Created = false, want a generated key")
	}
	if !strings.HasPrefix(first.Fingerprint(), "SHA256:") {
		t.Errorf("fingerprint %q does not start with SHA256:", first.Fingerprint())
	}
	if got := first.Signer.PublicKey().Type(); got != "ssh-ed25519" {
		t.Errorf("key type %q, want ssh-ed25519", got)
	}

	second, err := LoadOrCreateHostKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if second.Created {
		t.Error("second start generated a new key")
	}
	if first.Fingerprint() != second.Fingerprint() {
		t.Errorf("fingerprint changed across restarts: %s then %s", first.Fingerprint(), second.Fingerprint())
	}

	keyInfo, err := os.Stat(filepath.Join(dir, HostKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if mode := keyInfo.Mode().Perm(); mode != 0o600 {
		t.Errorf("key file mode %o, want 600", mode)
	}
	dirInfo, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if mode := dirInfo.Mode().Perm(); mode != 0o700 {
		t.Errorf("key folder mode %o, want 700", mode)
	}
	pub, err := os.ReadFile(filepath.Join(dir, HostKeyFile+".pub"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pub), first.AuthorizedKey()) {
		t.Errorf(".pub holds %q, want the public key %q", pub, first.AuthorizedKey())
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left in the key folder: %v", leftovers)
	}
}

func TestHostKeyPEMWins(t *testing.T) {
	generated, err := LoadOrCreateHostKey(filepath.Join(t.TempDir(), "a"), "")
	if err != nil {
		t.Fatal(err)
	}
	otherDir := filepath.Join(t.TempDir(), "b")
	if _, err := LoadOrCreateHostKey(otherDir, ""); err != nil {
		t.Fatal(err)
	}

	fromPEM, err := LoadOrCreateHostKey(otherDir, string(generated.PEM))
	if err != nil {
		t.Fatal(err)
	}
	if fromPEM.Fingerprint() != generated.Fingerprint() {
		t.Errorf("PEM key not used: fingerprint %s, want %s", fromPEM.Fingerprint(), generated.Fingerprint())
	}
	if fromPEM.Path != "" || fromPEM.Created {
		t.Errorf("PEM key: Path %q Created %v, want no file and not created", fromPEM.Path, fromPEM.Created)
	}

	fresh := filepath.Join(t.TempDir(), "never-created")
	if _, err := LoadOrCreateHostKey(fresh, string(generated.PEM)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("a PEM key wrote the folder %s", fresh)
	}
}

func TestHostKeyErrorsNameTheSource(t *testing.T) {
	if _, err := LoadOrCreateHostKey(t.TempDir(), "-----BEGIN NONSENSE-----\nxx\n"); err == nil || !strings.Contains(err.Error(), "SSHCV_HOST_KEY") {
		t.Errorf("bad PEM: error %v, want one naming SSHCV_HOST_KEY", err)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, HostKeyFile)
	if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadOrCreateHostKey(dir, "")
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("corrupt key file: error %v, want one naming %s", err, path)
	}
}
