package store

import (
	"context"
	"database/sql"
	"errors"
	"math/big"
	"strings"
)

// This file holds quotes (WHMCS's tblquotes and tblquoteitems, migration
// 0019): what CreateQuote, UpdateQuote and AcceptQuote write and GetQuotes
// lists. Money is in cents; a line's quantity and discount (a percentage)
// are decimal text.

// QuoteStages are WHMCS's quote stages, in its order.
var QuoteStages = []string{"Draft", "Delivered", "On Hold", "Accepted", "Lost", "Dead"}

// Quote is a quote for a client, or for a lead (ClientID 0) whose details
// it holds itself.
type Quote struct {
	ID         int64
	Subject    string
	Stage      string // Draft, Delivered, On Hold, Accepted, Lost, Dead
	ValidUntil string // Y-m-d
	ClientID   int64  // 0 for a lead
	Person
	Currency      int64
	SubtotalCents int64
	Tax1Cents     int64
	Tax2Cents     int64
	TotalCents    int64
	Proposal      string
	CustomerNotes string
	AdminNotes    string
	DateCreated   string // Y-m-d
	LastModified  string // Y-m-d
	DateSent      string // Y-m-d, "" until sent
	DateAccepted  string // Y-m-d, "" until accepted
}

// QuoteItem is one line of a quote: Quantity × UnitPrice, less Discount
// percent.
type QuoteItem struct {
	ID             int64
	QuoteID        int64
	Description    string
	Quantity       string // decimal text, "1"
	UnitPriceCents int64
	Discount       string // percent, decimal text "0.00"
	Taxable        bool
}

const quoteColumns = `id, subject, stage, validuntil, coalesce(client_id, 0), firstname, lastname, companyname, email,
	address1, address2, city, state, postcode, country, phonenumber, tax_id, currency, subtotal_cents, tax1_cents,
	tax2_cents, total_cents, proposal, customernotes, adminnotes, datecreated, lastmodified, datesent, dateaccepted`

func (q *Quote) fields() []any {
	return []any{&q.ID, &q.Subject, &q.Stage, &q.ValidUntil, &q.ClientID, &q.Firstname, &q.Lastname, &q.CompanyName,
		&q.Email, &q.Address1, &q.Address2, &q.City, &q.State, &q.Postcode, &q.Country, &q.PhoneNumber, &q.TaxID,
		&q.Currency, &q.SubtotalCents, &q.Tax1Cents, &q.Tax2Cents, &q.TotalCents, &q.Proposal, &q.CustomerNotes,
		&q.AdminNotes, &q.DateCreated, &q.LastModified, &q.DateSent, &q.DateAccepted}
}

func scanQuote(rows *sql.Rows) (Quote, error) {
	var q Quote
	err := rows.Scan(q.fields()...)
	return q, err
}

