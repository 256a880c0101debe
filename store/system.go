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
	Offset      int
	Limit       int // 0: no limit
}

// InsertActivity appends e to the activity log and returns its id.
func (tx *Tx) InsertActivity(ctx context.Context, e ActivityEntry) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO activity_log (id, date, description, client_id, user_id, admin_id, username, ip_address)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		nullID(e.ID), e.Date, e.Description, e.ClientID, e.UserID, e.AdminID, e.Username, e.IPAddress)
}

// activityWhere is the filter's WHERE clause: every condition is always
// present and switched off by its own argument, so the statement text is
// one and is prepared once.
const activityWhere = ` WHERE (?1 = 0 OR client_id = ?1)
	AND (?3 = 0 OR (date >= ?2 AND date < ?3))
	AND (?4 = '' OR username = ?4 COLLATE NOCASE
		OR (client_id <> 0 AND client_id IN (SELECT id FROM clients WHERE lower(email) = lower(?4)))
		OR (user_id <> 0 AND user_id IN (SELECT id FROM users WHERE email = ?4)))
	AND (?5 = '' OR instr(lower(description), lower(?5)) > 0)
	AND (?6 = '' OR ip_address = ?6)`

// ActivityLog returns the entries f selects, newest first, and how many
// there are in all (before the offset and limit).
func (tx *Tx) ActivityLog(ctx context.Context, f ActivityFilter) ([]ActivityEntry, int, error) {
	args := []any{f.ClientID, f.From, f.To, f.User, f.Description, f.IPAddress}
	var total int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM activity_log`+activityWhere, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := int64(f.Limit)
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := tx.query(ctx, `SELECT id, date, description, client_id, user_id, admin_id, username, ip_address
		FROM activity_log`+activityWhere+` ORDER BY id DESC LIMIT ?7 OFFSET ?8`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []ActivityEntry
	for rows.Next() {
		var e ActivityEntry
		if err := rows.Scan(&e.ID, &e.Date, &e.Description, &e.ClientID, &e.UserID, &e.AdminID, &e.Username, &e.IPAddress); err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// ConfigValue returns the stored value of a configuration setting, or
// ErrNotFound when it was never set.
func (tx *Tx) ConfigValue(ctx context.Context, setting string) (string, error) {
	var v string
	err := tx.queryRow(ctx, `SELECT value FROM configuration WHERE setting = ?`, setting).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return v, err
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
