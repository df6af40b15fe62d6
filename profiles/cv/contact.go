package cv

import (
	"strings"

	"github.com/sshcv/sshcv/profiles/doc"
)

// ContactKind says how a contact reaches the owner.
type ContactKind uint8

// The contact kinds: an email address, a phone number, or a web link.
const (
	ContactEmail ContactKind = iota
	ContactPhone
	ContactWeb // a website or a profile on a network
)

// Contact is one way to reach the owner, as every output lists it.
type Contact struct {
	Kind     ContactKind
	Label    string // "Email", "Phone", or the link's own label ("GitHub"); "" for a link without one
	Text     string // the address as shown: the email or number as written, a web address by doc.DisplayURL
	URL      string // the target (mailto:, tel:, https://…); "" when doc.SafeURL refuses it
	Username string // the account's name on a network, when the profile gives it
}

// Name is the contact's label, or "Web" for a link that has none.
func (c Contact) Name() string {
	if c.Label == "" {
		return "Web"
	}
	return c.Label
}

// Shown is the contact as a line of a header shows it: the address, after the user
// name when there is one ("@rohit01 · github.com/rohit01", with sep " · ").
func (c Contact) Shown(sep string) string {
	if c.Username == "" {
		return c.Text
	}
	return "@" + strings.TrimPrefix(c.Username, "@") + sep + c.Text
}

// Contacts lists the ways to reach the owner, in the order every output shows them:
// the email address, the phone number, then the links in file order (a mailto: or tel:
// link is an email or phone contact).
func (p *Profile) Contacts() []Contact {
	var out []Contact
	if e := doc.OneLine(p.Email); e != "" {
		out = append(out, Contact{Kind: ContactEmail, Label: "Email", Text: e, URL: safeOrEmpty(doc.MailtoURI(e))})
	}
	if ph := doc.OneLine(p.Phone); ph != "" {
		out = append(out, Contact{Kind: ContactPhone, Label: "Phone", Text: ph, URL: safeOrEmpty(doc.TelURI(ph))})
	}
	for _, l := range p.Links {
		u := strings.TrimSpace(l.URL)
		out = append(out, Contact{Kind: l.Kind(), Label: doc.OneLine(l.Label), Text: doc.DisplayURL(u), URL: safeOrEmpty(u), Username: doc.OneLine(l.Username)})
	}
	return out
}

// Kind is how a link reaches the owner: a mailto: link is an email address, a tel:
// link a phone number, anything else the web.
func (l Link) Kind() ContactKind {
	switch u := strings.ToLower(strings.TrimSpace(l.URL)); {
	case strings.HasPrefix(u, "mailto:"):
		return ContactEmail
	case strings.HasPrefix(u, "tel:"):
		return ContactPhone
	}
	return ContactWeb
}

func safeOrEmpty(u string) string {
	if doc.SafeURL(u) {
		return u
	}
	return ""
}
