package web

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sshcv/sshcv/internal/testenv"
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

// pdfText is the text of p's PDF as pdftotext reads it, without the footer of each
// page (the name and "N/M"), so that a paragraph continued on the next page reads as
// one; then the targets of its link annotations, as a page's text is followed by its
// hrefs.
func pdfText(t *testing.T, p *profiles.Profile) string {
	t.Helper()
	bin := testenv.Program(t, "pdftotext")
	data, err := pdf.Render(p, pdf.A4)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cv.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	footer := regexp.MustCompile(`^\d+ ?/ ?\d+$`)
	var b strings.Builder
	for _, page := range strings.Split(string(out), "\f") {
		var lines []string
		for _, l := range strings.Split(page, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if n := len(lines); n > 1 && footer.MatchString(lines[n-1]) {
			lines = lines[:n-2] // the name, then the page number
		}
		b.WriteString(strings.Join(lines, "\n") + "\n")
	}
	unescape := strings.NewReplacer(`\\`, `\`, `\(`, "(", `\)`, ")")
	for _, m := range uriRE.FindAllSubmatch(data, -1) {
		b.WriteString(" " + unescape.Replace(string(m[1])) + " ")
	}
	return b.String()
}

// uriRE finds the target of a link annotation in a PDF's bytes.
var uriRE = regexp.MustCompile(`/URI \(((?:\\.|[^\\)])*)\)`)
