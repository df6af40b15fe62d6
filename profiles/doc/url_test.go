package doc

import "testing"

// TestSafeURL: one answer for every output (the terminal once kept any http: prefix,
// the page asked for a host).
func TestSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://example.com":           true,
		"http://example.com/a?b=c":      true,
		"HTTPS://EXAMPLE.COM":           true,
		"mailto:a@b.c":                  true,
		"tel:+91-8081172177":            true,
		"javascript:alert(1)":           false,
		"JavaScript:alert(1)":           false,
		" javascript:alert(1)":          false,
		"java\tscript:alert(1)":         false,
		"data:text/html,<script>":       false,
		"data:image/png;base64,AAAA":    false,
		"vbscript:msgbox(1)":            false,
		"file:///etc/passwd":            false,
		"/etc/passwd":                   false,
		"#":                             false,
		"//evil.example/x":              false,
		"https:///nohost":               false,
		"mailto:":                       false,
		"ftp://example.com/cv.pdf":      false,
		"http://[::1]:namedport":        false,
		"https://example.com/\"><x>":    true, // escaped by the template, and still a web address
		"https://xn--80ak6aa92e.com/ok": true,
		"https://example.com/a b":       false, // a space would end a terminal's hyperlink
		"https://a.example/\x1b]8;;x":   false,
	} {
		if got := SafeURL(u); got != want {
			t.Errorf("SafeURL(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestTelURI(t *testing.T) {
	for in, want := range map[string]string{
		"+91-8081172177":  "tel:+918081172177",
		"+91 80811 72177": "tel:+918081172177",
		"(030) 1234-567":  "tel:0301234567",
		"ext. 12 + 3":     "tel:123",
		"call me":         "",
	} {
		if got := TelURI(in); got != want {
			t.Errorf("TelURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDisplayURLAndSameAddress(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/rohit01/": "github.com/rohit01",
		"HTTP://www.rohit.io":         "www.rohit.io",
		"mailto:a@b.c":                "a@b.c",
		"tel:+4930":                   "+4930",
		"https://":                    "https://",
	} {
		if got := DisplayURL(in); got != want {
			t.Errorf("DisplayURL(%q) = %q, want %q", in, got, want)
		}
	}
	if !SameAddress("www.rohit.io", "http://www.rohit.io/") || !SameAddress("rohit.io", "https://www.rohit.io") {
		t.Error("an address written without its scheme or www. is the same address")
	}
	if SameAddress("GitHub", "https://github.com") {
		t.Error("a name is not the address")
	}
}
