// Package memo is the bounded, build-once cache shared by the viewer's renderer and the
// web side: a least-recently-used cache (hashicorp/golang-lru) in front of a
// singleflight group, so that a burst of requests for a value nobody has asked for yet
// builds it once while the others wait for that one build.
package memo

import (
	"fmt"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// Cache holds at most its size of values; it is safe for concurrent use.
type Cache[K comparable, V any] struct {
	lru    *lru.Cache[K, V]
	flight singleflight.Group
}

// New returns a cache of at most size values (at least one).
func New[K comparable, V any](size int) *Cache[K, V] {
	c, err := lru.New[K, V](max(size, 1))
	if err != nil {
		panic("memo: " + err.Error()) // only for a size below one, ruled out above
	}
	return &Cache[K, V]{lru: c}
}

// Get returns the value for k, calling build to make it when it is not cached. Callers
// asking for the same missing key at the same time share one call of build; a value
// build fails to make is not cached.
func (c *Cache[K, V]) Get(k K, build func() (V, error)) (V, error) {
	if v, ok := c.lru.Get(k); ok {
		return v, nil
	}
	// Keys are small structs of strings, numbers and pointers; %#v names each one
	// uniquely, and only a miss, which builds a whole value, pays for it.
	v, err, _ := c.flight.Do(fmt.Sprintf("%#v", k), func() (any, error) {
		if v, ok := c.lru.Get(k); ok {
			return v, nil
		}
		v, err := build()
		if err != nil {
			return v, err
		}
		c.lru.Add(k, v)
		return v, nil
	})
	return v.(V), err
}

// Peek returns the cached value for k without building it or refreshing its place.
func (c *Cache[K, V]) Peek(k K) (V, bool) { return c.lru.Peek(k) }

// Len reports how many values are cached.
func (c *Cache[K, V]) Len() int { return c.lru.Len() }
