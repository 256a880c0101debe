package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// This file holds the state of WHMCS as an OpenID Connect provider
// (migration 0016): the signing key, browser sessions, authorization
// requests between their pages, authorization codes with the grants they
// stand for, and access and refresh tokens. Secrets (cookies, form ids,
// codes, tokens) are kept only as the SHA-256 (hex) of their text, which
// callers compute; times are Unix seconds.

// OAuthSigningKey is the key id tokens are signed with.
type OAuthSigningKey struct {
	KID        string
	PrivateKey string // PKCS #8 PEM
	CreatedAt  int64
}

// OAuthSigningKey returns the signing key, or ErrNotFound before one was made.
func (tx *Tx) OAuthSigningKey(ctx context.Context) (OAuthSigningKey, error) {
	var k OAuthSigningKey
	err := tx.queryRow(ctx, `SELECT kid, private_key, created_at FROM oauth_signing_key WHERE id = 1`).
		Scan(&k.KID, &k.PrivateKey, &k.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return k, ErrNotFound
	}
	return k, err
}

// AddOAuthSigningKey stores k unless a key is stored already, and returns
// the key stored (k, or the one that was there first).
func (tx *Tx) AddOAuthSigningKey(ctx context.Context, k OAuthSigningKey) (OAuthSigningKey, error) {
	if _, err := tx.exec(ctx, `INSERT INTO oauth_signing_key (id, kid, private_key, created_at) VALUES (1, ?, ?, ?)
		ON CONFLICT(id) DO NOTHING`, k.KID, k.PrivateKey, k.CreatedAt); err != nil {
		return k, err
	}
	return tx.OAuthSigningKey(ctx)
}

// OAuthSession is a signed-in browser.
type OAuthSession struct {
	Hash      string
	UserID    int64
	ClientID  int64 // the client a single sign-on token chose; 0 for none
	AuthTime  int64 // when the user signed in
	ExpiresAt int64
}

// AddOAuthSession stores a session, dropping sessions expired before
// s.AuthTime.
func (tx *Tx) AddOAuthSession(ctx context.Context, s OAuthSession) error {
	if _, err := tx.exec(ctx, `DELETE FROM oauth_sessions WHERE expires_at < ?`, s.AuthTime); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO oauth_sessions (hash, user_id, client_id, auth_time, expires_at)
		VALUES (?, ?, ?, ?, ?)`, s.Hash, s.UserID, s.ClientID, s.AuthTime, s.ExpiresAt)
	return conflict(err)
}

// OAuthSessionByHash returns the session unless it expired before now
// (ErrNotFound for both).
func (tx *Tx) OAuthSessionByHash(ctx context.Context, hash string, now int64) (OAuthSession, error) {
	var s OAuthSession
	err := tx.queryRow(ctx, `SELECT hash, user_id, client_id, auth_time, expires_at FROM oauth_sessions
		WHERE hash = ? AND expires_at >= ?`, hash, now).Scan(&s.Hash, &s.UserID, &s.ClientID, &s.AuthTime, &s.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	return s, err
}

// DeleteOAuthSession ends a session (nothing happens when it is unknown).
func (tx *Tx) DeleteOAuthSession(ctx context.Context, hash string) error {
	_, err := tx.exec(ctx, `DELETE FROM oauth_sessions WHERE hash = ?`, hash)
	return err
}

// OAuthFlow is an authorization request (or a client-area sign-in, with
// CredentialID 0) between its pages.
type OAuthFlow struct {
	Hash                string
	CredentialID        int64 // 0: a sign-in on login.php
	RedirectURI         string
	Scope               string
	State               string
	Nonce               string
	CodeChallenge       string
	CodeChallengeMethod string
	UserID              int64  // who signed in so far; 0 before the password
	Step                string // login, two_factor or consent
	ExpiresAt           int64
}

// AddOAuthFlow stores a flow, dropping flows that expired before now.
func (tx *Tx) AddOAuthFlow(ctx context.Context, f OAuthFlow, now int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM oauth_flows WHERE expires_at < ?`, now); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO oauth_flows (hash, credential_id, redirect_uri, scope, state, nonce,
		code_challenge, code_challenge_method, user_id, step, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.Hash, nullID(f.CredentialID), f.RedirectURI, f.Scope, f.State, f.Nonce, f.CodeChallenge,
		f.CodeChallengeMethod, f.UserID, f.Step, f.ExpiresAt)
	return conflict(err)
}

