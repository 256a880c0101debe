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
// passwords since migration 0015); since migration 0017 users have an
// email, a creation time and an etag, keys an upload time, and the keys
// that sign access tokens are kept.

// OCIUser is a user of the emulated tenancy and the API signing keys that
// authenticate its requests.
type OCIUser struct {
	ID          string
	TenancyID   string
	Name        string
	Description string
	Email       *string // nil: none
	TimeCreated int64   // Unix milliseconds
	ETag        string
	Keys        []OCIAPIKey // by upload time, then fingerprint
}

// OCIAPIKey is an API signing key: the PEM public key as given, its
// fingerprint (colon-separated MD5 hex of the DER public key) and when it
// was uploaded (Unix milliseconds).
type OCIAPIKey struct {
	Fingerprint string
	PEM         string
	TimeCreated int64
}

// OCIUserFilter selects users for OCIUserList: those named Name (any
// when empty), ordered by creation time (by name when ByName), descending
// when Desc, then by id, starting after the position (AfterTime or
// AfterName, AfterID) when AfterID is set, at most Limit of them (all when
// 0).
type OCIUserFilter struct {
	Name      string
	ByName    bool
	Desc      bool
	AfterTime int64
	AfterName string
	AfterID   string
	Limit     int
}

// OCISigningKey is a key that signs access tokens: its key id and the
// private key as PKCS #8 PEM.
type OCISigningKey struct {
	KID        string
	PrivateKey string
	Created    int64
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
	_, err := tx.exec(ctx, `INSERT INTO oci_users (id, tenancy_id, name, description, email, time_created, etag)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET tenancy_id = excluded.tenancy_id, name = excluded.name,
		description = excluded.description, email = excluded.email, time_created = excluded.time_created,
		etag = excluded.etag`, u.ID, u.TenancyID, u.Name, u.Description, u.Email, u.TimeCreated, u.ETag)
	if err != nil {
		return conflict(err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM oci_api_keys WHERE user_id = ?`, u.ID); err != nil {
		return err
	}
	for _, k := range u.Keys {
		if err := tx.AddOCIAPIKey(ctx, u.ID, k); err != nil {
			return err
		}
	}
	return nil
}

// AddOCIAPIKey adds a key to a user; ErrConflict when the user has a key
// with its fingerprint already.
func (tx *Tx) AddOCIAPIKey(ctx context.Context, userID string, k OCIAPIKey) error {
	_, err := tx.exec(ctx, `INSERT INTO oci_api_keys (user_id, fingerprint, pem, time_created) VALUES (?, ?, ?, ?)`,
		userID, k.Fingerprint, k.PEM, k.TimeCreated)
	return conflict(err)
}

// SetOCIUserETag gives a user a new etag (its keys changed).
func (tx *Tx) SetOCIUserETag(ctx context.Context, id, etag string) error {
	_, err := tx.exec(ctx, `UPDATE oci_users SET etag = ? WHERE id = ?`, etag, id)
	return err
}

const ociUserColumns = `id, tenancy_id, name, description, email, time_created, etag`

func scanOCIUser(sc interface{ Scan(...any) error }) (OCIUser, error) {
	var u OCIUser
	var email sql.NullString
	err := sc.Scan(&u.ID, &u.TenancyID, &u.Name, &u.Description, &email, &u.TimeCreated, &u.ETag)
	u.Email = nullString(email)
	return u, noRow(err)
}

// OCIUserByID returns the user with the given id and its keys.
func (tx *Tx) OCIUserByID(ctx context.Context, id string) (OCIUser, error) {
	u, err := scanOCIUser(tx.queryRow(ctx, `SELECT `+ociUserColumns+` FROM oci_users WHERE id = ?`, id))
	if err != nil {
		return u, err
	}
	return u, tx.ociKeys(ctx, &u)
}

func (tx *Tx) ociKeys(ctx context.Context, u *OCIUser) (err error) {
	u.Keys, err = collect(ctx, tx, `SELECT fingerprint, pem, time_created FROM oci_api_keys WHERE user_id = ?
		ORDER BY time_created, fingerprint`,
		func(rows *sql.Rows) (OCIAPIKey, error) {
			var k OCIAPIKey
			return k, rows.Scan(&k.Fingerprint, &k.PEM, &k.TimeCreated)
		}, u.ID)
	return err
}

// OCIUsers returns every user with its keys, by id.
func (tx *Tx) OCIUsers(ctx context.Context) ([]OCIUser, error) {
	return tx.ociUsers(ctx, `SELECT `+ociUserColumns+` FROM oci_users ORDER BY id`)
}

func (tx *Tx) ociUsers(ctx context.Context, query string, args ...any) ([]OCIUser, error) {
	out, err := collect(ctx, tx, query, func(rows *sql.Rows) (OCIUser, error) { return scanOCIUser(rows) }, args...)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if err := tx.ociKeys(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// OCIUserList returns the users f selects, with their keys.
func (tx *Tx) OCIUserList(ctx context.Context, f OCIUserFilter) ([]OCIUser, error) {
	col, after := "time_created", any(f.AfterTime)
	if f.ByName {
		col, after = "name", f.AfterName
	}
	cmp := ">"
	if f.Desc {
		cmp = "<"
	}
	cond, args := whereAll(
		when(f.Name != "", `name = ?`, f.Name),
		when(f.AfterID != "", `(`+col+` `+cmp+` ? OR (`+col+` = ? AND id `+cmp+` ?))`, after, after, f.AfterID),
	)
	query := `SELECT ` + ociUserColumns + ` FROM oci_users` + cond + orderBy(f.Desc, col, "id")
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return tx.ociUsers(ctx, query, args...)
}

// OCIUserNamed returns the user whose name, or email, is the given one
// (any case); ErrNotFound when none is.
func (tx *Tx) OCIUserNamed(ctx context.Context, name, email string) (OCIUser, error) {
	return scanOCIUser(tx.queryRow(ctx, `SELECT `+ociUserColumns+` FROM oci_users
		WHERE lower(name) = lower(?) OR (? != '' AND lower(email) = lower(?)) ORDER BY id LIMIT 1`, name, email, email))
}

// DeleteOCIUser deletes a user with its keys and credentials;
// ErrNotFound when there is none.
func (tx *Tx) DeleteOCIUser(ctx context.Context, id string) error {
	return tx.execFound(ctx, `DELETE FROM oci_users WHERE id = ?`, id)
}

// OCISigningKeys returns the token signing keys, newest first.
func (tx *Tx) OCISigningKeys(ctx context.Context) ([]OCISigningKey, error) {
	return collect(ctx, tx, `SELECT kid, private_key, created FROM oci_signing_keys ORDER BY created DESC, kid`,
		func(rows *sql.Rows) (OCISigningKey, error) {
			var k OCISigningKey
			return k, rows.Scan(&k.KID, &k.PrivateKey, &k.Created)
		})
}

// PutOCISigningKey stores a token signing key.
func (tx *Tx) PutOCISigningKey(ctx context.Context, k OCISigningKey) error {
	_, err := tx.exec(ctx, `INSERT INTO oci_signing_keys (kid, private_key, created) VALUES (?, ?, ?)`,
		k.KID, k.PrivateKey, k.Created)
	return conflict(err)
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
