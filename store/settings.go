package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Settings are the emulated installation's configuration.
type Settings struct {
	CompanyName string // the prefix of generated OAuth client identifiers
	SystemURL   string // WHMCS's System URL, ending in /
	// SystemURLSet says the System URL was chosen (by a fixture or
	// SetConfigurationValue) rather than defaulted: only a chosen one is
	// saved and exported. The default is DB.SetDefaultSystemURL's, else
	// DefaultSystemURL.
	SystemURLSet bool
	AllowedIPs   []string // the API IP allow-list; empty allows every IP
	AccessKey    string   // lets a caller past the allow-list; empty: none
	Version      string   // the WHMCS version reported in XML answers
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

// SetDefaultSystemURL sets the System URL of a database whose settings
// choose none (a server passes the address it listens on); "" is
// DefaultSystemURL. A missing trailing / is added. Call it before the
// database is used.
func (db *DB) SetDefaultSystemURL(u string) {
	if u != "" && !strings.HasSuffix(u, "/") {
		u += "/"
	}
	db.defaultSystemURL = u
}

// DefaultSystemURL is the System URL of settings that choose none.
func (db *DB) DefaultSystemURL() string {
	if db.defaultSystemURL == "" {
		return DefaultSystemURL
	}
	return db.defaultSystemURL
}

// LoadSettings reads the settings, with defaults for those never set.
func (tx *Tx) LoadSettings(ctx context.Context) (Settings, error) {
	s := Settings{CompanyName: DefaultCompanyName, SystemURL: tx.db.DefaultSystemURL(), Version: DefaultVersion,
		ProjectManagement: true}
	err := tx.eachRow(ctx, `SELECT key, value FROM settings`, func(rows *sql.Rows) error {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		switch k {
		case "companyName":
			s.CompanyName = v
		case "systemUrl":
			if v != "" {
				s.SystemURL, s.SystemURLSet = v, true
			}
		case "allowedIps":
			s.AllowedIPs = strings.Fields(v)
		case "accessKey":
			s.AccessKey = v
		case "version":
			s.Version = v
		case "projectManagement":
			s.ProjectManagement = v != "0"
		}
		return nil
	})
	return s, err
}

// SaveSettings stores every field of s; the System URL only when
// SystemURLSet (otherwise none is stored, and the default applies).
func (tx *Tx) SaveSettings(ctx context.Context, s Settings) error {
	if !s.SystemURLSet {
		if _, err := tx.exec(ctx, `DELETE FROM settings WHERE key = 'systemUrl'`); err != nil {
			return err
		}
	} else if _, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES ('systemUrl', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, s.SystemURL); err != nil {
		return err
	}
	for k, v := range map[string]string{
		"companyName":       s.CompanyName,
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
// was applied to the database before, and whether its document is kept
// (it is not for loads recorded before migration 0014).
func (tx *Tx) FixtureApplied(ctx context.Context, hash string) (applied, kept bool, err error) {
	err = tx.queryRow(ctx, `SELECT document IS NOT NULL FROM fixture_loads WHERE hash = ?`, hash).Scan(&kept)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	return err == nil, kept, err
}

// RecordFixture remembers that a fixture document was applied, and keeps
// it as the last of the documents a reset restores (a document recorded
// before moves to the end, as it was applied again last).
func (tx *Tx) RecordFixture(ctx context.Context, hash string, at int64, document []byte) error {
	if _, err := tx.exec(ctx, `DELETE FROM fixture_loads WHERE hash = ?`, hash); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO fixture_loads (hash, loaded_at, document) VALUES (?, ?, ?)`, hash, at, document)
	return err
}

// KeepFixtureDocument stores the document of a fixture recorded before
// documents were kept (migration 0014), so that a reset can restore it.
func (tx *Tx) KeepFixtureDocument(ctx context.Context, hash string, document []byte) error {
	_, err := tx.exec(ctx, `UPDATE fixture_loads SET document = ? WHERE hash = ? AND document IS NULL`, document, hash)
	return err
}

// FixtureDocument is a fixture document the database keeps for resets,
// by the hash of the bytes it was loaded from.
type FixtureDocument struct {
	Hash     string
	Document []byte
}

// FixtureDocuments returns the fixture documents a reset restores, in the
// order they were applied; a load recorded without its document (before
// migration 0014) is left out.
func (tx *Tx) FixtureDocuments(ctx context.Context) ([]FixtureDocument, error) {
	return collect(ctx, tx, `SELECT hash, document FROM fixture_loads WHERE document IS NOT NULL ORDER BY rowid`,
		func(rows *sql.Rows) (FixtureDocument, error) {
			var d FixtureDocument
			err := rows.Scan(&d.Hash, &d.Document)
			return d, err
		})
}

// boolText stores a boolean setting as "1" or "0".
func boolText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
