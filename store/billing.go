package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// This file holds the billing queries beyond invoices.go: invoice lists
// and edits, transactions (WHMCS's tblaccounts), credits, billable items
// and a client's billing figures.

// InvoiceEntry is an invoice as a list shows it: with its client's name
// and its client's currency.
type InvoiceEntry struct {
	Invoice
	Firstname      string
	Lastname       string
	CompanyName    string
	CurrencyCode   string
	CurrencyPrefix string
	CurrencySuffix string
}

// InvoiceFilter selects invoices; zero fields do not filter. Fields
// combine with AND.
type InvoiceFilter struct {
	ClientID      int64
	Status        string
	OverdueBefore string // Y-m-d: Unpaid invoices due before this day
	OrderBy       string // one of InvoiceOrderColumns' keys; "" is id
	Desc          bool
	Page
}

// InvoiceOrderColumns maps the sort keys ListInvoices accepts to their
// columns (never a request value in SQL).
var InvoiceOrderColumns = map[string]string{
	"id": "i.id", "invoicenum": "i.invoicenum", "date": "i.date", "duedate": "i.duedate",
	"total": "i.total_cents", "status": "i.status",
}

// ListInvoices returns one page of the invoices f selects and how many it
// selects in all.
func (tx *Tx) ListInvoices(ctx context.Context, f InvoiceFilter) ([]InvoiceEntry, int64, error) {
	cond, args := whereAll(
		when(f.ClientID != 0, "i.client_id = ?", f.ClientID),
		when(f.Status != "", "i.status = ? COLLATE NOCASE", f.Status),
		when(f.OverdueBefore != "", "i.status = 'Unpaid' AND i.duedate < ?", f.OverdueBefore),
	)
	col, ok := InvoiceOrderColumns[f.OrderBy]
	if !ok {
		col = "i.id"
	}
	cols := "i." + strings.ReplaceAll(strings.Join(strings.Fields(invoiceColumns), " "), ", ", ", i.")
	return listPage(ctx, tx, `SELECT count(*) FROM invoices i`+cond,
		`SELECT `+cols+`, c.firstname, c.lastname, c.companyname, coalesce(cur.code, ''),
		coalesce(cur.prefix, ''), coalesce(cur.suffix, '') FROM invoices i JOIN clients c ON c.id = i.client_id
		LEFT JOIN currencies cur ON cur.id = c.currency`+cond+orderBy(f.Desc, col, "i.id"),
		args, f.Page, func(rows *sql.Rows) (InvoiceEntry, error) {
			var e InvoiceEntry
			err := rows.Scan(append(e.fields(), &e.Firstname, &e.Lastname, &e.CompanyName, &e.CurrencyCode,
				&e.CurrencyPrefix, &e.CurrencySuffix)...)
			return e, err
		})
}

// Invoices returns every invoice, by id (for export).
func (tx *Tx) Invoices(ctx context.Context) ([]Invoice, error) {
	return collect(ctx, tx, `SELECT `+invoiceColumns+` FROM invoices ORDER BY id`, func(rows *sql.Rows) (Invoice, error) {
		var inv Invoice
		err := rows.Scan(inv.fields()...)
		return inv, err
	})
}

// UpdateInvoice writes an invoice's own fields (not its sums) and
// recalculates it; ErrMoneyRange when the credit, or a sum, does not fit
// decimal(16,2).
func (tx *Tx) UpdateInvoice(ctx context.Context, inv Invoice) error {
	if err := CheckMoney(inv.CreditCents); err != nil {
		return err
	}
	if err := tx.execFound(ctx, `UPDATE invoices SET invoicenum = ?, date = ?, duedate = ?, datepaid = ?, credit_cents = ?,
		taxrate = ?, taxrate2 = ?, status = ?, paymentmethod = ?, notes = ?, updated_at = ?, date_refunded = ?,
		date_cancelled = ? WHERE id = ?`, inv.InvoiceNum, inv.Date, inv.DueDate, inv.DatePaid, inv.CreditCents,
		inv.TaxRate, inv.TaxRate2, inv.Status, inv.PaymentMethod, inv.Notes, inv.UpdatedAt, inv.DateRefunded,
		inv.DateCancelled, inv.ID); err != nil {
		return err
	}
	return tx.RecalculateInvoice(ctx, inv.ID)
}

// UpdateInvoiceItem changes a line's description, amount and taxed flag;
// ErrNotFound when the invoice has no such line. The caller recalculates.
func (tx *Tx) UpdateInvoiceItem(ctx context.Context, it InvoiceItem) error {
	if err := CheckMoney(it.AmountCents); err != nil {
		return err
	}
	return tx.execFound(ctx, `UPDATE invoice_items SET description = ?, amount_cents = ?, taxed = ?
		WHERE id = ? AND invoice_id = ?`, it.Description, it.AmountCents, it.Taxed, it.ID, it.InvoiceID)
}

