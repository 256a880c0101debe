package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// ActivityEntry is one line of the activity log.
type ActivityEntry struct {
	ID          int64
	Date        int64 // Unix seconds
	Description string
	ClientID    int64
	UserID      int64
	AdminID     int64
	Username    string
	IPAddress   string
}

// ActivityFilter narrows the activity log. Zero fields do not filter.
type ActivityFilter struct {
	ClientID    int64
	From, To    int64  // Date in [From, To) when To > 0
	User        string // an admin username, or the email of a client or user
	Description string // a substring, compared case-insensitively
	IPAddress   string
	Page
}

// InsertActivity appends e to the activity log and returns its id.
func (tx *Tx) InsertActivity(ctx context.Context, e ActivityEntry) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO activity_log (id, date, description, client_id, user_id, admin_id, username, ip_address)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		nullID(e.ID), e.Date, e.Description, e.ClientID, e.UserID, e.AdminID, e.Username, e.IPAddress)
}

// activityByUser keeps the entries of a user: an admin username, or the
// email of a client or a user.
const activityByUser = `(username = ? COLLATE NOCASE
	OR (client_id <> 0 AND client_id IN (SELECT id FROM clients WHERE lower(email) = lower(?)))
	OR (user_id <> 0 AND user_id IN (SELECT id FROM users WHERE email = ?)))`

// ActivityLog returns the entries f selects, newest first, and how many
// there are in all (before the offset and limit).
func (tx *Tx) ActivityLog(ctx context.Context, f ActivityFilter) ([]ActivityEntry, int64, error) {
	cond, args := whereAll(
		when(f.ClientID != 0, "client_id = ?", f.ClientID),
		when(f.To != 0, "date >= ? AND date < ?", f.From, f.To),
		when(f.User != "", activityByUser, f.User, f.User, f.User),
		when(f.Description != "", "instr(lower(description), lower(?)) > 0", f.Description),
		when(f.IPAddress != "", "ip_address = ?", f.IPAddress),
	)
	return listPage(ctx, tx, `SELECT count(*) FROM activity_log`+cond,
		`SELECT id, date, description, client_id, user_id, admin_id, username, ip_address
		FROM activity_log`+cond+` ORDER BY id DESC`, args, f.Page, func(rows *sql.Rows) (ActivityEntry, error) {
			var e ActivityEntry
			err := rows.Scan(&e.ID, &e.Date, &e.Description, &e.ClientID, &e.UserID, &e.AdminID, &e.Username,
				&e.IPAddress)
			return e, err
		})
}

// ConfigValue returns the stored value of a configuration setting, or
// ErrNotFound when it was never set.
func (tx *Tx) ConfigValue(ctx context.Context, setting string) (string, error) {
	var v string
	err := tx.queryRow(ctx, `SELECT value FROM configuration WHERE setting = ?`, setting).Scan(&v)
	return v, noRow(err)
}

// SetConfigValue stores the value of a configuration setting.
func (tx *Tx) SetConfigValue(ctx context.Context, setting, value string) error {
	_, err := tx.exec(ctx, `INSERT INTO configuration (setting, value) VALUES (?, ?)
		ON CONFLICT(setting) DO UPDATE SET value = excluded.value`, setting, value)
	return err
}

// ConfigValues returns every stored configuration value, by setting name.
func (tx *Tx) ConfigValues(ctx context.Context) ([][2]string, error) {
	return collect(ctx, tx, `SELECT setting, value FROM configuration ORDER BY setting`, func(rows *sql.Rows) ([2]string, error) {
		var kv [2]string
		err := rows.Scan(&kv[0], &kv[1])
		return kv, err
	})
}

// Secret returns the installation secret with this name; when there is
// none yet, a write transaction stores generate() and returns it, and a
// read transaction (or a nil generate) returns ErrNotFound.
func (tx *Tx) Secret(ctx context.Context, name string, generate func() []byte) ([]byte, error) {
	var v []byte
	err := tx.queryRow(ctx, `SELECT value FROM system_secrets WHERE name = ?`, name).Scan(&v)
	if !errors.Is(err, sql.ErrNoRows) {
		return v, err
	}
	if !tx.writer || generate == nil {
		return nil, ErrNotFound
	}
	v = generate()
	if _, err := tx.exec(ctx, `INSERT INTO system_secrets (name, value) VALUES (?, ?)`, name, v); err != nil {
		return nil, err
	}
	return v, nil
}

// QuickCheck runs SQLite's quick_check on the database and returns its
// verdict ("ok" when the file is sound).
func (tx *Tx) QuickCheck(ctx context.Context) (string, error) {
	return tx.verdict(ctx, `PRAGMA quick_check`)
}

// verdict runs one of SQLite's check pragmas and joins the lines it
// answers.
func (tx *Tx) verdict(ctx context.Context, pragma string) (string, error) {
	lines, err := collect(ctx, tx, pragma, scanOne[string])
	return strings.Join(lines, "\n"), err
}
