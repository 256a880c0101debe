package store

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBannedIPsInMemory: the in-memory ban list shows a committed ban,
// not a rolled-back one, follows an expiry, a lift and a wipe, and is read
// again when the database is opened.
func TestBannedIPsInMemory(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "bans.db")
	db, err := Open(ctx, path)
	require.NoError(t, err)
	put := func(b BannedIP) error {
		return db.Update(ctx, func(tx *Tx) error { _, err := tx.PutBannedIP(ctx, b); return err })
	}

	errRollback := errors.New("roll back")
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.PutBannedIP(ctx, BannedIP{IP: "192.0.2.1"}); err != nil {
			return err
		}
		return errRollback
	})
	require.ErrorIs(t, err, errRollback)
	assert.False(t, db.IPBanned("192.0.2.1", 100), "rolled back")

	require.NoError(t, put(BannedIP{IP: "192.0.2.1", Expires: 200}))
	require.NoError(t, put(BannedIP{IP: "192.0.2.2"}))
	assert.True(t, db.IPBanned("192.0.2.1", 199))
	assert.False(t, db.IPBanned("192.0.2.1", 200), "at its expiry")
	assert.True(t, db.IPBanned("192.0.2.2", 1<<40), "no expiry")
	assert.False(t, db.IPBanned("192.0.2.3", 0))

	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		found, err := tx.LiftBannedIP(ctx, "192.0.2.1")
		assert.True(t, found)
		return err
	}))
	assert.False(t, db.IPBanned("192.0.2.1", 100), "lifted")
	require.NoError(t, db.Close())

	db, err = Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	assert.True(t, db.IPBanned("192.0.2.2", 0), "read again on open")
	require.NoError(t, db.Update(ctx, func(tx *Tx) error { return tx.Wipe(ctx) }))
	assert.False(t, db.IPBanned("192.0.2.2", 0), "wiped")
}
