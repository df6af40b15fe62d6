package profiles

import (
	"encoding/json"
	"fmt"
	"strings"

	yamlast "github.com/goccy/go-yaml/ast"
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

// parseOwnerKeys checks authorized_keys lines (options and comment allowed) and returns
// them trimmed; the error names the first line that is not a public key.
func parseOwnerKeys(lines []string) ([]string, error) {
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

// frontMatterOwner reads the `messages:` or `owner_keys:` front matter key into o.
func frontMatterOwner(o *OwnerOptions, key string, value yamlast.Node, fail func(yamlast.Node, string, ...any) error) error {
	switch key {
	case "messages":
		b, ok := value.(*yamlast.BoolNode)
		if !ok {
			return fail(value, "messages: expected true or false")
		}
		o.MessagesOff = !b.Value
	case "owner_keys":
		var lines []string
		if seq, ok := value.(*yamlast.SequenceNode); ok {
			for _, item := range seq.Values {
				s, ok := scalarText(unwrap(item))
				if !ok {
					return fail(item, "owner_keys: expected authorized_keys lines")
				}
				lines = append(lines, s)
			}
		} else if s, ok := scalarText(value); ok {
			lines = strings.Split(s, "\n")
		} else {
			return fail(value, "owner_keys: expected authorized_keys lines")
		}
		keys, err := parseOwnerKeys(lines)
		if err != nil {
			return fail(value, "owner_keys: %v", err)
		}
		o.Keys = keys
	}
	return nil
}

// jsonOwner reads meta.sshcv.messages and meta.sshcv.owner_keys, kept in the meta's
// Extra keys. owner_keys is then dropped from the document: the JSON export is public,
// and which keys open the owner's inbox is nobody else's business.
func jsonOwner(m *SSHCVMeta) (OwnerOptions, error) {
	var o OwnerOptions
	if m == nil {
		return o, nil
	}
	if raw, ok := m.Extra["messages"]; ok {
		var on bool
		if err := json.Unmarshal(raw, &on); err != nil {
			return o, fmt.Errorf("meta.sshcv.messages: expected true or false")
		}
		o.MessagesOff = !on
	}
	if raw, ok := m.Extra["owner_keys"]; ok {
		var lines []string
		if err := json.Unmarshal(raw, &lines); err != nil {
			return o, fmt.Errorf("meta.sshcv.owner_keys: expected a list of authorized_keys lines")
		}
		keys, err := parseOwnerKeys(lines)
		if err != nil {
			return o, fmt.Errorf("meta.sshcv.owner_keys: %v", err)
		}
		o.Keys = keys
		delete(m.Extra, "owner_keys")
	}
	return o, nil
}
