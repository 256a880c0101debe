package store

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oauthProviderRows makes a user and an authorization-code credential.
func oauthProviderRows(t *testing.T, db *DB) (userID, credID int64) {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, db.Update(ctx, func(tx *Tx) (err error) {
		if userID, err = tx.PutUser(ctx, User{Email: "u@example.com", PasswordHash: "h"}); err != nil {
			return err
		}
		credID, err = tx.PutOAuthCredential(ctx, OAuthCredential{Identifier: "X.1", Secret: "s",
			GrantTypes: "authorization_code", Scopes: []string{"openid"}, CreatedAt: 1, UpdatedAt: 1})
		return err
	}))
	return userID, credID
}

func TestOAuthSigningKeyIsMadeOnce(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		_, err := tx.OAuthSigningKey(ctx)
		assert.ErrorIs(t, err, ErrNotFound)
		return nil
	}))
	var first, second OAuthSigningKey
	require.NoError(t, db.Update(ctx, func(tx *Tx) (err error) {
		first, err = tx.AddOAuthSigningKey(ctx, OAuthSigningKey{KID: "a", PrivateKey: "pem-a", CreatedAt: 1})
		return err
	}))
	require.NoError(t, db.Update(ctx, func(tx *Tx) (err error) {
		second, err = tx.AddOAuthSigningKey(ctx, OAuthSigningKey{KID: "b", PrivateKey: "pem-b", CreatedAt: 2})
		return err
	}))
	assert.Equal(t, "a", first.KID)
	assert.Equal(t, first, second, "the first key stays")
	require.NoError(t, db.Update(ctx, func(tx *Tx) error { return tx.Wipe(ctx) }))
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		k, err := tx.OAuthSigningKey(ctx)
		assert.Equal(t, "a", k.KID, "a wipe keeps the key")
		return err
	}))
}

func TestOAuthGrantsAndTokensGoWithTheirCredential(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	userID, credID := oauthProviderRows(t, db)
	var grantID int64
	require.NoError(t, db.Update(ctx, func(tx *Tx) (err error) {
		grantID, err = tx.AddOAuthGrant(ctx, OAuthGrant{CredentialID: credID, SecretSHA: "sha", UserID: userID,
			Scope: "openid", CodeHash: "code", RedirectURI: "https://a/cb", CodeExpiresAt: 160}, 100)
		if err != nil {
			return err
		}
		if err := tx.AddOAuthToken(ctx, OAuthToken{Hash: "at", GrantID: grantID, Kind: "access", Scope: "openid", ExpiresAt: 3700}); err != nil {
			return err
		}
		return tx.AddOAuthToken(ctx, OAuthToken{Hash: "rt", GrantID: grantID, Kind: "refresh", Scope: "openid", ExpiresAt: 9999})
	}))
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		g, err := tx.OAuthGrantByCode(ctx, "code")
		require.NoError(t, err)
		assert.False(t, g.CodeUsed)
		require.NoError(t, tx.UseOAuthCode(ctx, g.ID, 120))
		g, err = tx.OAuthGrantByCode(ctx, "code")
		require.NoError(t, err)
		assert.True(t, g.CodeUsed)

		_, err = tx.OAuthTokenByHash(ctx, "at", "refresh")
		assert.ErrorIs(t, err, ErrNotFound, "kinds do not mix")
		rt, err := tx.OAuthTokenByHash(ctx, "rt", "refresh")
		require.NoError(t, err)
		assert.Equal(t, grantID, rt.Grant.ID)
		assert.False(t, rt.Used)
		assert.Equal(t, "openid", rt.Scope)
		require.NoError(t, tx.UseOAuthToken(ctx, "rt", 130))
		rt, _ = tx.OAuthTokenByHash(ctx, "rt", "refresh")
		assert.True(t, rt.Used)
		n, err := tx.OAuthTokenCount(ctx, credID)
		assert.Equal(t, 2, n)
		return err
	}))
	require.NoError(t, db.Update(ctx, func(tx *Tx) error { return tx.DeleteOAuthCredential(ctx, credID) }))
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		_, err := tx.OAuthTokenByHash(ctx, "at", "access")
		assert.ErrorIs(t, err, ErrNotFound, "tokens die with their credential")
		_, err = tx.OAuthGrantByCode(ctx, "code")
		assert.ErrorIs(t, err, ErrNotFound)
		return nil
	}))
}

func TestOAuthRevokeAndCleanUp(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	userID, credID := oauthProviderRows(t, db)
	g := OAuthGrant{CredentialID: credID, SecretSHA: "sha", UserID: userID, Scope: "openid", RedirectURI: "r"}
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		g.CodeHash, g.CodeExpiresAt = "c1", 160
		id, err := tx.AddOAuthGrant(ctx, g, 100)
		require.NoError(t, err)
		require.NoError(t, tx.AddOAuthToken(ctx, OAuthToken{Hash: "t1", GrantID: id, Kind: "access", Scope: "openid", ExpiresAt: 3700}))
		require.NoError(t, tx.RevokeOAuthGrant(ctx, id))
		got, err := tx.OAuthGrantByCode(ctx, "c1")
		require.NoError(t, err)
		assert.True(t, got.Revoked)
		_, err = tx.OAuthTokenByHash(ctx, "t1", "access")
		assert.ErrorIs(t, err, ErrNotFound)

		g.CodeHash, g.CodeExpiresAt = "c2", 200
		_, err = tx.AddOAuthGrant(ctx, g, 170) // c1 expired at 160 and has no token left
		require.NoError(t, err)
		_, err = tx.OAuthGrantByCode(ctx, "c1")
		assert.ErrorIs(t, err, ErrNotFound, "a dead grant is dropped")
		_, err = tx.OAuthGrantByCode(ctx, "c2")
		return err
	}))
}

