package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testTenancy = "ocid1.tenancy.oc1..t"

func TestOCIUsersKeysAndSigningKeys(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	email := "a@example.com"
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		for i, name := range []string{"carol", "alice", "bob"} {
			u := OCIUser{ID: "ocid1.user.oc1..u" + string(rune('a'+i)), TenancyID: testTenancy, Name: name,
				TimeCreated: int64(100 + i), ETag: "e" + name}
			if name == "alice" {
				u.Email = &email
				u.Keys = []OCIAPIKey{{Fingerprint: "f2", PEM: "p2", TimeCreated: 5}, {Fingerprint: "f1", PEM: "p1", TimeCreated: 7}}
			}
			if err := tx.PutOCIUser(ctx, u); err != nil {
				return err
			}
		}
		return tx.PutOCICredential(ctx, OCICredential{ID: "ocid1.credential.oc1..c", UserID: "ocid1.user.oc1..ub",
			Name: "c", PasswordHash: "h", LifecycleState: "ACTIVE", TimeCreated: 1, ETag: "x"})
	}))
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		u, err := tx.OCIUserByID(ctx, "ocid1.user.oc1..ub")
		require.NoError(t, err)
		require.NotNil(t, u.Email)
		assert.Equal(t, email, *u.Email)
		assert.Equal(t, int64(101), u.TimeCreated)
		assert.Equal(t, "ealice", u.ETag)
		require.Len(t, u.Keys, 2)
		assert.Equal(t, "f2", u.Keys[0].Fingerprint, "keys by upload time")
		assert.Equal(t, int64(7), u.Keys[1].TimeCreated)

		named, err := tx.OCIUserNamed(ctx, "BOB", "")
		require.NoError(t, err)
		assert.Equal(t, "bob", named.Name)
		named, err = tx.OCIUserNamed(ctx, "nobody", "A@EXAMPLE.COM")
		require.NoError(t, err)
		assert.Equal(t, "alice", named.Name)
		_, err = tx.OCIUserNamed(ctx, "nobody", "")
		assert.ErrorIs(t, err, ErrNotFound)

		names := func(f OCIUserFilter) []string {
			us, err := tx.OCIUserList(ctx, f)
			require.NoError(t, err)
			var out []string
			for _, u := range us {
				out = append(out, u.Name)
			}
			return out
		}
		assert.Equal(t, []string{"carol", "alice", "bob"}, names(OCIUserFilter{}))
		assert.Equal(t, []string{"bob", "alice"}, names(OCIUserFilter{Desc: true, Limit: 2}))
		assert.Equal(t, []string{"alice"}, names(OCIUserFilter{Desc: true, AfterTime: 102, AfterID: "ocid1.user.oc1..uc", Limit: 1}))
		assert.Equal(t, []string{"alice", "bob", "carol"}, names(OCIUserFilter{ByName: true}))
		assert.Equal(t, []string{"carol"}, names(OCIUserFilter{ByName: true, AfterName: "bob", AfterID: "ocid1.user.oc1..uc"}))
		assert.Equal(t, []string{"bob"}, names(OCIUserFilter{Name: "bob"}))
		return nil
	}))

	// A second key with a fingerprint the user has is a conflict.
	err := db.Update(ctx, func(tx *Tx) error {
		return tx.AddOCIAPIKey(ctx, "ocid1.user.oc1..ub", OCIAPIKey{Fingerprint: "f1", PEM: "p1"})
	})
	assert.ErrorIs(t, err, ErrConflict)

	// Deleting a user takes its keys and credentials with it.
	require.NoError(t, db.Update(ctx, func(tx *Tx) error { return tx.DeleteOCIUser(ctx, "ocid1.user.oc1..ub") }))
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		_, err := tx.OCICredentialByID(ctx, "ocid1.credential.oc1..c")
		assert.ErrorIs(t, err, ErrNotFound)
		var keys int
		require.NoError(t, tx.queryRow(ctx, `SELECT count(*) FROM oci_api_keys`).Scan(&keys))
		assert.Zero(t, keys)
		return nil
	}))
	err = db.Update(ctx, func(tx *Tx) error { return tx.DeleteOCIUser(ctx, "ocid1.user.oc1..ub") })
	assert.ErrorIs(t, err, ErrNotFound)

	// Signing keys: newest first, and a wipe keeps them.
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		if err := tx.PutOCISigningKey(ctx, OCISigningKey{KID: "old", PrivateKey: "k1", Created: 1}); err != nil {
			return err
		}
		if err := tx.PutOCISigningKey(ctx, OCISigningKey{KID: "new", PrivateKey: "k2", Created: 2}); err != nil {
			return err
		}
		return tx.Wipe(ctx)
	}))
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		keys, err := tx.OCISigningKeys(ctx)
		require.NoError(t, err)
		require.Len(t, keys, 2)
		assert.Equal(t, "new", keys[0].KID)
		users, err := tx.OCIUsers(ctx)
		assert.Empty(t, users)
		return err
	}))
}

