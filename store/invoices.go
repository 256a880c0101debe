package store

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strconv"
)

// Invoice is a client's invoice (migration 0010). Money is in cents.
type Invoice struct {
	ID            int64
	ClientID      int64
	InvoiceNum    string
	Date          string // Y-m-d
	DueDate       string // Y-m-d
	DatePaid      string // Y-m-d H:i:s, "" while unpaid
	SubtotalCents int64
	CreditCents   int64
	TaxCents      int64
	Tax2Cents     int64
	TotalCents    int64
	TaxRate       string // percent as decimal text, e.g. "0.000"
	TaxRate2      string
	Status        string // Draft, Unpaid, Paid, Cancelled, Refunded, Collections, Payment Pending
	PaymentMethod string
	Notes         string
	CreatedAt     string // Y-m-d H:i:s; CreateInvoice makes it the date at midnight when empty
	UpdatedAt     string // Y-m-d H:i:s; CreateInvoice makes it CreatedAt when empty
	DateRefunded  string // Y-m-d H:i:s, "" while not refunded
	DateCancelled string // Y-m-d H:i:s, "" while not cancelled
}

// InvoiceItem is one line of an invoice.
type InvoiceItem struct {
	ID            int64
	InvoiceID     int64
	ClientID      int64
	Type          string // Hosting, Domain, Item, ... ("" for a free-form line)
	RelID         int64  // the service, domain or billable item the line bills
	Description   string
	AmountCents   int64
	Taxed         bool
	DueDate       string
	PaymentMethod string
}

const invoiceColumns = `id, client_id, invoicenum, date, duedate, datepaid, subtotal_cents, credit_cents, tax_cents,
	tax2_cents, total_cents, taxrate, taxrate2, status, paymentmethod, notes, created_at, updated_at, date_refunded,
	date_cancelled`

func (inv *Invoice) fields() []any {
	return []any{&inv.ID, &inv.ClientID, &inv.InvoiceNum, &inv.Date, &inv.DueDate, &inv.DatePaid, &inv.SubtotalCents,
		&inv.CreditCents, &inv.TaxCents, &inv.Tax2Cents, &inv.TotalCents, &inv.TaxRate, &inv.TaxRate2, &inv.Status,
		&inv.PaymentMethod, &inv.Notes, &inv.CreatedAt, &inv.UpdatedAt, &inv.DateRefunded, &inv.DateCancelled}
}

// CreateInvoice inserts an invoice with its items and returns its id. The
// subtotal, tax and total are worked out from the items (RecalculateInvoice);
// whatever inv says of them is ignored. An id in inv is kept (fixtures).
// ErrMoneyRange when an amount, or a sum, does not fit decimal(16,2).
func (tx *Tx) CreateInvoice(ctx context.Context, inv Invoice, items []InvoiceItem) (int64, error) {
	if err := CheckMoney(inv.CreditCents); err != nil {
		return 0, err
	}
	if inv.TaxRate == "" {
		inv.TaxRate = "0.000"
	}
	if inv.TaxRate2 == "" {
		inv.TaxRate2 = "0.000"
	}
	if inv.CreatedAt == "" {
		inv.CreatedAt = inv.Date + " 00:00:00"
	}
	if inv.UpdatedAt == "" {
		inv.UpdatedAt = inv.CreatedAt
	}
	id, err := tx.upsert(ctx, `INSERT INTO invoices (id, client_id, invoicenum, date, duedate, datepaid, credit_cents,
		taxrate, taxrate2, status, paymentmethod, notes, created_at, updated_at, date_refunded, date_cancelled)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		nullID(inv.ID), inv.ClientID, inv.InvoiceNum, inv.Date, inv.DueDate, inv.DatePaid, inv.CreditCents,
		inv.TaxRate, inv.TaxRate2, inv.Status, inv.PaymentMethod, inv.Notes, inv.CreatedAt, inv.UpdatedAt,
		inv.DateRefunded, inv.DateCancelled)
	if err != nil {
		return 0, err
	}
	for _, it := range items {
		it.InvoiceID, it.ClientID = id, inv.ClientID
		if _, err := tx.AddInvoiceItem(ctx, it); err != nil {
			return 0, err
		}
	}
	return id, tx.RecalculateInvoice(ctx, id)
}

// AddInvoiceItem inserts one line; the caller recalculates the invoice.
func (tx *Tx) AddInvoiceItem(ctx context.Context, it InvoiceItem) (int64, error) {
	if err := CheckMoney(it.AmountCents); err != nil {
		return 0, err
	}
	return tx.upsert(ctx, `INSERT INTO invoice_items (id, invoice_id, client_id, type, relid, description, amount_cents,
		taxed, duedate, paymentmethod) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		nullID(it.ID), it.InvoiceID, it.ClientID, it.Type, it.RelID, it.Description, it.AmountCents, it.Taxed,
		it.DueDate, it.PaymentMethod)
}

