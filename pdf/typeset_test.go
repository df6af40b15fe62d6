package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sshcv/sshcv/internal/testenv"
)

// pdfText is what pdftotext reads from a document, laid out as on the page.
func pdfText(t *testing.T, data []byte, args ...string) string {
	t.Helper()
	bin := testenv.Program(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "cv.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, append(append([]string{"-enc", "UTF-8"}, args...), path, "-")...).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// pdfInfo is pdfinfo's report on a document, as "Key: value" pairs.
func pdfInfo(t *testing.T, data []byte) map[string]string {
	t.Helper()
	bin := testenv.Program(t, "pdfinfo")
	path := filepath.Join(t.TempDir(), "cv.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}

// savePage writes page 1 as a PNG under the artifacts folder, for a person to look at.
func savePage(t *testing.T, data []byte, name string) string {
	t.Helper()
	bin := testenv.Program(t, "pdftoppm")
	dir := testenv.ArtifactsDir(t)
	path := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path, filepath.Join(dir, name)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	t.Logf("page 1: %s", filepath.Join(dir, name+".png"))
	return filepath.Join(dir, name+".png")
}

func sample(t *testing.T, paper Paper) []byte {
	t.Helper()
	ts := newTypesetter(paper, "Jane Doe — CV", "Jane Doe", RGB{0x7d, 0x56, 0xf4})
	ts.header("Jane Doe", "Engineer", "Łódź", []span{{text: "jane@example.com", url: "mailto:jane@example.com"}, {text: "example.com", url: "https://example.com"}})
	for s := 0; s < 6; s++ {
		ts.heading("Experience")
		for e := 0; e < 3; e++ {
			ts.entry("Staff engineer at a company with a long name", []span{{text: "Jan 2016 – Present · Berlin"}})
			ts.paragraph([]span{{text: "Built "}, {text: "things", bold: true}, {text: " at scale; see "}, {text: "the blog", url: "https://blog.example.com"}, {text: ". Emoji 😀 and ǹ and ✓ and 中."}}, 0)
			ts.bullet("•", []span{{text: "Cut costs by half with a change that took a week to write and a year to roll out everywhere."}}, 0)
		}
	}
	data, err := ts.bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestTypesetter(t *testing.T) {
	a, b := sample(t, A4), sample(t, A4)
	if !bytes.Equal(a, b) {
		t.Fatal("the same content gave different bytes")
	}
	savePage(t, a, "typeset-sample")
	text := pdfText(t, a, "-layout")
	t.Log(text[:min(len(text), 3000)])
	info := pdfInfo(t, a)
	t.Log(info)
}
