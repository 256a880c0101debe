package store

import (
	"fmt"
	"os"
	"strings"
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
