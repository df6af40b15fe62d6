package profiles

import (
	"strings"
	"unicode/utf8"
)

// longTitle is the length past which a headline reads as a bio rather than a job title:
// it goes into the card's NOTE instead of TITLE.
const longTitle = 64

// ExportVCard writes p's contact details as a vCard 4.0 (RFC 6350): FN and N from the
// name, EMAIL, TEL, one URL per link, TITLE (or NOTE, for a long headline) and ADR
// with a LABEL from the location. Lines end in CRLF, text is escaped, and lines longer
// than 75 octets are folded.
func ExportVCard(p *Profile) []byte {
	var c vcardWriter
	c.line("BEGIN:VCARD")
	c.line("VERSION:4.0")
	c.line("FN:" + vcardText(p.Name))
	c.line("N:" + vcardName(p.Name))
	contacts := p.Contacts()
	for _, kind := range []ContactKind{ContactEmail, ContactPhone} {
		for _, ct := range contacts {
			if ct.Kind == kind {
				if kind == ContactEmail {
					c.line("EMAIL:" + vcardText(ct.Text))
				} else {
					c.line("TEL;VALUE=text:" + vcardText(ct.Text))
				}
				break // the card's first address and number, as the header's
			}
		}
	}
	if h := singleLine(p.Headline); h != "" {
		if utf8.RuneCountInString(h) > longTitle {
			c.line("NOTE:" + vcardText(h))
		} else {
			c.line("TITLE:" + vcardText(h))
		}
	}
	if adr := vcardAddress(p); adr != "" {
		c.line(adr)
	}
	for _, ct := range contacts {
		if ct.Kind == ContactWeb && ct.URL != "" {
			// A URI is not TEXT: it is written as is (a safe URL has no line breaks to escape).
			c.line("URL:" + ct.URL)
		}
	}
	c.line("END:VCARD")
	return []byte(c.b.String())
}

// vcardName splits a display name into N's family and given names: the last word is
// the family name. "Rohit Gupta" → "Gupta;Rohit;;;".
func vcardName(name string) string {
	words := strings.Fields(name)
	family, given := "", ""
	switch len(words) {
	case 0:
	case 1:
		given = words[0]
	default:
		family = words[len(words)-1]
		given = strings.Join(words[:len(words)-1], " ")
	}
	return vcardText(family) + ";" + vcardText(given) + ";;;"
}

// vcardAddress writes ADR from the JSON Resume location when there is one (street,
// city, region, postal code, country), else the free-text location as the locality;
// the LABEL parameter holds the location as one line.
func vcardAddress(p *Profile) string {
	label := singleLine(p.Location)
	street, city, region, postal, country := "", label, "", "", ""
	if p.Resume != nil && p.Resume.Basics != nil && p.Resume.Basics.Location != nil {
		l := p.Resume.Basics.Location
		street, city, region, postal, country = l.Address, l.City, l.Region, l.PostalCode, l.CountryCode
		if full := strings.Join(nonEmpty(singleLine(l.Address), l.City, l.Region, l.PostalCode, l.CountryCode), ", "); full != "" {
			label = full
		}
	}
	if label == "" {
		return ""
	}
	return "ADR;LABEL=" + vcardParam(label) + ":;;" + strings.Join([]string{
		vcardText(street), vcardText(city), vcardText(region), vcardText(postal), vcardText(country),
	}, ";")
}

// vcardText escapes a TEXT value (RFC 6350 §3.4): backslash, comma, semicolon and
// newline.
func vcardText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// vcardParam writes a parameter value, quoted, with RFC 6868 caret escapes for the
// characters a quoted parameter cannot hold.
func vcardParam(s string) string {
	return `"` + strings.NewReplacer("^", "^^", "\n", "^n", `"`, "^'").Replace(s) + `"`
}

// vcardWriter collects content lines, folding each at 75 octets without splitting a
// UTF-8 character.
type vcardWriter struct {
	b strings.Builder
}

func (w *vcardWriter) line(s string) {
	const limit = 75
	width := limit
	for len(s) > width {
		cut := width
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut])
		w.b.WriteString("\r\n ")
		s = s[cut:]
		width = limit - 1 // a continuation line starts with the folding space
	}
	w.b.WriteString(s)
	w.b.WriteString("\r\n")
}