// PutQuote inserts a quote, or replaces the one with its id, and returns
// its id. Its sums are not written here: RecalculateQuote works them out
// from its lines.
func (tx *Tx) PutQuote(ctx context.Context, q Quote) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO quotes (id, subject, stage, validuntil, client_id, firstname, lastname,
		companyname, email, address1, address2, city, state, postcode, country, phonenumber, tax_id, currency,
		proposal, customernotes, adminnotes, datecreated, lastmodified, datesent, dateaccepted)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET subject = excluded.subject, stage = excluded.stage,
		validuntil = excluded.validuntil, client_id = excluded.client_id, firstname = excluded.firstname,
		lastname = excluded.lastname, companyname = excluded.companyname, email = excluded.email,
		address1 = excluded.address1, address2 = excluded.address2, city = excluded.city, state = excluded.state,
		postcode = excluded.postcode, country = excluded.country, phonenumber = excluded.phonenumber,
		tax_id = excluded.tax_id, currency = excluded.currency, proposal = excluded.proposal,
		customernotes = excluded.customernotes, adminnotes = excluded.adminnotes, datecreated = excluded.datecreated,
		lastmodified = excluded.lastmodified, datesent = excluded.datesent, dateaccepted = excluded.dateaccepted
		RETURNING id`,
		nullID(q.ID), q.Subject, q.Stage, q.ValidUntil, nullID(q.ClientID), q.Firstname, q.Lastname, q.CompanyName,
		q.Email, q.Address1, q.Address2, q.City, q.State, q.Postcode, q.Country, q.PhoneNumber, q.TaxID, q.Currency,
		q.Proposal, q.CustomerNotes, q.AdminNotes, q.DateCreated, q.LastModified, q.DateSent, q.DateAccepted)
}

// QuoteByID returns one quote, or ErrNotFound.
func (tx *Tx) QuoteByID(ctx context.Context, id int64) (Quote, error) {
	var q Quote
	err := tx.queryRow(ctx, `SELECT `+quoteColumns+` FROM quotes WHERE id = ?`, id).Scan(q.fields()...)
	return q, noRow(err)
}

// DeleteQuote removes a quote and its lines; ErrNotFound when there is no
// such quote.
func (tx *Tx) DeleteQuote(ctx context.Context, id int64) error {
	return tx.execFound(ctx, `DELETE FROM quotes WHERE id = ?`, id)
}

// QuoteFilter selects quotes; zero fields do not filter. Fields combine
// with AND.
type QuoteFilter struct {
	QuoteID      int64
	ClientID     int64
	Subject      string
	Stage        string
	DateCreated  string // Y-m-d
	LastModified string
	ValidUntil   string
	Page
}

// ListQuotes returns one page of the quotes f selects, newest first, and
// how many it selects in all.
func (tx *Tx) ListQuotes(ctx context.Context, f QuoteFilter) ([]Quote, int64, error) {
	cond, args := whereAll(
		when(f.QuoteID != 0, "id = ?", f.QuoteID),
		when(f.ClientID != 0, "client_id = ?", f.ClientID),
		when(f.Subject != "", "subject = ?", f.Subject),
		when(f.Stage != "", "stage = ? COLLATE NOCASE", f.Stage),
		when(f.DateCreated != "", "datecreated = ?", f.DateCreated),
		when(f.LastModified != "", "lastmodified = ?", f.LastModified),
		when(f.ValidUntil != "", "validuntil = ?", f.ValidUntil),
	)
	return listPage(ctx, tx, `SELECT count(*) FROM quotes`+cond,
		`SELECT `+quoteColumns+` FROM quotes`+cond+orderBy(true, "id"), args, f.Page, scanQuote)
}

// Quotes returns every quote, by id (for export).
func (tx *Tx) Quotes(ctx context.Context) ([]Quote, error) {
	return collect(ctx, tx, `SELECT `+quoteColumns+` FROM quotes ORDER BY id`, scanQuote)
}

const quoteItemColumns = `id, quote_id, description, quantity, unitprice_cents, discount, taxable`

func scanQuoteItem(rows *sql.Rows) (QuoteItem, error) {
	var it QuoteItem
	err := rows.Scan(&it.ID, &it.QuoteID, &it.Description, &it.Quantity, &it.UnitPriceCents, &it.Discount, &it.Taxable)
	return it, err
}

// QuoteItems returns a quote's lines, by id (every quote's, by quote and
// id, for 0).
func (tx *Tx) QuoteItems(ctx context.Context, quoteID int64) ([]QuoteItem, error) {
	cond, args := whereAll(when(quoteID != 0, "quote_id = ?", quoteID))
	return collect(ctx, tx, `SELECT `+quoteItemColumns+` FROM quote_items`+cond+` ORDER BY quote_id, id`,
		scanQuoteItem, args...)
}

// PutQuoteItem inserts a line, or replaces the line with its id on the
// same quote, and returns its id; ErrNotFound when the id is another
// quote's line. The caller recalculates the quote. ErrMoneyRange when the
// unit price does not fit decimal(16,2).
func (tx *Tx) PutQuoteItem(ctx context.Context, it QuoteItem) (int64, error) {
	if err := CheckMoney(it.UnitPriceCents); err != nil {
		return 0, err
	}
	if it.ID != 0 {
		var owner int64
		switch err := noRow(tx.queryRow(ctx, `SELECT quote_id FROM quote_items WHERE id = ?`, it.ID).Scan(&owner)); {
		case err == nil && owner != it.QuoteID:
			return 0, ErrNotFound
		case err != nil && !errors.Is(err, ErrNotFound):
			return 0, err
		}
	}
	return tx.upsert(ctx, `INSERT INTO quote_items (`+quoteItemColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET `+updateAll(quoteItemColumns)+` RETURNING id`,
		nullID(it.ID), it.QuoteID, it.Description, it.Quantity, it.UnitPriceCents, it.Discount, it.Taxable)
}

