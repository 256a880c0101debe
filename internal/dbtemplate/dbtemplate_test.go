package dbtemplate

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuildsOnceAndCopies(t *testing.T) {
	var c Cache[string]
	var builds atomic.Int32
	build := func(path string) (string, error) {
		builds.Add(1)
		return "meta", os.WriteFile(path, []byte("db"), 0o600)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			tpl, err := c.Get("a", build)
			assert.NoError(t, err)
			assert.Equal(t, "meta", tpl.Meta)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, builds.Load())

	tpl, err := c.Get("a", build)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "copy.db")
	require.NoError(t, tpl.CopyTo(path))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "db", string(data))
}

func TestFailedBuildAndBound(t *testing.T) {
	c := Cache[int]{Max: 1}
	_, err := c.Get("bad", func(string) (int, error) { return 0, errors.New("broken") })
	assert.EqualError(t, err, "broken")
	_, err = c.Get("bad", func(path string) (int, error) { return 1, os.WriteFile(path, nil, 0o600) })
	assert.EqualError(t, err, "broken", "a failed build is remembered")

	n := 0
	build := func(path string) (int, error) { n++; return n, os.WriteFile(path, nil, 0o600) }
	first, err := c.Get("x", build) // evicts "bad"
	require.NoError(t, err)
	_, err = c.Get("y", build) // evicts "x"
	require.NoError(t, err)
	again, err := c.Get("x", build)
	require.NoError(t, err)
	assert.Equal(t, 1, first.Meta)
	assert.Equal(t, 3, again.Meta, "rebuilt after eviction")
}
