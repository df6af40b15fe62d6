package web

import (
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// response is a finished representation: everything needed to answer a GET, a HEAD, a
// range or a conditional request for it without rendering again.
type response struct {
	status       int
	contentType  string
	body         []byte
	etag         string // weak: a compressed and the plain body are the same representation
	lastModified time.Time
	csp          string // empty: baseCSP
	vary         string
	language     string // Content-Language
	disposition  string // Content-Disposition, for downloads
}

// newResponse finishes a response with its ETag: from tag, which names the profile
// version and the format, plus the body's own digest, so that a change of template or
// host shows too.
func newResponse(status int, contentType string, body []byte, tag string, modified time.Time) *response {
	sum := sha256.Sum256(body)
	digest := base64.RawURLEncoding.EncodeToString(sum[:9])
	etag := `W/"` + digest + `"`
	if tag != "" {
		etag = `W/"` + tag + "." + digest + `"`
	}
	return &response{status: status, contentType: contentType, body: body, etag: etag, lastModified: modified}
}

// cacheKey names one rendering: of which profile version, in which format, for which
// host. Reloading a profile changes its hash, so stale entries are never hit again and
// age out of the cache.
type cacheKey struct {
	handle, hash string
	variant      string // "html", "json", "ansi-dark-80", …
	host         string // the host shown in ssh commands
	catalog      string // for pages that list other CVs: the list's fingerprint
	lang         string // the language of the CV ("" for pages of no one CV)
	translated   bool   // the CV has several languages: the response varies with Accept-Language
}
