package store

import (
	"context"
	"database/sql"
)

// This file holds a client's domains (WHMCS's tbldomains, migration 0010):
// what AddOrder creates, the Orders actions change and GetClientsDomains
// lists. Money is in cents; dates are Y-m-d text, "" when unset.

// Domain is a client's domain registration or transfer.
type Domain struct {
	ID                      int64
	ClientID                int64
	OrderID                 int64
	RegType                 string // Register or Transfer
	Domain                  string
	Registrar               string
	RegPeriod               int64 // years
	FirstPaymentAmountCents int64
	RecurringAmountCents    int64
	PaymentMethod           string
	RegDate                 string
	ExpiryDate              string
	NextDueDate             string
	Status                  string
	SubscriptionID          string
	PromoID                 int64
	DNSManagement           bool
	EmailForwarding         bool
	IDProtection            bool
	DoNotRenew              bool
	Notes                   string
}

const domainColumns = `id, client_id, order_id, regtype, domain, registrar, regperiod, firstpaymentamount_cents,
	recurringamount_cents, paymentmethod, regdate, expirydate, nextduedate, status, subscriptionid, promoid,
	dnsmanagement, emailforwarding, idprotection, donotrenew, notes`

func (d *Domain) fields() []any {
	return []any{&d.ID, &d.ClientID, &d.OrderID, &d.RegType, &d.Domain, &d.Registrar, &d.RegPeriod,
		&d.FirstPaymentAmountCents, &d.RecurringAmountCents, &d.PaymentMethod, &d.RegDate, &d.ExpiryDate,
		&d.NextDueDate, &d.Status, &d.SubscriptionID, &d.PromoID, &d.DNSManagement, &d.EmailForwarding,
		&d.IDProtection, &d.DoNotRenew, &d.Notes}
}

// PutDomain inserts a domain, or replaces the one with the same id, and
// returns its id; ErrMoneyRange when an amount does not fit decimal(16,2).
func (tx *Tx) PutDomain(ctx context.Context, d Domain) (int64, error) {
	if err := CheckMoney(d.FirstPaymentAmountCents, d.RecurringAmountCents); err != nil {
		return 0, err
	}
	return tx.upsert(ctx, `INSERT INTO domains (`+domainColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(domainColumns)+` RETURNING id`,
		nullID(d.ID), d.ClientID, d.OrderID, d.RegType, d.Domain, d.Registrar, d.RegPeriod, d.FirstPaymentAmountCents,
		d.RecurringAmountCents, d.PaymentMethod, d.RegDate, d.ExpiryDate, d.NextDueDate, d.Status, d.SubscriptionID,
		d.PromoID, d.DNSManagement, d.EmailForwarding, d.IDProtection, d.DoNotRenew, d.Notes)
}

// Domains returns every domain, by id (for exporting).
func (tx *Tx) Domains(ctx context.Context) ([]Domain, error) {
	return tx.domains(ctx, `SELECT `+domainColumns+` FROM domains ORDER BY id`)
}

// OrderDomains returns the domains of an order, by id.
func (tx *Tx) OrderDomains(ctx context.Context, orderID int64) ([]Domain, error) {
	return tx.domains(ctx, `SELECT `+domainColumns+` FROM domains WHERE order_id = ? ORDER BY id`, orderID)
}

func (tx *Tx) domains(ctx context.Context, query string, args ...any) ([]Domain, error) {
	return collect(ctx, tx, query, func(rows *sql.Rows) (Domain, error) {
		var d Domain
		err := rows.Scan(d.fields()...)
		return d, err
	}, args...)
}

// DomainFilter selects domains; zero fields do not filter.
type DomainFilter struct {
	ClientID int64
	DomainID int64
	Domain   string // exact, any case
	Page
}

// DomainEntry is a domain with its payment method's display name ("" when
// no gateway has that module name).
type DomainEntry struct {
	Domain
	PaymentMethodName string
}

// ListDomains returns one page of the domains f selects, by id, and how
// many it selects in all.
func (tx *Tx) ListDomains(ctx context.Context, f DomainFilter) ([]DomainEntry, int64, error) {
	cond, args := whereAll(
		when(f.ClientID != 0, "d.client_id = ?", f.ClientID),
		when(f.DomainID != 0, "d.id = ?", f.DomainID),
		when(f.Domain != "", "lower(d.domain) = lower(?)", f.Domain),
	)
	return listPage(ctx, tx, `SELECT count(*) FROM domains d`+cond,
		`SELECT `+prefixed("d.", domainColumns)+`, coalesce(pg.display_name, '')
		FROM domains d LEFT JOIN payment_gateways pg ON pg.module = d.paymentmethod AND d.paymentmethod != ''`+
			cond+` ORDER BY d.id`, args, f.Page, func(rows *sql.Rows) (DomainEntry, error) {
			var e DomainEntry
			err := rows.Scan(append(e.Domain.fields(), &e.PaymentMethodName)...)
			return e, err
		})
}

// DomainByID returns one domain, or ErrNotFound.
func (tx *Tx) DomainByID(ctx context.Context, id int64) (Domain, error) {
	var d Domain
	err := tx.queryRow(ctx, `SELECT `+domainColumns+` FROM domains WHERE id = ?`, id).Scan(d.fields()...)
	return d, noRow(err)
}