// DeleteInvoiceItem removes a line of an invoice; ErrNotFound when the
// invoice has no such line. The caller recalculates.
func (tx *Tx) DeleteInvoiceItem(ctx context.Context, invoiceID, itemID int64) error {
	return tx.execFound(ctx, `DELETE FROM invoice_items WHERE id = ? AND invoice_id = ?`, itemID, invoiceID)
}

// AllInvoiceItems returns every invoice line, by invoice and id (for export).
func (tx *Tx) AllInvoiceItems(ctx context.Context) ([]InvoiceItem, error) {
	return collect(ctx, tx, `SELECT id, invoice_id, client_id, type, relid, description, amount_cents, taxed, duedate,
		paymentmethod FROM invoice_items ORDER BY invoice_id, id`, func(rows *sql.Rows) (InvoiceItem, error) {
		var it InvoiceItem
		err := rows.Scan(&it.ID, &it.InvoiceID, &it.ClientID, &it.Type, &it.RelID, &it.Description, &it.AmountCents,
			&it.Taxed, &it.DueDate, &it.PaymentMethod)
		return it, err
	})
}

// InvoiceBalance is what is left to pay on an invoice: its total, less
// the credit applied and the payments in, plus the refunds out.
// ErrMoneyRange when it does not fit decimal(16,2): the writes that change
// a balance (RecalculateInvoice, PutTransaction) ask for it before they
// commit, so a balance that is shown always fits.
func (tx *Tx) InvoiceBalance(ctx context.Context, inv Invoice) (int64, error) {
	terms := []int64{inv.TotalCents, -inv.CreditCents}
	rows, err := tx.query(ctx, `SELECT amountin_cents, amountout_cents FROM transactions WHERE invoice_id = ?`, inv.ID)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var in, out int64
		if err := rows.Scan(&in, &out); err != nil {
			return 0, err
		}
		terms = append(terms, -in, out)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return AddMoney(terms...)
}

// Transaction is a payment in or out (WHMCS's tblaccounts). ClientID is 0
// for one that belongs to no client; Currency is then its currency (WHMCS
// keeps 0 for a client's, whose currency is the client's).
type Transaction struct {
	ID             int64
	ClientID       int64
	Currency       int64
	Gateway        string
	Date           string // Y-m-d H:i:s
	Description    string
	AmountInCents  int64
	FeesCents      int64
	AmountOutCents int64
	Rate           string // decimal text, "1.00000"
	TransID        string
	InvoiceID      int64
	RefundID       int64
}

const transactionColumns = `id, coalesce(client_id, 0), currency, gateway, date, description, amountin_cents,
	fees_cents, amountout_cents, rate, transid, invoice_id, refund_id`

func scanTransaction(rows *sql.Rows) (Transaction, error) {
	var t Transaction
	err := rows.Scan(&t.ID, &t.ClientID, &t.Currency, &t.Gateway, &t.Date, &t.Description, &t.AmountInCents,
		&t.FeesCents, &t.AmountOutCents, &t.Rate, &t.TransID, &t.InvoiceID, &t.RefundID)
	return t, err
}

// PutTransaction inserts a transaction, or replaces the one with its id,
// and returns its id. ErrMoneyRange when an amount, or the balance of the
// invoice it pays, does not fit decimal(16,2).
func (tx *Tx) PutTransaction(ctx context.Context, t Transaction) (int64, error) {
	if err := CheckMoney(t.AmountInCents, t.FeesCents, t.AmountOutCents); err != nil {
		return 0, err
	}
	if t.Rate == "" {
		t.Rate = "1.00000"
	}
	id, err := tx.upsert(ctx, `INSERT INTO transactions (id, client_id, currency, gateway, date, description,
		amountin_cents, fees_cents, amountout_cents, rate, transid, invoice_id, refund_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id, currency = excluded.currency,
		gateway = excluded.gateway, date = excluded.date, description = excluded.description,
		amountin_cents = excluded.amountin_cents, fees_cents = excluded.fees_cents,
		amountout_cents = excluded.amountout_cents, rate = excluded.rate, transid = excluded.transid,
		invoice_id = excluded.invoice_id, refund_id = excluded.refund_id RETURNING id`,
		nullID(t.ID), nullID(t.ClientID), t.Currency, t.Gateway, t.Date, t.Description, t.AmountInCents, t.FeesCents,
		t.AmountOutCents, t.Rate, t.TransID, t.InvoiceID, t.RefundID)
	if err != nil || t.InvoiceID == 0 {
		return id, err
	}
	inv, err := tx.InvoiceByID(ctx, t.InvoiceID)
	if errors.Is(err, ErrNotFound) {
		return id, nil // a fixture's transaction of an invoice it does not hold
	} else if err != nil {
		return 0, err
	}
	if _, err := tx.InvoiceBalance(ctx, inv); err != nil {
		return 0, err
	}
	return id, nil
}