// OAuthFlowByHash returns the flow unless it expired before now
// (ErrNotFound for both; also once its credential is deleted).
func (tx *Tx) OAuthFlowByHash(ctx context.Context, hash string, now int64) (OAuthFlow, error) {
	var f OAuthFlow
	var cred sql.NullInt64
	err := tx.queryRow(ctx, `SELECT hash, credential_id, redirect_uri, scope, state, nonce, code_challenge,
		code_challenge_method, user_id, step, expires_at FROM oauth_flows WHERE hash = ? AND expires_at >= ?`, hash, now).
		Scan(&f.Hash, &cred, &f.RedirectURI, &f.Scope, &f.State, &f.Nonce, &f.CodeChallenge, &f.CodeChallengeMethod,
			&f.UserID, &f.Step, &f.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	f.CredentialID = cred.Int64
	return f, err
}

// SetOAuthFlowStep records who signed in so far and the step reached.
func (tx *Tx) SetOAuthFlowStep(ctx context.Context, hash string, userID int64, step string) error {
	return tx.execFound(ctx, `UPDATE oauth_flows SET user_id = ?, step = ? WHERE hash = ?`, userID, step, hash)
}

// DeleteOAuthFlow drops a finished flow.
func (tx *Tx) DeleteOAuthFlow(ctx context.Context, hash string) error {
	_, err := tx.exec(ctx, `DELETE FROM oauth_flows WHERE hash = ?`, hash)
	return err
}

// OAuthGrant is what an authorization code, and the tokens issued from
// it, stand for.
type OAuthGrant struct {
	ID                  int64
	CredentialID        int64
	SecretSHA           string // SHA-256 (hex) of the credential's secret at issue
	UserID              int64
	Scope               string // space-separated
	Nonce               string
	AuthTime            int64
	CodeHash            string
	RedirectURI         string
	CodeChallenge       string
	CodeChallengeMethod string
	CodeExpiresAt       int64
	CodeUsed            bool
	Revoked             bool
}

// AddOAuthGrant stores a grant with its code and returns its id. It first
// drops what can no longer be used: expired tokens, and grants whose code
// expired or was used and that have no token left.
func (tx *Tx) AddOAuthGrant(ctx context.Context, g OAuthGrant, now int64) (int64, error) {
	if _, err := tx.exec(ctx, `DELETE FROM oauth_tokens WHERE expires_at < ?`, now); err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `DELETE FROM oauth_grants WHERE (code_expires_at < ? OR code_used_at IS NOT NULL)
		AND NOT EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = oauth_grants.id)`, now); err != nil {
		return 0, err
	}
	return tx.upsert(ctx, `INSERT INTO oauth_grants (credential_id, secret_sha, user_id, scope, nonce, auth_time,
		code_hash, redirect_uri, code_challenge, code_challenge_method, code_expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		g.CredentialID, g.SecretSHA, g.UserID, g.Scope, g.Nonce, g.AuthTime, g.CodeHash, g.RedirectURI,
		g.CodeChallenge, g.CodeChallengeMethod, g.CodeExpiresAt)
}

const grantColumns = `g.id, g.credential_id, g.secret_sha, g.user_id, g.scope, g.nonce, g.auth_time, g.code_hash,
	g.redirect_uri, g.code_challenge, g.code_challenge_method, g.code_expires_at, g.code_used_at IS NOT NULL, g.revoked`

func scanGrant(row interface{ Scan(...any) error }, extra ...any) (OAuthGrant, error) {
	var g OAuthGrant
	err := row.Scan(append([]any{&g.ID, &g.CredentialID, &g.SecretSHA, &g.UserID, &g.Scope, &g.Nonce, &g.AuthTime,
		&g.CodeHash, &g.RedirectURI, &g.CodeChallenge, &g.CodeChallengeMethod, &g.CodeExpiresAt, &g.CodeUsed,
		&g.Revoked}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return g, ErrNotFound
	}
	return g, err
}

// OAuthGrantByCode returns the grant of an authorization code.
func (tx *Tx) OAuthGrantByCode(ctx context.Context, codeHash string) (OAuthGrant, error) {
	return scanGrant(tx.queryRow(ctx, `SELECT `+grantColumns+` FROM oauth_grants g WHERE g.code_hash = ?`, codeHash))
}

// UseOAuthCode marks a grant's code exchanged at now.
func (tx *Tx) UseOAuthCode(ctx context.Context, grantID, now int64) error {
	return tx.execFound(ctx, `UPDATE oauth_grants SET code_used_at = ? WHERE id = ?`, now, grantID)
}

// RevokeOAuthGrant deletes every token issued for a grant and marks it
// revoked, so that nothing more is issued for it.
func (tx *Tx) RevokeOAuthGrant(ctx context.Context, grantID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM oauth_tokens WHERE grant_id = ?`, grantID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE oauth_grants SET revoked = 1 WHERE id = ?`, grantID)
	return err
}

// OAuthToken is an access or refresh token, with its grant.
type OAuthToken struct {
	Hash      string
	GrantID   int64
	Kind      string // access or refresh
	Scope     string // space-separated: the grant's, or narrower
	ExpiresAt int64
	Used      bool // a refresh token already exchanged
	Grant     OAuthGrant
}

// AddOAuthToken stores a token.
func (tx *Tx) AddOAuthToken(ctx context.Context, t OAuthToken) error {
	_, err := tx.exec(ctx, `INSERT INTO oauth_tokens (hash, grant_id, kind, scope, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.Hash, t.GrantID, t.Kind, t.Scope, t.ExpiresAt)
	return conflict(err)
}

// OAuthTokenByHash returns a token of the given kind with its grant,
// expired or not (the caller compares ExpiresAt with its clock).
func (tx *Tx) OAuthTokenByHash(ctx context.Context, hash, kind string) (OAuthToken, error) {
	var t OAuthToken
	g, err := scanGrant(tx.queryRow(ctx, `SELECT `+grantColumns+`, t.hash, t.scope, t.expires_at, t.used_at IS NOT NULL
		FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id WHERE t.hash = ? AND t.kind = ?`, hash, kind),
		&t.Hash, &t.Scope, &t.ExpiresAt, &t.Used)
	if err != nil {
		return t, err
	}
	t.GrantID, t.Kind, t.Grant = g.ID, kind, g
	return t, nil
}

// UseOAuthToken marks a refresh token exchanged at now.
func (tx *Tx) UseOAuthToken(ctx context.Context, hash string, now int64) error {
	return tx.execFound(ctx, `UPDATE oauth_tokens SET used_at = ? WHERE hash = ?`, now, hash)
}

// OAuthTokenCount returns how many tokens are stored for a credential
// (tests use it to see tokens die with their credential).
func (tx *Tx) OAuthTokenCount(ctx context.Context, credentialID int64) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id
		WHERE g.credential_id = ?`, credentialID).Scan(&n)
	return n, err
}

// UserTwoFactor returns a user's TOTP secret (base32, "" for none) and the
// last time step a code was accepted for.
func (tx *Tx) UserTwoFactor(ctx context.Context, userID int64) (secret string, lastStep int64, err error) {
	err = tx.queryRow(ctx, `SELECT two_factor_secret, two_factor_last_step FROM users WHERE id = ?`, userID).
		Scan(&secret, &lastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, ErrNotFound
	}
	return secret, lastStep, err
}

// SetUserTwoFactorSecret sets a user's TOTP secret (base32; "" for none)
// and forgets the last step used.
func (tx *Tx) SetUserTwoFactorSecret(ctx context.Context, userID int64, secret string) error {
	return tx.execFound(ctx, `UPDATE users SET two_factor_secret = ?, two_factor_last_step = 0 WHERE id = ?`,
		strings.TrimSpace(secret), userID)
}

// UseUserTOTPStep records that a code for step was accepted, unless one
// for that step or a later one was accepted before: then it reports false.
func (tx *Tx) UseUserTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE users SET two_factor_last_step = ? WHERE id = ? AND two_factor_last_step < ?`,
		step, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UserTwoFactorSecrets returns every user's TOTP secret that is set, by
// user id (for an export).
func (tx *Tx) UserTwoFactorSecrets(ctx context.Context) (map[int64]string, error) {
	rows, err := tx.query(ctx, `SELECT id, two_factor_secret FROM users WHERE two_factor_secret <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, err
		}
		out[id] = s
	}
	return out, rows.Err()
}

// UserClients returns the clients a user can reach, as owner or as an
// extra user, by client id.
func (tx *Tx) UserClients(ctx context.Context, userID int64) ([]UserClient, error) {
	rows, err := tx.query(ctx, `SELECT id, 1 FROM clients WHERE owner_user_id = ?
		UNION SELECT client_id, 0 FROM client_users WHERE user_id = ?
		ORDER BY 1, 2 DESC`, userID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UserClient
	for rows.Next() {
		var c UserClient
		if err := rows.Scan(&c.ClientID, &c.Owner); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].ClientID == c.ClientID {
			continue // an owner also listed as an extra user
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