// QuoteLineCents is what a line comes to: its quantity times its unit
// price, less its discount percent, rounded to the cent half away from
// zero. ErrMoneyRange when that does not fit decimal(16,2); a quantity or
// discount that is not a decimal number counts as 0.
func QuoteLineCents(it QuoteItem) (int64, error) {
	qty, ok := new(big.Rat).SetString(it.Quantity)
	if !ok {
		qty = new(big.Rat)
	}
	disc, ok := new(big.Rat).SetString(it.Discount)
	if !ok {
		disc = new(big.Rat)
	}
	keep := new(big.Rat).Sub(big.NewRat(100, 1), disc)
	v := new(big.Rat).Mul(qty, new(big.Rat).SetInt64(it.UnitPriceCents))
	v.Mul(v, keep).Quo(v, big.NewRat(100, 1))
	// Round half away from zero: add or take a half, then truncate.
	half := big.NewRat(1, 2)
	if v.Sign() < 0 {
		v.Sub(v, half)
	} else {
		v.Add(v, half)
	}
	n := new(big.Int).Quo(v.Num(), v.Denom())
	if !n.IsInt64() {
		return 0, ErrMoneyRange
	}
	cents := n.Int64()
	return cents, CheckMoney(cents)
}

// RecalculateQuote sets a quote's subtotal from its lines; its taxes are
// 0 (tax rules are not emulated), so its total is its subtotal.
// ErrMoneyRange when a line or the sum does not fit decimal(16,2).
func (tx *Tx) RecalculateQuote(ctx context.Context, id int64) error {
	items, err := tx.QuoteItems(ctx, id)
	if err != nil {
		return err
	}
	lines := make([]int64, len(items))
	for i, it := range items {
		if lines[i], err = QuoteLineCents(it); err != nil {
			return err
		}
	}
	subtotal, err := AddMoney(lines...)
	if err != nil {
		return err
	}
	return tx.execFound(ctx, `UPDATE quotes SET subtotal_cents = ?, tax1_cents = 0, tax2_cents = 0, total_cents = ?
		WHERE id = ?`, subtotal, subtotal, id)
}

// QuoteCounts returns how many quotes a client has and how many of them
// are Accepted.
func (tx *Tx) QuoteCounts(ctx context.Context, clientID int64) (all, accepted int, err error) {
	err = tx.queryRow(ctx, `SELECT count(*), coalesce(sum(stage = 'Accepted'), 0) FROM quotes WHERE client_id = ?`,
		clientID).Scan(&all, &accepted)
	return all, accepted, err
}

// HundredthsText writes a number kept in hundredths (as ParseMoney reads
// it) without trailing zeros: 100 is "1", 150 "1.5", -5 "-0.05". Quote
// lines keep their quantities so.
func HundredthsText(n int64) string {
	return strings.TrimSuffix(strings.TrimRight(FormatMoney(n), "0"), ".")
}
