package tui

import (
	"container/list"
	"sync"
)

// lru is a bounded cache safe for concurrent use. A value is built once however many
// goroutines ask for it at the same time: the first builds, the others wait for it.
type lru[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used; elements hold *lruEntry
	items map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key   K
	once  sync.Once
	value V
}

func newLRU[K comparable, V any](max int) *lru[K, V] {
	return &lru[K, V]{max: max, order: list.New(), items: make(map[K]*list.Element)}
}

// get returns the value for k, calling build to make it when it is not cached.
func (c *lru[K, V]) get(k K, build func() V) V {
	c.mu.Lock()
	var e *lruEntry[K, V]
	if el, ok := c.items[k]; ok {
		c.order.MoveToFront(el)
		e = el.Value.(*lruEntry[K, V])
	} else {
		e = &lruEntry[K, V]{key: k}
		c.items[k] = c.order.PushFront(e)
		for c.order.Len() > c.max {
			oldest := c.order.Back()
			c.order.Remove(oldest)
			delete(c.items, oldest.Value.(*lruEntry[K, V]).key)
		}
	}
	c.mu.Unlock()
	e.once.Do(func() { e.value = build() })
	return e.value
}

// len reports how many values are cached.
func (c *lru[K, V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
