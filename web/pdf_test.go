package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sshcv/sshcv/internal/pdftest"
	"github.com/sshcv/sshcv/pdf"
	"github.com/sshcv/sshcv/profiles"
)

func TestPDF(t *testing.T) {
	s := newTestServer(t)
	want, err := pdf.Render(rohit(t), pdf.A4)
	if err != nil {
		t.Fatal(err)
	}
	resp := s.get("/rohit.pdf")
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || body != string(want) {
		t.Fatalf("/rohit.pdf: %d %q, %d bytes (want %d)", resp.StatusCode, resp.Header.Get("Content-Type"), len(body), len(want))
	}
	if got := resp.Header.Get("Content-Disposition"); got != `inline; filename="rohit.pdf"` {
		t.Errorf("Content-Disposition %q", got)
	}

	// The same profile gives the same bytes, so the ETag holds across servers and restarts.
	tag := resp.Header.Get("ETag")
	if again := newTestServer(t).get("/rohit.pdf").Header.Get("ETag"); tag == "" || again != tag {
		t.Errorf("ETag %q, then %q from a new server", tag, again)
	}
	if r := s.get("/rohit.pdf", "If-None-Match", tag); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", r.StatusCode)
	}

	letter := readBody(t, s.get("/rohit.pdf?paper=letter"))
	if !strings.Contains(letter, "/MediaBox [0 0 612.00 792.00]") || !strings.Contains(body, "/MediaBox [0 0 595.28 841.89]") {
		t.Error("?paper=letter is not US Letter, or the default is not A4")
	}
	if r := s.get("/rohit.pdf?paper=a5"); r.StatusCode != http.StatusBadRequest || !strings.Contains(readBody(t, r), "?paper=letter") {
		t.Errorf("?paper=a5: status %d, want 400 naming the sizes", r.StatusCode)
	}
	if r := s.get("/rohit01.pdf"); r.StatusCode != http.StatusFound || r.Header.Get("Location") != "/rohit.pdf" {
		t.Errorf("/rohit01.pdf: %d to %q, want a redirect to /rohit.pdf", r.StatusCode, r.Header.Get("Location"))
	}

	page := readBody(t, s.get("/rohit", "Accept", browserAccept, "User-Agent", browserAgent))
	if !strings.Contains(page, `<a href="/rohit.pdf" type="application/pdf">PDF</a>`) {
		t.Error("the CV page has no PDF link")
	}
}

// pdfText is the text of p's PDF without its page footers, then the targets of its
// link annotations, as a page's text is followed by its hrefs.
func pdfText(t *testing.T, p *profiles.Profile) string {
	t.Helper()
	data, err := pdf.Render(p, pdf.A4)
	if err != nil {
		t.Fatal(err)
	}
	return pdftest.Body(t, data, p.Name) + " " + strings.Join(pdftest.Links(data), " ")
}
