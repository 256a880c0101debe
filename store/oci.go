package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// This file holds the OCI IAM dialect's state (migration 0013): the users
// of the emulated tenancy with their API signing keys, their OAuth 2.0
// client credentials, and the answers kept for opc-retry-token (without
// passwords since migration 0015).

// OCIUser is a user of the emulated tenancy and the API signing keys that
// authenticate its requests.
type OCIUser struct {
	ID          string
	TenancyID   string
	Name        string
	Description string
	Keys        []OCIAPIKey // by fingerprint
}

// OCIAPIKey is an API signing key: the PEM public key as given and its
// fingerprint (colon-separated MD5 hex of the DER public key).
type OCIAPIKey struct {
	Fingerprint string
	PEM         string
}

// OCIScope is one audience and scope pair (OCI's FullyQualifiedScope).
type OCIScope struct {
	Audience string `json:"audience"`
	Scope    string `json:"scope"`
}

// OCICredential is an OAuth 2.0 client credential. TimeCreated and
// ExpiresOn are Unix milliseconds; ExpiresOn nil never expires.
type OCICredential struct {
	ID             string
	UserID         string
	Name           string
	Description    string
	Scopes         []OCIScope
	PasswordHash   string // bcrypt
	ExpiresOn      *int64
	LifecycleState string
	TimeCreated    int64
	ETag           string
}

// OCICredentialFilter selects credentials for OCICredentials: those of
// UserID (all users when empty) in State (any when empty), ordered by
// creation time then id, starting after the (AfterCreated, AfterID)
// position when AfterID is set, at most Limit of them (all when 0).
type OCICredentialFilter struct {
	UserID       string
	State        string
	AfterCreated int64
	AfterID      string
	Limit        int
}

// OCIRetry is the answer a create gave under an opc-retry-token, without
// the password (the OCI dialect holds that in memory only): replayed for
// the same request until Expires (Unix milliseconds).
type OCIRetry struct {
	Token       string
	RequestHash string
	Status      int
	ETag        string
	Body        string
	Expires     int64
}

