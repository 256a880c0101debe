package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
)

// This file holds the queries of the Users actions: adding, reading and
// changing a user's profile, and listing users a page at a time with the
// clients each can reach.

// UserProfile is what is kept of a user beyond the login identity in User.
type UserProfile struct {
	Language  string // client-area language as given ("english"); "" for the default
	CreatedAt int64  // Unix seconds; 0 when unknown (users made before it was kept)
}

// UserClient is a client a user can reach, as its owner or as an extra user.
type UserClient struct {
	ClientID int64
	Owner    bool
}

// UserEntry is one user of a page from ListUsers.
type UserEntry struct {
	User
	UserProfile
	Clients []UserClient // by client id
}

// UserFilter selects a page of users, ordered by id.
type UserFilter struct {
	// Search keeps the users whose email, first name, last name or full
	// name ("first last") starts with it, compared case-insensitively
	// (ASCII); "" keeps everyone.
	Search string
	Desc   bool
	Page
}

// AddUser inserts a new user with its profile and returns its id. An email
// that another user has (case-insensitively) gives ErrConflict.
func (tx *Tx) AddUser(ctx context.Context, u User, p UserProfile) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO users (firstname, lastname, email, password_hash, two_factor_enabled, language, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Firstname, u.Lastname, u.Email, u.PasswordHash, u.TwoFactorEnabled, p.Language, p.CreatedAt)
}

// UserProfileByID returns the profile of the user with the given id.
func (tx *Tx) UserProfileByID(ctx context.Context, id int64) (UserProfile, error) {
	var p UserProfile
	err := tx.queryRow(ctx, `SELECT language, created_at FROM users WHERE id = ?`, id).Scan(&p.Language, &p.CreatedAt)
	return p, noRow(err)
}

// UpdateUser writes a user's names, email and profile (not its password or
// two-factor flag), matched by id. An email that another user has gives
// ErrConflict; an unknown id ErrNotFound.
func (tx *Tx) UpdateUser(ctx context.Context, u User, p UserProfile) error {
	return conflict(tx.execFound(ctx, `UPDATE users SET firstname = ?, lastname = ?, email = ?, language = ?,
		created_at = ? WHERE id = ?`, u.Firstname, u.Lastname, u.Email, p.Language, p.CreatedAt, u.ID))
}

// SetUserProfile writes the profile of the user with the given id.
func (tx *Tx) SetUserProfile(ctx context.Context, id int64, p UserProfile) error {
	return tx.execFound(ctx, `UPDATE users SET language = ?, created_at = ? WHERE id = ?`, p.Language, p.CreatedAt, id)
}

// UserProfiles returns every user's profile, by user id.
func (tx *Tx) UserProfiles(ctx context.Context) (map[int64]UserProfile, error) {
	out := map[int64]UserProfile{}
	err := tx.eachRow(ctx, `SELECT id, language, created_at FROM users`, func(rows *sql.Rows) error {
		var id int64
		var p UserProfile
		err := rows.Scan(&id, &p.Language, &p.CreatedAt)
		out[id] = p
		return err
	})
	return out, err
}

// userSearch is the filter of a search: a LIKE pattern tried on each name.
const userSearch = `(email LIKE ? ESCAPE '\' OR firstname LIKE ? ESCAPE '\' OR lastname LIKE ? ESCAPE '\'
	OR firstname || ' ' || lastname LIKE ? ESCAPE '\')`

// userLinks lists (user, client, owner) for the users in a JSON array of
// ids, owner rows first for each pair.
const userLinks = `SELECT owner_user_id, id, 1 FROM clients
	WHERE owner_user_id IN (SELECT value FROM json_each(?))
	UNION ALL
	SELECT user_id, client_id, 0 FROM client_users
	WHERE user_id IN (SELECT value FROM json_each(?))
	ORDER BY 1, 2, 3 DESC`

// ListUsers returns the page of users f selects, each with its clients,
// and how many users match f in all.
func (tx *Tx) ListUsers(ctx context.Context, f UserFilter) ([]UserEntry, int64, error) {
	pattern := userLikeEscaper.Replace(f.Search) + "%"
	cond, args := whereAll(when(f.Search != "", userSearch, pattern, pattern, pattern, pattern))
	page, total, err := listPage(ctx, tx, `SELECT count(*) FROM users`+cond,
		`SELECT `+userColumns+`, language, created_at FROM users`+cond+orderBy(f.Desc, "id"), args, f.Page,
		func(rows *sql.Rows) (UserEntry, error) {
			var e UserEntry
			err := rows.Scan(&e.ID, &e.Firstname, &e.Lastname, &e.Email, &e.PasswordHash, &e.TwoFactorEnabled,
				&e.Language, &e.CreatedAt)
			return e, err
		})
	if err != nil || len(page) == 0 {
		return page, total, err
	}
	return page, total, tx.addUserClients(ctx, page)
}

// addUserClients fills in the clients of each user of a page, in one query.
func (tx *Tx) addUserClients(ctx context.Context, page []UserEntry) error {
	ids := make([]int64, len(page))
	index := make(map[int64]int, len(page))
	for i, e := range page {
		ids[i], index[e.ID] = e.ID, i
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	return tx.eachRow(ctx, userLinks, func(rows *sql.Rows) error {
		var userID int64
		var c UserClient
		if err := rows.Scan(&userID, &c.ClientID, &c.Owner); err != nil {
			return err
		}
		e := &page[index[userID]]
		if n := len(e.Clients); n > 0 && e.Clients[n-1].ClientID == c.ClientID {
			return nil // an owner also listed as an extra user: the owner row came first
		}
		e.Clients = append(e.Clients, c)
		return nil
	}, string(list), string(list))
}

// userLikeEscaper makes a search term literal inside a LIKE pattern.
var userLikeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
