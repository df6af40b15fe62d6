package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// signatureProfiles writes a one-CV profiles folder and returns it.
func signatureProfiles(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cv := "---\nname: Rohit Gupta\nheadline: Production Engineer\naliases: [rohit01]\naccent: \"#FF5F87\"\n---\n\n" +
		"# Rohit Gupta\n\nhello@rohit.io\n\n## Experience\n\nOla, since January 2016.\n"
	if err := os.WriteFile(filepath.Join(dir, "rohit.md"), []byte(cv), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runSignatureArgs(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = runSignature(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSignatureText(t *testing.T) {
	dir := signatureProfiles(t)
	code, out, errOut := runSignatureArgs("rohit", "--host", "cv.rohit.io", "--profiles", dir, "--format", "text")
	want := "Rohit Gupta\nProduction Engineer\nCV: ssh rohit@cv.rohit.io\n    https://cv.rohit.io/rohit\n"
	if code != 0 || out != want || errOut != "" {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
}

func TestSignatureHTMLFromAlias(t *testing.T) {
	dir := signatureProfiles(t)
	code, out, _ := runSignatureArgs("rohit01", "--host", "cv.rohit.io", "--port", "2222", "--web", "https://rohit.io", "--profiles", dir, "--format", "html")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{`<a href="https://rohit.io/rohit"`, `>ssh -p 2222 rohit@cv.rohit.io</a>`, `<strong>Rohit Gupta</strong>`} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML signature lacks %s:\n%s", want, out)
		}
	}
}

func TestSignatureBothFromEnvironment(t *testing.T) {
	dir := signatureProfiles(t)
	t.Setenv("SSHCV_HOST", "cv.example.com")
	t.Setenv("SSHCV_PROFILES", dir)
	code, out, _ := runSignatureArgs("rohit")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Plain text", "CV: ssh rohit@cv.example.com\n", "HTML (", `<a href="https://cv.example.com/rohit"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSignatureErrors(t *testing.T) {
	dir := signatureProfiles(t)
	t.Setenv("SSHCV_HOST", "")
	cases := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"nobody", "--host", "cv.rohit.io", "--profiles", dir}, 1, "sshcv signature: no CV named \"nobody\""},
		{[]string{"rohit", "--profiles", dir}, 2, "sshcv signature: --host is required"},
		{[]string{"rohit", "--host", "cv.rohit.io:2222", "--profiles", dir}, 2, "the port goes in --port"},
		{[]string{"rohit", "--host", "cv.rohit.io", "--port", "0", "--profiles", dir}, 2, "--port 0: expected 1 to 65535"},
		{[]string{"rohit", "--host", "cv.rohit.io", "--web", "javascript:alert(1)", "--profiles", dir}, 2, "expected an http or https address"},
		{[]string{"rohit", "--host", "cv.rohit.io", "--format", "pdf", "--profiles", dir}, 2, "--format \"pdf\": expected text, html or both"},
		{[]string{}, 2, "Usage: sshcv signature HANDLE"},
	}
	for _, c := range cases {
		code, out, errOut := runSignatureArgs(c.args...)
		if code != c.code || !strings.Contains(errOut, c.stderr) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit %d and %q", c.args, code, errOut, out, c.code, c.stderr)
		}
		if c.code == 1 && strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: want a one-line error, got %q", c.args, errOut)
		}
	}
}
