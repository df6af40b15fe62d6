package cv

import (
	"fmt"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// OwnerOptions is what a profile says about its owner's side of the server: whether
// visitors may leave messages, and which SSH keys open the owner's inbox
// (ssh HANDLE+inbox@host). Front matter keys `messages:` and `owner_keys:`;
// meta.sshcv.messages and meta.sshcv.owner_keys in JSON Resume.
type OwnerOptions struct {
	MessagesOff bool     // messages: false
	Keys        []string // owner_keys: authorized_keys lines, each checked at load
}

// ParseOwnerKeys checks authorized_keys lines (options and comment allowed) and returns
// them trimmed; the error names the first line that is not a public key.
func ParseOwnerKeys(lines []string) ([]string, error) {
	var out []string
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if _, _, _, _, err := gossh.ParseAuthorizedKey([]byte(l)); err != nil {
			return nil, fmt.Errorf("entry %d is not an authorized_keys line (\"ssh-ed25519 AAAA… comment\"): %v", i+1, err)
		}
		out = append(out, l)
	}
	return out, nil
}
