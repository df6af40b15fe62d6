package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// HostKeyFile is the name of the private host key inside the host key folder. The
// public half sits beside it with a ".pub" suffix, in authorized_keys format.
const HostKeyFile = "ssh_host_ed25519_key"

// HostKey is the server's identity: the key every visitor's client pins on first visit.
type HostKey struct {
	Signer  gossh.Signer
	PEM     []byte // the private key in OpenSSH PEM form
	Path    string // the file it was read from or written to; "" when it came from a PEM string
	Created bool   // true when this call generated the key
}

// Fingerprint returns the SHA256 fingerprint of the public key ("SHA256:..."), the
// form `ssh` prints when it first meets a host and the form owners publish.
func (k *HostKey) Fingerprint() string {
	return gossh.FingerprintSHA256(k.Signer.PublicKey())
}

// AuthorizedKey returns the public key in the one-line authorized_keys / known_hosts
// form, without a trailing newline.
func (k *HostKey) AuthorizedKey() string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.Signer.PublicKey())))
}

// LoadOrCreateHostKey returns the host key. A non-empty pemText (the SSHCV_HOST_KEY
// secret) wins and nothing is written. Otherwise the key is read from
// dir/ssh_host_ed25519_key, or, on first start, an ed25519 key is generated there
// (file 0600, folder 0700) together with its ".pub". Replicas that share one volume
// and start together end up with the same key: the file is published with a link
// that never replaces a key another process wrote first.
func LoadOrCreateHostKey(dir, pemText string) (*HostKey, error) {
	if strings.TrimSpace(pemText) != "" {
		signer, err := parseHostKey([]byte(pemText))
		if err != nil {
			return nil, fmt.Errorf("SSHCV_HOST_KEY: %w", err)
		}
		return &HostKey{Signer: signer, PEM: []byte(pemText)}, nil
	}
	if dir == "" {
		return nil, errors.New("host key: no folder and no PEM given")
	}
	path := filepath.Join(dir, HostKeyFile)
	if key, err := readHostKey(path); err == nil {
		ensurePublicKeyFile(key)
		return key, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}

	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("host key folder %s: %w", dir, err)
	}
	tightenFolder(dir)
	created, err := writeNewHostKey(path)
	if err != nil {
		return nil, err
	}
	key, err := readHostKey(path)
	if err != nil {
		return nil, err
	}
	key.Created = created
	ensurePublicKeyFile(key)
	return key, nil
}

// readHostKey reads and parses the private key at path.
func readHostKey(path string) (*HostKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	signer, err := parseHostKey(data)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w (delete the file to generate a new key)", path, err)
	}
	return &HostKey{Signer: signer, PEM: data, Path: path}, nil
}

func parseHostKey(data []byte) (gossh.Signer, error) {
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		var missing *gossh.PassphraseMissingError
		if errors.As(err, &missing) {
			return nil, errors.New("the key is protected by a passphrase; a server key must not be")
		}
		return nil, fmt.Errorf("not a usable private key: %w", err)
	}
	return signer, nil
}

// writeNewHostKey generates an ed25519 key and publishes it at path unless a key is
// already there. It reports whether this call's key is the one at path.
func writeNewHostKey(path string) (bool, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return false, fmt.Errorf("host key: generate: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "sshcv host key")
	if err != nil {
		return false, fmt.Errorf("host key: encode: %w", err)
	}
	data := pem.EncodeToMemory(block)

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+HostKeyFile+".*")
	if err != nil {
		return false, fmt.Errorf("host key %s: %w", path, err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return false, fmt.Errorf("host key %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return false, fmt.Errorf("host key %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return false, fmt.Errorf("host key %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("host key %s: %w", path, err)
	}
	// A hard link fails when the name exists, so a key written meanwhile by another
	// replica is kept; a file system without hard links falls back to a rename.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return false, fmt.Errorf("host key %s: %w", path, err)
		}
	}
	return true, nil
}

// ensurePublicKeyFile writes the ".pub" beside a key file when it is missing, so that
// owners can publish the key. Failing to write it (a read-only volume) is harmless.
func ensurePublicKeyFile(k *HostKey) {
	if k.Path == "" {
		return
	}
	pub := k.Path + ".pub"
	if _, err := os.Stat(pub); err == nil {
		return
	}
	_ = os.WriteFile(pub, []byte(k.AuthorizedKey()+" sshcv\n"), 0o644) //nolint:gosec // a public key, readable by all like ssh-keygen's .pub
}

// tightenFolder makes the host key folder private to its owner when it is not yet.
// The folder may be a mounted volume the server cannot change: that is not an error.
func tightenFolder(dir string) {
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm()&0o077 == 0 {
		return
	}
	_ = os.Chmod(dir, 0o700) //nolint:gosec // a folder: owner-only, and it needs the x bit
}
