// Package pdftest reads the PDFs sshcv writes the way a reader's tools do, with
// poppler-utils: pdftotext for the text, pdfinfo for the metadata and pdftoppm for a
// picture of a page. A missing program skips the test (fails it under CI=true), as
// internal/testenv decides.
//
// The package is imported only by _test.go files.
package pdftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sshcv/sshcv/internal/testenv"
)

// write saves data in a temporary file for a program to read.
func write(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cv.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), testenv.Program(t, name), args...).CombinedOutput() //nolint:gosec // a test tool found by testenv.Program, with the test's own arguments
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}

// Text is what pdftotext reads from a document; pages end in a form feed. args go
// before the file ("-layout" keeps the page's columns).
func Text(t testing.TB, data []byte, args ...string) string {
	t.Helper()
	return run(t, "pdftotext", append(append([]string{"-enc", "UTF-8"}, args...), write(t, data), "-")...)
}

// footerRE is the page number of a footer, as pdftotext reads "2 / 5".
var footerRE = regexp.MustCompile(`^\d+ ?/ ?\d+$`)

// Body is the text of every page without its footer (the name, then the page number),
// so that a paragraph continued on the next page reads as one.
func Body(t testing.TB, data []byte, name string) string {
	t.Helper()
	var b strings.Builder
	for _, page := range strings.Split(Text(t, data), "\f") {
		var lines []string
		for _, l := range strings.Split(page, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if n := len(lines); n > 0 && footerRE.MatchString(lines[n-1]) {
			lines = lines[:n-1]
			if n > 1 && lines[n-2] == name {
				lines = lines[:n-2]
			}
		}
		b.WriteString(strings.Join(lines, "\n") + "\n")
	}
	return b.String()
}

// IsFooter reports whether a line of Text is a footer's page number.
func IsFooter(line string) bool { return footerRE.MatchString(strings.TrimSpace(line)) }

// uriRE finds the target of a link annotation in a PDF's bytes (sshcv writes them
// uncompressed, in the page objects).
var uriRE = regexp.MustCompile(`/URI \(((?:\\.|[^\\)])*)\)`)

// Links are the targets of the document's link annotations, in order.
func Links(data []byte) []string {
	unescape := strings.NewReplacer(`\\`, `\`, `\(`, "(", `\)`, ")")
	matches := uriRE.FindAllSubmatch(data, -1)
	out := make([]string, 0, len(matches))
	for _, m := range matches {
		out = append(out, unescape.Replace(string(m[1])))
	}
	return out
}

// Info is pdfinfo's report on a document, as "Key: value" pairs.
func Info(t testing.TB, data []byte) map[string]string {
	t.Helper()
	info := map[string]string{}
	for _, line := range strings.Split(run(t, "pdfinfo", write(t, data)), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}

// SavePage writes the document and a PNG of its page 1 under the artifacts folder,
// for a person to look at, and returns the picture's path.
func SavePage(t testing.TB, data []byte, name string) string {
	t.Helper()
	dir := testenv.ArtifactsDir(t)
	path := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path, filepath.Join(dir, name))
	t.Logf("page 1: %s", filepath.Join(dir, name+".png"))
	return filepath.Join(dir, name+".png")
}
