package store

import (
	"context"
	"database/sql"
	"errors"
)

// This file holds what a user who is not its owner may do for a client
// (migration 0022): the permissions of a client_users link, and removing
// the link.

// ClientUserLink is a user's access to a client it does not own, with its
// permissions (names, comma-separated).
type ClientUserLink struct {
	ClientID    int64
	UserID      int64
	Permissions string
}

// ClientUserLinkOf returns the link between a client and a user;
// ErrNotFound when the user has no access to the client through one (an
// owner may have none).
func (tx *Tx) ClientUserLinkOf(ctx context.Context, clientID, userID int64) (ClientUserLink, error) {
	l := ClientUserLink{ClientID: clientID, UserID: userID}
	err := tx.queryRow(ctx, `SELECT permissions FROM client_users WHERE client_id = ? AND user_id = ?`,
		clientID, userID).Scan(&l.Permissions)
	return l, noRow(err)
}

// SetClientUserPermissions sets a link's permissions; ErrNotFound when
// there is no such link.
func (tx *Tx) SetClientUserPermissions(ctx context.Context, clientID, userID int64, permissions string) error {
	return tx.execFound(ctx, `UPDATE client_users SET permissions = ? WHERE client_id = ? AND user_id = ?`,
		permissions, clientID, userID)
}

// RemoveClientUser deletes a link; ErrNotFound when there is none.
func (tx *Tx) RemoveClientUser(ctx context.Context, clientID, userID int64) error {
	return tx.execFound(ctx, `DELETE FROM client_users WHERE client_id = ? AND user_id = ?`, clientID, userID)
}

// ClientUserLinks returns every link, by client then user (an export
// reads them).
func (tx *Tx) ClientUserLinks(ctx context.Context) ([]ClientUserLink, error) {
	return collect(ctx, tx, `SELECT client_id, user_id, permissions FROM client_users ORDER BY client_id, user_id`,
		func(rows *sql.Rows) (ClientUserLink, error) {
			var l ClientUserLink
			err := rows.Scan(&l.ClientID, &l.UserID, &l.Permissions)
			return l, err
		})
}

// UserFirstClient returns the first client (by id) a user owns, else the
// first it can reach through a link, else 0.
func (tx *Tx) UserFirstClient(ctx context.Context, userID int64) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM (SELECT id, 0 AS linked FROM clients WHERE owner_user_id = ?
		UNION ALL SELECT client_id, 1 FROM client_users WHERE user_id = ?) ORDER BY linked, id LIMIT 1`,
		userID, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}