// TransactionFilter selects transactions; zero fields do not filter.
type TransactionFilter struct {
	InvoiceID int64
	ClientID  int64
	TransID   string
}

// ListTransactions returns the transactions f selects, by id.
func (tx *Tx) ListTransactions(ctx context.Context, f TransactionFilter) ([]Transaction, error) {
	cond, args := whereAll(
		when(f.InvoiceID != 0, "invoice_id = ?", f.InvoiceID),
		when(f.ClientID != 0, "client_id = ?", f.ClientID),
		when(f.TransID != "", "transid = ?", f.TransID),
	)
	return collect(ctx, tx, `SELECT `+transactionColumns+` FROM transactions`+cond+` ORDER BY id`, scanTransaction, args...)
}

// TransIDUsed reports whether a transaction already has the transaction id.
func (tx *Tx) TransIDUsed(ctx context.Context, transID string) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM transactions WHERE transid = ?)`, transID)
}

// Credit is credit added to a client's balance (a positive amount) or
// taken from it (negative).
type Credit struct {
	ID          int64
	ClientID    int64
	AdminID     int64
	Date        string // Y-m-d
	Description string
	AmountCents int64
	RelID       int64 // the invoice the credit was applied to, or 0
}

// PutCredit inserts a credit row, or replaces the one with its id, and
// returns its id. The client's balance is the caller's to change
// (AddClientCredit). ErrMoneyRange when the amount does not fit
// decimal(16,2).
func (tx *Tx) PutCredit(ctx context.Context, c Credit) (int64, error) {
	if err := CheckMoney(c.AmountCents); err != nil {
		return 0, err
	}
	return tx.upsert(ctx, `INSERT INTO credits (id, client_id, admin_id, date, description, amount_cents, relid)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id,
		admin_id = excluded.admin_id, date = excluded.date, description = excluded.description,
		amount_cents = excluded.amount_cents, relid = excluded.relid RETURNING id`,
		nullID(c.ID), c.ClientID, c.AdminID, c.Date, c.Description, c.AmountCents, c.RelID)
}

// Credits returns a client's credit rows (every client's for 0), by id.
func (tx *Tx) Credits(ctx context.Context, clientID int64) ([]Credit, error) {
	cond, args := whereAll(when(clientID != 0, "client_id = ?", clientID))
	return collect(ctx, tx, `SELECT id, client_id, admin_id, date, description, amount_cents, relid FROM credits`+
		cond+` ORDER BY id`, func(rows *sql.Rows) (Credit, error) {
		var c Credit
		err := rows.Scan(&c.ID, &c.ClientID, &c.AdminID, &c.Date, &c.Description, &c.AmountCents, &c.RelID)
		return c, err
	}, args...)
}

// ClientCredit returns a client's credit balance in cents; ErrNotFound
// when there is no such client. The column is decimal text, as WHMCS's.
func (tx *Tx) ClientCredit(ctx context.Context, clientID int64) (int64, error) {
	var credit string
	err := tx.queryRow(ctx, `SELECT credit FROM clients WHERE id = ?`, clientID).Scan(&credit)
	if err := noRow(err); err != nil {
		return 0, err
	}
	cents, err := ParseMoney(credit)
	if err != nil {
		return 0, fmt.Errorf("store: client %d: credit %q: %w", clientID, credit, err)
	}
	return cents, nil
}

// AddClientCredit adds delta cents (negative to take credit away) to a
// client's credit balance and returns the new balance. The sum is checked
// before the write: ErrMoneyRange, and nothing written, when it does not
// fit decimal(16,2).
func (tx *Tx) AddClientCredit(ctx context.Context, clientID, delta int64) (int64, error) {
	cur, err := tx.ClientCredit(ctx, clientID)
	if err != nil {
		return 0, err
	}
	balance, err := AddMoney(cur, delta)
	if err != nil {
		return 0, err
	}
	return balance, tx.execFound(ctx, `UPDATE clients SET credit = ? WHERE id = ?`, FormatMoney(balance), clientID)
}

// BillableItem is work or goods to invoice later. InvoiceAction is 0
// don't invoice, 1 next cron run, 2 next invoice, 3 on the due date, 4
// recurring.
type BillableItem struct {
	ID            int64
	ClientID      int64
	Description   string
	Quantity      string // decimal text
	Unit          string // hours or quantity
	AmountCents   int64
	Recur         int64
	RecurCycle    string // Days, Weeks, Months, Years
	RecurFor      int64
	InvoiceAction int64
	DueDate       string // Y-m-d, "" when none
	InvoiceCount  int64
}

// PutBillableItem inserts a billable item, or replaces the one with its
// id, and returns its id. ErrMoneyRange when the amount does not fit
// decimal(16,2).
func (tx *Tx) PutBillableItem(ctx context.Context, b BillableItem) (int64, error) {
	if err := CheckMoney(b.AmountCents); err != nil {
		return 0, err
	}
	return tx.upsert(ctx, `INSERT INTO billable_items (id, client_id, description, quantity, unit, amount_cents, recur,
		recurcycle, recurfor, invoiceaction, duedate, invoicecount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id, description = excluded.description,
		quantity = excluded.quantity, unit = excluded.unit, amount_cents = excluded.amount_cents,
		recur = excluded.recur, recurcycle = excluded.recurcycle, recurfor = excluded.recurfor,
		invoiceaction = excluded.invoiceaction, duedate = excluded.duedate, invoicecount = excluded.invoicecount
		RETURNING id`, nullID(b.ID), b.ClientID, b.Description, b.Quantity, b.Unit, b.AmountCents, b.Recur,
		b.RecurCycle, b.RecurFor, b.InvoiceAction, b.DueDate, b.InvoiceCount)
}

// BillableItems returns every billable item, by id.
func (tx *Tx) BillableItems(ctx context.Context) ([]BillableItem, error) {
	return collect(ctx, tx, `SELECT id, client_id, description, quantity, unit, amount_cents, recur, recurcycle,
		recurfor, invoiceaction, duedate, invoicecount FROM billable_items ORDER BY id`,
		func(rows *sql.Rows) (BillableItem, error) {
			var b BillableItem
			err := rows.Scan(&b.ID, &b.ClientID, &b.Description, &b.Quantity, &b.Unit, &b.AmountCents, &b.Recur,
				&b.RecurCycle, &b.RecurFor, &b.InvoiceAction, &b.DueDate, &b.InvoiceCount)
			return b, err
		})
}

// InvoiceStatusSum is how many of a client's invoices have one status,
// their totals and their balances (what is left to pay) added up.
type InvoiceStatusSum struct {
	Status       string
	Count        int
	TotalCents   int64
	BalanceCents int64
}

// ClientInvoiceSums returns a client's invoice figures by status; Status
// "Overdue" counts the Unpaid ones due before today (Y-m-d) a second time.
// Each invoice's total and balance fit decimal(16,2) (the writes check
// them); their sums are report figures that may pass it, and SQLite's
// sum() fails rather than wrap round past int64.
func (tx *Tx) ClientInvoiceSums(ctx context.Context, clientID int64, today string) ([]InvoiceStatusSum, error) {
	return collect(ctx, tx, `WITH b AS (SELECT i.status, i.duedate, i.total_cents,
			i.total_cents - i.credit_cents - coalesce(sum(t.amountin_cents), 0) + coalesce(sum(t.amountout_cents), 0) AS balance
		FROM invoices i LEFT JOIN transactions t ON t.invoice_id = i.id WHERE i.client_id = ? GROUP BY i.id)
		SELECT status, count(*), sum(total_cents), sum(balance) FROM b GROUP BY status
		UNION ALL SELECT 'Overdue', count(*), coalesce(sum(total_cents), 0), coalesce(sum(balance), 0) FROM b
		WHERE status = 'Unpaid' AND duedate < ?`, func(rows *sql.Rows) (InvoiceStatusSum, error) {
		var s InvoiceStatusSum
		err := rows.Scan(&s.Status, &s.Count, &s.TotalCents, &s.BalanceCents)
		return s, err
	}, clientID, today)
}

// ClientTransactionSums returns the sums of a client's payments in and
// fees, and its income: payments in less fees and payments out. These are
// report figures over any number of rows, not columns, so they may pass
// decimal(16,2); SQLite's sum() fails with "integer overflow" rather than
// wrap round past int64, and the income is summed there too so that no Go
// subtraction can wrap.
func (tx *Tx) ClientTransactionSums(ctx context.Context, clientID int64) (in, fees, income int64, err error) {
	err = tx.queryRow(ctx, `SELECT coalesce(sum(amountin_cents), 0), coalesce(sum(fees_cents), 0),
		coalesce(sum(amountin_cents - fees_cents - amountout_cents), 0) FROM transactions WHERE client_id = ?`,
		clientID).Scan(&in, &fees, &income)
	return in, fees, income, err
}
