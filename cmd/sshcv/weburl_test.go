package main

import (
	"strings"
	"testing"
)

func TestWebBase(t *testing.T) {
	for _, tc := range []struct{ explicit, host, web, want string }{
		{"", "cv.rohit.io", "", ""},
		{"", "cv.rohit.io", ":80", "https://cv.rohit.io"},
		{"", "cv.rohit.io:2222", ":8080", "https://cv.rohit.io"},
		{"", "", "127.0.0.1:8306", "http://127.0.0.1:8306"},
		{"", "", "127.0.0.1:80", "http://127.0.0.1"},
		{"", "", ":8306", "http://localhost:8306"},
		{"https://cv.rohit.io/", "cv.rohit.io", ":8080", "https://cv.rohit.io"},
	} {
		got, err := webBase(tc.explicit, tc.host, tc.web)
		if err != nil || got != tc.want {
			t.Errorf("webBase(%q, %q, %q) = %q, %v; want %q", tc.explicit, tc.host, tc.web, got, err, tc.want)
		}
	}
	for _, bad := range []string{"cv.rohit.io", "ftp://cv.rohit.io", "https://", "https://cv.rohit.io/?a=1"} {
		if _, err := webBase(bad, "", ":80"); err == nil || !strings.Contains(err.Error(), "--web-url") {
			t.Errorf("webBase(%q): %v, want an error naming --web-url", bad, err)
		}
	}
}
