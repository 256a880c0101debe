package store

import (
	"context"
	"database/sql"
)

// This file holds the queries of the contact actions: a client's contacts,
// who receive some of its email.

// Person is the name, email, address, phone and tax id of a contact or
// of a quote's lead. Its json names are the fixture format's
// (internal/fixture uses it).
type Person struct {
	Firstname   string `json:"firstname,omitempty"`
	Lastname    string `json:"lastname,omitempty"`
	CompanyName string `json:"companyname,omitempty"`
	Email       string `json:"email,omitempty"`
	Address1    string `json:"address1,omitempty"`
	Address2    string `json:"address2,omitempty"`
	City        string `json:"city,omitempty"`
	State       string `json:"state,omitempty"`
	Postcode    string `json:"postcode,omitempty"`
	Country     string `json:"country,omitempty"`
	PhoneNumber string `json:"phonenumber,omitempty"`
	TaxID       string `json:"taxId,omitempty"`
}

// Contact is a person attached to a client.
type Contact struct {
	ID       int64
	ClientID int64
	Person
	EmailOn   string // space-separated kinds of email received (general invoice support product domain affiliate)
	CreatedAt int64  // Unix seconds; 0 when unknown
	UpdatedAt int64
}

const contactColumns = `id, client_id, firstname, lastname, companyname, email, address1, address2, city, state,
	postcode, country, phonenumber, tax_id, email_on, created_at, updated_at`

func (c *Contact) fields() []any {
	return []any{&c.ID, &c.ClientID, &c.Firstname, &c.Lastname, &c.CompanyName, &c.Email, &c.Address1, &c.Address2,
		&c.City, &c.State, &c.Postcode, &c.Country, &c.PhoneNumber, &c.TaxID, &c.EmailOn, &c.CreatedAt, &c.UpdatedAt}
}

// PutContact inserts a contact (ID 0) or replaces the one with its id, and
// returns its id.
func (tx *Tx) PutContact(ctx context.Context, c Contact) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO contacts (`+contactColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET client_id = excluded.client_id, firstname = excluded.firstname,
		lastname = excluded.lastname, companyname = excluded.companyname, email = excluded.email,
		address1 = excluded.address1, address2 = excluded.address2, city = excluded.city, state = excluded.state,
		postcode = excluded.postcode, country = excluded.country, phonenumber = excluded.phonenumber,
		tax_id = excluded.tax_id, email_on = excluded.email_on, created_at = excluded.created_at,
		updated_at = excluded.updated_at RETURNING id`,
		nullID(c.ID), c.ClientID, c.Firstname, c.Lastname, c.CompanyName, c.Email, c.Address1, c.Address2, c.City,
		c.State, c.Postcode, c.Country, c.PhoneNumber, c.TaxID, c.EmailOn, c.CreatedAt, c.UpdatedAt)
}

// ContactByID returns the contact with the given id.
func (tx *Tx) ContactByID(ctx context.Context, id int64) (Contact, error) {
	var c Contact
	err := tx.queryRow(ctx, `SELECT `+contactColumns+` FROM contacts WHERE id = ?`, id).Scan(c.fields()...)
	return c, noRow(err)
}

// DeleteContact deletes the contact with the given id; an unknown id gives
// ErrNotFound.
func (tx *Tx) DeleteContact(ctx context.Context, id int64) error {
	return tx.execFound(ctx, `DELETE FROM contacts WHERE id = ?`, id)
}

// ContactEmailUsed reports whether a client, or a contact other than
// except (0 for none), has email, compared case-insensitively (ASCII).
func (tx *Tx) ContactEmailUsed(ctx context.Context, email string, except int64) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT (SELECT count(*) FROM clients WHERE lower(email) = lower(?))
		+ (SELECT count(*) FROM contacts WHERE lower(email) = lower(?) AND id != ?)`, email, email, except).Scan(&n)
	return n > 0, err
}

// ContactReceives reports whether a contact of the client, other than
// except (0 for none), receives the kind of email.
func (tx *Tx) ContactReceives(ctx context.Context, clientID int64, kind string, except int64) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM contacts WHERE client_id = ? AND id != ?
		AND ' ' || email_on || ' ' LIKE '% ' || ? || ' %'`, clientID, except, kind).Scan(&n)
	return n > 0, err
}

// ContactFilter selects a page of contacts, ordered by id. Each non-empty
// field keeps the contacts whose column equals it (text compared
// case-insensitively).
type ContactFilter struct {
	ClientID                               int64
	Firstname, Lastname, CompanyName       string
	Email, Address1, Address2, City, State string
	Postcode, Country, PhoneNumber         string
	Page
}

// ListContacts returns the page of contacts f selects and how many match
// f in all.
func (tx *Tx) ListContacts(ctx context.Context, f ContactFilter) ([]Contact, int64, error) {
	conds := []condition{when(f.ClientID != 0, "client_id = ?", f.ClientID)}
	for _, c := range [...]struct{ column, value string }{{"firstname", f.Firstname}, {"lastname", f.Lastname},
		{"companyname", f.CompanyName}, {"email", f.Email}, {"address1", f.Address1}, {"address2", f.Address2},
		{"city", f.City}, {"state", f.State}, {"postcode", f.Postcode}, {"country", f.Country},
		{"phonenumber", f.PhoneNumber}} {
		conds = append(conds, when(c.value != "", c.column+" = ? COLLATE NOCASE", c.value))
	}
	cond, args := whereAll(conds...)
	return listPage(ctx, tx, `SELECT count(*) FROM contacts`+cond,
		`SELECT `+contactColumns+` FROM contacts`+cond+` ORDER BY id`, args, f.Page, scanContact)
}

// Contacts returns every contact, by id.
func (tx *Tx) Contacts(ctx context.Context) ([]Contact, error) {
	return collect(ctx, tx, `SELECT `+contactColumns+` FROM contacts ORDER BY id`, scanContact)
}

func scanContact(rows *sql.Rows) (Contact, error) {
	var c Contact
	err := rows.Scan(c.fields()...)
	return c, err
}
