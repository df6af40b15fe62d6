package main

import (
	"crypto/sha1" //nolint:gosec // SSHFP fingerprint type 1 is SHA-1 (RFC 4255); ssh-keygen -r prints it too
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sshcv/sshcv/server"
	gossh "golang.org/x/crypto/ssh"
)

// runHostkey prints the server's host key: its SHA256 fingerprint and public key, and
// with a host name the known_hosts line and the SSHFP DNS records to publish. The key is
// loaded, or generated when there is none, exactly as `serve` does it, so running this
// before the first start gives the key the server will use.
func runHostkey(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hostkey", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ef := &envFlags{fs: fs}
	var dir, hostname string
	ef.String(&dir, "hostkeys", "SSHCV_HOSTKEYS", server.DefaultConfig().HostKeyDir, "folder for the host key (generated on first use, as serve does)")
	ef.String(&hostname, "hostname", "SSHCV_HOST", "", "public host name for the known_hosts line and the SSHFP records (e.g. cv.example.com)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: sshcv hostkey [--hostname NAME] [--hostkeys DIR]\n\nPrints the host key's fingerprint and, for NAME, the SSHFP DNS records to publish.\nA key in SSHCV_HOST_KEY (PEM) takes the place of the folder, as for serve.")
		fs.PrintDefaults()
	}
	if _, code, done := ef.parse(args, 0, stderr); done {
		return code
	}
	if hostname != "" {
		if err := checkHostname(hostname); err != nil {
			fmt.Fprintf(stderr, "sshcv hostkey: --hostname %q: %v\n", hostname, err)
			return 2
		}
	}

	key, err := server.LoadOrCreateHostKey(dir, os.Getenv("SSHCV_HOST_KEY"))
	if err != nil {
		fmt.Fprintln(stderr, "sshcv hostkey:", err)
		return 1
	}
	if key.Created {
		fmt.Fprintf(stderr, "sshcv hostkey: generated a new host key at %s; serve will use it\n", key.Path)
	}
	pub := key.Signer.PublicKey()
	var records []string
	if hostname != "" {
		if records, err = sshfpRecords(hostname, pub); err != nil {
			fmt.Fprintln(stderr, "sshcv hostkey:", err)
			return 1
		}
	}

	source := key.Path
	if source == "" {
		source = "SSHCV_HOST_KEY"
	}
	authorized := key.AuthorizedKey()
	var b strings.Builder
	fmt.Fprintf(&b, "host key     %s\n", source)
	fmt.Fprintf(&b, "fingerprint  %s\n", key.Fingerprint())
	fmt.Fprintf(&b, "public key   %s\n", authorized)
	if hostname == "" {
		b.WriteString("\nRun with --hostname NAME (or SSHCV_HOST) for the known_hosts line and the SSHFP DNS records.\n")
	} else {
		fmt.Fprintf(&b, "known_hosts  %s %s\n", hostname, authorized)
		fmt.Fprintf(&b, "\nSSHFP records for %s's DNS zone (ssh -o VerifyHostKeyDNS=yes trusts them when the zone is DNSSEC-signed):\n", hostname)
		for _, r := range records {
			b.WriteString(r + "\n")
		}
	}
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return 1
	}
	return 0
}

// sshfpRecords returns the SSHFP resource records (RFC 4255, 6594, 7479) for a host
// key: one with its SHA-1 and one with its SHA-256 fingerprint, in lowercase hex over
// the key's wire encoding, formatted exactly as `ssh-keygen -r NAME` prints them.
func sshfpRecords(name string, pub gossh.PublicKey) ([]string, error) {
	alg, err := sshfpAlgorithm(pub.Type())
	if err != nil {
		return nil, err
	}
	blob := pub.Marshal()
	return []string{
		fmt.Sprintf("%s IN SSHFP %d 1 %x", name, alg, sha1.Sum(blob)), //nolint:gosec // SSHFP type 1, see the import
		fmt.Sprintf("%s IN SSHFP %d 2 %x", name, alg, sha256.Sum256(blob)),
	}, nil
}

// sshfpAlgorithm maps an SSH key type to its number in the IANA "SSHFP RR Types for
// public key algorithms" registry.
func sshfpAlgorithm(keyType string) (int, error) {
	switch keyType {
	case gossh.KeyAlgoRSA:
		return 1, nil
	case gossh.KeyAlgoECDSA256, gossh.KeyAlgoECDSA384, gossh.KeyAlgoECDSA521:
		return 3, nil
	case gossh.KeyAlgoED25519:
		return 4, nil
	}
	return 0, fmt.Errorf("%s keys have no SSHFP algorithm number; use an ed25519, ECDSA or RSA host key", keyType)
}

// checkHostname accepts a DNS name as it goes into a zone file: letters, digits,
// hyphens and underscores in dot-separated labels of at most 63 characters, with an
// optional final dot.
func checkHostname(name string) error {
	n := strings.TrimSuffix(name, ".")
	if n == "" || len(n) > 253 {
		return errors.New("not a DNS name")
	}
	for label := range strings.SplitSeq(n, ".") {
		if label == "" || len(label) > 63 {
			return errors.New("not a DNS name: empty or over-long label")
		}
		for _, r := range label {
			allowed := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
			if !allowed {
				return fmt.Errorf("not a DNS name: %q is not allowed", r)
			}
		}
	}
	return nil
}