func TestOAuthSessionsAndFlows(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	userID, credID := oauthProviderRows(t, db)
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		require.NoError(t, tx.AddOAuthSession(ctx, OAuthSession{Hash: "s1", UserID: userID, AuthTime: 100, ExpiresAt: 200}))
		s, err := tx.OAuthSessionByHash(ctx, "s1", 150)
		require.NoError(t, err)
		assert.Equal(t, userID, s.UserID)
		_, err = tx.OAuthSessionByHash(ctx, "s1", 201)
		assert.ErrorIs(t, err, ErrNotFound, "expired")

		require.NoError(t, tx.AddOAuthFlow(ctx, OAuthFlow{Hash: "f1", CredentialID: credID, Scope: "openid",
			Step: "login", ExpiresAt: 700}, 100))
		require.NoError(t, tx.AddOAuthFlow(ctx, OAuthFlow{Hash: "f2", Step: "two_factor", UserID: userID, ExpiresAt: 700}, 100))
		f, err := tx.OAuthFlowByHash(ctx, "f2", 100)
		require.NoError(t, err)
		assert.Zero(t, f.CredentialID, "a client-area sign-in has no credential")
		require.NoError(t, tx.SetOAuthFlowStep(ctx, "f1", userID, "consent"))
		f, err = tx.OAuthFlowByHash(ctx, "f1", 100)
		require.NoError(t, err)
		assert.Equal(t, "consent", f.Step)
		assert.Equal(t, credID, f.CredentialID)
		_, err = tx.OAuthFlowByHash(ctx, "f1", 701)
		assert.ErrorIs(t, err, ErrNotFound, "expired")
		return tx.DeleteOAuthCredential(ctx, credID)
	}))
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		_, err := tx.OAuthFlowByHash(ctx, "f1", 100)
		assert.ErrorIs(t, err, ErrNotFound, "a flow goes with its credential")
		return nil
	}))
}

func TestUserTwoFactorSteps(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	userID, _ := oauthProviderRows(t, db)
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		require.NoError(t, tx.SetUserTwoFactorSecret(ctx, userID, " JBSWY3DPEHPK3PXP "))
		secret, last, err := tx.UserTwoFactor(ctx, userID)
		require.NoError(t, err)
		assert.Equal(t, "JBSWY3DPEHPK3PXP", secret)
		assert.Zero(t, last)
		ok, err := tx.UseUserTOTPStep(ctx, userID, 10)
		require.NoError(t, err)
		assert.True(t, ok)
		ok, _ = tx.UseUserTOTPStep(ctx, userID, 10)
		assert.False(t, ok, "a step is used once")
		ok, _ = tx.UseUserTOTPStep(ctx, userID, 9)
		assert.False(t, ok, "nor an earlier one")
		secrets, err := tx.UserTwoFactorSecrets(ctx)
		assert.Equal(t, map[int64]string{userID: "JBSWY3DPEHPK3PXP"}, secrets)
		return err
	}))
}

func TestDefaultSystemURLIsNotSaved(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	db.SetDefaultSystemURL("http://127.0.0.1:4321")
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		s, err := tx.LoadSettings(ctx)
		require.NoError(t, err)
		assert.Equal(t, "http://127.0.0.1:4321/", s.SystemURL)
		assert.False(t, s.SystemURLSet)
		s.CompanyName = "Other"
		return tx.SaveSettings(ctx, s)
	}))
	db.SetDefaultSystemURL("")
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		s, err := tx.LoadSettings(ctx)
		require.NoError(t, err)
		assert.Equal(t, DefaultSystemURL, s.SystemURL, "saving other settings stored no System URL")
		assert.Equal(t, "Other", s.CompanyName)
		s.SystemURL, s.SystemURLSet = "https://billing.example/", true
		return tx.SaveSettings(ctx, s)
	}))
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		s, err := tx.LoadSettings(ctx)
		assert.Equal(t, "https://billing.example/", s.SystemURL)
		assert.True(t, s.SystemURLSet)
		return err
	}))
}

// TestMigration0016ForgetsAStoredDefaultSystemURL: a database from before
// 0016 holds http://localhost/ whenever any setting was saved; the
// migration removes it so that the server's default applies.
func TestMigration0016ForgetsAStoredDefaultSystemURL(t *testing.T) {
	ctx := context.Background()
	db, path := openTemp(t)
	// Undo 0016 by hand, then store what an older version stored.
	for _, q := range []string{
		`DROP TABLE oauth_tokens`, `DROP TABLE oauth_grants`, `DROP TABLE oauth_flows`,
		`DROP TABLE oauth_sessions`, `DROP TABLE oauth_signing_key`,
		`ALTER TABLE users DROP COLUMN two_factor_secret`, `ALTER TABLE users DROP COLUMN two_factor_last_step`,
		`DELETE FROM schema_migrations WHERE name = '0016_oauth_provider.sql'`,
		`INSERT INTO settings (key, value) VALUES ('systemUrl', 'http://localhost/')`,
	} {
		_, err := db.writer.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	require.NoError(t, db.Close())
	again, err := Open(ctx, path)
	require.NoError(t, err)
	defer again.Close()
	again.SetDefaultSystemURL("http://127.0.0.1:9/")
	require.NoError(t, again.View(ctx, func(tx *Tx) error {
		s, err := tx.LoadSettings(ctx)
		assert.Equal(t, "http://127.0.0.1:9/", s.SystemURL)
		assert.False(t, s.SystemURLSet)
		return err
	}))
}
