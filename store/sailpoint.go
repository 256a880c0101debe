package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// This file holds the SailPoint dialect's state (migration 0012): OAuth
// clients and the bearer tokens minted for them; since migration 0017 the
// identities who log in for the authorization code grant, the codes and
// the refresh tokens.

// SailPointClient is a SailPoint OAuth client. Nil pointers are the
// schema's nulls. Created, Modified and LastUsed are Unix milliseconds;
// LastUsed is nil until a token is first minted.
type SailPointClient struct {
	ID                          string
	SecretHash                  string // bcrypt
	Tenant                      *string
	BusinessName                *string
	HomepageURL                 *string
	Name                        string
	Description                 *string
	AccessTokenValiditySeconds  int64
	RefreshTokenValiditySeconds int64
	RedirectURIs                []string
	GrantTypes                  []string
	AccessType                  string
	Type                        string
	Internal                    bool
	Enabled                     bool
	StrongAuthSupported         bool
	ClaimsSupported             bool
	Scope                       []string
	Metadata                    *string
	Created                     int64
	Modified                    int64
	LastUsed                    *int64
}

// SailPointToken is a minted bearer token, known by the SHA-256 (hex) of
// its text. Expires is Unix milliseconds.
type SailPointToken struct {
	Hash       string
	ClientID   string
	IdentityID *string // who logged in; nil for client_credentials
	Scope      []string
	Expires    int64
	GrantID    string // the authorization code (its hash) it descends from; "" for none
}

// SailPointIdentity is someone who logs in on the authorization page,
// by name or email. Created is Unix milliseconds.
type SailPointIdentity struct {
	ID           string
	Name         string
	Email        string
	PasswordHash string // bcrypt
	Created      int64
}

// SailPointCode is an authorization code, known by the SHA-256 (hex) of
// its text. Expires is Unix milliseconds; Used is set when it has been
// exchanged.
type SailPointCode struct {
	Hash        string
	ClientID    string
	IdentityID  string
	RedirectURI string
	Scope       []string
	Expires     int64
	Used        bool
}

// SailPointRefreshToken is a refresh token, known by the SHA-256 (hex) of
// its text. Expires is Unix milliseconds.
type SailPointRefreshToken struct {
	Hash       string
	ClientID   string
	IdentityID *string
	Scope      []string
	Expires    int64
	GrantID    string
}

// SailPointFilter selects clients for SailPointClients: LastUsedLE keeps
// those last used at or before that time (never-used ones fail it);
// LastUsedNull keeps those never used. Both set keep nothing, as their
// conjunction does.
type SailPointFilter struct {
	LastUsedLE   *int64
	LastUsedNull bool
}

const sailPointColumns = `id, secret_hash, tenant, business_name, homepage_url, name, description,
	access_token_validity_seconds, refresh_token_validity_seconds, redirect_uris, grant_types, access_type, type,
	internal, enabled, strong_auth_supported, claims_supported, scope, metadata, created, modified, last_used`

func scanSailPointClient(sc interface{ Scan(...any) error }) (SailPointClient, error) {
	var c SailPointClient
	var tenant, business, homepage, description, metadata sql.NullString
	var lastUsed sql.NullInt64
	var redirects, grants, scope string
	err := sc.Scan(&c.ID, &c.SecretHash, &tenant, &business, &homepage, &c.Name, &description,
		&c.AccessTokenValiditySeconds, &c.RefreshTokenValiditySeconds, &redirects, &grants, &c.AccessType, &c.Type,
		&c.Internal, &c.Enabled, &c.StrongAuthSupported, &c.ClaimsSupported, &scope, &metadata,
		&c.Created, &c.Modified, &lastUsed)
	if err != nil {
		return c, noRow(err)
	}
	c.Tenant, c.BusinessName, c.HomepageURL = nullString(tenant), nullString(business), nullString(homepage)
	c.Description, c.Metadata = nullString(description), nullString(metadata)
	if lastUsed.Valid {
		c.LastUsed = &lastUsed.Int64
	}
	for _, l := range []struct {
		text string
		dst  *[]string
	}{{redirects, &c.RedirectURIs}, {grants, &c.GrantTypes}, {scope, &c.Scope}} {
		if err := decodeStrings(l.text, l.dst); err != nil {
			return c, fmt.Errorf("sailpoint client %s: %w", c.ID, err)
		}
	}
	return c, nil
}

func nullString(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

func decodeStrings(text string, dst *[]string) error {
	*dst = []string{}
	return json.Unmarshal([]byte(text), dst)
}

func encodeStrings(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v) // a []string always encodes
	return string(b)
}

