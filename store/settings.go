package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Settings are the emulated installation's configuration.
type Settings struct {
	CompanyName string   // the prefix of generated OAuth client identifiers
	SystemURL   string   // WHMCS's System URL, ending in /
	AllowedIPs  []string // the API IP allow-list; empty allows every IP
	AccessKey   string   // lets a caller past the allow-list; empty: none
	Version     string   // the WHMCS version reported in XML answers
	// ProjectManagement says the Project Management addon is active; when
	// it is not, the project actions answer WHMCS's "not active" error.
	// Default true, so a fresh emulator lets integrations create projects.
	ProjectManagement bool
}

// Defaults for settings a database does not set.
const (
	DefaultCompanyName = "Company Name"
	DefaultSystemURL   = "http://localhost/"
	DefaultVersion     = "8.13.1"
)

// LoadSettings reads the settings, with defaults for those never set.
func (tx *Tx) LoadSettings(ctx context.Context) (Settings, error) {
	s := Settings{CompanyName: DefaultCompanyName, SystemURL: DefaultSystemURL, Version: DefaultVersion,
		ProjectManagement: true}
	rows, err := tx.query(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return s, err
		}
		switch k {
		case "companyName":
			s.CompanyName = v
		case "systemUrl":
			s.SystemURL = v
		case "allowedIps":
			s.AllowedIPs = strings.Fields(v)
		case "accessKey":
			s.AccessKey = v
		case "version":
			s.Version = v
		case "projectManagement":
			s.ProjectManagement = v != "0"
		}
	}
	return s, rows.Err()
}

// SaveSettings stores every field of s.
func (tx *Tx) SaveSettings(ctx context.Context, s Settings) error {
	for k, v := range map[string]string{
		"companyName":       s.CompanyName,
		"systemUrl":         s.SystemURL,
		"allowedIps":        strings.Join(s.AllowedIPs, " "),
		"accessKey":         s.AccessKey,
		"version":           s.Version,
		"projectManagement": boolText(s.ProjectManagement),
	} {
		if _, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return err
		}
	}
	return nil
}

// FixtureApplied reports whether a fixture document with this content hash
// was applied to the database before.
func (tx *Tx) FixtureApplied(ctx context.Context, hash string) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM fixture_loads WHERE hash = ?`, hash).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return n > 0, err
}

// RecordFixture remembers that the fixture document with this hash was applied.
func (tx *Tx) RecordFixture(ctx context.Context, hash string, at int64) error {
	_, err := tx.exec(ctx, `INSERT OR IGNORE INTO fixture_loads (hash, loaded_at) VALUES (?, ?)`, hash, at)
	return err
}

// boolText stores a boolean setting as "1" or "0".
func boolText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
