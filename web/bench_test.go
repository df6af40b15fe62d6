package web

import (
	"io"
	"net/http/httptest"
	"testing"
)

// BenchmarkPage is one visit of a cached page from a browser: negotiation, validators,
// compression and the headers, without the rendering.
func BenchmarkPage(b *testing.B) {
	for _, c := range []struct{ name, encoding string }{{"identity", ""}, {"gzip", "gzip, deflate, br"}} {
		b.Run(c.name, func(b *testing.B) {
			s := newTestServer(b)
			req := httptest.NewRequest("GET", "/rohit", nil)
			req.Header.Set("Accept", browserAccept)
			if c.encoding != "" {
				req.Header.Set("Accept-Encoding", c.encoding)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.handler.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
				b.SetBytes(int64(rec.Body.Len()))
				_, _ = io.Copy(io.Discard, rec.Body)
			}
		})
	}
}
