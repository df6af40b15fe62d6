package main

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// webBase is the public address of the web pages, as QR codes give it: --web-url when
// set (it must be an http or https address), else http:// with the --host name (or the
// host the web side listens on, or localhost) and the --web port unless it is 80. It is
// "" when there is no web side.
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
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	listenHost, port, err := net.SplitHostPort(webAddr)
	if err != nil {
		return "", nil // startHTTP reports a bad --web address
	}
	if name == "" {
		name = listenHost
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
