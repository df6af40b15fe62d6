package pdf

import "github.com/sshcv/sshcv/profiles"

// contactSpans are the header's contacts (profiles.Profile.Contacts, in the order every
// output shows them), each a link when its address may be one.
func contactSpans(p *profiles.Profile) []span {
	var out []span
	for _, c := range p.Contacts() {
		out = append(out, span{text: c.Shown(" · "), url: c.URL})
	}
	return out
}