// TestMigration0017GivesOldRowsTimesAndETags: users and keys stored before
// migration 0017 get a creation time and an etag.
func TestMigration0017GivesOldRowsTimesAndETags(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	_, err = raw.ExecContext(ctx, `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY)`)
	require.NoError(t, err)
	entries, err := migrations.ReadDir("migrations")
	require.NoError(t, err)
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		if e.Name() >= "0017" {
			break
		}
		body, err := migrations.ReadFile("migrations/" + e.Name())
		require.NoError(t, err)
		_, err = raw.ExecContext(ctx, string(body))
		require.NoError(t, err, e.Name())
		_, err = raw.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES (?)`, e.Name())
		require.NoError(t, err)
	}
	_, err = raw.ExecContext(ctx, `INSERT INTO oci_users (id, tenancy_id, name) VALUES ('u', 't', 'n');
		INSERT INTO oci_api_keys (user_id, fingerprint, pem) VALUES ('u', 'f', 'p')`)
	require.NoError(t, err)
	require.NoError(t, raw.Close())

	db, err := Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		u, err := tx.OCIUserByID(ctx, "u")
		require.NoError(t, err)
		assert.Greater(t, u.TimeCreated, int64(1_700_000_000_000))
		assert.Len(t, u.ETag, 32)
		assert.Nil(t, u.Email)
		require.Len(t, u.Keys, 1)
		assert.Greater(t, u.Keys[0].TimeCreated, int64(1_700_000_000_000))
		return nil
	}))
}

func TestSailPointIdentitiesCodesAndRefreshTokens(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	const client = "0123456789abcdef0123456789abcdef"
	identity := "11111111111111111111111111111111"
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		if err := tx.PutSailPointClient(ctx, SailPointClient{ID: client, SecretHash: "h", Name: "c",
			AccessTokenValiditySeconds: 60, RefreshTokenValiditySeconds: 60, AccessType: "OFFLINE", Type: "CONFIDENTIAL",
			Enabled: true}); err != nil {
			return err
		}
		if err := tx.PutSailPointIdentity(ctx, SailPointIdentity{ID: identity, Name: "Ada", Email: "ada@example.com",
			PasswordHash: "h", Created: 1}); err != nil {
			return err
		}
		return tx.PutSailPointIdentity(ctx, SailPointIdentity{ID: strings.Repeat("2", 32), Name: "ada@example.com",
			PasswordHash: "h", Created: 2})
	}))
	err := db.Update(ctx, func(tx *Tx) error {
		return tx.PutSailPointIdentity(ctx, SailPointIdentity{ID: strings.Repeat("3", 32), Name: "ADA", PasswordHash: "h"})
	})
	assert.ErrorIs(t, err, ErrConflict, "names are unique in any case")

	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		i, err := tx.SailPointIdentityByLogin(ctx, "ADA")
		require.NoError(t, err)
		assert.Equal(t, identity, i.ID)
		i, err = tx.SailPointIdentityByLogin(ctx, "ADA@example.com")
		require.NoError(t, err)
		assert.Equal(t, strings.Repeat("2", 32), i.ID, "a name before an email")
		_, err = tx.SailPointIdentityByLogin(ctx, "")
		assert.ErrorIs(t, err, ErrNotFound)
		all, err := tx.SailPointIdentities(ctx)
		assert.Len(t, all, 2)
		return err
	}))

	// A code is used once; the tokens it led to go when it is revoked.
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		if err := tx.PutSailPointCode(ctx, SailPointCode{Hash: "code", ClientID: client, IdentityID: identity,
			RedirectURI: "https://app/cb", Scope: []string{"sp:scopes:all"}, Expires: 100}); err != nil {
			return err
		}
		first, err := tx.UseSailPointCode(ctx, "code")
		require.NoError(t, err)
		assert.True(t, first)
		again, err := tx.UseSailPointCode(ctx, "code")
		require.NoError(t, err)
		assert.False(t, again)
		c, err := tx.SailPointCodeByHash(ctx, "code")
		require.NoError(t, err)
		assert.True(t, c.Used)
		assert.Equal(t, "https://app/cb", c.RedirectURI)
		if err := tx.PutSailPointToken(ctx, SailPointToken{Hash: "at", ClientID: client, IdentityID: &identity,
			Scope: []string{"s"}, Expires: 100, GrantID: "code"}); err != nil {
			return err
		}
		if err := tx.PutSailPointRefreshToken(ctx, SailPointRefreshToken{Hash: "rt", ClientID: client,
			IdentityID: &identity, Scope: []string{"s"}, Expires: 100, GrantID: "code"}); err != nil {
			return err
		}
		at, err := tx.SailPointTokenByHash(ctx, "at")
		require.NoError(t, err)
		require.NotNil(t, at.IdentityID)
		assert.Equal(t, identity, *at.IdentityID)
		rt, err := tx.SailPointRefreshTokenByHash(ctx, "rt")
		require.NoError(t, err)
		assert.Equal(t, "code", rt.GrantID)
		if err := tx.DeleteSailPointGrant(ctx, "code"); err != nil {
			return err
		}
		_, err = tx.SailPointTokenByHash(ctx, "at")
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = tx.SailPointRefreshTokenByHash(ctx, "rt")
		assert.ErrorIs(t, err, ErrNotFound)
		return nil
	}))

	// A refresh token is deleted once; expired codes and refresh tokens go.
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		if err := tx.PutSailPointRefreshToken(ctx, SailPointRefreshToken{Hash: "rt2", ClientID: client, Expires: 50}); err != nil {
			return err
		}
		if err := tx.PutSailPointRefreshToken(ctx, SailPointRefreshToken{Hash: "rt3", ClientID: client, Expires: 500}); err != nil {
			return err
		}
		ok, err := tx.DeleteSailPointRefreshToken(ctx, "rt3")
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = tx.DeleteSailPointRefreshToken(ctx, "rt3")
		require.NoError(t, err)
		assert.False(t, ok)
		if err := tx.DeleteSailPointExpiredBefore(ctx, 101); err != nil {
			return err
		}
		_, err = tx.SailPointCodeByHash(ctx, "code")
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = tx.SailPointRefreshTokenByHash(ctx, "rt2")
		assert.ErrorIs(t, err, ErrNotFound)
		return nil
	}))

	// Deleting the client takes its codes and tokens; a wipe takes identities.
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		if err := tx.PutSailPointCode(ctx, SailPointCode{Hash: "c2", ClientID: client, IdentityID: identity,
			Expires: 1000}); err != nil {
			return err
		}
		if err := tx.DeleteSailPointClient(ctx, client); err != nil {
			return err
		}
		_, err := tx.SailPointCodeByHash(ctx, "c2")
		assert.ErrorIs(t, err, ErrNotFound)
		return tx.Wipe(ctx)
	}))
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		all, err := tx.SailPointIdentities(ctx)
		assert.Empty(t, all)
		return err
	}))
}
