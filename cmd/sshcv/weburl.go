package main

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// webBase is the public address of the web pages, as QR codes give it: --web-url when
// set (it must be an http or https address); else https:// and the --host name, the
// address `sshcv signature` assumes too (the pages behind a proxy that terminates TLS);
// else, with no public name known, http:// and the address the web side listens on
// (localhost for all interfaces). It is "" when there is no web side.
func webBase(explicit, host, webAddr string) (string, error) {
	if explicit != "" {
		u, err := url.Parse(explicit)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return "", fmt.Errorf("--web-url %q: expected an address such as https://cv.example.com", explicit)
		}
		return strings.TrimRight(explicit, "/"), nil
	}
	if webAddr == "" {
		return "", nil
	}
	if host != "" {
		name := host
		if h, _, err := net.SplitHostPort(host); err == nil {
			name = h
		}
		return (&url.URL{Scheme: "https", Host: name}).String(), nil
	}
	name, port, err := net.SplitHostPort(webAddr)
	if err != nil {
		return "", nil //nolint:nilerr // startHTTP reports a bad --web address
	}
	if name == "" || name == "0.0.0.0" || name == "::" {
		name = "localhost"
	}
	u := url.URL{Scheme: "http", Host: name}
	if n, err := strconv.Atoi(port); err == nil && n != 80 {
		u.Host = net.JoinHostPort(name, port)
	}
	return u.String(), nil
}