// PutOCIUser inserts u, or replaces the user with its id, keys included.
func (tx *Tx) PutOCIUser(ctx context.Context, u OCIUser) error {
	_, err := tx.exec(ctx, `INSERT INTO oci_users (id, tenancy_id, name, description) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET tenancy_id = excluded.tenancy_id, name = excluded.name,
		description = excluded.description`, u.ID, u.TenancyID, u.Name, u.Description)
	if err != nil {
		return conflict(err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM oci_api_keys WHERE user_id = ?`, u.ID); err != nil {
		return err
	}
	for _, k := range u.Keys {
		if _, err := tx.exec(ctx, `INSERT INTO oci_api_keys (user_id, fingerprint, pem) VALUES (?, ?, ?)`,
			u.ID, k.Fingerprint, k.PEM); err != nil {
			return conflict(err)
		}
	}
	return nil
}

// OCIUserByID returns the user with the given id and its keys.
func (tx *Tx) OCIUserByID(ctx context.Context, id string) (OCIUser, error) {
	var u OCIUser
	err := tx.queryRow(ctx, `SELECT id, tenancy_id, name, description FROM oci_users WHERE id = ?`, id).
		Scan(&u.ID, &u.TenancyID, &u.Name, &u.Description)
	if err != nil {
		return u, noRow(err)
	}
	u.Keys, err = collect(ctx, tx, `SELECT fingerprint, pem FROM oci_api_keys WHERE user_id = ? ORDER BY fingerprint`,
		func(rows *sql.Rows) (OCIAPIKey, error) {
			var k OCIAPIKey
			return k, rows.Scan(&k.Fingerprint, &k.PEM)
		}, id)
	return u, err
}

// OCIUsers returns every user with its keys, by id.
func (tx *Tx) OCIUsers(ctx context.Context) ([]OCIUser, error) {
	ids, err := collect(ctx, tx, `SELECT id FROM oci_users ORDER BY id`, func(rows *sql.Rows) (string, error) {
		var id string
		return id, rows.Scan(&id)
	})
	if err != nil {
		return nil, err
	}
	out := make([]OCIUser, 0, len(ids))
	for _, id := range ids {
		u, err := tx.OCIUserByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// OCITenancy returns the tenancy the users belong to, "" when there are
// none.
func (tx *Tx) OCITenancy(ctx context.Context) (string, error) {
	var id string
	err := tx.queryRow(ctx, `SELECT tenancy_id FROM oci_users ORDER BY id LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

const ociCredentialColumns = `id, user_id, name, description, scopes, password_hash, expires_on, lifecycle_state,
	time_created, etag`

func scanOCICredential(sc interface{ Scan(...any) error }) (OCICredential, error) {
	var c OCICredential
	var scopes string
	var expires sql.NullInt64
	err := sc.Scan(&c.ID, &c.UserID, &c.Name, &c.Description, &scopes, &c.PasswordHash, &expires,
		&c.LifecycleState, &c.TimeCreated, &c.ETag)
	if err != nil {
		return c, noRow(err)
	}
	if expires.Valid {
		c.ExpiresOn = &expires.Int64
	}
	c.Scopes = []OCIScope{}
	if err := json.Unmarshal([]byte(scopes), &c.Scopes); err != nil {
		return c, fmt.Errorf("oci credential %s: %w", c.ID, err)
	}
	return c, nil
}

// PutOCICredential inserts c, or replaces every stored field of the
// credential with its id.
func (tx *Tx) PutOCICredential(ctx context.Context, c OCICredential) error {
	if c.Scopes == nil {
		c.Scopes = []OCIScope{}
	}
	scopes, err := json.Marshal(c.Scopes)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO oci_credentials (`+ociCredentialColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET user_id = excluded.user_id, name = excluded.name,
		description = excluded.description, scopes = excluded.scopes, password_hash = excluded.password_hash,
		expires_on = excluded.expires_on, lifecycle_state = excluded.lifecycle_state,
		time_created = excluded.time_created, etag = excluded.etag`,
		c.ID, c.UserID, c.Name, c.Description, string(scopes), c.PasswordHash, c.ExpiresOn, c.LifecycleState,
		c.TimeCreated, c.ETag)
	return conflict(err)
}

// OCICredentialByID returns the credential with the given id.
func (tx *Tx) OCICredentialByID(ctx context.Context, id string) (OCICredential, error) {
	return scanOCICredential(tx.queryRow(ctx, `SELECT `+ociCredentialColumns+` FROM oci_credentials WHERE id = ?`, id))
}

// OCICredentials returns the credentials f selects.
func (tx *Tx) OCICredentials(ctx context.Context, f OCICredentialFilter) ([]OCICredential, error) {
	cond, args := whereAll(
		when(f.UserID != "", `user_id = ?`, f.UserID),
		when(f.State != "", `lifecycle_state = ?`, f.State),
		when(f.AfterID != "", `(time_created > ? OR (time_created = ? AND id > ?))`, f.AfterCreated, f.AfterCreated, f.AfterID),
	)
	query := `SELECT ` + ociCredentialColumns + ` FROM oci_credentials` + cond + ` ORDER BY time_created, id`
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return collect(ctx, tx, query, func(rows *sql.Rows) (OCICredential, error) { return scanOCICredential(rows) }, args...)
}

// CountOCICredentials counts a user's credentials that are not DELETED.
func (tx *Tx) CountOCICredentials(ctx context.Context, userID string) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM oci_credentials WHERE user_id = ? AND lifecycle_state != 'DELETED'`,
		userID).Scan(&n)
	return n, err
}

// DeleteOCICredential deletes a credential; ErrNotFound when there is
// none.
func (tx *Tx) DeleteOCICredential(ctx context.Context, id string) error {
	return tx.execFound(ctx, `DELETE FROM oci_credentials WHERE id = ?`, id)
}

// OCIRetryToken returns the answer kept for token, expired or not.
func (tx *Tx) OCIRetryToken(ctx context.Context, token string) (OCIRetry, error) {
	var r OCIRetry
	err := tx.queryRow(ctx, `SELECT token, request_hash, status, etag, body, expires FROM oci_retry_tokens WHERE token = ?`,
		token).Scan(&r.Token, &r.RequestHash, &r.Status, &r.ETag, &r.Body, &r.Expires)
	return r, noRow(err)
}

// PutOCIRetryToken keeps (or replaces) the answer for a retry token.
func (tx *Tx) PutOCIRetryToken(ctx context.Context, r OCIRetry) error {
	_, err := tx.exec(ctx, `INSERT INTO oci_retry_tokens (token, request_hash, status, etag, body, expires)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(token) DO UPDATE SET request_hash = excluded.request_hash,
		status = excluded.status, etag = excluded.etag, body = excluded.body, expires = excluded.expires`,
		r.Token, r.RequestHash, r.Status, r.ETag, r.Body, r.Expires)
	return err
}

// DeleteOCIRetryTokensBefore forgets the retry tokens that expired before
// at (Unix milliseconds).
func (tx *Tx) DeleteOCIRetryTokensBefore(ctx context.Context, at int64) error {
	_, err := tx.exec(ctx, `DELETE FROM oci_retry_tokens WHERE expires < ?`, at)
	return err
}
