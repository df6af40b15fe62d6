package profiles

import (
	"strings"
	"testing"
)

const ownerKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtnUKevIkkOBAzq7lROvywuh5rk1mxAyQKXpyqR6TmH owner"

func TestOwnerOptionsFromFrontMatter(t *testing.T) {
	p, err := ParseMarkdown("rohit.md", []byte("---\nname: Rohit\nmessages: false\nowner_keys:\n  - "+ownerKey+"\n---\n## About\nHi\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Owner.MessagesOff || len(p.Owner.Keys) != 1 || p.Owner.Keys[0] != ownerKey {
		t.Fatalf("Owner = %+v", p.Owner)
	}
	p, err = ParseMarkdown("rohit.md", []byte("---\nname: Rohit\nowner_keys: |\n  "+ownerKey+"\n  # a comment\n---\n## About\nHi\n"))
	if err != nil || p.Owner.MessagesOff || len(p.Owner.Keys) != 1 {
		t.Fatalf("owner_keys as a block: %+v, %v", p.Owner, err)
	}
}

func TestOwnerOptionsFromJSONResume(t *testing.T) {
	p, err := ParseResume("rohit.json", []byte(`{"basics":{"name":"Rohit"},"meta":{"sshcv":{"messages":false,"owner_keys":["`+ownerKey+`"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Owner.MessagesOff || len(p.Owner.Keys) != 1 {
		t.Fatalf("Owner = %+v", p.Owner)
	}
	out, err := ExportJSONResume(p)
	if err != nil || strings.Contains(string(out), "AAAAC3Nza") || strings.Contains(string(out), "owner_keys") {
		t.Fatalf("the public JSON export shows the owner's keys (%v):\n%s", err, out)
	}
}

func TestBadOwnerOptionsAreClearErrors(t *testing.T) {
	for _, c := range []struct{ file, data, want string }{
		{"a.md", "---\nname: A\nmessages: perhaps\n---\n", "a.md:3:11: messages: expected true or false"},
		{"a.md", "---\nname: A\nowner_keys:\n  - ssh-ed25519 nonsense\n---\n", "owner_keys: entry 1 is not an authorized_keys line"},
		{"a.json", `{"basics":{"name":"A"},"meta":{"sshcv":{"owner_keys":["nope"]}}}`, "meta.sshcv.owner_keys: entry 1 is not an authorized_keys line"},
		{"a.json", `{"basics":{"name":"A"},"meta":{"sshcv":{"messages":"no"}}}`, "meta.sshcv.messages: expected true or false"},
	} {
		var err error
		if strings.HasSuffix(c.file, ".md") {
			_, err = ParseMarkdown(c.file, []byte(c.data))
		} else {
			_, err = ParseResume(c.file, []byte(c.data))
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %q: error %v, want it to contain %q", c.file, c.data, err, c.want)
		}
	}
}
