package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// OAuthCredential is an OAuth client (WHMCS's tbloauthserver_clients row)
// with its scopes in the order they were given.
type OAuthCredential struct {
	ID           int64
	Identifier   string
	Secret       string
	Name         string
	Description  string
	GrantTypes   string
	ServiceID    int64
	UserID       int64
	LogoURI      string
	RedirectURIs []string
	RSAKeyPairID int64
	Scopes       []string
	CreatedAt    int64
	UpdatedAt    int64
}

// OAuthSortColumns maps the sort keys ListOAuthCredentials accepts to SQL
// columns. ORDER BY is only ever built from this table's values.
var OAuthSortColumns = map[string]string{
	"id":          "c.id",
	"identifier":  "c.identifier",
	"name":        "c.name",
	"description": "c.description",
	"grant_types": "c.grant_types",
	"service_id":  "c.service_id",
	"user_id":     "c.user_id",
	"logo_uri":    "c.logo_uri",
	"created_at":  "c.created_at",
	"updated_at":  "c.updated_at",
}

// OAuthFilter selects and orders credentials for OAuthCredentials.
type OAuthFilter struct {
	GrantType string // exact grant type; empty for all
	SortKey   string // a key of OAuthSortColumns; empty for id
	Desc      bool
	Limit     int // 0 for no limit
}

const oauthSelect = `SELECT c.id, c.identifier, c.secret, c.name, c.description, c.grant_types, c.service_id,
	c.user_id, c.logo_uri, c.redirect_uris, c.rsa_key_pair_id, c.created_at, c.updated_at, c.scopes
	FROM oauth_credentials c`

func scanOAuth(row interface{ Scan(...any) error }) (OAuthCredential, error) {
	var c OAuthCredential
	var redirects, scopes string
	err := row.Scan(&c.ID, &c.Identifier, &c.Secret, &c.Name, &c.Description, &c.GrantTypes, &c.ServiceID,
		&c.UserID, &c.LogoURI, &redirects, &c.RSAKeyPairID, &c.CreatedAt, &c.UpdatedAt, &scopes)
	if err != nil {
		return c, noRow(err)
	}
	if redirects == "[]" {
		c.RedirectURIs = []string{}
	} else if err := json.Unmarshal([]byte(redirects), &c.RedirectURIs); err != nil {
		return c, fmt.Errorf("oauth credential %d: redirect_uris: %w", c.ID, err)
	}
	c.Scopes = strings.Fields(scopes)
	return c, nil
}

// OAuthCredentialByID returns the credential with the given id.
func (tx *Tx) OAuthCredentialByID(ctx context.Context, id int64) (OAuthCredential, error) {
	if m := tx.fromModel(modelOAuth, id); m != nil {
		return m.oauthCredential(ctx, id)
	}
	return tx.sqlOAuthCredentialByID(ctx, id)
}

func (tx *Tx) sqlOAuthCredentialByID(ctx context.Context, id int64) (OAuthCredential, error) {
	return scanOAuth(tx.queryRow(ctx, oauthSelect+` WHERE c.id = ?`, id))
}

// OAuthCredentialByIdentifier returns the credential with the given client
// identifier (exact match).
func (tx *Tx) OAuthCredentialByIdentifier(ctx context.Context, identifier string) (OAuthCredential, error) {
	if m := tx.fromModel(modelOAuth, 0); m != nil {
		return m.oauthCredentialByIdentifier(ctx, identifier)
	}
	return scanOAuth(tx.queryRow(ctx, oauthByIdentifier, identifier))
}

// OAuthCredentials returns the credentials f selects, in its order.
func (tx *Tx) OAuthCredentials(ctx context.Context, f OAuthFilter) ([]OAuthCredential, error) {
	column := "c.id"
	if f.SortKey != "" {
		var ok bool
		if column, ok = OAuthSortColumns[f.SortKey]; !ok {
			return nil, fmt.Errorf("store: unknown sort key %q", f.SortKey)
		}
	}
	if m := tx.fromModel(modelOAuth, 0); m != nil {
		if creds, ok, err := m.oauthCredentials(ctx, f); ok || err != nil {
			return creds, err
		}
	}
	cond, args := whereAll(when(f.GrantType != "", "c.grant_types = ?", f.GrantType))
	query := oauthSelect + cond + orderBy(f.Desc, column, "c.id")
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return collect(ctx, tx, query, func(rows *sql.Rows) (OAuthCredential, error) { return scanOAuth(rows) }, args...)
}

// oauthUpdate writes a credential whose identifier stays, leaving the
// identifier's unique index alone (one page less to write at commit).
const oauthUpdate = `UPDATE oauth_credentials SET secret = ?, name = ?, description = ?,
	grant_types = ?, service_id = ?, user_id = ?, logo_uri = ?, redirect_uris = ?, rsa_key_pair_id = ?,
	updated_at = ?, scopes = ? WHERE id = ?`

