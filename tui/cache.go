package tui

import "github.com/sshcv/sshcv/internal/memo"

// lru is the renderer's bounded cache: a value is built once however many sessions ask
// for it at the same time (a burst of first visitors lays a CV out once).
type lru[K comparable, V any] struct{ c *memo.Cache[K, V] }

func newLRU[K comparable, V any](size int) *lru[K, V] {
	return &lru[K, V]{c: memo.New[K, V](size)}
}

// get returns the value for k, calling build to make it when it is not cached.
func (c *lru[K, V]) get(k K, build func() V) V {
	v, _ := c.c.Get(k, func() (V, error) { return build(), nil })
	return v
}
