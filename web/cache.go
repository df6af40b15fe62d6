package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"time"
)

// response is a finished representation: everything needed to answer a GET, a HEAD or
// a conditional request for it without rendering again.
type response struct {
	status       int
	contentType  string
	body         []byte
	gzipped      []byte // nil when compression does not pay
	etag         string // weak: the gzipped and the plain body are the same representation
	lastModified time.Time
	csp          string // empty: baseCSP
	vary         string
	disposition  string // Content-Disposition, for downloads
}

// minGzipSize: below this the gzip header and the CPU cost more than they save.
const minGzipSize = 512

// newResponse finishes a response: the ETag (from tag, which names the profile version
// and the format, plus the body's own digest, so that a change of template or host shows
// too) and the compressed body.
func newResponse(status int, contentType string, body []byte, tag string, modified time.Time) *response {
	sum := sha256.Sum256(body)
	digest := base64.RawURLEncoding.EncodeToString(sum[:9])
	etag := `W/"` + digest + `"`
	if tag != "" {
		etag = `W/"` + tag + "." + digest + `"`
	}
	r := &response{status: status, contentType: contentType, body: body, etag: etag, lastModified: modified}
	if len(body) >= minGzipSize {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression) // level is valid: no error
		_, _ = zw.Write(body)
		if zw.Close() == nil && b.Len() < len(body) {
			r.gzipped = b.Bytes()
		}
	}
	return r
}

// cacheKey names one rendering: of which profile version, in which format, for which host.
type cacheKey struct {
	handle, hash string
	variant      string // "html", "json", "ansi-dark-80", …
	host         string // the host shown in ssh commands
	catalog      string // for pages that list other CVs: the list's fingerprint
}

// responseCache keeps the most recently used renderings. Reloading a profile changes its
// hash, so stale entries are never hit again and age out.
type responseCache struct {
	mu      sync.Mutex
	max     int
	order   *list.List // front: most recently used; values are *cacheEntry
	entries map[cacheKey]*list.Element
}

type cacheEntry struct {
	key cacheKey
	r   *response
}

func newResponseCache(max int) *responseCache {
	return &responseCache{max: max, order: list.New(), entries: make(map[cacheKey]*list.Element)}
}

func (c *responseCache) get(k cacheKey) (*response, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).r, true
}

func (c *responseCache) put(k cacheKey, r *response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		e.Value.(*cacheEntry).r = r
		c.order.MoveToFront(e)
		return
	}
	c.entries[k] = c.order.PushFront(&cacheEntry{k, r})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*cacheEntry).key)
	}
}

func (c *responseCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
