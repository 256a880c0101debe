package store

import (
	"context"
	"database/sql"
)

// EmailTemplate is a template WHMCS renders into an email (migration
// 0018). Message and Subject hold merge fields as {$name}.
type EmailTemplate struct {
	ID       int64
	Type     string // general, product, domain, invoice, support, affiliate or admin
	Name     string
	Subject  string
	Message  string
	Language string // "" for the default language
	Custom   bool
	Disabled bool
}

const emailTemplateColumns = `id, type, name, subject, message, language, custom, disabled`

func scanEmailTemplate(row interface{ Scan(...any) error }) (EmailTemplate, error) {
	var t EmailTemplate
	err := row.Scan(&t.ID, &t.Type, &t.Name, &t.Subject, &t.Message, &t.Language, &t.Custom, &t.Disabled)
	return t, noRow(err)
}

// EmailTemplateByName returns the template with the given name in a
// language, falling back to the default language; ErrNotFound when there
// is none.
func (tx *Tx) EmailTemplateByName(ctx context.Context, name, language string) (EmailTemplate, error) {
	return scanEmailTemplate(tx.queryRow(ctx, `SELECT `+emailTemplateColumns+` FROM email_templates
		WHERE name = ? AND language IN (?, '') ORDER BY language = '' LIMIT 1`, name, language))
}

// EmailTemplates returns the templates of a type ("" for every type) in a
// language ("" for the default one), by id.
func (tx *Tx) EmailTemplates(ctx context.Context, typ, language string) ([]EmailTemplate, error) {
	cond, args := whereAll(when(typ != "", "type = ?", typ), when(true, "language = ?", language))
	return collect(ctx, tx, `SELECT `+emailTemplateColumns+` FROM email_templates`+cond+` ORDER BY id`,
		func(rows *sql.Rows) (EmailTemplate, error) { return scanEmailTemplate(rows) }, args...)
}

// PutEmailTemplate inserts a template, or replaces the one with its name
// and language, and returns its id.
func (tx *Tx) PutEmailTemplate(ctx context.Context, t EmailTemplate) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO email_templates (type, name, subject, message, language, custom, disabled)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(name, language) DO UPDATE SET type = excluded.type, subject = excluded.subject,
		message = excluded.message, custom = excluded.custom, disabled = excluded.disabled, seeded = 0
		RETURNING id`, t.Type, t.Name, t.Subject, t.Message, t.Language, t.Custom, t.Disabled)
}

// Email is a message in the outbox: what WHMCS would have sent.
type Email struct {
	ID       int64
	ClientID int64 // 0 for mail to admins
	To       string
	CC       string
	BCC      string
	Subject  string
	Message  string
	Template string // the template's name; "" for a custom message
	Type     string
	Date     int64 // Unix seconds
}

const emailColumns = `id, coalesce(client_id, 0), to_address, cc, bcc, subject, message, template, type, date`

func scanEmail(rows *sql.Rows) (Email, error) {
	var e Email
	err := rows.Scan(&e.ID, &e.ClientID, &e.To, &e.CC, &e.BCC, &e.Subject, &e.Message, &e.Template, &e.Type, &e.Date)
	return e, err
}

// PutEmail puts a message in the outbox (an ID of 0 takes the next) and
// returns its id.
func (tx *Tx) PutEmail(ctx context.Context, e Email) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO emails (id, client_id, to_address, cc, bcc, subject, message, template, type, date)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET client_id = excluded.client_id, to_address = excluded.to_address,
		cc = excluded.cc, bcc = excluded.bcc, subject = excluded.subject, message = excluded.message,
		template = excluded.template, type = excluded.type, date = excluded.date
		RETURNING id`, nullID(e.ID), nullID(e.ClientID), e.To, e.CC, e.BCC, e.Subject, e.Message, e.Template, e.Type, e.Date)
}

// EmailFilter selects a page of the outbox.
type EmailFilter struct {
	ClientID int64  // 0 for every message
	Admin    bool   // only messages to admins (no client)
	Subject  string // keeps messages whose subject contains it (case-insensitive, ASCII)
	To       string // keeps messages to this address (case-insensitive, ASCII)
	Date     int64  // keeps messages sent in the same second or later; 0 for any
	// DateText keeps messages whose date, as Y-m-d H:i:s text (UTC),
	// contains it, as WHMCS's LIKE does: "2016-11-18" keeps that day's.
	DateText string
	Desc     bool // newest first
	Page
}

// Emails returns the page of the outbox f selects and how many match f,
// oldest first unless f.Desc.
func (tx *Tx) Emails(ctx context.Context, f EmailFilter) ([]Email, int64, error) {
	cond, args := whereAll(
		when(f.ClientID != 0, "client_id = ?", f.ClientID),
		when(f.Admin, "client_id IS NULL"),
		when(f.Subject != "", `subject LIKE ? ESCAPE '\'`, "%"+userLikeEscaper.Replace(f.Subject)+"%"),
		when(f.To != "", "to_address = ? COLLATE NOCASE", f.To),
		when(f.Date != 0, "date >= ?", f.Date),
		when(f.DateText != "", `strftime('%Y-%m-%d %H:%M:%S', date, 'unixepoch') LIKE ? ESCAPE '\'`,
			"%"+userLikeEscaper.Replace(f.DateText)+"%"),
	)
	return listPage(ctx, tx, `SELECT count(*) FROM emails`+cond,
		`SELECT `+emailColumns+` FROM emails`+cond+orderBy(f.Desc, "id"), args, f.Page, scanEmail)
}

// ClearEmails empties the outbox.
func (tx *Tx) ClearEmails(ctx context.Context) error {
	_, err := tx.exec(ctx, `DELETE FROM emails`)
	return err
}

// PutEmailTemplateWithID is PutEmailTemplate for a template with an id
// (a fixture's): it inserts the template with that id, or replaces the one
// that has it; ErrConflict when another template has its name and
// language. An ID of 0 is PutEmailTemplate.
func (tx *Tx) PutEmailTemplateWithID(ctx context.Context, t EmailTemplate) (int64, error) {
	if t.ID == 0 {
		return tx.PutEmailTemplate(ctx, t)
	}
	return tx.upsert(ctx, `INSERT INTO email_templates (id, type, name, subject, message, language, custom, disabled)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET type = excluded.type, name = excluded.name, subject = excluded.subject,
		message = excluded.message, language = excluded.language, custom = excluded.custom,
		disabled = excluded.disabled, seeded = 0
		RETURNING id`, t.ID, t.Type, t.Name, t.Subject, t.Message, t.Language, t.Custom, t.Disabled)
}

// ChangedEmailTemplates returns the templates that are not the seeded
// defaults as seeded (added or replaced since), by id: what an export
// must write for a fresh database to hold the same templates.
func (tx *Tx) ChangedEmailTemplates(ctx context.Context) ([]EmailTemplate, error) {
	return collect(ctx, tx, `SELECT `+emailTemplateColumns+` FROM email_templates WHERE seeded = 0 ORDER BY id`,
		func(rows *sql.Rows) (EmailTemplate, error) { return scanEmailTemplate(rows) })
}

// AllEmails returns the whole outbox, by id.
func (tx *Tx) AllEmails(ctx context.Context) ([]Email, error) {
	return collect(ctx, tx, `SELECT `+emailColumns+` FROM emails ORDER BY id`, scanEmail)
}
