package web

import (
	"net/http/httptest"
	"testing"
)

func TestIsTerminalAgent(t *testing.T) {
	for ua, want := range map[string]bool{
		"curl/8.5.0":         true,
		"Wget/1.21.4":        true,
		"HTTPie/3.2.2":       true,
		"xh/0.22.0":          true,
		"fetch libfetch/2.0": true,
		"Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.1":      true,
		"Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.1": true,
		browserAgent:                     false,
		"Lynx/2.9.0 libwww-FM/2.14":      false, // a text browser reads HTML well
		"Go-http-client/1.1":             false,
		"":                               false,
		"Mozilla/5.0 (compatible; curl)": false,
	} {
		if got := isTerminalAgent(ua); got != want {
			t.Errorf("isTerminalAgent(%q) = %v, want %v", ua, got, want)
		}
	}
}

func TestPrefersPlainText(t *testing.T) {
	for accept, want := range map[string]bool{
		"":                                  false,
		"*/*":                               false,
		"text/plain":                        true,
		"text/plain, */*;q=0.1":             true,
		"text/*":                            false,
		browserAccept:                       false,
		"text/html;q=0.9, text/plain":       true,
		"text/plain;q=0.5, text/html":       false,
		"text/plain;q=0, */*":               false,
		"application/json":                  false,
		"TEXT/PLAIN; charset=utf-8":         true,
		"text/plain;q=0.8, text/*;q=0.9":    false, // text/html falls under text/*
		"text/plain;q=abc, text/html;q=0.5": false, // a q-value that is no number reads as 0
	} {
		var values []string
		if accept != "" {
			values = []string{accept}
		}
		if got := prefersPlainText(values); got != want {
			t.Errorf("prefersPlainText(%q) = %v, want %v", accept, got, want)
		}
	}
}

// TestCompressionFollowsAcceptEncoding: the page goes compressed exactly to clients
// that accept gzip or zstd.
func TestCompressionFollowsAcceptEncoding(t *testing.T) {
	s := newTestServer(t)
	for header, want := range map[string]string{
		"":                     "",
		"gzip":                 "gzip",
		"gzip, deflate, br":    "gzip",
		"br;q=1.0, gzip;q=0.8": "gzip",
		"gzip;q=0":             "",
		"gzip;q=0.0, identity": "",
		"identity":             "",
		"zstd":                 "zstd",
	} {
		resp := s.get("/rohit", "Accept", browserAccept, "Accept-Encoding", header)
		_ = readBody(t, resp)
		if got := resp.Header.Get("Content-Encoding"); got != want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", header, got, want)
		}
	}
}

func TestRequestHost(t *testing.T) {
	for host, want := range map[string]string{
		"cv.rohit.io":        "cv.rohit.io",
		"CV.Rohit.IO:8080":   "cv.rohit.io",
		"127.0.0.1:8080":     "127.0.0.1",
		"[::1]:8080":         "::1",
		"[2001:db8::1]":      "2001:db8::1",
		"evil<script>":       "localhost",
		"a b":                "localhost",
		"-bad.example":       "localhost",
		"":                   "localhost",
		"host.example.:8080": "localhost",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		if got := requestHost(r); got != want {
			t.Errorf("requestHost(%q) = %q, want %q", host, got, want)
		}
	}
}
