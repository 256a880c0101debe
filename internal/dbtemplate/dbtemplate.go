// Package dbtemplate keeps template databases: a database built once (its
// migrations run, its fixtures loaded, bcrypt paid) and copied for every
// emulator that starts from the same state, which takes a few
// milliseconds. whmcstest's servers and the module's own tests start from
// such copies.
package dbtemplate

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/whmcsemu/whmcsemu/store"
)

// Template is a built database: the bytes of its file (closed, so with its
// WAL checkpointed into it) and what its build reported.
type Template[T any] struct {
	DB   []byte
	Meta T
}

// CopyTo writes the database to a new file at path, mode 0600, which the
// store opens without checking it first (the template is a file this
// process's store wrote and closed).
func (t *Template[T]) CopyTo(path string) error {
	return store.WriteTrustedCopy(path, t.DB)
}

// Cache builds each template once, on first use, and keeps at most Max of
// them (the oldest goes first; 0 means no bound). It is safe for
// concurrent use; a template being built holds up only those who wait for
// the same key.
type Cache[T any] struct {
	Max int

	mu    sync.Mutex
	byKey map[string]*entry[T]
	order []string
}

type entry[T any] struct {
	once sync.Once
	t    *Template[T]
	err  error
}

// Get returns the template for key, building it first if needed: build
// must create the database at path (a file in a directory of its own,
// removed afterwards) and close it, and returns what the template carries
// besides the file. A failed build is remembered as failed.
func (c *Cache[T]) Get(key string, build func(path string) (T, error)) (*Template[T], error) {
	c.mu.Lock()
	e, ok := c.byKey[key]
	if !ok {
		if c.byKey == nil {
			c.byKey = map[string]*entry[T]{}
		}
		if c.Max > 0 && len(c.order) >= c.Max {
			delete(c.byKey, c.order[0])
			c.order = c.order[1:]
		}
		e = &entry[T]{}
		c.byKey[key] = e
		c.order = append(c.order, key)
	}
	c.mu.Unlock()
	e.once.Do(func() { e.t, e.err = buildTemplate(build) })
	return e.t, e.err
}

func buildTemplate[T any](build func(path string) (T, error)) (*Template[T], error) {
	dir, err := os.MkdirTemp("", "whmcsemu-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	meta, err := build(path)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return &Template[T]{DB: data, Meta: meta}, nil
}
