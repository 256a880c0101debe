package store

import (
	"context"
	"database/sql"
	"errors"
)

// This file holds the queries of the contact actions: a client's contacts,
// who receive some of its email.

// Contact is a person attached to a client.
type Contact struct {
	ID          int64
	ClientID    int64
	Firstname   string
	Lastname    string
	CompanyName string
	Email       string
	Address1    string
	Address2    string
	City        string
	State       string
	Postcode    string
	Country     string
	PhoneNumber string
	TaxID       string
	EmailOn     string // space-separated kinds of email received (general invoice support product domain affiliate)
	CreatedAt   int64  // Unix seconds; 0 when unknown
	UpdatedAt   int64
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
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
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
	Offset                                 int64
	Limit                                  int64 // at least 1
}

const contactWhere = ` WHERE (? = 0 OR client_id = ?) AND (? = '' OR firstname = ? COLLATE NOCASE)
	AND (? = '' OR lastname = ? COLLATE NOCASE) AND (? = '' OR companyname = ? COLLATE NOCASE)
	AND (? = '' OR email = ? COLLATE NOCASE) AND (? = '' OR address1 = ? COLLATE NOCASE)
	AND (? = '' OR address2 = ? COLLATE NOCASE) AND (? = '' OR city = ? COLLATE NOCASE)
	AND (? = '' OR state = ? COLLATE NOCASE) AND (? = '' OR postcode = ? COLLATE NOCASE)
	AND (? = '' OR country = ? COLLATE NOCASE) AND (? = '' OR phonenumber = ? COLLATE NOCASE)`

// ListContacts returns the page of contacts f selects and how many match
// f in all.
func (tx *Tx) ListContacts(ctx context.Context, f ContactFilter) ([]Contact, int64, error) {
	var args []any
	for _, v := range []any{f.ClientID, f.Firstname, f.Lastname, f.CompanyName, f.Email, f.Address1, f.Address2,
		f.City, f.State, f.Postcode, f.Country, f.PhoneNumber} {
		args = append(args, v, v)
	}
	var total int64
	if err := tx.queryRow(ctx, `SELECT count(*) FROM contacts`+contactWhere, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	rows, err := tx.query(ctx, `SELECT `+contactColumns+` FROM contacts`+contactWhere+` ORDER BY id LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var page []Contact
	for rows.Next() {
		var c Contact
		if err := rows.Scan(c.fields()...); err != nil {
			return nil, 0, err
		}
		page = append(page, c)
	}
	return page, total, rows.Err()
}

// Contacts returns every contact, by id.
func (tx *Tx) Contacts(ctx context.Context) ([]Contact, error) {
	return collect(ctx, tx, `SELECT `+contactColumns+` FROM contacts ORDER BY id`, func(rows *sql.Rows) (Contact, error) {
		var c Contact
		err := rows.Scan(c.fields()...)
		return c, err
	})
}