// RecalculateInvoice sets an invoice's subtotal from its items, its taxes
// from its rates applied to the taxed items, and its total as subtotal
// plus taxes (credit applied is not taken off the total: WHMCS shows it
// beside it and takes it off the balance). The sums are added in Go with
// AddMoney, not by SQL's sum(), so that a subtotal, tax, total or balance
// that does not fit decimal(16,2) is ErrMoneyRange before it is written;
// the caller's transaction then rolls the whole change back.
func (tx *Tx) RecalculateInvoice(ctx context.Context, id int64) error {
	var inv Invoice
	if err := tx.queryRow(ctx, `SELECT `+invoiceColumns+` FROM invoices WHERE id = ?`, id).Scan(inv.fields()...); err != nil {
		return noRow(err)
	}
	type line struct {
		cents int64
		taxed bool
	}
	lines, err := collect(ctx, tx, `SELECT amount_cents, taxed FROM invoice_items WHERE invoice_id = ?`,
		func(rows *sql.Rows) (line, error) {
			var l line
			err := rows.Scan(&l.cents, &l.taxed)
			return l, err
		}, id)
	if err != nil {
		return err
	}
	var all, taxedOnly []int64
	for _, l := range lines {
		all = append(all, l.cents)
		if l.taxed {
			taxedOnly = append(taxedOnly, l.cents)
		}
	}
	subtotal, err := AddMoney(all...)
	if err != nil {
		return err
	}
	taxed, err := AddMoney(taxedOnly...)
	if err != nil {
		return err
	}
	tax, err := percentOf(taxed, inv.TaxRate)
	if err != nil {
		return err
	}
	tax2, err := percentOf(taxed, inv.TaxRate2)
	if err != nil {
		return err
	}
	if inv.TotalCents, err = AddMoney(subtotal, tax, tax2); err != nil {
		return err
	}
	if _, err := tx.InvoiceBalance(ctx, inv); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE invoices SET subtotal_cents = ?, tax_cents = ?, tax2_cents = ?, total_cents = ? WHERE id = ?`,
		subtotal, tax, tax2, inv.TotalCents, id)
	return err
}

// percentOf is rate percent of cents, rounded half away from zero; a rate
// that is not a number counts as 0. ErrMoneyRange when the tax does not
// fit decimal(16,2) (a rate of 1e300 is text a caller may send).
func percentOf(cents int64, rate string) (int64, error) {
	r, err := strconv.ParseFloat(rate, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) || math.IsNaN(r) || r == 0 || cents == 0 {
		return 0, nil
	}
	tax := math.Round(float64(cents) * r / 100)
	// float64(MaxCents) rounds up to 1e16: this comparison keeps the
	// conversion to int64 defined (an infinite rate gives an infinite tax),
	// CheckMoney then holds the exact limit.
	if math.IsNaN(tax) || math.Abs(tax) > float64(MaxCents) {
		return 0, ErrMoneyRange
	}
	if err := CheckMoney(int64(tax)); err != nil {
		return 0, err
	}
	return int64(tax), nil
}

// InvoiceByID returns one invoice, or ErrNotFound.
func (tx *Tx) InvoiceByID(ctx context.Context, id int64) (Invoice, error) {
	var inv Invoice
	err := tx.queryRow(ctx, `SELECT `+invoiceColumns+` FROM invoices WHERE id = ?`, id).Scan(inv.fields()...)
	return inv, noRow(err)
}

// InvoiceItems returns an invoice's lines, by id.
func (tx *Tx) InvoiceItems(ctx context.Context, invoiceID int64) ([]InvoiceItem, error) {
	return collect(ctx, tx, `SELECT id, invoice_id, client_id, type, relid, description, amount_cents, taxed, duedate,
		paymentmethod FROM invoice_items WHERE invoice_id = ? ORDER BY id`, func(rows *sql.Rows) (InvoiceItem, error) {
		var it InvoiceItem
		err := rows.Scan(&it.ID, &it.InvoiceID, &it.ClientID, &it.Type, &it.RelID, &it.Description, &it.AmountCents,
			&it.Taxed, &it.DueDate, &it.PaymentMethod)
		return it, err
	}, invoiceID)
}

// SetInvoiceStatus changes an invoice's status and its date paid ("" to
// clear it).
func (tx *Tx) SetInvoiceStatus(ctx context.Context, id int64, status, datePaid string) error {
	return tx.execFound(ctx, `UPDATE invoices SET status = ?, datepaid = ? WHERE id = ?`, status, datePaid, id)
}

// DeleteInvoice removes an invoice and its items; its transactions stay.
func (tx *Tx) DeleteInvoice(ctx context.Context, id int64) error {
	return tx.execFound(ctx, `DELETE FROM invoices WHERE id = ?`, id)
}