// PutSailPointClient inserts c, or replaces every stored field of the
// client with its id.
func (tx *Tx) PutSailPointClient(ctx context.Context, c SailPointClient) error {
	_, err := tx.exec(ctx, `INSERT INTO sailpoint_clients (`+sailPointColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET secret_hash = excluded.secret_hash, tenant = excluded.tenant,
		business_name = excluded.business_name, homepage_url = excluded.homepage_url, name = excluded.name,
		description = excluded.description, access_token_validity_seconds = excluded.access_token_validity_seconds,
		refresh_token_validity_seconds = excluded.refresh_token_validity_seconds,
		redirect_uris = excluded.redirect_uris, grant_types = excluded.grant_types,
		access_type = excluded.access_type, type = excluded.type, internal = excluded.internal,
		enabled = excluded.enabled, strong_auth_supported = excluded.strong_auth_supported,
		claims_supported = excluded.claims_supported, scope = excluded.scope, metadata = excluded.metadata,
		created = excluded.created, modified = excluded.modified, last_used = excluded.last_used`,
		c.ID, c.SecretHash, c.Tenant, c.BusinessName, c.HomepageURL, c.Name, c.Description,
		c.AccessTokenValiditySeconds, c.RefreshTokenValiditySeconds, encodeStrings(c.RedirectURIs),
		encodeStrings(c.GrantTypes), c.AccessType, c.Type, c.Internal, c.Enabled, c.StrongAuthSupported,
		c.ClaimsSupported, encodeStrings(c.Scope), c.Metadata, c.Created, c.Modified, c.LastUsed)
	return conflict(err)
}

// SailPointClientByID returns the client with the given id.
func (tx *Tx) SailPointClientByID(ctx context.Context, id string) (SailPointClient, error) {
	return scanSailPointClient(tx.queryRow(ctx, `SELECT `+sailPointColumns+` FROM sailpoint_clients WHERE id = ?`, id))
}

// SailPointClients returns the clients f selects, oldest first.
func (tx *Tx) SailPointClients(ctx context.Context, f SailPointFilter) ([]SailPointClient, error) {
	cond, args := whereAll(
		when(f.LastUsedLE != nil, `last_used <= ?`, deref(f.LastUsedLE)),
		when(f.LastUsedNull, `last_used IS NULL`),
	)
	return collect(ctx, tx, `SELECT `+sailPointColumns+` FROM sailpoint_clients`+cond+` ORDER BY created, id`, func(rows *sql.Rows) (SailPointClient, error) {
		return scanSailPointClient(rows)
	}, args...)
}

// DeleteSailPointClient deletes a client and its tokens; ErrNotFound when
// there is none.
func (tx *Tx) DeleteSailPointClient(ctx context.Context, id string) error {
	return tx.execFound(ctx, `DELETE FROM sailpoint_clients WHERE id = ?`, id)
}

// SetSailPointLastUsed sets a client's last-used time (Unix milliseconds).
func (tx *Tx) SetSailPointLastUsed(ctx context.Context, id string, at int64) error {
	_, err := tx.exec(ctx, `UPDATE sailpoint_clients SET last_used = ? WHERE id = ?`, at, id)
	return err
}

// PutSailPointToken stores a minted token.
func (tx *Tx) PutSailPointToken(ctx context.Context, t SailPointToken) error {
	_, err := tx.exec(ctx, `INSERT INTO sailpoint_tokens (hash, client_id, identity_id, scope, expires, grant_id)
		VALUES (?, ?, ?, ?, ?, ?)`, t.Hash, t.ClientID, t.IdentityID, encodeStrings(t.Scope), t.Expires, t.GrantID)
	return conflict(err)
}

// SailPointTokenByHash returns the token with the given hash, expired or
// not.
func (tx *Tx) SailPointTokenByHash(ctx context.Context, hash string) (SailPointToken, error) {
	var t SailPointToken
	var scope string
	var identity sql.NullString
	err := tx.queryRow(ctx, `SELECT hash, client_id, identity_id, scope, expires, grant_id FROM sailpoint_tokens
		WHERE hash = ?`, hash).Scan(&t.Hash, &t.ClientID, &identity, &scope, &t.Expires, &t.GrantID)
	if err != nil {
		return t, noRow(err)
	}
	t.IdentityID = nullString(identity)
	return t, decodeStrings(scope, &t.Scope)
}

// PutSailPointIdentity inserts id, or replaces the identity with its id;
// ErrConflict when another identity has its name.
func (tx *Tx) PutSailPointIdentity(ctx context.Context, i SailPointIdentity) error {
	_, err := tx.exec(ctx, `INSERT INTO sailpoint_identities (id, name, email, password_hash, created)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email,
		password_hash = excluded.password_hash, created = excluded.created`,
		i.ID, i.Name, i.Email, i.PasswordHash, i.Created)
	return conflict(err)
}

const sailPointIdentityColumns = `id, name, email, password_hash, created`

func scanSailPointIdentity(sc interface{ Scan(...any) error }) (SailPointIdentity, error) {
	var i SailPointIdentity
	err := sc.Scan(&i.ID, &i.Name, &i.Email, &i.PasswordHash, &i.Created)
	return i, noRow(err)
}

// SailPointIdentityByID returns the identity with the given id.
func (tx *Tx) SailPointIdentityByID(ctx context.Context, id string) (SailPointIdentity, error) {
	return scanSailPointIdentity(tx.queryRow(ctx, `SELECT `+sailPointIdentityColumns+`
		FROM sailpoint_identities WHERE id = ?`, id))
}

// SailPointIdentityByLogin returns the identity whose name or email is
// login, in any case (a name before an email).
func (tx *Tx) SailPointIdentityByLogin(ctx context.Context, login string) (SailPointIdentity, error) {
	return scanSailPointIdentity(tx.queryRow(ctx, `SELECT `+sailPointIdentityColumns+` FROM sailpoint_identities
		WHERE lower(name) = lower(?1) OR (email != '' AND lower(email) = lower(?1))
		ORDER BY lower(name) = lower(?1) DESC, id LIMIT 1`, login))
}

// SailPointIdentities returns every identity, oldest first.
func (tx *Tx) SailPointIdentities(ctx context.Context) ([]SailPointIdentity, error) {
	return collect(ctx, tx, `SELECT `+sailPointIdentityColumns+` FROM sailpoint_identities ORDER BY created, id`,
		func(rows *sql.Rows) (SailPointIdentity, error) { return scanSailPointIdentity(rows) })
}

// PutSailPointCode stores an authorization code.
func (tx *Tx) PutSailPointCode(ctx context.Context, c SailPointCode) error {
	_, err := tx.exec(ctx, `INSERT INTO sailpoint_codes (hash, client_id, identity_id, redirect_uri, scope, expires, used)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Hash, c.ClientID, c.IdentityID, c.RedirectURI, encodeStrings(c.Scope),
		c.Expires, c.Used)
	return conflict(err)
}

