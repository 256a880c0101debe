package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// This file holds the SailPoint dialect's state (migration 0012): OAuth
// clients and the bearer tokens minted for them.

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
	Hash     string
	ClientID string
	Scope    []string
	Expires  int64
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
	_, err := tx.exec(ctx, `INSERT INTO sailpoint_tokens (hash, client_id, scope, expires) VALUES (?, ?, ?, ?)`,
		t.Hash, t.ClientID, encodeStrings(t.Scope), t.Expires)
	return conflict(err)
}

// SailPointTokenByHash returns the token with the given hash, expired or
// not.
func (tx *Tx) SailPointTokenByHash(ctx context.Context, hash string) (SailPointToken, error) {
	var t SailPointToken
	var scope string
	err := tx.queryRow(ctx, `SELECT hash, client_id, scope, expires FROM sailpoint_tokens WHERE hash = ?`, hash).
		Scan(&t.Hash, &t.ClientID, &scope, &t.Expires)
	if err != nil {
		return t, noRow(err)
	}
	return t, decodeStrings(scope, &t.Scope)
}

// DeleteSailPointTokensBefore deletes the tokens that expired before at
// (Unix milliseconds).
func (tx *Tx) DeleteSailPointTokensBefore(ctx context.Context, at int64) error {
	_, err := tx.exec(ctx, `DELETE FROM sailpoint_tokens WHERE expires < ?`, at)
	return err
}
