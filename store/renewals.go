package store

import (
	"context"
	"database/sql"
	"fmt"
)

// This file holds what GenInvoices reads and writes besides invoices: the
// services, domains and client addons that renew, their next due and next
// invoice dates (migrations 0019 and 0021), and whether a period of one
// has an invoice line yet.

// Renewal is a service, a domain or a client addon as GenInvoices sees it.
type Renewal struct {
	ID              int64
	ClientID        int64
	ProductName     string // services: the product's name; addons: the addon's own name, else the catalog's
	GroupName       string // services: the product group's name
	Domain          string // services and domains; addons: the domain of the service it is on
	Status          string
	BillingCycle    string // services and addons: Monthly, …, Free Account, One Time
	RegPeriod       int64  // domains: years
	AmountCents     int64  // the recurring amount (an addon's for all its units)
	SetupFeeCents   int64  // addons: the setup fee, for all its units
	Qty             int64  // addons: how many units
	RegDate         string // addons: Y-m-d
	PaymentMethod   string
	NextDueDate     string // Y-m-d, "" when unset
	NextInvoiceDate string // Y-m-d; services and domains: "" until GenInvoices has invoiced one
	Currency        int64  // the client's
	DoNotRenew      bool   // domains: not to be renewed
}

// RenewalFilter selects services or domains: a client's (every client's
// for 0), and when Only, just those with the IDs.
type RenewalFilter struct {
	ClientID int64
	Only     bool
	IDs      []int64
}

// where selects what f selects of table, with one of the statuses (a
// few of WHMCS's, from the caller's code).
func (f RenewalFilter) where(table string, statuses []string) (string, []any) {
	return whereAll(
		when(f.ClientID != 0, table+".client_id = ?", f.ClientID),
		idIn(f.Only, table+".id", f.IDs),
		textIn(table+".status", statuses),
	)
}

// RenewingServices returns the services f selects with the given statuses,
// by client and id.
func (tx *Tx) RenewingServices(ctx context.Context, f RenewalFilter, statuses ...string) ([]Renewal, error) {
	if f.Only && len(f.IDs) == 0 {
		return nil, nil
	}
	cond, args := f.where("s", statuses)
	return collect(ctx, tx, `SELECT s.id, s.client_id, coalesce(p.name, ''), coalesce(g.name, ''), s.domain, s.status,
		s.billingcycle, 0, s.recurringamount, s.paymentmethod, s.nextduedate, s.nextinvoicedate, c.currency
		FROM services s JOIN clients c ON c.id = s.client_id LEFT JOIN products p ON p.id = s.product_id
		LEFT JOIN product_groups g ON g.id = p.gid`+cond+` ORDER BY s.client_id, s.id`,
		func(rows *sql.Rows) (Renewal, error) {
			var r Renewal
			var amount string
			if err := rows.Scan(&r.ID, &r.ClientID, &r.ProductName, &r.GroupName, &r.Domain, &r.Status,
				&r.BillingCycle, &r.RegPeriod, &amount, &r.PaymentMethod, &r.NextDueDate, &r.NextInvoiceDate,
				&r.Currency); err != nil {
				return r, err
			}
			cents, err := ParseMoney(amount)
			if err != nil {
				return r, fmt.Errorf("store: service %d: recurring amount %q: %w", r.ID, amount, err)
			}
			r.AmountCents = cents
			return r, nil
		}, args...)
}

// RenewingDomains returns the domains f selects with the given statuses,
// by client and id.
func (tx *Tx) RenewingDomains(ctx context.Context, f RenewalFilter, statuses ...string) ([]Renewal, error) {
	if f.Only && len(f.IDs) == 0 {
		return nil, nil
	}
	cond, args := f.where("d", statuses)
	return collect(ctx, tx, `SELECT d.id, d.client_id, d.domain, d.status, d.regperiod, d.recurringamount_cents,
		d.paymentmethod, d.nextduedate, d.nextinvoicedate, c.currency, d.donotrenew
		FROM domains d JOIN clients c ON c.id = d.client_id`+cond+` ORDER BY d.client_id, d.id`,
		func(rows *sql.Rows) (Renewal, error) {
			var r Renewal
			err := rows.Scan(&r.ID, &r.ClientID, &r.Domain, &r.Status, &r.RegPeriod, &r.AmountCents, &r.PaymentMethod,
				&r.NextDueDate, &r.NextInvoiceDate, &r.Currency, &r.DoNotRenew)
			return r, err
		}, args...)
}