// oauthInsert writes a new credential or replaces the one with its id,
// which keeps its created_at.
const oauthInsert = `INSERT INTO oauth_credentials (id, identifier, secret, name,
	description, grant_types, service_id, user_id, logo_uri, redirect_uris, rsa_key_pair_id, created_at,
	updated_at, scopes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT(id) DO UPDATE SET identifier = excluded.identifier, secret = excluded.secret,
	name = excluded.name, description = excluded.description, grant_types = excluded.grant_types,
	service_id = excluded.service_id, user_id = excluded.user_id, logo_uri = excluded.logo_uri,
	redirect_uris = excluded.redirect_uris, rsa_key_pair_id = excluded.rsa_key_pair_id,
	updated_at = excluded.updated_at, scopes = excluded.scopes`

// PutOAuthCredential inserts c (c.ID 0 picks the next id) or replaces the
// row with its id; c.Scopes must be permitted scope names (WHMCS's, seeded
// in oauth_scopes), kept in order without repeats. It returns the id.
func (tx *Tx) PutOAuthCredential(ctx context.Context, c OAuthCredential) (int64, error) {
	redirects := c.RedirectURIs
	if redirects == nil {
		redirects = []string{}
	}
	rj, err := json.Marshal(redirects)
	if err != nil {
		return 0, err
	}
	scopes := dedupe(c.Scopes)
	for _, s := range scopes {
		if !tx.db.scopes[s] {
			return 0, fmt.Errorf("store: unknown OAuth scope %q", s)
		}
	}
	var old OAuthCredential
	if c.ID != 0 {
		// None: the row is inserted below.
		if old, err = tx.OAuthCredentialByID(ctx, c.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return 0, err
		}
	}
	keepsIdentifier := c.ID != 0 && old.ID == c.ID && old.Identifier == c.Identifier
	// The row as written is c as bound (a Go string is stored and read
	// back byte for byte), so the model takes c with the id and
	// created_at SQLite kept rather than every column scanned back: that
	// scan was a tenth of a write. The redirect URIs read back as their
	// JSON decodes, which differs from c's where one is not valid UTF-8.
	stored := redirects
	if slices.ContainsFunc(redirects, func(u string) bool { return !utf8.ValidString(u) }) {
		var decoded []string // its own variable: taking redirects' address put it on the heap on every call
		if err := json.Unmarshal(rj, &decoded); err != nil {
			return 0, err
		}
		stored = decoded
	}
	written := asBound(c, stored, scopes)
	if keepsIdentifier { // no RETURNING: a fifth of a local UpdateOAuthCredential
		written.CreatedAt = old.CreatedAt
		err = tx.execFound(ctx, oauthUpdate, c.Secret, c.Name, c.Description, c.GrantTypes, c.ServiceID, c.UserID,
			c.LogoURI, string(rj), c.RSAKeyPairID, c.UpdatedAt, strings.Join(scopes, " "), c.ID)
	} else {
		err = noRow(tx.queryRow(ctx, oauthInsert+` RETURNING id, created_at`, nullID(c.ID), c.Identifier, c.Secret,
			c.Name, c.Description, c.GrantTypes, c.ServiceID, c.UserID, c.LogoURI, string(rj), c.RSAKeyPairID,
			c.CreatedAt, c.UpdatedAt, strings.Join(scopes, " ")).Scan(&written.ID, &written.CreatedAt))
	}
	if err != nil {
		return 0, conflict(err)
	}
	tx.db.changes.know(modelOAuth, written.ID, written)
	return written.ID, nil
}

// asBound is c as PutOAuthCredential binds it (redirects and scopes as
// stored), with its strings copied: a request's strings may share the
// memory of its whole body, which the read model would otherwise keep
// for as long as it keeps the credential.
func asBound(c OAuthCredential, redirects, scopes []string) OAuthCredential {
	for _, s := range []*string{&c.Identifier, &c.Secret, &c.Name, &c.Description, &c.GrantTypes, &c.LogoURI} {
		*s = strings.Clone(*s)
	}
	c.RedirectURIs, c.Scopes = cloneAll(redirects), cloneAll(scopes)
	return c
}

func cloneAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.Clone(s)
	}
	return out
}

// dedupe keeps the first of each repeated string, in order.
func dedupe(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// DeleteOAuthCredential deletes the credential and its scope links.
func (tx *Tx) DeleteOAuthCredential(ctx context.Context, id int64) error {
	return tx.execFound(ctx, `DELETE FROM oauth_credentials WHERE id = ?`, id)
}
