package store

import (
	"context"
	"database/sql"
	"errors"
)

// SSOToken is a single-use sign-on token CreateSsoToken hands out.
type SSOToken struct {
	Token        string
	UserID       int64
	ClientID     int64
	Destination  string
	ServiceID    int64
	DomainID     int64
	RedirectPath string
	CreatedAt    int64
	ExpiresAt    int64
}

// InsertSSOToken stores t and drops tokens that expired before t was made,
// so the table holds only tokens that can still be redeemed.
func (tx *Tx) InsertSSOToken(ctx context.Context, t SSOToken) error {
	if _, err := tx.exec(ctx, `DELETE FROM sso_tokens WHERE expires_at < ?`, t.CreatedAt); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO sso_tokens (token, user_id, client_id, destination, service_id,
		domain_id, redirect_path, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Token, t.UserID, t.ClientID, t.Destination, t.ServiceID, t.DomainID, t.RedirectPath, t.CreatedAt, t.ExpiresAt)
	return conflict(err)
}

// SSOTokenCount returns how many tokens are stored.
func (tx *Tx) SSOTokenCount(ctx context.Context) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM sso_tokens`).Scan(&n)
	return n, err
}

// ErrUsed means a single-use token was used already.
var ErrUsed = errors.New("store: token already used")

// ErrExpired means a token's time ran out.
var ErrExpired = errors.New("store: token expired")

// RedeemSSOToken marks the token used at now and returns it; it fails with
// ErrNotFound, ErrUsed or ErrExpired.
func (tx *Tx) RedeemSSOToken(ctx context.Context, token string, now int64) (SSOToken, error) {
	var t SSOToken
	var used sql.NullInt64
	err := tx.queryRow(ctx, `SELECT token, user_id, client_id, destination, service_id, domain_id,
		redirect_path, created_at, expires_at, used_at FROM sso_tokens WHERE token = ?`, token).
		Scan(&t.Token, &t.UserID, &t.ClientID, &t.Destination, &t.ServiceID, &t.DomainID, &t.RedirectPath,
			&t.CreatedAt, &t.ExpiresAt, &used)
	switch {
	case err != nil:
		return t, noRow(err)
	case used.Valid:
		return t, ErrUsed
	case now > t.ExpiresAt:
		return t, ErrExpired
	}
	_, err = tx.exec(ctx, `UPDATE sso_tokens SET used_at = ? WHERE token = ?`, now, token)
	return t, err
}