// RenewingAddons returns the client addons f selects with the given
// statuses, by client and id.
func (tx *Tx) RenewingAddons(ctx context.Context, f RenewalFilter, statuses ...string) ([]Renewal, error) {
	if f.Only && len(f.IDs) == 0 {
		return nil, nil
	}
	cond, args := f.where("a", statuses)
	return collect(ctx, tx, `SELECT a.id, a.client_id, CASE WHEN a.name != '' THEN a.name ELSE coalesce(ca.name, '') END,
		coalesce(s.domain, ''), a.status, a.billingcycle, a.recurring_cents, a.setupfee_cents, a.qty, a.regdate,
		a.paymentmethod, a.nextduedate, a.nextinvoicedate, c.currency
		FROM client_addons a JOIN clients c ON c.id = a.client_id
		LEFT JOIN addons ca ON ca.id = a.addon_id AND a.addon_id != 0
		LEFT JOIN services s ON s.id = a.service_id`+cond+` ORDER BY a.client_id, a.id`,
		func(rows *sql.Rows) (Renewal, error) {
			var r Renewal
			err := rows.Scan(&r.ID, &r.ClientID, &r.ProductName, &r.Domain, &r.Status, &r.BillingCycle, &r.AmountCents,
				&r.SetupFeeCents, &r.Qty, &r.RegDate, &r.PaymentMethod, &r.NextDueDate, &r.NextInvoiceDate, &r.Currency)
			return r, err
		}, args...)
}

// PeriodInvoiced reports whether an invoice line of one of the types bills
// relid for the period due on dueDate.
func (tx *Tx) PeriodInvoiced(ctx context.Context, types []string, relid int64, dueDate string) (bool, error) {
	if len(types) == 0 {
		return false, nil // no line bills it
	}
	cond, args := whereAll(when(true, "relid = ? AND duedate = ?", relid, dueDate), textIn("type", types))
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM invoice_items`+cond+`)`, args...)
}

// SetServiceDueDates sets a service's next due date and next invoice date.
func (tx *Tx) SetServiceDueDates(ctx context.Context, id int64, nextDue, nextInvoice string) error {
	return tx.execFound(ctx, `UPDATE services SET nextduedate = ?, nextinvoicedate = ? WHERE id = ?`, nextDue, nextInvoice, id)
}

// SetDomainDueDates sets a domain's next due date and next invoice date.
func (tx *Tx) SetDomainDueDates(ctx context.Context, id int64, nextDue, nextInvoice string) error {
	return tx.execFound(ctx, `UPDATE domains SET nextduedate = ?, nextinvoicedate = ? WHERE id = ?`, nextDue, nextInvoice, id)
}

// SetAddonDueDates sets a client addon's next due date and next invoice
// date.
func (tx *Tx) SetAddonDueDates(ctx context.Context, id int64, nextDue, nextInvoice string) error {
	return tx.execFound(ctx, `UPDATE client_addons SET nextduedate = ?, nextinvoicedate = ? WHERE id = ?`,
		nextDue, nextInvoice, id)
}

// NextInvoiceDates returns the next invoice dates that are set, of every
// service or domain (table "services" or "domains"), by id (for export).
func (tx *Tx) NextInvoiceDates(ctx context.Context, table string) (map[int64]string, error) {
	if table != "services" && table != "domains" {
		return nil, fmt.Errorf("store: no next invoice dates in %q", table)
	}
	out := map[int64]string{}
	err := tx.eachRow(ctx, `SELECT id, nextinvoicedate FROM `+table+` WHERE nextinvoicedate != ''`, func(rows *sql.Rows) error {
		var id int64
		var d string
		err := rows.Scan(&id, &d)
		out[id] = d
		return err
	})
	return out, err
}

// TransactionByID returns one transaction, or ErrNotFound.
func (tx *Tx) TransactionByID(ctx context.Context, id int64) (Transaction, error) {
	rows, err := tx.query(ctx, `SELECT `+transactionColumns+` FROM transactions WHERE id = ?`, id)
	if err != nil {
		return Transaction{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Transaction{}, err
		}
		return Transaction{}, ErrNotFound
	}
	return scanTransaction(rows)
}
