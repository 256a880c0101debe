package store

import (
	"context"
	"database/sql"
	"strings"
)

// Admin is a WHMCS administrator. PasswordHash is bcrypt of the md5 hex of
// the password, so the legacy md5 login works without the plain text.
type Admin struct {
	ID           int64
	Username     string
	PasswordHash string
	Email        string
	Firstname    string
	Lastname     string
	Disabled     bool
}

// APIRole is a named allow-list of normalised action names ("*" allows all).
type APIRole struct {
	ID          int64
	Name        string
	Description string
	Actions     []string
}

// APICredential is an identifier/secret pair that belongs to one admin.
type APICredential struct {
	ID          int64
	Identifier  string
	SecretHash  string
	AdminID     int64
	Description string
	RoleIDs     []int64
}

const adminColumns = `id, username, password_hash, email, firstname, lastname, disabled`

func scanAdmin(row interface{ Scan(...any) error }) (Admin, error) {
	var a Admin
	err := row.Scan(&a.ID, &a.Username, &a.PasswordHash, &a.Email, &a.Firstname, &a.Lastname, &a.Disabled)
	return a, noRow(err)
}

// AdminByID returns the admin with the given id.
func (tx *Tx) AdminByID(ctx context.Context, id int64) (Admin, error) {
	return scanAdmin(tx.queryRow(ctx, `SELECT `+adminColumns+` FROM admins WHERE id = ?`, id))
}

// AdminByUsername returns the admin with the given username (case-insensitive).
func (tx *Tx) AdminByUsername(ctx context.Context, username string) (Admin, error) {
	return scanAdmin(tx.queryRow(ctx, `SELECT `+adminColumns+` FROM admins WHERE username = ?`, username))
}

// Admins returns every admin, by id.
func (tx *Tx) Admins(ctx context.Context) ([]Admin, error) {
	return collect(ctx, tx, `SELECT `+adminColumns+` FROM admins ORDER BY id`,
		func(rows *sql.Rows) (Admin, error) { return scanAdmin(rows) })
}

// PutAdmin inserts a or, when a row with its id (or, with no id, its
// username) exists, replaces that row. It returns the row's id.
func (tx *Tx) PutAdmin(ctx context.Context, a Admin) (int64, error) {
	target := "username"
	if a.ID != 0 {
		target = "id"
	}
	return tx.upsert(ctx, `INSERT INTO admins (id, username, password_hash, email, firstname, lastname, disabled)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(`+target+`) DO UPDATE SET username = excluded.username, password_hash = excluded.password_hash,
		email = excluded.email, firstname = excluded.firstname, lastname = excluded.lastname, disabled = excluded.disabled
		RETURNING id`,
		nullID(a.ID), a.Username, a.PasswordHash, a.Email, a.Firstname, a.Lastname, a.Disabled)
}

// PutAPIRole inserts or replaces a role, matched by id or else by name.
func (tx *Tx) PutAPIRole(ctx context.Context, r APIRole) (int64, error) {
	target := "name"
	if r.ID != 0 {
		target = "id"
	}
	return tx.upsert(ctx, `INSERT INTO api_roles (id, name, description, actions) VALUES (?, ?, ?, ?)
		ON CONFLICT(`+target+`) DO UPDATE SET name = excluded.name, description = excluded.description, actions = excluded.actions
		RETURNING id`,
		nullID(r.ID), r.Name, r.Description, strings.Join(r.Actions, " "))
}

// APIRoleByName returns the role with the given name.
func (tx *Tx) APIRoleByName(ctx context.Context, name string) (APIRole, error) {
	var r APIRole
	var actions string
	err := tx.queryRow(ctx, `SELECT id, name, description, actions FROM api_roles WHERE name = ?`, name).
		Scan(&r.ID, &r.Name, &r.Description, &actions)
	if err != nil {
		return r, noRow(err)
	}
	r.Actions = strings.Fields(actions)
	return r, nil
}

// APIRoles returns every role, by id.
func (tx *Tx) APIRoles(ctx context.Context) ([]APIRole, error) {
	return collect(ctx, tx, `SELECT id, name, description, actions FROM api_roles ORDER BY id`,
		func(rows *sql.Rows) (APIRole, error) {
			var r APIRole
			var actions string
			err := rows.Scan(&r.ID, &r.Name, &r.Description, &actions)
			r.Actions = strings.Fields(actions)
			return r, err
		})
}

// PutAPICredential inserts or replaces a credential, matched by identifier,
// and sets its roles to exactly c.RoleIDs.
func (tx *Tx) PutAPICredential(ctx context.Context, c APICredential) (int64, error) {
	id, err := tx.upsert(ctx, `INSERT INTO api_credentials (identifier, secret_hash, admin_id, description) VALUES (?, ?, ?, ?)
		ON CONFLICT(identifier) DO UPDATE SET secret_hash = excluded.secret_hash, admin_id = excluded.admin_id,
		description = excluded.description
		RETURNING id`,
		c.Identifier, c.SecretHash, c.AdminID, c.Description)
	if err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `DELETE FROM api_credential_roles WHERE credential_id = ?`, id); err != nil {
		return 0, err
	}
	for _, role := range c.RoleIDs {
		if _, err := tx.exec(ctx,
			`INSERT OR IGNORE INTO api_credential_roles (credential_id, role_id) VALUES (?, ?)`, id, role); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// APICredentialByIdentifier returns the credential with the given
// identifier (exact match), without its role ids: one indexed read, so that
// authentication costs the same before the secret is checked whether the
// identifier exists or not.
func (tx *Tx) APICredentialByIdentifier(ctx context.Context, identifier string) (APICredential, error) {
	var c APICredential
	err := tx.queryRow(ctx, `SELECT id, identifier, secret_hash, admin_id, description
		FROM api_credentials WHERE identifier = ?`, identifier).
		Scan(&c.ID, &c.Identifier, &c.SecretHash, &c.AdminID, &c.Description)
	return c, noRow(err)
}

// CredentialActions returns the union of the actions the credential's
// roles allow.
func (tx *Tx) CredentialActions(ctx context.Context, credentialID int64) ([]string, error) {
	lists, err := collect(ctx, tx, `SELECT r.actions FROM api_roles r
		JOIN api_credential_roles cr ON cr.role_id = r.id WHERE cr.credential_id = ?`, scanOne[string], credentialID)
	var out []string
	for _, actions := range lists {
		out = append(out, strings.Fields(actions)...)
	}
	return out, err
}

// APICredentials returns every credential with its role ids, by id.
func (tx *Tx) APICredentials(ctx context.Context) ([]APICredential, error) {
	out, err := collect(ctx, tx, `SELECT id, identifier, secret_hash, admin_id, description FROM api_credentials ORDER BY id`,
		func(rows *sql.Rows) (APICredential, error) {
			var c APICredential
			err := rows.Scan(&c.ID, &c.Identifier, &c.SecretHash, &c.AdminID, &c.Description)
			return c, err
		})
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].RoleIDs, err = tx.int64s(ctx,
			`SELECT role_id FROM api_credential_roles WHERE credential_id = ? ORDER BY role_id`, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// upsert runs an INSERT … RETURNING id statement.
func (tx *Tx) upsert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	if err := tx.queryRow(ctx, query, args...).Scan(&id); err != nil {
		return 0, conflict(err)
	}
	return id, nil
}

func (tx *Tx) int64s(ctx context.Context, query string, args ...any) ([]int64, error) {
	return collect(ctx, tx, query, scanOne[int64], args...)
}

// nullID turns a zero id into NULL so SQLite picks the next one.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
