package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/sshcv/sshcv/web"
)

// runSignature prints the email-signature snippet for one CV: as plain text, and as HTML
// whose link leads to the CV's web page and reads as the ssh command.
func runSignature(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("signature", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ef := &envFlags{fs: fs}
	var (
		dir, host, webURL, format string
		port                      int
	)
	ef.String(&host, "host", "SSHCV_HOST", "", "the public name visitors type after @, e.g. cv.example.com")
	ef.String(&dir, "profiles", "SSHCV_PROFILES", "", "folder of profiles (default: the bundled CVs)")
	fs.IntVar(&port, "port", 22, "the SSH port visitors connect to; shown as ssh -p PORT when not 22")
	fs.StringVar(&webURL, "web", "", "the CV's web address, or the site's (https://cv.example.com) to which /HANDLE is added (default https://HOST/HANDLE)")
	fs.StringVar(&format, "format", "both", "text, html or both")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: sshcv signature HANDLE [--host NAME] [--port N] [--web URL] [--format text|html|both] [--profiles DIR]")
		fmt.Fprintln(stderr, "\nPrints an email signature that gives the ssh command and links to the CV's web page.")
		fs.PrintDefaults()
	}
	rest, code, done := ef.parse(args, 1, stderr)
	if done {
		return code
	}
	if len(rest) == 0 {
		fs.Usage()
		return 2
	}
	handle := rest[0]
	if err := checkSignatureFlags(host, port, webURL, format); err != nil {
		fmt.Fprintln(stderr, "sshcv signature:", err)
		return 2
	}
	p, ok := findProfile("signature", dir, handle, stderr)
	if !ok {
		return 1
	}
	text := web.SignatureText(p, host, port, webURL)
	html := web.SignatureHTML(p, host, port, webURL)
	switch format {
	case "text":
		fmt.Fprint(stdout, text)
	case "html":
		fmt.Fprint(stdout, html)
	default:
		fmt.Fprintf(stdout, "Plain text (for plain-text mail and clients without rich signatures):\n\n%s\n", text)
		fmt.Fprintf(stdout, "HTML (save it as signature.html, open it in a browser, select all, copy, and paste\n"+
			"into the signature settings of Gmail, Apple Mail or Outlook):\n\n%s", html)
	}
	return 0
}

// checkSignatureFlags rejects flag values that would make a signature that leads nowhere.
func checkSignatureFlags(host string, port int, webURL, format string) error {
	if host == "" {
		return fmt.Errorf("--host is required (or SSHCV_HOST): the public name visitors type after @, e.g. cv.example.com")
	}
	if strings.ContainsAny(host, "/@: \t") {
		return fmt.Errorf("--host %q: expected a host name such as cv.example.com (the port goes in --port)", host)
	}
	if port < 1 || port > 65535 {
		return fmt.Errorf("--port %d: expected 1 to 65535", port)
	}
	if webURL != "" {
		u, err := url.Parse(webURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("--web %q: expected an http or https address such as https://cv.example.com", webURL)
		}
	}
	switch format {
	case "text", "html", "both":
		return nil
	}
	return fmt.Errorf("--format %q: expected text, html or both", format)
}
