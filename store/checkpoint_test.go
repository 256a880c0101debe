package store

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestCommittedPagesReachTheDatabaseFile: the writer does not checkpoint
// itself, so the file grows only when the background checkpoint (or the
// writer, once the WAL is past its bound) copies pages into it.
func TestCommittedPagesReachTheDatabaseFile(t *testing.T) {
	db, path := openTemp(t)
	ctx := t.Context()
	size := func() int64 {
		info, err := os.Stat(path)
		require.NoError(t, err)
		return info.Size()
	}
	write := func(i int) {
		require.NoError(t, db.Update(ctx, func(tx *Tx) error {
			_, err := tx.PutOAuthCredential(ctx, OAuthCredential{Identifier: fmt.Sprint("c-", i), Secret: "s",
				Description: strings.Repeat("x", 10000), GrantTypes: "single_sign_on"})
			return err
		}))
	}

	before := size()
	for i := range checkpointEvery - 1 {
		write(i)
	}
	require.Equal(t, before, size(), "no checkpoint before checkpointEvery commits")
	write(checkpointEvery)
	require.Eventually(t, func() bool { return size() > before }, 10*time.Second, 5*time.Millisecond,
		"the background checkpoint copies the commits into the file")

	// Past the WAL's bound the writer checkpoints itself after its next
	// commit, before Update returns (the background one stopped first, so
	// that it is the writer's doing).
	require.NoError(t, db.checkpoints.close())
	before = size()
	db.checkpoints.behind.Store(true)
	write(checkpointEvery + 1)
	require.Greater(t, size(), before)
	require.False(t, db.checkpoints.behind.Load())
}

// TestWALStaysBoundedUnderLoad: with writes queueing all the time and
// readers in the WAL, the writer takes over the checkpoint once the WAL
// is past its bound and keeps it there until SQLite restarts the WAL.
// (When the writer gave up after one checkpoint, the WAL of this test
// grew to 10 or 15 times the bound.)
func TestWALStaysBoundedUnderLoad(t *testing.T) {
	const limit = 1000
	was := walLimitFrames
	walLimitFrames = limit // the checkpointer copies it as it starts
	db, path := openTemp(t)
	walLimitFrames = was
	ctx := t.Context()
	writers, each := 16, 1500
	if raceEnabled {
		each = 100
	}
	var wg sync.WaitGroup
	var writing atomic.Int32
	writing.Store(int32(writers))
	for g := range writers {
		wg.Go(func() {
			defer writing.Add(-1)
			for i := range each {
				require.NoError(t, db.Update(ctx, func(tx *Tx) error {
					_, err := tx.PutOAuthCredential(ctx, OAuthCredential{Identifier: fmt.Sprint(g, "-", i), Secret: "s",
						Description: strings.Repeat("d", 500), GrantTypes: "single_sign_on"})
					return err
				}))
			}
		})
	}
	for range 3 {
		wg.Go(func() {
			for writing.Load() > 0 {
				require.NoError(t, db.View(ctx, func(tx *Tx) error {
					_, err := tx.sqlOAuthCredentialByID(ctx, 1)
					if errors.Is(err, ErrNotFound) {
						return nil
					}
					return err
				}))
			}
		})
	}
	var largest int64
	for writing.Load() > 0 {
		if info, err := os.Stat(path + "-wal"); err == nil {
			largest = max(largest, info.Size())
		}
		time.Sleep(time.Millisecond)
	}
	wg.Wait()
	const frame = 4096 + 24
	t.Logf("largest WAL: %d frames, bound %d", largest/frame, limit)
	require.Less(t, largest, int64(4*limit*frame), "the WAL stays within a few times its bound")
}
