package pdf

import (
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/profiles/doc"
)

// contactSpans are the header's contacts (profiles.Profile.Contacts, in the order every
// output shows them), each a link when its address may be one; a labelled web address
// says what it is ("GitHub: @rohit01 · github.com/rohit01").
func contactSpans(p *profiles.Profile) []span {
	var out []span
	for _, c := range p.Contacts() {
		if c.Kind == profiles.ContactWeb && c.Label != "" && !doc.SameAddress(c.Label, c.URL) {
			out = append(out, span{text: c.Label + ": ", muted: true})
		}
		out = append(out, span{text: c.Shown(" · "), url: c.URL})
	}
	return out
}