// SailPointCodeByHash returns the code with the given hash, expired or
// used or not.
func (tx *Tx) SailPointCodeByHash(ctx context.Context, hash string) (SailPointCode, error) {
	var c SailPointCode
	var scope string
	err := tx.queryRow(ctx, `SELECT hash, client_id, identity_id, redirect_uri, scope, expires, used
		FROM sailpoint_codes WHERE hash = ?`, hash).
		Scan(&c.Hash, &c.ClientID, &c.IdentityID, &c.RedirectURI, &scope, &c.Expires, &c.Used)
	if err != nil {
		return c, noRow(err)
	}
	return c, decodeStrings(scope, &c.Scope)
}

// UseSailPointCode marks a code exchanged; it reports false when it was
// already (or is not there), so that of two exchanges racing one wins.
func (tx *Tx) UseSailPointCode(ctx context.Context, hash string) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE sailpoint_codes SET used = 1 WHERE hash = ? AND used = 0`, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteSailPointGrant revokes the access and refresh tokens that descend
// from the authorization code whose hash is grantID.
func (tx *Tx) DeleteSailPointGrant(ctx context.Context, grantID string) error {
	if grantID == "" {
		return nil
	}
	if _, err := tx.exec(ctx, `DELETE FROM sailpoint_tokens WHERE grant_id = ?`, grantID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `DELETE FROM sailpoint_refresh_tokens WHERE grant_id = ?`, grantID)
	return err
}

// PutSailPointRefreshToken stores a refresh token.
func (tx *Tx) PutSailPointRefreshToken(ctx context.Context, t SailPointRefreshToken) error {
	_, err := tx.exec(ctx, `INSERT INTO sailpoint_refresh_tokens (hash, client_id, identity_id, scope, expires, grant_id)
		VALUES (?, ?, ?, ?, ?, ?)`, t.Hash, t.ClientID, t.IdentityID, encodeStrings(t.Scope), t.Expires, t.GrantID)
	return conflict(err)
}

// SailPointRefreshTokenByHash returns the refresh token with the given
// hash, expired or not.
func (tx *Tx) SailPointRefreshTokenByHash(ctx context.Context, hash string) (SailPointRefreshToken, error) {
	var t SailPointRefreshToken
	var scope string
	var identity sql.NullString
	err := tx.queryRow(ctx, `SELECT hash, client_id, identity_id, scope, expires, grant_id FROM sailpoint_refresh_tokens
		WHERE hash = ?`, hash).Scan(&t.Hash, &t.ClientID, &identity, &scope, &t.Expires, &t.GrantID)
	if err != nil {
		return t, noRow(err)
	}
	t.IdentityID = nullString(identity)
	return t, decodeStrings(scope, &t.Scope)
}

// DeleteSailPointRefreshToken deletes a refresh token (it was used); it
// reports false when it was not there, so that of two refreshes racing
// one wins.
func (tx *Tx) DeleteSailPointRefreshToken(ctx context.Context, hash string) (bool, error) {
	res, err := tx.exec(ctx, `DELETE FROM sailpoint_refresh_tokens WHERE hash = ?`, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteSailPointExpiredBefore deletes the codes and refresh tokens that
// expired before at (Unix milliseconds).
func (tx *Tx) DeleteSailPointExpiredBefore(ctx context.Context, at int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM sailpoint_codes WHERE expires < ?`, at); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `DELETE FROM sailpoint_refresh_tokens WHERE expires < ?`, at)
	return err
}

// DeleteSailPointTokensBefore deletes the tokens that expired before at
// (Unix milliseconds).
func (tx *Tx) DeleteSailPointTokensBefore(ctx context.Context, at int64) error {
	_, err := tx.exec(ctx, `DELETE FROM sailpoint_tokens WHERE expires < ?`, at)
	return err
}
